package fakeadb

import (
	"testing"
	"time"
)

func TestStartSkipsWithoutADB(t *testing.T) {
	t.Setenv("LIFEBOAT_REQUIRE_INTEGRATION", "")
	t.Setenv("PATH", t.TempDir())
	var sub *testing.T
	t.Run("start", func(t *testing.T) {
		sub = t
		Start(t, Options{})
		t.Error("Start returned with no adb on PATH")
	})
	if !sub.Skipped() {
		t.Error("Start did not skip with no adb on PATH")
	}
}

func TestUnplug(t *testing.T) {
	p := Start(t, Options{})
	p.Unplug()
	start := time.Now()
	for p.State() == "device" {
		if time.Since(start) > 10*time.Second {
			t.Fatal("the phone is still listed as a device 10 s after Unplug")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, e, code := run(t, p, "shell", "exit 0"); code == 0 {
		t.Errorf("shell on an unplugged phone: code 0, stderr %q", e)
	}
	t.Logf("state %q after %v", p.State(), time.Since(start))
}
