package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/lifeboat-backup/lifeboat/format"
)

// Hooks: --hook-success CMD and --hook-failure CMD (LIFEBOAT_HOOK_*,
// [hooks] in the config) run CMD with /bin/sh after the command, with its
// summary in LIFEBOAT_* variables, so that cron can ping a health check
// or send a mail. Any exit code but 0 is a failure, 3 and 4 included:
// something needs a look. A hook that fails is a warning; it never
// changes lifeboat's exit code.

// hookTimeout bounds a hook; one that runs longer is killed.
var hookTimeout = 60 * time.Second

// hookCommands are the commands cron runs, which take the hook flags.
var hookCommands = map[string]bool{"backup": true, "check": true, "sync": true, "forget": true, "prune": true, "status": true}

func hookFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "hook-success", EnvVars: []string{"LIFEBOAT_HOOK_SUCCESS"},
			Usage: "when the command succeeds, run `CMD` with /bin/sh, its summary in LIFEBOAT_* variables"},
		&cli.StringFlag{Name: "hook-failure", EnvVars: []string{"LIFEBOAT_HOOK_FAILURE"},
			Usage: "when the command exits with any code but 0 (3 and 4 included), run `CMD` with /bin/sh"},
	}
}

// hookRun is what the hooks of one command learn about it.
type hookRun struct {
	command, success, failure, repo string
	snapshots                       []string
	stats                           format.SnapshotStats // summed over the snapshots
}

// noteHooks records the command's hooks and repository, as its flags
// (and the config) say now.
func noteHooks(c *cli.Context) {
	if !hookCommands[c.Command.Name] {
		return
	}
	if c.App.Metadata == nil {
		c.App.Metadata = map[string]any{}
	}
	h, _ := c.App.Metadata["hooks"].(*hookRun)
	if h == nil {
		h = &hookRun{command: c.Command.Name}
		c.App.Metadata["hooks"] = h
	}
	loc, _ := repoLocation(c)
	h.success, h.failure, h.repo = c.String("hook-success"), c.String("hook-failure"), safeLocation(loc)
}

// recordSnapshot adds a committed snapshot to the hooks' summary.
func recordSnapshot(c *cli.Context, id string, st format.SnapshotStats) {
	h, _ := c.App.Metadata["hooks"].(*hookRun)
	if h == nil {
		return
	}
	h.snapshots = append(h.snapshots, id)
	h.stats.Contacts += st.Contacts
	h.stats.Events += st.Events
	h.stats.Todos += st.Todos
	h.stats.Media += st.Media
	h.stats.Files += st.Files
	h.stats.BytesAdded += st.BytesAdded
}

// runHooks runs the hook that fits the exit code, once the command is
// over. A command line the cli package refused never reached the config:
// its failure hook comes from LIFEBOAT_HOOK_FAILURE alone.
func runHooks(app *cli.App, args []string, code int, err error, stderr io.Writer) {
	h, _ := app.Metadata["hooks"].(*hookRun)
	if h == nil && code != exitOK && len(args) > 1 && hookCommands[args[1]] {
		h = &hookRun{command: args[1], failure: os.Getenv("LIFEBOAT_HOOK_FAILURE")}
	}
	if h == nil {
		return
	}
	kind, cmdline := "success", h.success
	if code != exitOK {
		kind, cmdline = "failure", h.failure
	}
	if cmdline == "" {
		return
	}
	if out, herr := runHook(cmdline, h.env(code, err)); herr != nil {
		fmt.Fprintf(stderr, "lifeboat: warning: the %s hook failed (%v); the exit code stays %d\n", kind, herr, code)
		for _, line := range lastLines(out, 20) {
			fmt.Fprintf(stderr, "lifeboat: hook: %s\n", line)
		}
	}
}

// runHook runs one hook and returns its output.
func runHook(cmdline string, env []string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), hookTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "/bin/sh", "-c", cmdline)
	var out tailBuffer
	cmd.Env, cmd.Stdout, cmd.Stderr = env, &out, &out
	cmd.WaitDelay = time.Second // a child left holding the output must not hang lifeboat
	err := cmd.Run()
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		err = fmt.Errorf("killed after %v", hookTimeout)
	}
	return out.Bytes(), err
}

// tailBuffer keeps about the last 64 KiB written to it.
type tailBuffer struct{ bytes.Buffer }

func (t *tailBuffer) Write(p []byte) (int, error) {
	const keep = 64 << 10
	t.Buffer.Write(p)
	if t.Len() > 2*keep {
		t.Next(t.Len() - keep)
	}
	return len(p), nil
}

// env is lifeboat's environment without its own LIFEBOAT_* variables
// (LIFEBOAT_DAV_PASSWORD among them), plus the summary.
func (h *hookRun) env(code int, err error) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "LIFEBOAT_") {
			env = append(env, kv)
		}
	}
	msg := ""
	if err != nil {
		msg = oneLine(err.Error()) // errors never hold a secret (SPEC §3)
	}
	env = append(env, "LIFEBOAT_COMMAND="+h.command, "LIFEBOAT_EXIT_CODE="+strconv.Itoa(code),
		"LIFEBOAT_STATUS="+exitStatus(code), "LIFEBOAT_ERROR="+msg, "LIFEBOAT_REPO="+h.repo)
	if h.command == "backup" {
		st := h.stats
		env = append(env, "LIFEBOAT_SNAPSHOTS="+strings.Join(h.snapshots, " "),
			"LIFEBOAT_CONTACTS="+u64(st.Contacts), "LIFEBOAT_EVENTS="+u64(st.Events),
			"LIFEBOAT_TODOS="+u64(st.Todos), "LIFEBOAT_PHOTOS="+u64(st.Media),
			"LIFEBOAT_FILES="+u64(st.Files), "LIFEBOAT_BYTES_ADDED="+u64(st.BytesAdded))
	}
	return env
}

func u64(n uint64) string { return strconv.FormatUint(n, 10) }

// exitStatus names an exit code for LIFEBOAT_STATUS.
func exitStatus(code int) string {
	switch code {
	case exitOK:
		return "ok"
	case exitUsage:
		return "usage"
	case exitPartial:
		return "partial"
	case exitAlarm:
		return "alarm"
	case exitNoRepo:
		return "no-repository"
	case exitLocked:
		return "locked"
	case exitWrongKey:
		return "wrong-key"
	case exitDamaged:
		return "damaged"
	case exitInterrupt:
		return "interrupted"
	}
	return "failed"
}

// lastLines is the last n non-empty lines of a hook's output.
func lastLines(b []byte, n int) []string {
	var lines []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimRight(l, "\r"); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return lines
}

// safeLocation is a location without a password (sftp://user:pw@host)
// or credentials (s3://key@host): fit for a hook's environment.
func safeLocation(loc string) string {
	if !strings.Contains(loc, "://") {
		return loc
	}
	u, err := url.Parse(loc)
	if err != nil {
		return "(a location lifeboat cannot parse)"
	}
	if u.User != nil {
		if _, hasPw := u.User.Password(); hasPw || strings.HasPrefix(u.Scheme, "s3") {
			u.User = nil
		}
	}
	return u.String()
}
