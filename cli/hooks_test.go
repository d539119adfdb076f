package cli

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/urfave/cli/v2"
)

// TestHookTimeout: a hook that hangs is killed after hookTimeout, and
// lifeboat says so.
func TestHookTimeout(t *testing.T) {
	defer func(d time.Duration) { hookTimeout = d }(hookTimeout)
	hookTimeout = 200 * time.Millisecond
	start := time.Now()
	_, err := runHook("echo started; sleep 30", nil)
	if err == nil || !strings.Contains(err.Error(), "killed after 200ms") {
		t.Fatalf("err %v, want killed after 200ms", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("the hook ran %v", d)
	}
}

// TestRunHooksWarns: a failing hook is one warning plus its last lines;
// a hook that succeeds prints nothing.
func TestRunHooksWarns(t *testing.T) {
	var stderr bytes.Buffer
	h := &hookRun{command: "sync", failure: "for i in $(seq 30); do echo line $i; done; exit 3"}
	runHooks(newAppWithHooks(h), []string{"lifeboat", "sync"}, exitDamaged, errors.New("damaged"), &stderr)
	out := stderr.String()
	if !strings.HasPrefix(out, "lifeboat: warning: the failure hook failed (exit status 3); the exit code stays 13\n") ||
		strings.Count(out, "lifeboat: hook: ") != 20 || !strings.HasSuffix(out, "lifeboat: hook: line 30\n") {
		t.Errorf("stderr:\n%s", out)
	}
	stderr.Reset()
	h.success = "echo fine"
	runHooks(newAppWithHooks(h), []string{"lifeboat", "sync"}, exitOK, nil, &stderr)
	if stderr.Len() != 0 {
		t.Errorf("a hook that succeeded printed %q", stderr.String())
	}
}

func newAppWithHooks(h *hookRun) *cli.App {
	app := newApp(&bytes.Buffer{}, &bytes.Buffer{})
	app.Metadata = map[string]any{"hooks": h}
	return app
}

// TestHookEnv: the summary, and none of lifeboat's own variables.
func TestHookEnv(t *testing.T) {
	t.Setenv("LIFEBOAT_DAV_PASSWORD", "sekrit")
	t.Setenv("LIFEBOAT_REPO", "/elsewhere")
	h := &hookRun{command: "backup", repo: "/r", snapshots: []string{"aa", "bb"}}
	h.stats.Contacts, h.stats.Media = 3, 4
	env := strings.Join(h.env(exitAlarm, alarmError{"alarm: 1 source(s) lost many records"}), "\n")
	for _, want := range []string{"LIFEBOAT_COMMAND=backup", "LIFEBOAT_EXIT_CODE=4", "LIFEBOAT_STATUS=alarm",
		"LIFEBOAT_ERROR=alarm: 1 source(s) lost many records", "LIFEBOAT_REPO=/r", "LIFEBOAT_SNAPSHOTS=aa bb",
		"LIFEBOAT_CONTACTS=3", "LIFEBOAT_PHOTOS=4"} {
		if !strings.Contains(env+"\n", want+"\n") {
			t.Errorf("no %s in the hook's environment", want)
		}
	}
	if strings.Contains(env, "sekrit") || strings.Contains(env, "/elsewhere") {
		t.Errorf("lifeboat's own LIFEBOAT_* variables reached the hook")
	}
}

func TestSafeLocation(t *testing.T) {
	for in, want := range map[string]string{
		"/srv/repo":                      "/srv/repo",
		"sftp://me@nas:2222/lifeboat":    "sftp://me@nas:2222/lifeboat",
		"sftp://me:pw@nas/lifeboat":      "sftp://nas/lifeboat",
		"s3://AKIA@minio:9000/bucket/lb": "s3://minio:9000/bucket/lb",
		"carddav+https://me:pw@dav/x/":   "carddav+https://dav/x/",
	} {
		if got := safeLocation(in); got != want {
			t.Errorf("safeLocation(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestExitStatus(t *testing.T) {
	seen := map[string]int{}
	for _, code := range []int{exitOK, exitFatal, exitUsage, exitPartial, exitAlarm, exitNoRepo, exitLocked,
		exitWrongKey, exitDamaged, exitInterrupt} {
		if prev, dup := seen[exitStatus(code)]; dup {
			t.Errorf("exit codes %d and %d are both %q", prev, code, exitStatus(code))
		}
		seen[exitStatus(code)] = code
	}
}
