package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/internal/iosgen"
)

// TestIPhoneBackup is issue 15's acceptance scenario for iPhone backups,
// plain and encrypted, through the binary: counts equal the generator's,
// the repository is at most 5% over the backup folder, export is read by
// Python's vobject and icalendar with the generator's contacts and
// events, restore gives the folder back byte for byte, an unchanged
// re-run adds under 64 KiB, and one edited contact (its address book and
// Manifest.db rewritten, as iOS does) adds at most 16 KiB beside the
// changed databases and is named by diff.
func TestIPhoneBackup(t *testing.T) {
	files, want, err := iosgen.Standard(300, 200)
	if err != nil {
		t.Fatal(err)
	}
	for _, enc := range []bool{false, true} {
		name := map[bool]string{false: "plain", true: "encrypted"}[enc]
		t.Run(name, func(t *testing.T) { iphoneScenario(t, files, want, enc) })
	}
}

func iphoneScenario(t *testing.T, files []iosgen.File, want iosgen.Want, enc bool) {
	dir := t.TempDir()
	homeEnv(t, filepath.Join(dir, "home"))
	repoDir := filepath.Join(dir, "repo")
	if code, e := lb(t, "init", "--repo", repoDir); code != 0 {
		t.Fatalf("init: %d %s", code, e)
	}
	o := iosgen.Options{Files: files}
	var pwArgs []string
	if enc {
		o.Password = []byte("correct horse battery")
		pf := filepath.Join(dir, "ios-password")
		if err := os.WriteFile(pf, append(bytes.Clone(o.Password), '\n'), 0o600); err != nil {
			t.Fatal(err)
		}
		pwArgs = []string{"--ios-password-file", pf}
	}
	gen, err := iosgen.Write(filepath.Join(dir, "MobileSync", "Backup"), o)
	if err != nil {
		t.Fatal(err)
	}
	src := gen.Dir
	backup := func(code int) map[string]any {
		t.Helper()
		return backupJSON(t, code, append([]string{"--repo", repoDir, src}, pwArgs...)...)[src]
	}

	// Counts: people, events (a series with its exceptions is one), to-dos
	// and photos, as the generator made them.
	emptyRepo := dirSize(t, repoDir)
	first := backup(0)
	events, todos := 0, 0
	for _, c := range want.Calendar.Calendars {
		events += len(c.Events)
	}
	for _, l := range want.Calendar.Lists {
		todos += len(l.Items)
	}
	for k, n := range map[string]int{"contacts": len(want.Contacts), "events": events, "todos": todos, "media": len(want.Media)} {
		if got := first[k]; got != float64(n) {
			t.Errorf("first backup: %v %s, want %d", got, k, n)
		}
	}
	// Stored once: the camera roll is in the backup's files and is the
	// snapshot's photos, and costs its bytes once.
	backupSize, repoGrew := dirSize(t, gen.Dir), dirSize(t, repoDir)-emptyRepo
	t.Logf("backup folder %d bytes, repository grew %d (%.2f%%)", backupSize, repoGrew, 100*float64(repoGrew)/float64(backupSize))
	if float64(repoGrew) > 1.05*float64(backupSize) {
		t.Errorf("the repository grew %d bytes for a backup folder of %d: more than 5%% over", repoGrew, backupSize)
	}

	// The phone-reset kit, read by independent parsers.
	kit := filepath.Join(dir, "kit")
	if code, e := lb(t, "export", "--repo", repoDir, "latest:"+src, "--to", kit); code != 0 {
		t.Fatalf("export: %d %s", code, e)
	}
	checkIPhoneContacts(t, kit, want.Contacts)
	checkIPhoneEvents(t, kit, want.Calendar)
	photos, _ := filepath.Glob(filepath.Join(kit, "photos", "DCIM", "*", "*"))
	if len(photos) != len(want.Media) {
		t.Errorf("the kit holds %d photos and videos, want %d", len(photos), len(want.Media))
	}

	// Restore gives the backup folder back byte for byte.
	out := filepath.Join(dir, "restored")
	if code, e := lb(t, "restore", "--repo", repoDir, "latest:"+src, "--to", out); code != 0 {
		t.Fatalf("restore: %d %s", code, e)
	}
	if d := compareTrees(gen.Dir, filepath.Join(out, "backup", filepath.Base(gen.Dir)), false); len(d) > 0 {
		t.Errorf("the restored backup folder differs:\n%s", strings.Join(d, "\n"))
	}

	// Unchanged: under 64 KiB.
	if added := backup(0)["added_bytes"].(float64); added >= 64<<10 {
		t.Errorf("an unchanged backup added %v bytes", added)
	}

	// One contact edited: iOS rewrites the address book and the manifest,
	// and leaves every other file as it was.
	edited := iosgen.EditContact(want.Contacts, 150)
	ab, err := iosgen.AddressBookFiles(edited)
	if err != nil {
		t.Fatal(err)
	}
	o2 := o
	o2.Files = slices.Clone(files)
	for i, f := range o2.Files {
		for _, g := range ab {
			if f.Domain == g.Domain && f.RelativePath == g.RelativePath {
				g.ModTime = iosgen.EditedAt
				o2.Files[i] = g
			}
		}
	}
	o2.Keys = gen.Keys
	next, err := iosgen.Write(filepath.Join(dir, "next"), o2)
	if err != nil {
		t.Fatal(err)
	}
	changed := syncChanged(t, next.Dir, gen.Dir)
	added := backup(0)["added_bytes"].(float64)
	t.Logf("one edited contact: %v bytes added, %d bytes of changed backup files", added, changed)
	if added > float64(changed)+16<<10 {
		t.Errorf("one edited contact added %v bytes: more than 16 KiB beside the %d bytes of changed backup files", added, changed)
	}
	c := edited[150]
	names := strings.Join(diffNames(t, repoDir, src), "\n")
	if !strings.Contains(names, c.First) || !strings.Contains(names, c.Last) {
		t.Errorf("diff after editing %s %s names:\n%s", c.First, c.Last, names)
	}
}

// syncChanged copies the files of from that differ from to's (or are
// missing there) over them, as an iOS backup run writes only what
// changed, and returns their bytes.
func syncChanged(t *testing.T, from, to string) int64 {
	t.Helper()
	var n int64
	err := filepath.Walk(from, func(p string, fi os.FileInfo, err error) error {
		if err != nil || !fi.Mode().IsRegular() {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		a, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		dst := filepath.Join(to, rel)
		if b, err := os.ReadFile(dst); err == nil && bytes.Equal(a, b) {
			return nil
		}
		n += int64(len(a))
		os.MkdirAll(filepath.Dir(dst), 0o755)
		return os.WriteFile(dst, a, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}
