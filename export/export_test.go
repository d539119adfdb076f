package export_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/export"
	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/pim"
	"github.com/lifeboat-backup/lifeboat/repo"
)

// keys parses files the way the snapshot's records are parsed and returns
// the sorted identities of their contacts and of their events and to-dos.
func keys(t *testing.T, files map[string][]byte) (contacts, events []string) {
	t.Helper()
	for name, data := range files {
		kind := pim.Classify(name, data)
		for _, pc := range pim.Split(kind, data) {
			rec, _ := pim.ParseRecord(pc.Kind, data[pc.Off:pc.Off+pc.Len])
			switch pc.Kind {
			case pim.RecContact:
				contacts = append(contacts, rec.Key+"|"+rec.Name)
			case pim.RecEvent, pim.RecTodo, pim.RecJournal:
				events = append(events, rec.Key+"|"+rec.RecurrenceID+"|"+rec.Name)
			}
		}
	}
	sort.Strings(contacts)
	sort.Strings(events)
	return contacts, events
}

func readTree(t *testing.T, dir string, keep func(string) bool) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && keep(p) {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			out[p] = b
		}
		return err
	})
	return out
}

func isPIM(p string) bool {
	e := strings.ToLower(filepath.Ext(p))
	return e == ".vcf" || e == ".ics"
}

// TestRoundTrip: the exported contacts.vcf and calendars hold the same
// records (identities and names) as the snapshot, and photos are the
// original files.
func TestRoundTrip(t *testing.T) {
	for _, tc := range []struct{ name, src string }{
		{"phone", filepath.Join(testrepo.ModuleRoot(t), "testdata", "phone")},
		{"corpus", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := tc.src
			if src == "" {
				src = testrepo.CorpusDir(t)
			}
			e := testrepo.New(t)
			res := e.Backup(t, src)
			out := filepath.Join(t.TempDir(), "kit")
			r := e.Open(t, repo.AccessRead)
			got, err := export.Run(context.Background(), r, res.Snapshot,
				export.Options{Target: out, Contacts: true, Calendars: true, Photos: true})
			if err != nil {
				t.Fatal(err)
			}
			wantC, wantE := keys(t, readTree(t, src, isPIM))
			exported := readTree(t, out, isPIM)
			gotC, gotE := keys(t, exported)
			if strings.Join(wantE, "\n") != strings.Join(gotE, "\n") {
				t.Errorf("events/to-dos: exported %d, snapshot %d", len(gotE), len(wantE))
			}
			if tc.name == "phone" {
				if strings.Join(wantC, "\n") != strings.Join(gotC, "\n") {
					t.Errorf("contacts: exported %v\nwant %v", gotC, wantC)
				}
				if got.Contacts != 15 || got.Photos != 5 || got.Events != 6 || got.Todos != 3 {
					t.Errorf("result %+v", got)
				}
			} else if len(gotC) != len(dedup(wantC)) && len(gotC)+got.Unreadable < len(dedup(wantC)) {
				t.Errorf("contacts: exported %d (+%d unreadable), snapshot %d", len(gotC), got.Unreadable, len(wantC))
			}
			_ = format.Version
		})
	}
}

func dedup(s []string) []string {
	var out []string
	for i, v := range s {
		if i == 0 || s[i-1] != v {
			out = append(out, v)
		}
	}
	return out
}

// TestVobjectReadsContacts: contacts.vcf of the Android sample opens in
// Python's vobject (Debian python3-vobject), a parser independent of ours,
// with the same number of cards.
func TestVobjectReadsContacts(t *testing.T) {
	const script = "import sys, vobject\nprint(sum(1 for _ in vobject.readComponents(open(sys.argv[1], encoding='utf-8', errors='replace').read())))"
	// Debian's python3, which python3-vobject installs into (a python3
	// earlier on PATH may be another installation).
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import vobject").Run(); err != nil {
		if os.Getenv("LIFEBOAT_REQUIRE_INTEGRATION") == "1" {
			t.Fatal("python3-vobject is not installed (LIFEBOAT_REQUIRE_INTEGRATION=1)")
		}
		t.Skip("python3-vobject is not installed; apt-get install python3-vobject to run this test")
	}
	e := testrepo.New(t)
	res := e.Backup(t, filepath.Join(testrepo.ModuleRoot(t), "testdata", "phone"))
	out := filepath.Join(t.TempDir(), "kit")
	r := e.Open(t, repo.AccessRead)
	got, err := export.Run(context.Background(), r, res.Snapshot, export.Options{Target: out, Contacts: true})
	if err != nil {
		t.Fatal(err)
	}
	b, err := exec.Command(py, "-c", script, filepath.Join(out, "contacts.vcf")).CombinedOutput()
	if err != nil {
		t.Fatalf("vobject: %v\n%s", err, b)
	}
	n, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	if n != got.Contacts || n != 15 {
		t.Errorf("vobject read %d cards, export wrote %d, want 15", n, got.Contacts)
	}
}
