package main

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/internal/loopback"
)

// TestFakephone serves the fixture and reads it with the real adb, as the
// benchmark does: adb connect, then a content query.
func TestFakephone(t *testing.T) {
	if _, err := exec.LookPath("adb"); err != nil {
		if os.Getenv("LIFEBOAT_REQUIRE_INTEGRATION") == "1" {
			t.Fatal("adb unavailable with LIFEBOAT_REQUIRE_INTEGRATION=1")
		}
		t.Skip("adb unavailable; skipping")
	}
	r, w := io.Pipe()
	stop := make(chan os.Signal, 1)
	done := make(chan error, 1)
	go func() { done <- run([]string{"-root", t.TempDir(), "-data"}, w, stop) }()
	addr, err := bufio.NewReader(r).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	addr = strings.TrimSpace(addr)
	if !strings.HasPrefix(addr, "127.0.0.1:") {
		t.Fatalf("printed %q, want 127.0.0.1:PORT", addr)
	}
	port, home := strconv.Itoa(loopback.FreePort(t)), t.TempDir()
	adb := func(args ...string) string {
		cmd := exec.Command("adb", append([]string{"-P", port}, args...)...)
		cmd.Env = append(os.Environ(), "HOME="+home)
		out, _ := cmd.CombinedOutput()
		return string(out)
	}
	t.Cleanup(func() { adb("kill-server") })
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(adb("devices"), addr+"\tdevice"); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("adb does not list %s:\n%s", addr, adb("devices"))
		}
		adb("connect", addr)
	}
	out := adb("-s", addr, "shell", "content query --uri content://com.android.calendar/calendars --projection _id")
	if out != "Row: 0 _id=1\nRow: 1 _id=2\nRow: 2 _id=3\n" {
		t.Errorf("calendars through fakephone:\n%s", out)
	}
	stop <- os.Interrupt
	if err := <-done; err != nil {
		t.Errorf("run: %v", err)
	}
}
