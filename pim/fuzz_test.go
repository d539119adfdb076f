package pim

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// fuzzSeeds are small inputs covering the line and nesting rules.
var fuzzSeeds = []string{
	"",
	card("a", "\r\n") + card("b", "\n"),
	"\xEF\xBB\xBF" + card("a", "\r\r\n") + card("b", "\r"),
	"BEG\r\n IN:VCARD\r\nN;ENCODING=QUOTED-PRINTABLE:a=\r\nBEGIN:VCARD\r\nEND:VCARD",
	"BEGIN:VCARD\nAGENT:\nBEGIN:VCARD\nEND:VCARD\nEND:VCARD\nEND:VCARD\n",
	calHead + event("1", "\r\n") + "BEGIN:VTODO\r\nEND:VTODO\r\nEND:VCALENDAR\r\n",
	"BEGIN:VCALENDAR\nBEGIN:VCALENDAR\nBEGIN:VEVENT\nBEGIN:VCALENDAR\nBEGIN:VJOURNAL\nEND:VCALENDAR\nEND:VEVENT\n",
	"begin:vevent\nend:vtodo\nEND:VEVENT \nBEGIN:VFREEBUSY\x00\nBEGIN:VTIMEZONE\n",
	"END:VCARD\nBEGIN:\nEND:\n\tBEGIN:VCARD\n \n",
}

// addSeeds adds fuzzSeeds and, when the corpus is present, its small files.
func addSeeds(f *testing.F, format string) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	dir := os.Getenv("LIFEBOAT_CORPUS")
	if dir == "" {
		root, err := moduleRoot()
		if err != nil {
			return
		}
		dir = filepath.Join(root, "..", "shared", "testdata", "corpus")
	}
	paths, _ := filepath.Glob(filepath.Join(dir, format, "*", "*"))
	for _, p := range paths {
		if data, err := os.ReadFile(p); err == nil && len(data) <= 4096 {
			f.Add(data)
		}
	}
}

// checkSplit splits data as kind and checks the pieces against the
// reference walk.
func checkSplit(t *testing.T, kind Kind, data []byte) {
	pieces := Split(kind, data)
	checkPieces(t, data, pieces)
	want, ok := refCount(kind, data)
	if got := Count(pieces); ok && got != want {
		t.Fatalf("Count = %+v, reference walk %+v", got, want)
	}
}

func FuzzSplitVCard(f *testing.F) {
	addSeeds(f, "vcard")
	f.Fuzz(func(t *testing.T, data []byte) { checkSplit(t, KindVCard, data) })
}

func FuzzSplitICal(f *testing.F) {
	addSeeds(f, "ical")
	f.Fuzz(func(t *testing.T, data []byte) { checkSplit(t, KindICal, data) })
}

func FuzzClassify(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add("x.vcf", []byte(s))
	}
	f.Add("IMG_0001.HEIC", []byte(ftyp("heic", "mif1", "heic")))
	f.Add("a.jpg", []byte("\xFF\xD8\xFF\xE0"))
	f.Add("dir/b.ics", []byte("RIFF\x00\x00\x00\x00WEBP"))
	f.Fuzz(func(t *testing.T, name string, head []byte) {
		k := Classify(name, head)
		if k > KindMedia {
			t.Fatalf("invalid kind %d", k)
		}
		if len(head) > HeadSize && Classify(name, head[:HeadSize]) != k {
			t.Fatal("Classify looked past HeadSize")
		}
		checkPieces(t, head, Split(k, head))
	})
}

// refCount is a plain, allocating re-implementation of the corpus walk
// (testdata/corpus/README.md), used to check Split on fuzzed input. It
// reports false when nesting goes past MaxDepth, where Split is flat.
func refCount(kind Kind, data []byte) (Counts, bool) {
	var c Counts
	var stack []string
	for _, line := range refLines(data) {
		u := refUpper(line)
		var name string
		switch {
		case bytes.HasPrefix(u, []byte("BEGIN:")):
			name = string(bytes.Trim(u[6:], " \t"))
		case bytes.HasPrefix(u, []byte("END:")):
			name = string(bytes.Trim(u[4:], " \t"))
			for i := len(stack) - 1; i >= 0; i-- {
				if stack[i] == name {
					stack = stack[:i]
					break
				}
			}
			continue
		default:
			continue
		}
		refCountBegin(kind, &c, stack, name)
		if stack = append(stack, name); len(stack) > MaxDepth {
			return c, false
		}
	}
	return c, true
}

// refCountBegin counts a BEGIN of name under stack.
func refCountBegin(kind Kind, c *Counts, stack []string, name string) {
	top := len(stack) == 0 || stack[len(stack)-1] == "VCALENDAR"
	switch {
	case kind == KindVCard:
		if name == "VCARD" && len(stack) == 0 {
			c.Contacts++
		}
	case !top:
	case name == "VEVENT":
		c.Events++
	case name == "VTODO":
		c.Todos++
	case name == "VJOURNAL":
		c.Journals++
	case name == "VFREEBUSY":
		c.FreeBusy++
	}
}

// refUpper upper-cases ASCII letters only, as component and parameter names
// are ASCII. bytes.ToUpper would turn every byte that is not UTF-8 into
// U+FFFD, making BEGIN:VEVE\xceT and END:VEVE\xdbT the same name.
func refUpper(b []byte) []byte {
	u := make([]byte, len(b))
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		u[i] = c
	}
	return u
}

// refLines splits data into unfolded logical lines.
func refLines(data []byte) [][]byte {
	var out [][]byte
	qpCont := false
	for _, l := range refPhysLines(bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))) {
		switch {
		case len(out) > 0 && len(l) > 0 && (l[0] == ' ' || l[0] == '\t'):
			out[len(out)-1] = append(out[len(out)-1], l[1:]...)
		case len(out) > 0 && qpCont:
			out[len(out)-1] = append(out[len(out)-1], l...)
		default:
			out = append(out, append([]byte(nil), l...))
		}
		cur := out[len(out)-1]
		params, _, _ := bytes.Cut(refUpper(cur), []byte(":"))
		qpCont = bytes.Contains(params, []byte(qpWord)) && bytes.HasSuffix(cur, []byte("="))
	}
	return out
}

// refPhysLines splits data at CR CR LF, CRLF, LF and CR, left to right.
func refPhysLines(data []byte) [][]byte {
	var out [][]byte
	start := 0
	for i := 0; i < len(data); i++ {
		if data[i] != '\r' && data[i] != '\n' {
			continue
		}
		out = append(out, data[start:i])
		switch {
		case bytes.HasPrefix(data[i:], []byte("\r\r\n")):
			i += 2
		case bytes.HasPrefix(data[i:], []byte("\r\n")):
			i++
		}
		start = i + 1
	}
	if start < len(data) {
		out = append(out, data[start:])
	}
	return out
}
