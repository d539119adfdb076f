package pim

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/emersion/go-ical"
	"github.com/emersion/go-vcard"
)

// corpusRecords parses every record piece of every corpus file and calls fn
// with the file's MANIFEST path, the piece and its parse.
func corpusRecords(t *testing.T, fn func(path string, p Piece, data []byte, r Record, err error)) {
	t.Helper()
	dir := corpusDir(t)
	for _, row := range readManifest(t, dir) {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(row.path)))
		if err != nil {
			t.Errorf("%s: %v", row.path, err)
			continue
		}
		for _, p := range Split(Classify(filepath.Base(row.path), data), data) {
			if p.Kind == RecNone {
				continue
			}
			piece := data[p.Off : p.Off+p.Len]
			r, err := ParseRecord(p.Kind, piece)
			fn(row.path, p, piece, r, err)
		}
	}
}

// qpResidue finds undecoded quoted-printable in a name.
var qpResidue = regexp.MustCompile(`=[0-9A-F]{2}`)

// TestRecordCorpus parses every record of the corpus: no internal errors,
// names that are clean UTF-8, and a name for (nearly) every contact, event
// and to-do.
func TestRecordCorpus(t *testing.T) {
	var total, named, placeholder, malformed int
	placeholders := map[string]int{}
	corpusRecords(t, func(path string, p Piece, data []byte, r Record, err error) {
		if err != nil {
			malformed++
			if strings.Contains(err.Error(), "internal error") {
				t.Errorf("%s @%d: %v", path, p.Off, err)
			}
		}
		if r.Kind != p.Kind || r.Key == "" || r.Fields == nil {
			t.Errorf("%s @%d: kind %v key %q fields %v", path, p.Off, r.Kind, r.Key, r.Fields)
		}
		if !utf8.ValidString(r.Name) || strings.ContainsRune(r.Name, utf8.RuneError) ||
			qpResidue.MatchString(r.Name) || strings.ContainsAny(r.Name, "\x00\r\n") {
			t.Errorf("%s @%d: unclean name %q", path, p.Off, r.Name)
		}
		for k, vs := range r.Fields {
			for _, v := range vs {
				if !utf8.ValidString(k) || !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
					t.Errorf("%s @%d: field %q = %q not clean", path, p.Off, k, v)
				}
			}
		}
		switch p.Kind {
		case RecContact, RecEvent, RecTodo:
		default:
			return
		}
		total++
		switch {
		case r.Name == "":
		case r.Name == noName || strings.HasPrefix(r.Name, noTitle):
			named++
			placeholder++
			placeholders[path]++
		default:
			named++
		}
	})
	if total == 0 {
		t.Fatal("no records")
	}
	var files []string
	for f, n := range placeholders {
		files = append(files, fmt.Sprintf("%s (%d)", f, n))
	}
	sort.Strings(files)
	t.Logf("%d contacts/events/to-dos: %d named (%.1f%%), of which %d by placeholder (%.1f%% real names); %d pieces malformed",
		total, named, 100*float64(named)/float64(total), placeholder,
		100*float64(named-placeholder)/float64(total), malformed)
	t.Logf("records named by placeholder only (no FN/N/ORG/TEL/EMAIL/..., or no SUMMARY/DESCRIPTION/LOCATION/COMMENT): %s",
		strings.Join(files, ", "))
	if named*100 < total*95 {
		t.Errorf("only %d of %d records named", named, total)
	}
	if (named-placeholder)*100 < total*90 {
		t.Errorf("only %d of %d records have a real name", named-placeholder, total)
	}
}

// TestRecordCorpusNames checks the display names of chosen corpus files:
// Shift_JIS, quoted-printable, CR CR LF, damaged UTF-8, vCalendar 1.0.
func TestRecordCorpusNames(t *testing.T) {
	want := map[string][]string{
		"vcard/aosp-vcard/v21_japanese_1.vcf":        {"安藤ロイド"},
		"vcard/aosp-vcard/v21_japanese_2.vcf":        {"安藤 ロイド 1"},
		"vcard/aosp-vcard/v21_japanese_3.vcf":        {"伊能 圭一 伊予"},
		"vcard/aosp-vcard/v21_multiple_entry.vcf":    {"安藤ロイド3", "安藤ロイド4", "安藤ロイド5"},
		"vcard/aosp-vcard/v30_japanese.vcf":          {"伊能 圭一 伊予"},
		"vcard/aosp-vcard/v40_sort_as.vcf":           {"安藤 ロイド"},
		"vcard/aosp-vcard/v21_complicated.vcf":       {"Joe Due"},
		"vcard/aosp-vcard/v21_simple_1.vcf":          {"Roid Ando"},
		"vcard/aosp-vcard/v21_im.vcf":                {"Nick"},
		"vcard/aosp-vcard/v30_ios_613_multiline.vcf": {"Bob Smith"},
		"vcard/ezvcard/John_Doe_ANDROID.vcf": {"john.doe@company.com", "jane.doe@company.com",
			"Ñ Ñ Ñ Ñ Ñ", "Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ", "Ñ Ñ Ñ Ñ", "ÑÑÑÑ"},
		"vcard/ezvcard/John_Doe_IPHONE.vcf":     {"Mr. John Richter James Doe Sr."},
		"vcard/ezvcard/John_Doe_MS_OUTLOOK.vcf": {"Mr. John Richter James Doe Sr."},
		"vcard/ezvcard/outlook-2007.vcf":        {"Mr. Michael Angstadt Jr."},
		"ical/libical/issue339.ics":             {"Test de Tester 04-04 (outlook)"},
		"ical/ical4j/1106817412.ics":            {"Asia/Tokyo", "2005年日本国際?覧会 (2005-03-25)"},
		"vcard/libical/user-cal.vcf": {"Omphalic for ataraxia (2000-05-30 15:00)", "Eurphrates et filistu (2000-05-29 13:00)",
			"Calaphgyian, napiform malefactors (2000-05-28 00:00)", "aphasiac puntildictus (2000-05-27 15:00)"},
	}
	wantFields := map[string]map[string][]string{
		"vcard/aosp-vcard/v21_japanese_2.vcf": {
			"ADR":   {"TYPE=HOME:;東京都渋谷区桜丘町26-1セルリアンタワー6階;;;;150-8512"},
			"NOTE":  {"メモ"},
			"SOUND": {"TYPE=X-IRMC-N:ｱﾝﾄﾞｳ;ﾛｲﾄﾞ1;;;"},
		},
		"vcard/aosp-vcard/v21_complicated.vcf": {
			"NOTE": {"The following note is the example from RFC 2045.",
				"Now's the time for all folk to come to the aid of their country."},
		},
		"vcard/aosp-vcard/v21_invalid_comment_line.vcf": {
			"NOTE": {"This is an (sharp ->#<- sharp) example. This message must NOT be ignored."},
		},
	}
	got := map[string][]string{}
	gotFields := map[string]map[string][]string{}
	corpusRecords(t, func(path string, p Piece, data []byte, r Record, err error) {
		if _, ok := want[path]; ok {
			got[path] = append(got[path], r.Name)
		}
		if _, ok := wantFields[path]; ok {
			gotFields[path] = r.Fields
		}
	})
	for path, names := range want {
		if !slices.Equal(got[path], names) {
			t.Errorf("%s: names\n got %q\nwant %q", path, got[path], names)
		}
	}
	for path, fields := range wantFields {
		for k, v := range fields {
			if !slices.Equal(gotFields[path][k], v) {
				t.Errorf("%s: %s = %q, want %q", path, k, gotFields[path][k], v)
			}
		}
	}
}

// TestRecordCorpusLibraries checks that go-vcard and go-ical, given the
// normalised copy of each well-formed corpus record, agree with the line
// parser on UID and FN or SUMMARY.
func TestRecordCorpusLibraries(t *testing.T) {
	var checked, failed int
	corpusRecords(t, func(path string, pc Piece, data []byte, r Record, err error) {
		if err != nil {
			return
		}
		p, _ := parse(pc.Kind, data)
		v, lerr := libParse(pc.Kind, p)
		if lerr != nil {
			failed++
			t.Errorf("%s @%d: library rejects a record the line parser accepts: %v", path, pc.Off, lerr)
			return
		}
		checked++
		var uid, name, ours string
		switch x := v.(type) {
		case vcard.Card:
			uid, name = x.Value(vcard.FieldUID), x.Value(vcard.FieldFormattedName)
			ours = firstValue(r, "FN")
		case *ical.Component:
			// Props.Text is strict (an unescaped ',' ends the text): compare
			// the raw values, unescaped as the line parser does.
			if p := x.Props.Get(ical.PropUID); p != nil {
				uid = unescape(p.Value)
			}
			if p := x.Props.Get(ical.PropSummary); p != nil {
				name = unescape(p.Value)
			}
			ours = firstValue(r, "SUMMARY")
		}
		if strings.ContainsRune(name, '\\') || strings.ContainsRune(uid, '\\') {
			return // go-vcard leaves \; escaped
		}
		if strings.TrimSpace(uid) != r.UID || strings.TrimSpace(name) != ours {
			t.Errorf("%s @%d: library says UID %q name %q, line parser %q %q", path, pc.Off, uid, name, r.UID, ours)
		}
	})
	t.Logf("%d records cross-checked with the libraries, %d rejected", checked, failed)
}

// firstValue is the value of the first field name, without parameters.
func firstValue(r Record, name string) string {
	if vs := r.Fields[name]; len(vs) > 0 {
		_, v := FieldValue(vs[0])
		return v
	}
	return ""
}
