package cli

import (
	"encoding/json"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

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
// as a missing one, even when its properties do not say it is locked.
func TestAndroidLocked(t *testing.T) {
	root := t.TempDir()
	if _, err := phonedata.Photos(root, 4, 1000); err != nil {
		t.Fatal(err)
	}
	// The last phone's properties do not tell its encryption: only its
	// storage, refused, says it is locked.
	old := []string{"shell_v2", "cmd"}
	for _, c := range []struct {
		features []string
		props    map[string]string
	}{{nil, nil}, {old, nil}, {old, map[string]string{"ro.crypto.type": ""}}} {
		p := fakeadb.Start(t, fakeadb.Options{Root: root, Locked: true, Content: phonedata.Provider(), Features: c.features, Props: c.props})
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
