package fakeadb

import "testing"

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
