package contacts

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/pim"
	"github.com/lifeboat-backup/lifeboat/source/android/content"
)

// readBack is what an independent parser found in one card.
type readBack struct {
	FN, Family, Given, Bday, Note string
	Tel, Email, Categories        []string
}

// vobjectScript prints, for each file named, what Python's vobject reads.
const vobjectScript = `import sys, json, vobject
out = {}
for p in sys.argv[1:]:
    cards = list(vobject.readComponents(open(p, encoding='utf-8', newline='').read()))
    assert len(cards) == 1, p
    c = cards[0]
    def all(name):
        return sorted(x.value for x in c.contents.get(name, []))
    n = c.n.value
    cats = []
    for x in c.contents.get('categories', []):
        cats += x.value
    out[p] = {"FN": c.fn.value, "Family": n.family, "Given": n.given,
        "Bday": c.bday.value if 'bday' in c.contents else "",
        "Note": c.note.value if 'note' in c.contents else "",
        "Tel": all('tel'), "Email": all('email'), "Categories": sorted(cats)}
print(json.dumps(out))
`

// expected is what the fixture rows say, computed from the rows alone.
func expected(rawID string, data []content.Row, groups map[string]string) readBack {
	var want readBack
	for _, d := range data {
		if d["raw_contact_id"] != rawID {
			continue
		}
		switch strings.TrimPrefix(d["mimetype"], "vnd.android.cursor.item/") {
		case "name":
			want.FN, want.Family, want.Given = d["data1"], d["data3"], d["data2"]
		case "phone_v2":
			want.Tel = append(want.Tel, d["data1"])
		case "email_v2":
			want.Email = append(want.Email, d["data1"])
		case "contact_event":
			if d["data2"] == "3" {
				want.Bday = d["data1"]
			}
		case "note":
			want.Note = d["data1"]
		case "group_membership":
			want.Categories = append(want.Categories, groups[d["data1"]])
		}
	}
	if want.FN == "" && len(want.Tel) > 0 {
		want.FN = want.Tel[0]
	}
	for _, s := range []*[]string{&want.Tel, &want.Email, &want.Categories} {
		if *s == nil {
			*s = []string{}
		}
		slices.Sort(*s)
	}
	return want
}

func writeCards(t *testing.T) (dir string, cards []Card, raws, data []content.Row, groups map[string]string) {
	t.Helper()
	raws, data, groups = fixture()
	cards, err := Render(raws, data, groups)
	if err != nil {
		t.Fatal(err)
	}
	dir = t.TempDir()
	for _, c := range cards {
		p := filepath.Join(dir, filepath.FromSlash(c.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, c.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir, cards, raws, data, groups
}

// rawIDOf finds the raw contact a card was made from, by its UID.
func rawIDOf(t *testing.T, c Card, raws []content.Row) string {
	for _, r := range raws {
		uid := r["sourceid"]
		if uid == "" {
			uid = "android-raw-" + r["_id"]
		}
		if strings.Contains(string(c.Data), "\r\nUID:"+escape(uid)+"\r\n") {
			return r["_id"]
		}
	}
	t.Fatalf("%s: no raw contact", c.Path)
	return ""
}

// TestVobjectReadsCards: Python's vobject (Debian python3-vobject), a
// parser independent of ours, reads every card back with the fixture's
// name, phones, emails, birthday, note and groups.
func TestVobjectReadsCards(t *testing.T) {
	py := "/usr/bin/python3" // Debian's, which python3-vobject installs into
	if err := exec.Command(py, "-c", "import vobject").Run(); err != nil {
		if os.Getenv("LIFEBOAT_REQUIRE_INTEGRATION") == "1" {
			t.Fatal("python3-vobject is not installed (LIFEBOAT_REQUIRE_INTEGRATION=1)")
		}
		t.Skip("python3-vobject is not installed; apt-get install python3-vobject to run this test")
	}
	dir, cards, raws, data, groups := writeCards(t)
	args := []string{"-c", vobjectScript}
	for _, c := range cards {
		args = append(args, filepath.Join(dir, filepath.FromSlash(c.Path)))
	}
	b, err := exec.Command(py, args...).Output()
	if err != nil {
		t.Fatalf("vobject: %v", err)
	}
	var got map[string]readBack
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(cards) || len(cards) != 5 {
		t.Fatalf("vobject read %d cards of %d, want 5", len(got), len(cards))
	}
	for _, c := range cards {
		want := expected(rawIDOf(t, c, raws), data, groups)
		if g := got[filepath.Join(dir, filepath.FromSlash(c.Path))]; !reflect.DeepEqual(g, want) {
			t.Errorf("%s: vobject read\n%+v\nwant\n%+v", c.Path, g, want)
		}
	}
}

// TestPimReadsCards: lifeboat's own pim package sees each card as one
// well-formed contact named as the fixture says.
func TestPimReadsCards(t *testing.T) {
	_, cards, raws, data, groups := writeCards(t)
	for _, c := range cards {
		pieces := pim.Split(pim.KindVCard, c.Data)
		if len(pieces) != 1 || pieces[0].Kind != pim.RecContact {
			t.Fatalf("%s: pieces %+v", c.Path, pieces)
		}
		rec, err := pim.ParseRecord(pim.RecContact, c.Data)
		if err != nil {
			t.Fatalf("%s: %v", c.Path, err)
		}
		want := expected(rawIDOf(t, c, raws), data, groups)
		if rec.Name != want.FN {
			t.Errorf("%s: pim name %q, want %q", c.Path, rec.Name, want.FN)
		}
		if len(rec.Fields["TEL"]) != len(want.Tel) || len(rec.Fields["EMAIL"]) != len(want.Email) {
			t.Errorf("%s: pim TEL %q EMAIL %q", c.Path, rec.Fields["TEL"], rec.Fields["EMAIL"])
		}
	}
	if k := pim.Classify("x.vcf", cards[0].Data); k != pim.KindVCard {
		t.Fatalf("classified as %v", k)
	}
}
