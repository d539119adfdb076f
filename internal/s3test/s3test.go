// Package s3test starts a real S3-compatible server on loopback for tests:
// versitygw (github.com/versity/versitygw, its posix backend over a
// temporary folder). The binary is $LIFEBOAT_VERSITYGW or versitygw on
// PATH; .ci/run builds it from the Go module proxy. Without it the test is
// skipped, unless LIFEBOAT_REQUIRE_INTEGRATION=1.
package s3test

import (
	"fmt"
	"github.com/lifeboat-backup/lifeboat/internal/loopback"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

// Credentials the server accepts.
const (
	AccessKey = "lifeboattest"
	SecretKey = "lifeboat-test-secret-0123456789"
)

// Server is a running versitygw.
type Server struct {
	Addr    string // 127.0.0.1:PORT
	Dir     string // the posix backend's folder: one subfolder per bucket
	bin     string
	logPath string
	cmd     *exec.Cmd
}

// Binary returns the versitygw binary, skipping (or failing, under
// LIFEBOAT_REQUIRE_INTEGRATION=1) the test when there is none.
func Binary(t testing.TB) string {
	t.Helper()
	bin := os.Getenv("LIFEBOAT_VERSITYGW")
	if bin == "" {
		bin, _ = exec.LookPath("versitygw")
	}
	if bin != "" {
		if _, err := os.Stat(bin); err == nil {
			return bin
		}
	}
	msg := "S3 test server unavailable: set LIFEBOAT_VERSITYGW or put versitygw on PATH " +
		"(go install github.com/versity/versitygw/cmd/versitygw@v1.8.0)"
	if os.Getenv("LIFEBOAT_REQUIRE_INTEGRATION") == "1" {
		t.Fatal(msg + " with LIFEBOAT_REQUIRE_INTEGRATION=1")
	}
	t.Skip(msg)
	return ""
}

// Start runs versitygw until the test ends. Its credentials are also set
// in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) for the
// rest of the test, as a user would set them.
func Start(t *testing.T) *Server {
	t.Helper()
	dir := t.TempDir()
	s := &Server{bin: Binary(t), Dir: filepath.Join(dir, "data"), logPath: filepath.Join(dir, "gw.log")}
	must(t, os.Mkdir(s.Dir, 0o700))
	s.Addr = fmt.Sprintf("127.0.0.1:%d", loopback.FreePort(t))
	t.Setenv("AWS_ACCESS_KEY_ID", AccessKey)
	t.Setenv("AWS_SECRET_ACCESS_KEY", SecretKey)
	t.Setenv("AWS_REGION", "us-east-1")
	s.start(t)
	t.Cleanup(func() {
		s.Stop()
		if t.Failed() {
			b, _ := os.ReadFile(s.logPath)
			t.Logf("versitygw log:\n%s", b)
		}
	})
	return s
}

func (s *Server) start(t testing.TB) {
	t.Helper()
	logf, err := os.OpenFile(s.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	must(t, err)
	defer logf.Close()
	s.cmd = exec.Command(s.bin, "--access", AccessKey, "--secret", SecretKey, "--port", s.Addr, "posix", s.Dir)
	s.cmd.Stdout, s.cmd.Stderr = logf, logf
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	must(t, s.cmd.Start())
	loopback.Wait(t, "versitygw", s.Addr)
}

// Stop ends the server; its data stays for Restart.
func (s *Server) Stop() {
	if s.cmd != nil && s.cmd.Process != nil {
		syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
		s.cmd.Wait()
		s.cmd = nil
	}
}

// Restart starts a stopped server again on the same address and data.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	s.Stop()
	s.start(t)
}

// Location returns s3+http://ADDR/bucket/prefix.
func (s *Server) Location(bucket, prefix string) string {
	loc := "s3+http://" + s.Addr + "/" + bucket
	if prefix != "" {
		loc += "/" + prefix
	}
	return loc
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
