package pim

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// contentKind names the two corpus files whose content is not the format of
// their extension (see the corpus README, "Odd files").
var contentKind = map[string]Kind{
	"vcard/libical/user-cal.vcf": KindICal,  // a GnomeCalendar vCalendar
	"ical/libical/issue339.ics":  KindVCard, // an Outlook vCard 2.1
}

// manifestRow is one data row of MANIFEST.tsv.
type manifestRow struct {
	path, format, notes string
	records             int
}

// corpusDir returns the test corpus directory, skipping (or, with
// LIFEBOAT_REQUIRE_INTEGRATION=1, failing) the test if it is absent. The
// directory is $LIFEBOAT_CORPUS, or ../shared/testdata/corpus; relative
// paths are taken from the module root (the directory holding go.mod).
func corpusDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("LIFEBOAT_CORPUS")
	if dir == "" {
		dir = filepath.Join("..", "shared", "testdata", "corpus")
	}
	if !filepath.IsAbs(dir) {
		root, err := moduleRoot()
		if err != nil {
			t.Fatal(err)
		}
		dir = filepath.Join(root, dir)
	}
	if _, err := os.Stat(filepath.Join(dir, "MANIFEST.tsv")); err != nil {
		msg := "corpus not found (set LIFEBOAT_CORPUS): " + err.Error()
		if os.Getenv("LIFEBOAT_REQUIRE_INTEGRATION") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return dir
}

// moduleRoot walks up from the working directory to the one holding go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}

// readManifest parses MANIFEST.tsv, finding columns by their header names.
func readManifest(t *testing.T, dir string) []manifestRow {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "MANIFEST.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	col := map[string]int{}
	var rows []manifestRow
	for sc.Scan() {
		fields := strings.Split(sc.Text(), "\t")
		if len(col) == 0 {
			for i, name := range fields {
				col[name] = i
			}
			continue
		}
		if len(fields) != len(col) {
			t.Fatalf("MANIFEST row has %d fields, header %d: %q", len(fields), len(col), sc.Text())
		}
		n, err := strconv.Atoi(fields[col["records"]])
		if err != nil {
			t.Fatalf("MANIFEST %s: records: %v", fields[col["path"]], err)
		}
		rows = append(rows, manifestRow{
			path: fields[col["path"]], format: fields[col["format"]],
			notes: fields[col["notes"]], records: n,
		})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestCorpus checks every MANIFEST row: the file is classified by its
// content, its pieces cover it exactly, and its record count matches.
func TestCorpus(t *testing.T) {
	dir := corpusDir(t)
	rows := readManifest(t, dir)
	if len(rows) == 0 {
		t.Fatal("MANIFEST.tsv has no rows")
	}
	var total Counts
	byExtOnly := 0
	for _, row := range rows {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(row.path)))
		if err != nil {
			t.Errorf("%s: %v", row.path, err)
			continue
		}
		c, extOnly := checkCorpusFile(t, row, data)
		total.Add(c)
		if extOnly {
			byExtOnly++
		}
	}
	t.Logf("%d files: %d contacts, %d events, %d todos, %d journals, %d free/busy; %d classified by extension only",
		len(rows), total.Contacts, total.Events, total.Todos, total.Journals, total.FreeBusy, byExtOnly)
	// Totals from the corpus README.
	if len(rows) == 381 && (total.Contacts != 76 || total.Records()-total.Contacts != 6503) {
		t.Errorf("totals: %d contacts, %d iCalendar records; README says 76 and 6503",
			total.Contacts, total.Records()-total.Contacts)
	}
}

// checkCorpusFile checks one corpus file and returns its counts (only those
// of its MANIFEST format) and whether only its extension classified it.
func checkCorpusFile(t *testing.T, row manifestRow, data []byte) (Counts, bool) {
	t.Helper()
	want := map[string]Kind{"vcard": KindVCard, "ical": KindICal}[row.format]
	if k, ok := contentKind[row.path]; ok {
		want = k
	}
	if strings.Contains(row.notes, "CONTENT IS NOT") != (want.String() != row.format) {
		t.Errorf("%s: notes %q disagree with the odd-file list", row.path, row.notes)
	}
	kind := Classify(filepath.Base(row.path), data)
	if kind != want {
		t.Errorf("%s: Classify = %v, want %v", row.path, kind, want)
	}
	pieces := Split(kind, data)
	if err := coverErr(data, pieces); err != nil {
		t.Errorf("%s: %v", row.path, err)
	}
	c := Count(pieces)
	if ref, ok := refCount(kind, data); !ok || ref != c {
		t.Errorf("%s: Count = %+v, reference walk %+v", row.path, c, ref)
	}
	var got Counts
	if row.format == "vcard" {
		got.Contacts = c.Contacts
	} else {
		got = Counts{Events: c.Events, Todos: c.Todos, Journals: c.Journals, FreeBusy: c.FreeBusy}
	}
	if got.Records() != row.records {
		t.Errorf("%s: %d records (%+v), MANIFEST says %d", row.path, got.Records(), c, row.records)
	}
	return got, Classify("noext", data) != kind
}
