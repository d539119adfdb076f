// Package sshtest starts a real OpenSSH sshd on loopback for tests, with
// its own host key, user key and known_hosts, serving SFTP
// (internal-sftp). It needs root (sshd's privilege separation) and
// /usr/sbin/sshd; without them the test is skipped, unless
// LIFEBOAT_REQUIRE_INTEGRATION=1.
package sshtest

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"github.com/lifeboat-backup/lifeboat/internal/loopback"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/crypto/ssh"
)

// Server is a running sshd.
type Server struct {
	Addr       string // 127.0.0.1:PORT
	User       string
	KeyFile    string // the user's private key
	KnownHosts string
	cmd        *exec.Cmd
	stopped    bool
}

// Start runs sshd until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	const sshd = "/usr/sbin/sshd"
	if _, err := os.Stat(sshd); err != nil || os.Geteuid() != 0 {
		if os.Getenv("LIFEBOAT_REQUIRE_INTEGRATION") == "1" {
			t.Fatalf("sshd test server unavailable (need %s and root) with LIFEBOAT_REQUIRE_INTEGRATION=1", sshd)
		}
		t.Skipf("sshd test server unavailable (need %s, from Debian's openssh-server, and root)", sshd)
	}
	dir := t.TempDir()
	hostPub := writeKey(t, filepath.Join(dir, "host"))
	userPub := writeKey(t, filepath.Join(dir, "user"))
	must(t, os.WriteFile(filepath.Join(dir, "authorized_keys"), ssh.MarshalAuthorizedKey(userPub), 0o600))
	port := loopback.FreePort(t)
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	kh := fmt.Sprintf("[127.0.0.1]:%d %s", port, ssh.MarshalAuthorizedKey(hostPub))
	must(t, os.WriteFile(filepath.Join(dir, "known_hosts"), []byte(kh), 0o600))
	cfg := fmt.Sprintf(`Port %d
ListenAddress 127.0.0.1
HostKey %s/host
PidFile %s/sshd.pid
AuthorizedKeysFile %s/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin yes
StrictModes no
UsePAM no
Subsystem sftp internal-sftp
`, port, dir, dir, dir)
	must(t, os.WriteFile(filepath.Join(dir, "sshd_config"), []byte(cfg), 0o600))
	must(t, os.MkdirAll("/run/sshd", 0o755))
	cmd := exec.Command(sshd, "-D", "-e", "-f", filepath.Join(dir, "sshd_config"))
	// A file, not a pipe: per-connection children (in sessions of their
	// own) may outlive sshd, and Wait would wait for a pipe they hold.
	logf, err := os.Create(filepath.Join(dir, "sshd.log"))
	must(t, err)
	cmd.Stderr = logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	t.Cleanup(func() {
		logf.Close()
		if t.Failed() {
			b, _ := os.ReadFile(logf.Name())
			t.Logf("sshd log:\n%s", b)
		}
	})
	must(t, cmd.Start())
	s := &Server{Addr: addr, KeyFile: filepath.Join(dir, "user"), KnownHosts: filepath.Join(dir, "known_hosts"), cmd: cmd}
	t.Cleanup(s.Stop)
	u, err := user.Current()
	must(t, err)
	s.User = u.Username
	loopback.Wait(t, "sshd", addr)
	return s
}

// Stop ends sshd (also its sessions).
func (s *Server) Stop() {
	if s.cmd.Process != nil && !s.stopped {
		s.stopped = true
		syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
		s.cmd.Wait()
	}
}

// Location returns sftp://user@addr/dir for an absolute dir.
func (s *Server) Location(dir string) string {
	return "sftp://" + s.User + "@" + s.Addr + "/" + strings.TrimPrefix(dir, "/")
}

func writeKey(t testing.TB, path string) ssh.PublicKey {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	must(t, err)
	block, err := ssh.MarshalPrivateKey(priv, "")
	must(t, err)
	must(t, os.WriteFile(path, pem.EncodeToMemory(block), 0o600))
	sp, err := ssh.NewPublicKey(pub)
	must(t, err)
	return sp
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
