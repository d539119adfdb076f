package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/internal/fakeadb"
	"github.com/lifeboat-backup/lifeboat/internal/fakeadb/phonedata"
	"github.com/lifeboat-backup/lifeboat/internal/loopback"
)

// The errors of issue 14 point 7, each through the CLI against the real
// adb and the fake phone: its message, hint and exit code, and that
// nothing half-read is committed.

// androidRepo sets HOME and the XDG folders to a new folder and makes a
// repository there.
func androidRepo(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	homeEnv(t, filepath.Join(dir, "home"))
	repoDir := filepath.Join(dir, "repo")
	if code, e := lb(t, "init", "--repo", repoDir); code != 0 {
		t.Fatalf("init: %d %s", code, e)
	}
	return repoDir
}

// usePhone points lifeboat at the phone's adb server; HOME stays
// homeEnv's.
func usePhone(t *testing.T, p *fakeadb.Phone) {
	t.Helper()
	for _, kv := range p.Env() {
		if k, v, _ := strings.Cut(kv, "="); k == "ANDROID_ADB_SERVER_PORT" {
			t.Setenv(k, v)
		}
	}
}

// requireADB skips (or fails under LIFEBOAT_REQUIRE_INTEGRATION=1) when
// the adb command is missing, as fakeadb.Start does.
func requireADB(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("adb"); err != nil {
		if os.Getenv("LIFEBOAT_REQUIRE_INTEGRATION") == "1" {
			t.Fatal("adb (Debian package adb) unavailable with LIFEBOAT_REQUIRE_INTEGRATION=1")
		}
		t.Skip("adb (Debian package adb) unavailable; skipping")
	}
}

// errHint returns the lifeboat: error: and lifeboat: hint: lines of
// stderr, without their prefixes.
func errHint(stderr string) (msg, hint string) {
	for _, l := range strings.Split(stderr, "\n") {
		if m, ok := strings.CutPrefix(l, "lifeboat: error: "); ok && msg == "" {
			msg = m
		}
		if h, ok := strings.CutPrefix(l, "lifeboat: hint: "); ok && hint == "" {
			hint = h
		}
	}
	return msg, hint
}

// wantFail runs lifeboat and checks its exit code and that its error and
// hint lines hold each of the words given for them.
func wantFail(t *testing.T, code int, msgHas, hintHas []string, args ...string) string {
	t.Helper()
	got, _, stderr := lbOut(t, args...)
	if got != code {
		t.Errorf("lifeboat %s: exit %d, want %d\n%s", strings.Join(args, " "), got, code, stderr)
	}
	msg, hint := errHint(stderr)
	for _, w := range msgHas {
		if !strings.Contains(msg, w) {
			t.Errorf("error line %q lacks %q\n%s", msg, w, stderr)
		}
	}
	for _, w := range hintHas {
		if !strings.Contains(hint, w) {
			t.Errorf("hint line %q lacks %q\n%s", hint, w, stderr)
		}
	}
	return stderr
}

// phoneSnapshots returns the ids of the snapshots of android:// sources,
// oldest first, and the sources they are of.
func phoneSnapshots(t *testing.T, repoDir string) (ids, sources []string) {
	t.Helper()
	code, out, e := lbOut(t, "snapshots", "--repo", repoDir, "--json")
	if code != 0 {
		t.Fatalf("snapshots: %d %s", code, e)
	}
	for _, line := range strings.Split(out, "\n") {
		var m struct{ ID, Source string }
		if json.Unmarshal([]byte(line), &m) == nil && strings.HasPrefix(m.Source, "android://") {
			ids = append(ids, m.ID)
			sources = append(sources, m.Source)
		}
	}
	return ids, sources
}

// wantNoSnapshot checks that the repository holds no phone snapshot.
func wantNoSnapshot(t *testing.T, repoDir string) {
	t.Helper()
	if ids, _ := phoneSnapshots(t, repoDir); len(ids) != 0 {
		t.Errorf("%d phone snapshot(s) committed, want none", len(ids))
	}
}

// lsFiles returns the files of a snapshot with their sizes.
func lsFiles(t *testing.T, repoDir, snap string) map[string]int64 {
	t.Helper()
	code, out, e := lbOut(t, "ls", "--repo", repoDir, "--json", snap)
	if code != 0 {
		t.Fatalf("ls %s: %d %s", snap, code, e)
	}
	files := map[string]int64{}
	for _, line := range strings.Split(out, "\n") {
		var m struct {
			Path, Type string
			Size       int64
		}
		if json.Unmarshal([]byte(line), &m) == nil && m.Type == "file" {
			files[m.Path] = m.Size
		}
	}
	return files
}

func TestAndroidNoADB(t *testing.T) {
	repoDir := androidRepo(t)
	t.Setenv("PATH", t.TempDir())
	wantFail(t, exitUsage, []string{"adb", "not installed"}, []string{"apt install adb"}, "backup", "--repo", repoDir, "android://")
	wantNoSnapshot(t, repoDir)
}

func TestAndroidNoDevice(t *testing.T) {
	requireADB(t)
	repoDir := androidRepo(t)
	// lifeboat starts the adb server itself when none listens, as adb does.
	port := strconv.Itoa(loopback.FreePort(t))
	t.Setenv("ANDROID_ADB_SERVER_PORT", port)
	t.Cleanup(func() { exec.Command("adb", "-P", port, "kill-server").Run() })
	wantFail(t, exitFatal, []string{"no phone connected", "nothing backed up"}, []string{"USB debugging"}, "backup", "--repo", repoDir, "android://")
	wantNoSnapshot(t, repoDir)

	// With --json, the last line says so to a script.
	code, out, _ := lbOut(t, "backup", "--json", "--repo", repoDir, "android://")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var end struct {
		Error, Hint string
		ExitCode    int `json:"exit_code"`
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &end); err != nil || code != exitFatal || end.ExitCode != exitFatal ||
		!strings.Contains(end.Error, "no phone connected") || !strings.Contains(end.Hint, "USB debugging") {
		t.Errorf("--json: exit %d, last line %q (%v)", code, lines[len(lines)-1], err)
	}

	// Beside a folder: the folder is committed, the phone not (exit 3).
	folder := t.TempDir()
	os.WriteFile(filepath.Join(folder, "notes.txt"), []byte("kept\n"), 0o644)
	if code, e := lb(t, "backup", "--repo", repoDir, "android://", folder); code != exitPartial || !strings.Contains(e, "no phone connected") {
		t.Errorf("beside a folder: exit %d, want %d\n%s", code, exitPartial, e)
	}
	wantNoSnapshot(t, repoDir)
	if _, out, _ := lbOut(t, "snapshots", "--repo", repoDir, "--json"); !strings.Contains(out, `"source":"`+folder) {
		t.Errorf("the folder beside the phone was not committed:\n%s", out)
	}
}

func TestAndroidUnauthorized(t *testing.T) {
	p := fakeadb.Start(t, fakeadb.Options{Unauthorized: true, Content: phonedata.Provider()})
	repoDir := androidRepo(t)
	usePhone(t, p)
	wantFail(t, exitFatal, []string{p.Serial, "not authorized", "nothing backed up"}, []string{"Allow USB debugging"}, "backup", "--repo", repoDir, "android://")
	wantNoSnapshot(t, repoDir)
}

func TestAndroidOffline(t *testing.T) {
	p := fakeadb.Start(t, fakeadb.Options{Offline: true})
	repoDir := androidRepo(t)
	usePhone(t, p)
	wantFail(t, exitFatal, []string{p.Serial, "offline", "nothing backed up"}, []string{"plug it in again"}, "backup", "--repo", repoDir, "android://"+p.Serial)
	wantNoSnapshot(t, repoDir)
}

// TestAndroidLocked: a phone restarted and not unlocked since, whose
// providers and storage cannot be read, commits nothing; so does one
// without stat_v2 (before Android 8), whose STAT answers a locked folder
// as a missing one.
func TestAndroidLocked(t *testing.T) {
	root := t.TempDir()
	if _, err := phonedata.Photos(root, 4, 1000); err != nil {
		t.Fatal(err)
	}
	for _, features := range [][]string{nil, {"shell_v2", "cmd"}} {
		p := fakeadb.Start(t, fakeadb.Options{Root: root, Locked: true, Content: phonedata.Provider(), Features: features})
		repoDir := androidRepo(t)
		usePhone(t, p)
		wantFail(t, exitFatal, []string{"locked", "nothing backed up"}, []string{"unlock the phone"}, "backup", "--repo", repoDir, "android://")
		wantNoSnapshot(t, repoDir)
	}
}

// TestAndroidTwoPhones: two phones and android:// is a usage error that
// names both; android://SERIAL then backs up that one.
func TestAndroidTwoPhones(t *testing.T) {
	a := fakeadb.Start(t, fakeadb.Options{Content: phonedata.Provider()})
	b := fakeadb.Listen(t, fakeadb.Options{Content: phonedata.Provider()})
	if out, err := a.ADB("connect", b.Addr); err != nil {
		t.Fatalf("adb connect: %v %s", err, out)
	}
	repoDir := androidRepo(t)
	usePhone(t, a)
	wantFail(t, exitUsage, []string{"2 phones", a.Serial, b.Serial}, []string{"android://SERIAL"}, "backup", "--repo", repoDir, "android://")
	wantNoSnapshot(t, repoDir)
	if code, e := lb(t, "backup", "--repo", repoDir, "android://"+b.Serial); code != 0 {
		t.Fatalf("backup android://%s: %d %s", b.Serial, code, e)
	}
	if _, srcs := phoneSnapshots(t, repoDir); len(srcs) != 1 || srcs[0] != "android://"+b.Serial {
		t.Errorf("snapshots of %v, want one of android://%s", srcs, b.Serial)
	}
	wantFail(t, exitUsage, []string{"2 phones", a.Serial, b.Serial}, []string{"android://SERIAL"}, "restore", "--repo", repoDir, "latest", "--to", "android://")
	if len(a.Inserts())+len(b.Inserts()) != 0 {
		t.Error("a restore onto two phones inserted rows")
	}
	// A serial adb does not list is named, with those it lists.
	wantFail(t, exitFatal, []string{"no phone connected with serial R58N12345", a.Serial, b.Serial}, []string{"USB debugging"},
		"backup", "--repo", repoDir, "android://R58N12345")
}

// TestAndroidBadArguments: a serial with '/', a media folder outside
// /sdcard or on the rendered names are usage errors.
func TestAndroidBadArguments(t *testing.T) {
	repoDir := androidRepo(t)
	wantFail(t, exitUsage, []string{"android://bad/serial", "not a phone address"}, nil, "backup", "--repo", repoDir, "android://bad/serial")
	wantFail(t, exitUsage, []string{"../x", "not a media folder"}, nil, "backup", "--repo", repoDir, "--android-media", "../x", "android://")
	wantFail(t, exitUsage, []string{"contacts", "not a media folder"}, nil, "backup", "--repo", repoDir, "--android-media", "contacts", "android://")
	wantNoSnapshot(t, repoDir)
}

// writeDCIM writes n files of size random bytes under DCIM on the phone's
// root and returns their sizes by snapshot path.
func writeDCIM(t *testing.T, root string, n, size int) map[string]int64 {
	t.Helper()
	files := map[string]int64{}
	b := make([]byte, size)
	for i := range n {
		rel := fmt.Sprintf("DCIM/%s/IMG_%04d.jpg", []string{"Camera", "2024"}[i%2], i)
		rand.NewChaCha8([32]byte{byte(i), byte(i >> 8)}).Read(b)
		p := filepath.Join(root, filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, b[:size-i], 0o644); err != nil {
			t.Fatal(err)
		}
		files[rel] = int64(size - i)
	}
	return files
}

// mediaFiles is a snapshot's files under DCIM.
func mediaFiles(t *testing.T, repoDir, snap string) map[string]int64 {
	t.Helper()
	got := map[string]int64{}
	for p, n := range lsFiles(t, repoDir, snap) {
		if strings.HasPrefix(p, "DCIM/") {
			got[p] = n
		}
	}
	return got
}

// TestAndroidUnplugged: the phone unplugged on the 20th of 50 files
// commits nothing; plugged back in (a phone at the same address, so the
// same serial), the next run completes with every file.
func TestAndroidUnplugged(t *testing.T) {
	root := t.TempDir()
	want := writeDCIM(t, root, 50, 64<<10)
	var p *fakeadb.Phone
	var recvs atomic.Int64
	p = fakeadb.Start(t, fakeadb.Options{Root: root, Content: phonedata.Provider(), BeforeRecv: func(string) {
		if recvs.Add(1) == 20 {
			p.Unplug()
		}
	}})
	repoDir := androidRepo(t)
	usePhone(t, p)
	wantFail(t, exitFatal, []string{"android://" + p.Serial, "disconnected", "nothing backed up"}, []string{"plug the phone back in"},
		"backup", "--repo", repoDir, "android://")
	if recvs.Load() < 20 {
		t.Fatalf("the phone served %d files, so it was never unplugged", recvs.Load())
	}
	wantNoSnapshot(t, repoDir)

	q := fakeadb.Start(t, fakeadb.Options{Root: root, Addr: p.Addr, Content: phonedata.Provider()})
	usePhone(t, q)
	if code, e := lb(t, "backup", "--repo", repoDir, "android://"); code != 0 {
		t.Fatalf("backup after plugging back in: %d %s", code, e)
	}
	ids, srcs := phoneSnapshots(t, repoDir)
	if len(ids) != 1 || srcs[0] != "android://"+p.Serial {
		t.Fatalf("snapshots %v of %v, want one of android://%s", ids, srcs, p.Serial)
	}
	if got := mediaFiles(t, repoDir, ids[0]); !maps.Equal(got, want) {
		t.Errorf("the snapshot after plugging back in has %d media files, want all %d", len(got), len(want))
	}
}

// dropColumn removes a column from a table, as an older Android without
// it has the table.
func dropColumn(t *testing.T, tab *fakeadb.Table, col string) {
	t.Helper()
	i := slices.Index(tab.Columns, col)
	if i < 0 {
		t.Fatalf("no column %s in %v", col, tab.Columns)
	}
	tab.Columns = slices.Delete(tab.Columns, i, i+1)
	for k, row := range tab.Rows {
		if i < len(row) {
			tab.Rows[k] = slices.Delete(row, i, i+1)
		}
	}
}

// contactCards counts a snapshot's rendered vCards.
func contactCards(t *testing.T, repoDir, snap string) int {
	t.Helper()
	n := 0
	for p := range lsFiles(t, repoDir, snap) {
		if strings.HasPrefix(p, "contacts/") && strings.HasSuffix(p, ".vcf") {
			n++
		}
	}
	return n
}

// TestAndroidRefusedColumn: a phone without the optional column starred
// (an older Android) is read with the other columns; -v names the one
// left out.
func TestAndroidRefusedColumn(t *testing.T) {
	prov := phonedata.Provider()
	dropColumn(t, prov[phonedata.RawContactsURI], "starred")
	p := fakeadb.Start(t, fakeadb.Options{Content: prov})
	repoDir := androidRepo(t)
	usePhone(t, p)
	code, out, e := lbOut(t, "backup", "-v", "--repo", repoDir, "android://")
	if code != 0 {
		t.Fatalf("backup: exit %d, want 0\n%s", code, e)
	}
	if !strings.Contains(out+e, "columns this Android does not have: raw_contacts.starred") {
		t.Errorf("-v does not name the refused column:\n%s%s", out, e)
	}
	ids, _ := phoneSnapshots(t, repoDir)
	if len(ids) != 1 {
		t.Fatalf("%d snapshots, want 1", len(ids))
	}
	if n, want := contactCards(t, repoDir, ids[0]), len(phonedata.Expected().Contacts); n != want {
		t.Errorf("%d contacts backed up, want %d", n, want)
	}
}

// TestAndroidNoCalendarProvider: a phone with no Calendar provider is
// backed up without calendars, and the note says why.
func TestAndroidNoCalendarProvider(t *testing.T) {
	prov := phonedata.Provider()
	for uri := range prov {
		if strings.HasPrefix(uri, "content://com.android.calendar/") {
			delete(prov, uri)
		}
	}
	p := fakeadb.Start(t, fakeadb.Options{Content: prov})
	repoDir := androidRepo(t)
	usePhone(t, p)
	code, _, e := lbOut(t, "backup", "--repo", repoDir, "android://")
	if code != 0 {
		t.Fatalf("backup: exit %d, want 0\n%s", code, e)
	}
	if !strings.Contains(e, "lifeboat: note: ") || !strings.Contains(e, "the phone has no calendar provider") {
		t.Errorf("the note does not say the phone has no calendar provider:\n%s", e)
	}
	ids, _ := phoneSnapshots(t, repoDir)
	if len(ids) != 1 {
		t.Fatalf("%d snapshots, want 1", len(ids))
	}
	if n, want := contactCards(t, repoDir, ids[0]), len(phonedata.Expected().Contacts); n != want {
		t.Errorf("%d contacts backed up, want %d", n, want)
	}
	for p := range lsFiles(t, repoDir, ids[0]) {
		if strings.HasPrefix(p, "calendars/") {
			t.Errorf("%s backed up from a phone with no calendar provider", p)
		}
	}
}

// TestAndroidFileVanishes: a file deleted between the listing and its
// pull is named, exit 3, and everything else is in the snapshot.
func TestAndroidFileVanishes(t *testing.T) {
	root := t.TempDir()
	want := writeDCIM(t, root, 10, 16<<10)
	const gone = "DCIM/2024/IMG_0003.jpg"
	delete(want, gone)
	p := fakeadb.Start(t, fakeadb.Options{Root: root, Content: phonedata.Provider(), BeforeRecv: func(path string) {
		if path == "/sdcard/"+gone {
			os.Remove(filepath.Join(root, filepath.FromSlash(gone)))
		}
	}})
	repoDir := androidRepo(t)
	usePhone(t, p)
	code, _, e := lbOut(t, "backup", "--repo", repoDir, "android://")
	if code != exitPartial {
		t.Errorf("backup: exit %d, want %d\n%s", code, exitPartial, e)
	}
	if !strings.Contains(e, "lifeboat: warning: "+gone+": open: deleted on the phone after the backup listed it") {
		t.Errorf("stderr does not say %s was deleted:\n%s", gone, e)
	}
	ids, _ := phoneSnapshots(t, repoDir)
	if len(ids) != 1 {
		t.Fatalf("%d snapshots, want 1", len(ids))
	}
	if got := mediaFiles(t, repoDir, ids[0]); !maps.Equal(got, want) {
		t.Errorf("the snapshot has media files %v, want the %d others", got, len(want))
	}
}

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

// TestAndroidUnpluggedMidFile: the cable pulled while a file is being
// pulled (not between two) commits nothing either.
func TestAndroidUnpluggedMidFile(t *testing.T) {
	root := t.TempDir()
	writeDCIM(t, root, 6, 2<<20)
	p := fakeadb.Start(t, fakeadb.Options{Root: root, Content: phonedata.Provider()})
	repoDir := androidRepo(t)
	usePhone(t, p)
	done := make(chan struct{})
	defer close(done)
	go func() {
		for p.Recvs() < 5<<20 {
			select {
			case <-done:
				return
			case <-time.After(time.Millisecond):
			}
		}
		p.Unplug()
	}()
	wantFail(t, exitFatal, []string{"android://" + p.Serial, "disconnected", "nothing backed up"}, []string{"plug the phone back in"},
		"backup", "--repo", repoDir, "android://")
	wantNoSnapshot(t, repoDir)
	t.Logf("unplugged after %d bytes", p.Recvs())
}

// TestAndroidUnpluggedReadingContacts: the cable pulled while the
// providers are read commits nothing, with the same hint.
func TestAndroidUnpluggedReadingContacts(t *testing.T) {
	unplug := func(p *fakeadb.Phone, e *fakeadb.Exec) int { p.Unplug(); return 0 }
	p := fakeadb.Start(t, fakeadb.Options{Content: phonedata.Provider(), Commands: map[string]fakeadb.Command{"content": unplug}})
	repoDir := androidRepo(t)
	usePhone(t, p)
	wantFail(t, exitFatal, []string{"android://" + p.Serial, "disconnected", "nothing backed up"}, []string{"plug the phone back in"},
		"backup", "--repo", repoDir, "android://")
	wantNoSnapshot(t, repoDir)
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
	qroot, qprov := t.TempDir(), phonedata.Provider()
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

	// Plugged back in (the same phone: its address, storage and rows).
	q2 := fakeadb.Start(t, fakeadb.Options{Root: qroot, Addr: q.Addr, Content: qprov})
	usePhone(t, q2)
	if code, e := lb(t, "restore", "--repo", repoDir, "latest", "--to", "android://"); code != 0 {
		t.Fatalf("restore again: %d %s", code, e)
	}
	if in := q2.Inserts(); len(in) != 0 {
		t.Errorf("the second restore inserted %d rows, want none (all were put by the first)", len(in))
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
		for dirBytes(qroot) < 3<<20 {
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

// dirBytes is the size of the files under dir.
func dirBytes(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err == nil && e.Type().IsRegular() {
			if fi, err := e.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}
