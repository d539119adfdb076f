package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"howett.net/plist"

	"github.com/lifeboat-backup/lifeboat/internal/iosgen"
)

// smokeBackup writes a small backup: the default files, 20 contacts and
// the default calendars.
func smokeBackup(t *testing.T, dir string, password []byte) *iosgen.Backup {
	t.Helper()
	files := iosgen.DefaultFiles()
	ab, err := iosgen.AddressBookFiles(iosgen.GeneratedContacts(20))
	if err != nil {
		t.Fatal(err)
	}
	cal, err := iosgen.CalendarFiles(iosgen.DefaultCalendarData())
	if err != nil {
		t.Fatal(err)
	}
	b, err := iosgen.Write(dir, iosgen.Options{Password: password, Files: append(append(files, ab...), cal...)})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestIPhoneSmoke: a small backup, plain and encrypted, restores as the
// same folder byte for byte.
func TestIPhoneSmoke(t *testing.T) {
	dir := t.TempDir()
	homeEnv(t, filepath.Join(dir, "home"))
	repoDir := filepath.Join(dir, "repo")
	if code, e := lb(t, "init", "--repo", repoDir); code != 0 {
		t.Fatalf("init: %d %s", code, e)
	}
	for _, enc := range []bool{false, true} {
		var pw []byte
		var extra []string
		if enc {
			pw = []byte("correct horse")
			pf := filepath.Join(dir, "pw")
			os.WriteFile(pf, append(pw, '\n'), 0o600)
			extra = []string{"--ios-password-file", pf}
		}
		b := smokeBackup(t, filepath.Join(dir, map[bool]string{false: "plain", true: "enc"}[enc]), pw)
		if code, e := lb(t, append([]string{"backup", "--repo", repoDir, b.Dir}, extra...)...); code != 0 {
			t.Fatalf("backup: %d %s", code, e)
		}
		res := filepath.Join(dir, "restored", map[bool]string{false: "plain", true: "enc"}[enc])
		if code, e := lb(t, "restore", "--repo", repoDir, "latest:"+b.Dir, "--to", res); code != 0 {
			t.Fatalf("restore: %d %s", code, e)
		}
		if diffs := compareTrees(b.Dir, filepath.Join(res, "backup", filepath.Base(b.Dir)), false); len(diffs) > 0 {
			t.Errorf("restored backup differs: %s", strings.Join(diffs, "\n"))
		}
	}
}

// TestIPhoneDevicesFolder: Finder's MobileSync/Backup folder, one folder
// per device, backs up as one snapshot per device, each named by its
// device folder.
func TestIPhoneDevicesFolder(t *testing.T) {
	dir := t.TempDir()
	homeEnv(t, filepath.Join(dir, "home"))
	repoDir := filepath.Join(dir, "repo")
	lb(t, "init", "--repo", repoDir)
	parent := filepath.Join(dir, "Backup")
	var devs []string
	for _, udid := range []string{"00008110-000000000000000A", "00008110-000000000000000B"} {
		b, err := iosgen.Write(parent, iosgen.Options{UDID: udid, Files: iosgen.DefaultFiles()})
		if err != nil {
			t.Fatal(err)
		}
		devs = append(devs, b.Dir)
	}
	os.WriteFile(filepath.Join(parent, ".DS_Store"), []byte("x"), 0o644)
	got := backupJSON(t, 0, "--repo", repoDir, parent)
	for _, d := range devs {
		if got[d] == nil || got[d]["media"] != float64(3) {
			t.Errorf("device folder %s: %v (all: %v)", d, got[d], got)
		}
	}
	if len(got) != 2 {
		t.Errorf("%d snapshots, want one per device: %v", len(got), got)
	}
}

// TestIPhoneUnfinishedBackup: a backup that Status.plist says was cut
// short is kept whole, with a warning (exit 3) that says to make a whole
// one.
func TestIPhoneUnfinishedBackup(t *testing.T) {
	dir := t.TempDir()
	homeEnv(t, filepath.Join(dir, "home"))
	repoDir := filepath.Join(dir, "repo")
	lb(t, "init", "--repo", repoDir)
	b := smokeBackup(t, filepath.Join(dir, "Backup"), nil)
	status, err := plist.Marshal(map[string]any{"BackupState": "new", "SnapshotState": "uploading", "Version": "3.3"}, plist.BinaryFormat)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(b.Dir, "Status.plist"), status, 0o644); err != nil {
		t.Fatal(err)
	}
	code, e := lb(t, "backup", "--repo", repoDir, b.Dir)
	if code != 3 || !strings.Contains(e, "was not finished") || !strings.Contains(e, `"uploading"`) {
		t.Errorf("unfinished backup: exit %d, %s", code, e)
	}
	got := backupJSON(t, 3, "--repo", repoDir, b.Dir)[b.Dir]
	if got["contacts"] != float64(20) {
		t.Errorf("unfinished backup: %v contacts, want its 20 all the same", got["contacts"])
	}
}

// TestIPhonePasswordFailsAlone: an encrypted iPhone backup without its
// password commits nothing of it, and the run still backs up the sources
// after it (exit 3, the hint said); alone, it exits 12.
func TestIPhonePasswordFailsAlone(t *testing.T) {
	dir := t.TempDir()
	homeEnv(t, filepath.Join(dir, "home"))
	repoDir := filepath.Join(dir, "repo")
	lb(t, "init", "--repo", repoDir)
	b := smokeBackup(t, filepath.Join(dir, "Backup"), []byte("secret"))
	folder := filepath.Join(dir, "Contacts")
	os.MkdirAll(folder, 0o755)
	os.WriteFile(filepath.Join(folder, "a.vcf"), []byte("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nN:;A;;;\r\nEND:VCARD\r\n"), 0o644)
	code, out, e := lbOut(t, "backup", "--repo", repoDir, "--json", b.Dir, folder)
	if code != 3 || !strings.Contains(e, "no password was given: nothing committed for this source") || !strings.Contains(e, "lifeboat: hint: the iPhone backup is encrypted") {
		t.Errorf("an iPhone backup without its password before a folder: exit %d\n%s", code, e)
	}
	if !strings.Contains(out, folder) || strings.Contains(out, `"source":"`+b.Dir) {
		t.Errorf("the folder after it was not committed alone: %s", out)
	}
	if code, e := lb(t, "backup", "--repo", repoDir, b.Dir); code != 12 {
		t.Errorf("alone: exit %d, want 12: %s", code, e)
	}
}
