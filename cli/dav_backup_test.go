package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/internal/davtest"
	"github.com/lifeboat-backup/lifeboat/source/dav"
)

// lbOut runs lifeboat in-process and returns its exit code, stdout and
// stderr.
func lbOut(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(append([]string{"lifeboat"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

// davSeed PUTs dav/testdata into the server and returns the paths.
func davSeed(t *testing.T, s *davtest.Server) {
	t.Helper()
	files, _ := filepath.Glob("../source/dav/testdata/*")
	for _, f := range files {
		b, _ := os.ReadFile(f)
		coll := s.Calendar
		if strings.HasSuffix(f, ".vcf") {
			coll = s.AddressBook
		}
		if ok, err := s.Put(coll+filepath.Base(f), b); !ok || err != nil {
			t.Fatalf("PUT %s: %v %v", f, ok, err)
		}
	}
}

// davRestoreMatches restores snap into a new folder and checks that every
// resource file holds want[href] (or, with want nil, what the server
// serves); it returns the number of resources.
func davRestoreMatches(t *testing.T, s *davtest.Server, repoDir, snap string, want map[string][]byte) int {
	t.Helper()
	out := filepath.Join(t.TempDir(), "restored")
	if code, e := lb(t, "restore", "--repo", repoDir, snap, "--to", out); code != 0 {
		t.Fatalf("restore %s: %d %s", snap, code, e)
	}
	n := 0
	colls, _ := os.ReadDir(out)
	for _, c := range colls {
		st, err := dav.ReadState(filepath.Join(out, c.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for file, r := range st.Resources {
			got, err := os.ReadFile(filepath.Join(out, c.Name(), file))
			if err != nil {
				t.Fatal(err)
			}
			exp := want[r.Href]
			if want == nil {
				if exp, err = s.Get(r.Href); err != nil {
					t.Fatal(err)
				}
			}
			if !bytes.Equal(got, exp) {
				t.Errorf("%s: restored bytes differ from the server's %s", file, r.Href)
			}
			n++
		}
	}
	return n
}

// backupJSON runs backup --json and returns the summary objects by source.
func backupJSON(t *testing.T, wantCode int, args ...string) map[string]map[string]any {
	t.Helper()
	code, out, e := lbOut(t, append([]string{"backup", "--json"}, args...)...)
	if code != wantCode {
		t.Fatalf("backup: exit %d, want %d: %s", code, wantCode, e)
	}
	res := map[string]map[string]any{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) == nil && m["source"] != nil {
			res[m["source"].(string)] = m
		}
	}
	return res
}

// diffNames is what 'diff latest:SRC' names: "op what name", sorted.
func diffNames(t *testing.T, repoDir, src string) []string {
	t.Helper()
	code, out, e := lbOut(t, "diff", "--repo", repoDir, "--json", "latest:"+src)
	if code != 0 {
		t.Fatalf("diff: %d %s", code, e)
	}
	var names []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var ch struct{ What, Op, Name, Path string }
		if json.Unmarshal([]byte(line), &ch) != nil || ch.Op == "" {
			continue
		}
		names = append(names, ch.Op+" "+ch.What+" "+ch.Name)
	}
	sort.Strings(names)
	return names
}

// TestDAVBackup runs acceptance points 1, 2, 4 and 5 against Radicale and
// Xandikos: a backup restores the server's exact bytes; a change backs up
// only what changed and diff names it; an unchanged account adds nothing;
// a wiped account raises the alarm while the snapshot before still
// restores everything.
func TestDAVBackup(t *testing.T) {
	for _, start := range []func(testing.TB) *davtest.Server{davtest.Radicale, davtest.Xandikos} {
		s := start(t)
		t.Run(s.Name, func(t *testing.T) { davScenario(t, s) })
	}
}

func davScenario(t *testing.T, s *davtest.Server) {
	dir := t.TempDir()
	homeEnv(t, filepath.Join(dir, "home"))
	repoDir := filepath.Join(dir, "repo")
	if code, e := lb(t, "init", "--repo", repoDir); code != 0 {
		t.Fatalf("init: %d %s", code, e)
	}
	davSeed(t, s)
	card, cal := s.Source("carddav"), s.Source("caldav")
	args := []string{"--repo", repoDir, "--alarm-min", "1", card, cal}
	if s.PasswordFile != "" {
		args = append(args, "--dav-password-file", s.PasswordFile)
	}
	first := backupJSON(t, 0, args...)
	if got := first[card]["contacts"]; got != 3.0 {
		t.Errorf("first backup: %v contacts, want 3", got)
	}
	if n := davRestoreMatches(t, s, repoDir, "latest:"+card, nil) + davRestoreMatches(t, s, repoDir, "latest:"+cal, nil); n != 6 {
		t.Errorf("restored %d resources, want 6", n)
	}
	// The phone-reset kit has the calendar as one file, not one per event.
	kit := filepath.Join(dir, "kit")
	if code, e := lb(t, "export", "--repo", repoDir, "latest:"+cal, "--to", kit); code != 0 {
		t.Fatalf("export: %d %s", code, e)
	}
	if ics, _ := filepath.Glob(filepath.Join(kit, "calendars", "*.ics")); len(ics) != 1 {
		t.Errorf("export of a calendar with 3 resources wrote %v", ics)
	} else if b := mustRead(t, ics[0]); bytes.Count(b, []byte("BEGIN:VEVENT")) != 2 || bytes.Count(b, []byte("BEGIN:VTODO")) != 1 {
		t.Errorf("the exported calendar:\n%s", b)
	}
	// 5: unchanged: no file read again (the staging files kept their
	// metadata), nothing added but the snapshot's own metadata (a backup
	// of an unchanged folder adds about 600 bytes too).
	again := backupJSON(t, 0, args...)
	for _, src := range []string{card, cal} {
		if read, added := again[src]["read_bytes"].(float64), again[src]["added_bytes"].(float64); read != 0 || added > 1024 {
			t.Errorf("unchanged %s: %v bytes read, %v added", src, read, added)
		}
	}
	// 2: change a contact, delete an event, add a to-do.
	changed := bytes.Replace(mustRead(t, "../source/dav/testdata/card-1.vcf"), []byte("+15550001"), []byte("+15559999"), 1)
	if ok, err := s.Put(s.AddressBook+"card-1.vcf", changed); !ok || err != nil {
		t.Fatalf("PUT: %v %v", ok, err)
	}
	if err := s.Delete(s.Calendar + "event-1.ics"); err != nil {
		t.Fatal(err)
	}
	todo := bytes.ReplaceAll(mustRead(t, "../source/dav/testdata/todo-1.ics"), []byte("todo-1"), []byte("todo-2"))
	todo = bytes.Replace(todo, []byte("Buy milk"), []byte("Call mum"), 1)
	if ok, err := s.Put(s.Calendar+"todo-2.ics", todo); !ok || err != nil {
		t.Fatalf("PUT: %v %v", ok, err)
	}
	third := backupJSON(t, 0, args...)
	for _, src := range []string{card, cal} {
		if got := third[src]["added_bytes"].(float64); got <= 0 || got > 4096 {
			t.Errorf("after one change, %s added %v bytes, want a little", src, got)
		}
	}
	if got, want := diffNames(t, repoDir, card), []string{"changed contact Person 1"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("diff %s = %q, want %q", card, got, want)
	}
	if got, want := diffNames(t, repoDir, cal), []string{"added to-do Call mum", "removed event Event 1 (2024-01-01 10:00 UTC)"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("diff %s = %q, want %q", cal, got, want)
	}
	// 4: the account wiped on the server: alarm, and the snapshot before
	// still restores everything.
	before := map[string][]byte{}
	for _, p := range []string{s.AddressBook + "card-1.vcf", s.AddressBook + "card-2.vcf", s.AddressBook + "card-3.vcf"} {
		b, err := s.Get(p)
		if err != nil {
			t.Fatal(err)
		}
		before[p] = b
		if err := s.Delete(p); err != nil {
			t.Fatal(err)
		}
	}
	code, out, _ := lbOut(t, "snapshots", "--repo", repoDir, "--json")
	if code != 0 {
		t.Fatal("snapshots failed")
	}
	var lastCard string
	for _, line := range strings.Split(out, "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) == nil && m["source"] == card {
			lastCard = m["id"].(string)
		}
	}
	backupJSON(t, 4, args...)
	if n := davRestoreMatches(t, s, repoDir, lastCard, before); n != 3 {
		t.Errorf("the snapshot before the wipe restored %d contacts, want 3", n)
	}
}

func mustRead(t *testing.T, f string) []byte {
	t.Helper()
	b, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
