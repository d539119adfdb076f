package android_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/internal/fakeadb"
	"github.com/lifeboat-backup/lifeboat/source/android"
)

// TestNamedMediaMissing: a media folder the configuration names and the
// phone lacks (a misspelt DCIM) is in the run's note, not only in -v's
// detail; a default folder the phone lacks is not.
func TestNamedMediaMissing(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "DCIM"), 0o755); err != nil {
		t.Fatal(err)
	}
	p := fakeadb.Start(t, fakeadb.Options{Root: root})
	use(t, p)
	for _, c := range []struct {
		media []string
		want  bool
	}{{[]string{"DCIM", "DCMI"}, true}, {nil, false}} {
		var notes []string
		s, err := android.New("android://", android.Options{Media: c.media, Note: func(m string) { notes = append(notes, m) }})
		if err != nil {
			t.Fatal(err)
		}
		_, release, err := s.Open(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		release()
		got := strings.Contains(strings.Join(notes, "\n"), "/sdcard/DCMI") || strings.Contains(strings.Join(notes, "\n"), "/sdcard/Pictures")
		if got != c.want {
			t.Errorf("media %q: notes %q; want a missing folder named: %v", c.media, notes, c.want)
		}
	}
}
