package contacts

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/source/android/content"
)

var update = flag.Bool("update", false, "rewrite testdata/golden from the current renderer")

func parseFile(t *testing.T, name string, projection []string) []content.Row {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := content.Parse(b, projection)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return rows
}

// TestGolden renders `content query` output, in the exact format of
// Android's content command (testdata/*.txt), through content.Parse and
// Render, and compares with testdata/golden byte for byte: the bytes of a
// card are part of what dedup relies on, so any change to them is
// deliberate (run with -update and review the diff).
func TestGolden(t *testing.T) {
	raws := parseFile(t, "raw_contacts.txt", RawProjection)
	data := parseFile(t, "data.txt", DataProjection)
	groups := GroupTitles(parseFile(t, "groups.txt", GroupProjection))
	if len(groups) != 1 || groups["1"] != "Коллеги, Друзья" {
		t.Fatalf("groups %q", groups)
	}
	cards, err := Render(raws, data, groups)
	if err != nil {
		t.Fatal(err)
	}
	var all bytes.Buffer
	for _, c := range cards {
		all.WriteString("=== " + c.Path + "\n")
		all.Write(c.Data)
	}
	golden := filepath.Join("testdata", "golden", "cards.txt")
	if *update {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, all.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(all.Bytes(), want) {
		t.Fatalf("rendered cards differ from %s (run go test -update and review):\n%s", golden, strings.ReplaceAll(all.String(), "\r\n", "⏎\n"))
	}
}
