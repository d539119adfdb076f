package archive_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/backup"
	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/source"
	"github.com/lifeboat-backup/lifeboat/source/archive"
)

// takeout writes two parts of one export into dir, as Takeout splits a
// tree: one folder spread over both, and one path in both.
func takeout(t *testing.T, dir string) []string {
	t.Helper()
	p1 := filepath.Join(dir, "takeout-20240102T030405Z-001.zip")
	p2 := filepath.Join(dir, "takeout-20240102T030405Z-002.zip")
	write := func(p string, b []byte) {
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(p1, zipBytes(t,
		zent{name: "Takeout/Google Photos/Photos from 2020/a.jpg", data: "photo a"},
		zent{name: "Takeout/Google Photos/Photos from 2020/a.jpg.json", data: `{"photoTakenTime":{"timestamp":"1580000000"}}`},
		zent{name: "Takeout/Contacts/All Contacts/All Contacts.vcf", data: "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Anna\r\nEND:VCARD\r\n"},
		zent{name: "Takeout/archive_browser.html", data: "part one's"},
	))
	write(p2, zipBytes(t,
		zent{name: "Takeout/Google Photos/Photos from 2020/b.jpg", data: "photo b"},
		zent{name: "Takeout/Google Photos/Photos from 2021/c.jpg", data: "photo c"},
		zent{name: "Takeout/archive_browser.html", data: "part two's"},
	))
	return []string{p1, p2}
}

// TestTakeoutParts: two parts given together are one tree, merged; a
// path in both keeps the first part's and names the second; backup
// through source.ParseParts names the source by the export's prefix.
func TestTakeoutParts(t *testing.T) {
	dir := t.TempDir()
	parts := takeout(t, dir)
	tree := openTree(t, parts...)
	want := map[string]string{
		"Takeout/Google Photos/Photos from 2020/a.jpg": "photo a",
		"Takeout/Google Photos/Photos from 2020/b.jpg": "photo b",
		"Takeout/Google Photos/Photos from 2021/c.jpg": "photo c",
		"Takeout/archive_browser.html":                 "part one's",
	}
	for name, data := range want {
		if got, err := read(t, tree, name); got != data || err != nil {
			t.Errorf("%s reads %q %v, want %q", name, got, err, data)
		}
	}
	list, err := tree.ReadDir("Takeout/Google Photos/Photos from 2020")
	if err != nil || len(list) != 3 {
		t.Errorf("a folder spread over both parts lists %v %v, want 3 entries", list, err)
	}
	probs := problems(tree)
	if err := probs["Takeout/archive_browser.html"]; !errors.Is(err, archive.ErrConflict) || !strings.Contains(err.Error(), "-002.zip") || len(probs) != 1 {
		t.Errorf("problems %v, want the second part's archive_browser.html named", probs)
	}

	s, err := source.ParseParts(archive.Group(parts)[0], source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "takeout-20240102T030405Z"); s.Name() != want {
		t.Errorf("source named %q, want %q", s.Name(), want)
	}
	stree, release, err := s.Open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	e := testrepo.New(t)
	res, err := backup.Run(context.Background(), e.Open(t, repo.AccessWrite), backup.Options{Tree: stree, SourceName: s.Name(), CacheDir: e.CacheDir, NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) != 1 || res.Errors[0].Path != "Takeout/archive_browser.html" || res.Snapshot.Stats.Errors != 1 {
		t.Errorf("backup errors %v (%d counted), want the duplicate named", res.Errors, res.Snapshot.Stats.Errors)
	}
	if res.Snapshot.Stats.Files != 6 || res.Snapshot.Stats.Contacts != 1 {
		t.Errorf("snapshot holds %d files, %d contacts; want 6 and 1", res.Snapshot.Stats.Files, res.Snapshot.Stats.Contacts)
	}
	out := e.Restore(t, res.ID)
	for name, data := range want {
		if b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(name))); string(b) != data {
			t.Errorf("restored %s: %q %v", name, b, err)
		}
	}
}

// TestGroup: parts of one export (same folder, prefix and extension)
// group in part order where the first stood; anything else stays alone.
func TestGroup(t *testing.T) {
	args := []string{
		"/d/takeout-20240102T030405Z-002.zip",
		"phone",
		"/d/takeout-20240102T030405Z-001.zip",
		"/e/takeout-20240102T030405Z-003.zip", // another folder
		"/d/takeout-20240102T030405Z-003.tgz", // another extension
		"/d/takeout-20250102T030405Z-001.zip", // another export
		"/d/takeout-20240102T030405Z-010.ZIP",
		"/d/takeout-20240102T030405Z-001.zip", // given twice
		"android://",
	}
	want := [][]string{
		{"/d/takeout-20240102T030405Z-001.zip", "/d/takeout-20240102T030405Z-002.zip", "/d/takeout-20240102T030405Z-010.ZIP"},
		{"phone"},
		{"/e/takeout-20240102T030405Z-003.zip"},
		{"/d/takeout-20240102T030405Z-003.tgz"},
		{"/d/takeout-20250102T030405Z-001.zip"},
		{"android://"},
	}
	if got := archive.Group(args); !reflect.DeepEqual(got, want) {
		t.Errorf("Group:\n got %q\nwant %q", got, want)
	}
	if got := archive.Prefix(want[0]); got != "/d/takeout-20240102T030405Z" {
		t.Errorf("Prefix = %q", got)
	}
	if got := archive.Prefix(want[2]); got != "/e/takeout-20240102T030405Z-003.zip" {
		t.Errorf("Prefix of one part = %q, want its path", got)
	}
}
