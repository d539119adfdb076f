package cli

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/internal/fakeadb"
	"github.com/lifeboat-backup/lifeboat/internal/fakeadb/phonedata"
)

// TestAndroidRestoreUsage: restore onto a phone with an account it lacks
// lists the accounts it has; --overwrite does not apply; neither puts
// anything onto the phone.
func TestAndroidRestoreUsage(t *testing.T) {
	p := fakeadb.Start(t, fakeadb.Options{Content: phonedata.Provider()})
	repoDir := androidRepo(t)
	usePhone(t, p)
	if code, e := lb(t, "backup", "--repo", repoDir, "android://"); code != 0 {
		t.Fatalf("backup: %d %s", code, e)
	}
	wantFail(t, exitUsage, []string{"nobody@example.com", "ana.lifeboat@gmail.com"}, []string{"--account"},
		"restore", "--repo", repoDir, "latest", "--to", "android://", "--account", "nobody@example.com")
	wantFail(t, exitUsage, []string{"--overwrite"}, nil, "restore", "--repo", repoDir, "latest", "--to", "android://", "--overwrite")
	if in := p.Inserts(); len(in) != 0 {
		t.Errorf("%d rows inserted by restores that were refused", len(in))
	}
}

// TestAndroidRestoreLocked: a restore onto a phone not unlocked since it
// started says to unlock it and puts nothing there.
func TestAndroidRestoreLocked(t *testing.T) {
	root := t.TempDir()
	writeDCIM(t, root, 3, 4096)
	p := fakeadb.Start(t, fakeadb.Options{Root: root, Content: phonedata.Provider()})
	repoDir := androidRepo(t)
	usePhone(t, p)
	if code, e := lb(t, "backup", "--repo", repoDir, "android://"); code != 0 {
		t.Fatalf("backup: %d %s", code, e)
	}
	qroot := t.TempDir()
	q := fakeadb.Start(t, fakeadb.Options{Root: qroot, Locked: true, Content: phonedata.Provider()})
	usePhone(t, q)
	wantFail(t, exitFatal, []string{"android://" + q.Serial, "locked"}, []string{"unlock the phone"},
		"restore", "--repo", repoDir, "latest", "--to", "android://")
	if in := q.Inserts(); len(in) != 0 {
		t.Errorf("%d rows inserted into a locked phone", len(in))
	}
	if f, _ := os.ReadDir(qroot); len(f) != 0 {
		t.Errorf("%d files pushed onto a locked phone", len(f))
	}
}

// TestAndroidRestoreUnplugged: the cable pulled during a restore onto a
// phone says to plug it back in and run the restore again, which adds
// only what is missing.
func TestAndroidRestoreUnplugged(t *testing.T) {
	root := t.TempDir()
	writeDCIM(t, root, 4, 4096)
	p := fakeadb.Start(t, fakeadb.Options{Root: root, Content: phonedata.Provider()})
	repoDir := androidRepo(t)
	usePhone(t, p)
	if code, e := lb(t, "backup", "--repo", repoDir, "android://"); code != 0 {
		t.Fatalf("backup: %d %s", code, e)
	}
	// Contacts and events go first; the media scanner is told after the
	// first file is pushed.
	qroot, qprov := t.TempDir(), resetProvider()
	unplug := func(p *fakeadb.Phone, e *fakeadb.Exec) int { p.Unplug(); return 0 }
	q := fakeadb.Start(t, fakeadb.Options{Root: qroot, Content: qprov, Commands: map[string]fakeadb.Command{"am": unplug}})
	usePhone(t, q)
	stderr := wantFail(t, exitFatal, []string{"android://" + q.Serial, "disconnected"}, []string{"plug the phone back in", "restore again"},
		"restore", "--repo", repoDir, "latest", "--to", "android://")
	if strings.Contains(stderr, "nothing was committed") {
		t.Errorf("a restore's hint speaks of a backup:\n%s", stderr)
	}
	if len(q.Inserts()) == 0 {
		t.Fatal("nothing was inserted before the unplug")
	}

	n := len(q.Inserts())

	// Plugged back in (the same phone: its address, storage and rows).
	q2 := fakeadb.Start(t, fakeadb.Options{Root: qroot, Addr: q.Addr, Content: qprov})
	usePhone(t, q2)
	if code, e := lb(t, "restore", "--repo", repoDir, "latest", "--to", "android://"); code != 0 {
		t.Fatalf("restore again: %d %s", code, e)
	}
	if in := q2.Inserts(); len(in) != 0 {
		t.Errorf("the second restore inserted %d rows, want none (the first put all %d)", len(in), n)
	}
	var pushed []string
	filepath.WalkDir(filepath.Join(qroot, "DCIM"), func(p string, e fs.DirEntry, err error) error {
		if err == nil && e.Type().IsRegular() {
			pushed = append(pushed, p)
		}
		return nil
	})
	if len(pushed) != 4 {
		t.Errorf("the phone has %d of the 4 photos after the second restore", len(pushed))
	}
}

// TestAndroidRestoreUnpluggedMidFile: the cable pulled while a photo is
// being pushed leaves no half photo (adbd removes it), so the restore
// run again puts every photo there whole.
func TestAndroidRestoreUnpluggedMidFile(t *testing.T) {
	root := t.TempDir()
	writeDCIM(t, root, 4, 2<<20)
	p := fakeadb.Start(t, fakeadb.Options{Root: root})
	repoDir := androidRepo(t)
	usePhone(t, p)
	if code, e := lb(t, "backup", "--repo", repoDir, "android://"); code != 0 {
		t.Fatalf("backup: %d %s", code, e)
	}
	qroot := t.TempDir()
	q := fakeadb.Start(t, fakeadb.Options{Root: qroot})
	usePhone(t, q)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for dirSize(t, qroot) < 3<<20 {
			time.Sleep(time.Millisecond)
		}
		q.Unplug()
	}()
	wantFail(t, exitFatal, []string{"disconnected"}, []string{"restore again"}, "restore", "--repo", repoDir, "latest", "--to", "android://")
	<-done

	q2 := fakeadb.Start(t, fakeadb.Options{Root: qroot, Addr: q.Addr})
	usePhone(t, q2)
	if code, e := lb(t, "restore", "--repo", repoDir, "latest", "--to", "android://"); code != 0 {
		t.Fatalf("restore again: %d %s", code, e)
	}
	for rel := range writeDCIM(t, t.TempDir(), 4, 2<<20) {
		want, _ := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
		got, err := os.ReadFile(filepath.Join(qroot, filepath.FromSlash(rel)))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s on the phone: %d bytes (%v), want the %d of the snapshot", rel, len(got), err, len(want))
		}
	}
}

// resetProvider is a reset phone's providers: the fixture's tables with
// no rows.
func resetProvider() fakeadb.Provider {
	empty := fakeadb.Provider{}
	for uri, tab := range phonedata.Provider() {
		empty[uri] = &fakeadb.Table{Columns: tab.Columns}
	}
	return empty
}
