package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/internal/davtest"
	"github.com/lifeboat-backup/lifeboat/source/dav"
)

// TestDAVErrors is acceptance point 3 on Radicale: a wrong password exits
// 2 with a hint and never shows the password; a stopped server exits 1
// (alone) or 3 (beside a folder that is backed up) and commits nothing
// for it; a stale sync token falls back to a full listing.
func TestDAVErrors(t *testing.T) {
	s := davtest.Radicale(t)
	dir := t.TempDir()
	homeEnv(t, filepath.Join(dir, "home"))
	repoDir := filepath.Join(dir, "repo")
	if code, e := lb(t, "init", "--repo", repoDir); code != 0 {
		t.Fatalf("init: %d %s", code, e)
	}
	davSeed(t, s)
	card := s.Source("carddav")

	wrong := filepath.Join(dir, "wrong")
	os.WriteFile(wrong, []byte("not-the-password\n"), 0o600)
	code, e := lb(t, "backup", "--repo", repoDir, "--dav-password-file", wrong, card)
	if code != 2 || !strings.Contains(e, "lifeboat: hint: check the user name and the password file") || strings.Contains(e, "not-the-password") {
		t.Errorf("wrong password: exit %d, want 2 with a hint: %s", code, e)
	}
	os.Chmod(wrong, 0o644)
	if code, e := lb(t, "backup", "--repo", repoDir, "--dav-password-file", wrong, card); code != 2 {
		t.Errorf("group-readable password file: exit %d, want 2: %s", code, e)
	}
	withPass := "carddav+http://me:s3cret-pass@" + strings.TrimPrefix(s.Base, "http://") + "/"
	if code, e := lb(t, "backup", "--repo", repoDir, withPass); code != 2 || strings.Contains(e, "s3cret-pass") {
		t.Errorf("password in the URL: exit %d, want 2, not echoed: %s", code, e)
	}
	if code, e := lb(t, "backup", "--repo", repoDir, "carddav+http://me@example.com/"); code != 2 {
		t.Errorf("plain http to a remote host: exit %d, want 2: %s", code, e)
	}

	// The password from the environment works.
	t.Setenv("LIFEBOAT_DAV_PASSWORD", s.Password)
	backupJSON(t, 0, "--repo", repoDir, card)

	// A stale token: a full listing, nothing downloaded, the same records.
	acct, _ := dav.ParseSource(card)
	staging := acct.StagingDir(davStagingRoot())
	stateFile := filepath.Join(staging, "contacts", dav.StateFile)
	b, err := os.ReadFile(stateFile)
	if err != nil || !strings.Contains(string(b), `"sync_token": "http`) {
		t.Fatalf("state file: %v %s", err, b)
	}
	os.WriteFile(stateFile, []byte(strings.Replace(string(b), `"sync_token": "http`, `"sync_token": "http://bogus/`, 1)), 0o600)
	if res := backupJSON(t, 0, "--repo", repoDir, card); res[card]["contacts"] != 3.0 {
		t.Errorf("after a stale token: %v contacts, want 3", res[card]["contacts"])
	}
	if b, _ := os.ReadFile(stateFile); strings.Contains(string(b), "bogus") {
		t.Errorf("the stale token was kept")
	}

	// The server stopped: exit 1 alone, exit 3 beside a folder; nothing
	// committed for the account.
	count := func() int {
		_, out, _ := lbOut(t, "snapshots", "--repo", repoDir, "--json")
		return strings.Count(out, `"source":"`+card+`"`)
	}
	n := count()
	s.Stop()
	if code, e := lb(t, "backup", "--repo", repoDir, card); code != 1 {
		t.Errorf("server stopped: exit %d, want 1: %s", code, e)
	}
	if code, e := lb(t, "backup", "--repo", repoDir, card, "../source/dav/testdata"); code != 3 {
		t.Errorf("server stopped beside a folder: exit %d, want 3: %s", code, e)
	}
	if got := count(); got != n {
		t.Errorf("%d snapshots of the stopped account, want %d", got, n)
	}
}
