package calendar

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.ics from the fixture rows")

// TestGolden pins the bytes of the fixture's files: a change of output
// means every event of every phone is stored anew, so it must be on
// purpose (go test -run Golden -update, and say so in the commit).
func TestGolden(t *testing.T) {
	files, err := Render(fixture())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		path := filepath.Join("testdata", "calendar-"+f.CalendarID+".ics")
		if *update {
			if err := os.MkdirAll("testdata", 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(f.Data, want) {
			t.Errorf("%s differs from %s (go test -run Golden -update if on purpose)", f.Name, path)
		}
	}
}
