package cli

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/internal/takeoutgen"
)

// TestTakeout is issue 15's acceptance scenario for Google Takeout: a
// generated export of two zip parts backs up straight from the zips as
// one source, counting the distinct photos and people; export --by-date
// files every dated photo under its sidecar's month (the sidecar beating
// EXIF), counts the undated, writes each distinct photo once and lists
// its copies; the same export unzipped into a folder and backed up into
// the same repository adds almost nothing. The same again with the parts
// as .tgz, Takeout's other format. TAKEOUT_SEED picks another export.
func TestTakeout(t *testing.T) {
	seed := uint64(15)
	if v := os.Getenv("TAKEOUT_SEED"); v != "" {
		seed, _ = strconv.ParseUint(v, 10, 64)
	}
	t.Run("zip", func(t *testing.T) { takeoutScenario(t, seed, takeoutgen.Write) })
	t.Run("tgz", func(t *testing.T) { takeoutScenario(t, seed, takeoutgen.WriteTgz) })
}

func takeoutScenario(t *testing.T, seed uint64, write func(string, uint64) (*takeoutgen.Manifest, error)) {
	dir := t.TempDir()
	homeEnv(t, filepath.Join(dir, "home"))
	m, err := write(dir, seed)
	if err != nil {
		t.Fatal(err)
	}
	repoDir := filepath.Join(dir, "repo")
	if code, e := lb(t, "init", "--repo", repoDir); code != 0 {
		t.Fatalf("init: %d %s", code, e)
	}

	// Straight from the zips, given in either order: one source.
	res := backupJSON(t, 0, append([]string{"--repo", repoDir}, m.Parts[1], m.Parts[0])...)
	src := strings.TrimSuffix(m.Parts[0], "-001"+filepath.Ext(m.Parts[0]))
	zipped, ok := res[src]
	if len(res) != 1 || !ok {
		t.Fatalf("backup of both parts: %v, want one source %s", res, src)
	}
	checkCounts(t, "zips", zipped, m)
	code, out, e := lbOut(t, "snapshots", "--repo", repoDir, "--json")
	if code != 0 || !strings.Contains(out, `"media":`+itoa(m.Distinct)+`,`) || !strings.Contains(out, `"contacts":`+itoa(m.Contacts)+`,`) {
		t.Errorf("snapshots: exit %d, want %d media and %d contacts: %s%s", code, m.Distinct, m.Contacts, out, e)
	}

	// Again, unchanged: nothing read (the file cache), the same counts.
	again := backupJSON(t, 0, append([]string{"--repo", repoDir}, m.Parts...)...)[src]
	checkCounts(t, "zips again", again, m)
	if again["read_bytes"] != float64(0) {
		t.Errorf("unchanged zips read %v bytes again", again["read_bytes"])
	}

	kit := filepath.Join(dir, "kit")
	code, out, e = lbOut(t, "export", "--repo", repoDir, "--by-date", "--json", "--to", kit, zipped["snapshot"].(string))
	if code != 0 {
		t.Fatalf("export --by-date: exit %d: %s", code, e)
	}
	var got struct {
		Contacts int `json:"contacts"`
		Events   int `json:"events"`
		Photos   int `json:"photos"`
		Undated  int `json:"undated_photos"`
		Copies   int `json:"copies"`
	}
	if err := json.Unmarshal([]byte(lastLine(out)), &got); err != nil {
		t.Fatalf("export --json: %v: %s", err, out)
	}
	if got.Photos != m.Distinct || got.Undated != m.Undated || got.Copies != len(m.Media)-m.Distinct ||
		got.Contacts != m.Contacts || got.Events != m.Events {
		t.Errorf("export: %+v; want %d photos, %d undated, %d copies, %d contacts, %d events",
			got, m.Distinct, m.Undated, len(m.Media)-m.Distinct, m.Contacts, m.Events)
	}
	checkByDate(t, kit, m)
	// In words too, beside the counts.
	code, out, e = lbOut(t, "export", "--repo", repoDir, "--by-date", "--to", filepath.Join(dir, "kit2"), zipped["snapshot"].(string))
	if want := plural(m.Undated, "photo") + " had no date of its own"; code != 0 || !strings.Contains(e, want) || !strings.Contains(out, plural(m.Distinct, "photo")) {
		t.Errorf("export --by-date: exit %d, want %q and %d photos said: %s%s", code, want, m.Distinct, out, e)
	}

	// Restored from the zips: Takeout's entries carry no Unix modes, and
	// nothing comes back world-writable.
	restored := filepath.Join(dir, "restored")
	if code, e := lb(t, "restore", "--repo", repoDir, zipped["snapshot"].(string), "--to", restored); code != 0 {
		t.Fatalf("restore: %d %s", code, e)
	}
	var nfiles int
	filepath.Walk(restored, func(p string, fi os.FileInfo, err error) error {
		if err == nil && fi.Mode().IsRegular() {
			nfiles++
		}
		if err == nil && fi.Mode().Perm()&0o022 != 0 {
			t.Errorf("restored %s: mode %v", p, fi.Mode())
		}
		return err
	})
	if nfiles < len(m.Media) {
		t.Errorf("restored %d files, want at least the %d photos", nfiles, len(m.Media))
	}

	// The same export unzipped: the same contents, next to nothing added.
	unzipped := filepath.Join(dir, "unzipped")
	if err := takeoutgen.Extract(unzipped, m.Parts...); err != nil {
		t.Fatal(err)
	}
	before := dirSize(t, repoDir)
	folder := backupJSON(t, 0, "--repo", repoDir, unzipped)[unzipped]
	checkCounts(t, "folder", folder, m)
	grew := dirSize(t, repoDir) - before
	added := int64(folder["added_bytes"].(float64))
	t.Logf("the unzipped folder added %d bytes (the repository grew %d) to %d bytes of photos", added, grew, m.PhotoBytes)
	if limit := m.PhotoBytes / 50; grew > limit || added > limit {
		t.Errorf("the unzipped folder added %d bytes, the repository grew %d; want both under %d (2%% of the photos)", added, grew, limit)
	}

	// The folder's snapshot exports as the zips' did.
	kit3 := filepath.Join(dir, "kit3")
	if code, e := lb(t, "export", "--repo", repoDir, "--by-date", "--only", "photos", "--to", kit3, folder["snapshot"].(string)); code != 0 {
		t.Fatalf("export of the folder: %d %s", code, e)
	}
	checkByDate(t, kit3, m)

	// The albums' copies deleted: the same photos, no alarm. Then all
	// but a few photos deleted: the alarm (exit 4).
	var copies, kept int
	inYear := map[int]bool{}
	for _, f := range m.Media {
		inYear[f.Content] = inYear[f.Content] || strings.Contains(f.Path, "/Photos from ")
	}
	for _, f := range m.Media {
		if !strings.Contains(f.Path, "/Photos from ") && inYear[f.Content] {
			os.Remove(filepath.Join(unzipped, filepath.FromSlash(f.Path)))
			copies++
		}
	}
	if after := backupJSON(t, 0, "--repo", repoDir, unzipped)[unzipped]; copies == 0 || after["media"] != float64(m.Distinct) || after["alarm"] != nil {
		t.Errorf("without the %d album copies: %v photos, alarm %v; want %d, none", copies, after["media"], after["alarm"], m.Distinct)
	}
	for _, f := range m.Media {
		if kept++; kept > 5 {
			os.Remove(filepath.Join(unzipped, filepath.FromSlash(f.Path)))
		}
	}
	if lost := backupJSON(t, 4, "--repo", repoDir, unzipped)[unzipped]; lost["alarm"] == nil {
		t.Errorf("most photos gone: %v photos, no alarm", lost["media"])
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// checkCounts compares a backup's counts with the manifest's.
func checkCounts(t *testing.T, what string, res map[string]any, m *takeoutgen.Manifest) {
	t.Helper()
	for k, want := range map[string]int{"media": m.Distinct, "contacts": m.Contacts, "events": m.Events, "errors": 0} {
		if res[k] != float64(want) {
			t.Errorf("%s: %s %v, want %d", what, k, res[k], want)
		}
	}
}

// checkByDate: every distinct photo is in the kit once, under the month
// of its date (the export's own for the undated), and each copy group's
// photo has a NAME.copies.txt naming every copy.
func checkByDate(t *testing.T, kit string, m *takeoutgen.Manifest) {
	t.Helper()
	byContent := map[[32]byte]takeoutgen.Media{}
	groups := map[[32]byte][]string{}
	for _, f := range m.Media {
		byContent[f.Sum] = f
		groups[f.Sum] = append(groups[f.Sum], f.Path)
	}
	written := map[[32]byte]string{}
	var copyFiles int
	root := filepath.Join(kit, "photos")
	filepath.Walk(root, func(p string, fi os.FileInfo, err error) error {
		if err != nil || !fi.Mode().IsRegular() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if strings.HasSuffix(rel, ".copies.txt") {
			copyFiles++
			return nil
		}
		b, _ := os.ReadFile(p)
		sum := sha256.Sum256(b)
		f, ok := byContent[sum]
		if !ok {
			t.Errorf("kit: %s is no photo of the export", rel)
			return nil
		}
		if w, dup := written[sum]; dup {
			t.Errorf("kit: %s and %s hold the same photo", w, rel)
		}
		written[sum] = rel
		want := f.Date
		if want.IsZero() {
			want = takeoutgen.Exported // no date anywhere: the file's time
		}
		if dir := filepath.ToSlash(filepath.Dir(rel)); dir != want.Format("2006/01") {
			t.Errorf("kit: %s (%s) filed under %s, want %s", rel, f.Path, dir, want.Format("2006/01"))
		}
		return nil
	})
	if len(written) != m.Distinct {
		t.Errorf("kit: %d distinct photos written, want %d", len(written), m.Distinct)
	}
	copies := m.Copies()
	if copyFiles != len(copies) {
		t.Errorf("kit: %d NAME.copies.txt, want %d", copyFiles, len(copies))
	}
	for sum, paths := range groups {
		if len(paths) < 2 || written[sum] == "" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(written[sum])+".copies.txt"))
		var listed []string
		for sc := bufio.NewScanner(bytes.NewReader(b)); sc.Scan(); {
			listed = append(listed, sc.Text())
		}
		slices.Sort(listed)
		slices.Sort(paths)
		if err != nil || !slices.Equal(listed, paths) {
			t.Errorf("kit: %s.copies.txt lists %q (%v), want %q", written[sum], listed, err, paths)
		}
	}
}
