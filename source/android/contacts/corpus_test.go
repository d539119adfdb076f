package contacts

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/lifeboat-backup/lifeboat/pim"
)

// corpusVCards returns the corpus's .vcf files ($LIFEBOAT_CORPUS, else
// ../shared/testdata/corpus from the module root), skipping the test (or
// failing it under LIFEBOAT_REQUIRE_INTEGRATION=1) when it is absent.
func corpusVCards(t *testing.T) []string {
	t.Helper()
	dir := os.Getenv("LIFEBOAT_CORPUS")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "..", "shared", "testdata", "corpus")
	}
	var files []string
	filepath.WalkDir(filepath.Join(dir, "vcard"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Ext(p) == ".vcf" {
			files = append(files, p)
		}
		return nil
	})
	if len(files) == 0 {
		if os.Getenv("LIFEBOAT_REQUIRE_INTEGRATION") == "1" {
			t.Fatalf("no vCard corpus under %s (set LIFEBOAT_CORPUS)", dir)
		}
		t.Skipf("no vCard corpus under %s (set LIFEBOAT_CORPUS)", dir)
	}
	return files
}

// TestCorpus maps every card of nine libraries' test suites and checks the
// result against pim.ParseRecord's own reading of the card: as many phone
// rows as TEL values, email rows as EMAIL values, the name row's display
// name is FN, and a card with a name, phone or email is never empty.
func TestCorpus(t *testing.T) {
	cards := 0
	for _, f := range corpusVCards(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, pc := range pim.Split(pim.KindVCard, data) {
			if pc.Kind != pim.RecContact {
				continue
			}
			cards++
			card := data[pc.Off : pc.Off+pc.Len]
			rec, _ := pim.ParseRecord(pim.RecContact, card)
			in, err := FromVCard(card)
			nonEmpty := func(k string) int {
				n := 0
				for _, v := range rec.Fields[k] {
					if _, val := pim.FieldValue(v); val != "" && val != "tel:" && val != "mailto:" {
						n++
					}
				}
				return n
			}
			name := filepath.Base(f)
			if err != nil {
				if nonEmpty("FN")+nonEmpty("TEL")+nonEmpty("EMAIL") > 0 {
					t.Errorf("%s: %v for a card with a name, phone or email", name, err)
				}
				continue
			}
			if got, want := len(find(in.Data, mimePhone)), nonEmpty("TEL"); got != want {
				t.Errorf("%s: %d phone rows, %d TEL values", name, got, want)
			}
			if got, want := len(find(in.Data, mimeEmail)), nonEmpty("EMAIL"); got != want {
				t.Errorf("%s: %d email rows, %d EMAIL values", name, got, want)
			}
			if fn := rec.Fields["FN"]; len(fn) > 0 {
				_, want := pim.FieldValue(fn[0])
				if n := find(in.Data, mimeName); len(n) > 0 && n[0]["data1"] != want {
					t.Errorf("%s: display name %q, FN %q", name, n[0]["data1"], want)
				}
			}
		}
	}
	if cards < 50 {
		t.Errorf("only %d cards in the corpus", cards)
	}
}
