package cli

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/internal/sshtest"
)

// lb runs the CLI in-process and returns its exit code and stderr.
func lb(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(append([]string{"lifeboat"}, args...), &out, &errb)
	return code, errb.String()
}

// silentListener returns the address of a listener on loopback that
// accepts connections and never answers: a server that hangs.
func silentListener(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		var conns []net.Conn
		defer func() {
			for _, c := range conns {
				c.Close()
			}
		}()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c) // accept and never answer
		}
	}()
	return l.Addr().String()
}

func homeEnv(t *testing.T, dir string) {
	for k, v := range map[string]string{"HOME": dir, "XDG_CONFIG_HOME": dir + "/config", "XDG_CACHE_HOME": dir + "/cache",
		"XDG_DATA_HOME": dir + "/data", "XDG_STATE_HOME": dir + "/state"} {
		t.Setenv(k, v)
	}
}

// TestSFTPMirror: a mirror on a real sshd. Backups update it; with the
// server down the backup commits and exits 3; a server that accepts and
// never answers is given up after --mirror-timeout; sync catches up; and
// the recovery drill restores from the SFTP mirror with an empty HOME.
func TestSFTPMirror(t *testing.T) {
	srv := sshtest.Start(t)
	dir := t.TempDir()
	homeEnv(t, filepath.Join(dir, "home"))
	t.Setenv("LIFEBOAT_SFTP_KEY", srv.KeyFile)
	t.Setenv("LIFEBOAT_SFTP_KNOWN_HOSTS", srv.KnownHosts)
	t.Setenv("LIFEBOAT_TEST_SCRYPT_WORK_FACTOR", "10")
	pass := filepath.Join(dir, "pass.txt")
	os.WriteFile(pass, []byte("correct horse\n"), 0o600)
	remote := filepath.Join(dir, "remote")
	repo, phone := filepath.Join(dir, "repo"), filepath.Join("..", "testdata", "phone")

	if code, e := lb(t, "init", "--repo", repo, "--mirror", srv.Location(remote), "--passphrase-file", pass); code != 0 {
		t.Fatalf("init: %d %s", code, e)
	}
	t.Setenv("LIFEBOAT_MIRROR", srv.Location(remote))
	t.Setenv("LIFEBOAT_PASSPHRASE_FILE", pass)
	if code, e := lb(t, "backup", "--repo", repo, "--quiet", phone); code != 0 {
		t.Fatalf("backup: %d %s", code, e)
	}

	srv.Stop()
	start := time.Now()
	if code, e := lb(t, "backup", "--repo", repo, phone); code != exitPartial || !strings.Contains(e, "not updated") {
		t.Fatalf("backup with the server down: %d %s", code, e)
	}
	silent := silentListener(t)
	hang := "sftp://root@" + silent + "/" + strings.TrimPrefix(remote, "/")
	start = time.Now()
	code, e := lb(t, "backup", "--repo", repo, "--mirror", hang, "--mirror-timeout", "2s", phone)
	if code != exitPartial || time.Since(start) > 15*time.Second || !strings.Contains(e, "no answer within 2s") {
		t.Fatalf("backup with a hanging mirror: %d after %v: %s", code, time.Since(start), e)
	}

	srv2 := sshtest.Start(t) // the server is back (another port, same folder)
	t.Setenv("LIFEBOAT_SFTP_KEY", srv2.KeyFile)
	t.Setenv("LIFEBOAT_SFTP_KNOWN_HOSTS", srv2.KnownHosts)
	t.Setenv("LIFEBOAT_MIRROR", srv2.Location(remote))
	if code, e := lb(t, "check", "--repo", repo); code != exitDamaged || !strings.Contains(e, "missing in") {
		t.Fatalf("check before sync: %d %s", code, e)
	}
	if code, e := lb(t, "sync", "--repo", repo); code != 0 {
		t.Fatalf("sync: %d %s", code, e)
	}
	if code, e := lb(t, "check", "--repo", repo, "--read-data"); code != 0 {
		t.Fatalf("check after sync: %d %s", code, e)
	}

	// The drill: nothing but the passphrase and the mirror's address.
	homeEnv(t, filepath.Join(dir, "newhome"))
	t.Setenv("LIFEBOAT_MIRROR", "")
	out := filepath.Join(dir, "drill")
	// A new machine does not know the server's host key yet: say how to
	// add it, whether known_hosts is missing or lacks the server.
	empty := filepath.Join(dir, "empty_known_hosts")
	os.WriteFile(empty, nil, 0o600)
	for _, kh := range []string{filepath.Join(dir, "none"), empty} {
		t.Setenv("LIFEBOAT_SFTP_KNOWN_HOSTS", kh)
		code, e := lb(t, "restore", "latest", "--repo", srv2.Location(remote), "--to", out)
		if code != exitFatal || !strings.Contains(e, srv2.Addr) || !strings.Contains(e, "lifeboat: hint: the server's host key must be in ~/.ssh/known_hosts") {
			t.Fatalf("restore with %s: %d %s", filepath.Base(kh), code, e)
		}
	}
	t.Setenv("LIFEBOAT_SFTP_KNOWN_HOSTS", srv2.KnownHosts)
	if code, e := lb(t, "restore", "latest", "--repo", srv2.Location(remote), "--to", out); code != 0 {
		t.Fatalf("restore from the SFTP mirror: %d %s", code, e)
	}
	a, _ := os.ReadFile(filepath.Join(phone, "Contacts", "contacts.vcf"))
	b, _ := os.ReadFile(filepath.Join(out, "Contacts", "contacts.vcf"))
	if !bytes.Equal(a, b) || len(a) == 0 {
		t.Fatal("restored contacts differ")
	}
}
