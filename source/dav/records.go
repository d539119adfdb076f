package dav

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"sort"
	"strings"

	"github.com/lifeboat-backup/lifeboat/pim"
)

// uidLine finds a record's UID property line (unfolded lines suffice:
// UIDs are short).
var uidLine = regexp.MustCompile(`(?mi)^UID[;:][^\r\n]*`)

var endCard = regexp.MustCompile(`(?i)END:VCARD`)

// Split turns a file from a snapshot into the resources a server takes:
// one vCard per resource (see prepareCard), one VCALENDAR per UID (with
// the file's time zones). A file that already is one record keeps its name and its
// exact bytes; records cut from a larger file are named by their UID, or
// by a hash of their bytes, so that running a restore twice names them the
// same way (and the second run skips them). kind is CardDAV or CalDAV;
// files of the other kind give nothing.
func Split(kind, name string, data []byte) []Record {
	switch {
	case kind == CardDAV && pim.Classify(name, data) == pim.KindVCard:
		return splitCards(name, data)
	case kind == CalDAV && pim.Classify(name, data) == pim.KindICal:
		return splitCalendar(name, data)
	}
	return nil
}

func splitCards(name string, data []byte) []Record {
	var cards []Record
	for _, p := range pim.Split(pim.KindVCard, data) {
		if p.Kind == pim.RecContact {
			cards = append(cards, prepareCard(data[p.Off:p.Off+p.Len]))
		}
	}
	if len(cards) == 1 && strings.HasSuffix(strings.ToLower(name), ".vcf") {
		cards[0].Name = name
		return cards
	}
	for i := range cards {
		cards[i].Name = recordName(cards[i], ".vcf")
	}
	return cards
}

// prepareCard makes a card one a server takes, changing nothing it
// says: vCard 2.1 quoted-printable soft breaks are joined (servers reject
// the continuation lines), line ends are CRLF (see crlf), vCard 2.1's
// bare parameters get their names (see typeParams), an inline base64
// PHOTO is written as vCard 3.0 does (see inlineBinary), and a
// card without a UID (Android exports) gets one, derived from its bytes
// as they were before the line ends and the photo were rewritten, so
// that a second restore gives the same UID as earlier versions did. The
// card as earlier versions put it is kept as Earlier, when different.
func prepareCard(card []byte) Record {
	card = pim.JoinSoftBreaks(card)
	sum := sha256.Sum256(card)
	uid := "UID:lifeboat-" + hex.EncodeToString(sum[:8])
	rec := Record{Data: withUID(inlineBinary(typeParams(crlf(card))), uid)}
	if before := withUID(card, uid); !bytes.Equal(before, rec.Data) {
		rec.Earlier = before
	}
	return rec
}

// earlier is the record as lifeboat put it before it rewrote line ends
// and photos.
func earlier(r Record) []byte {
	if r.Earlier != nil {
		return r.Earlier
	}
	return r.Data
}

// withUID adds the line uid before the card's END:VCARD, unless it has
// a UID.
func withUID(card []byte, uid string) []byte {
	if uidLine.Match(card) {
		return card
	}
	// Found in the card's own bytes: upper-casing a copy can change its
	// length (invalid UTF-8, some letters), and so the offset.
	ends := endCard.FindAllIndex(card, -1)
	if len(ends) == 0 {
		return card
	}
	end := ends[len(ends)-1][0]
	eol := "\r\n"
	if !bytes.Contains(card, []byte("\r\n")) {
		eol = "\n"
	}
	out := append([]byte{}, card[:end]...)
	out = append(out, uid+eol...)
	return append(out, card[end:]...)
}

func splitCalendar(name string, data []byte) []Record {
	pieces := pim.Split(pim.KindICal, data)
	var header, tz []byte
	byUID := map[string][]byte{}
	var order []string
	for i, p := range pieces {
		b := data[p.Off : p.Off+p.Len]
		switch p.Kind {
		case pim.RecNone:
			if i == 0 {
				header = b
			}
		case pim.RecTimezone:
			tz = append(tz, b...)
		case pim.RecEvent, pim.RecTodo, pim.RecJournal:
			uid := string(bytes.TrimSpace(uidLine.Find(b)))
			if _, ok := byUID[uid]; !ok {
				order = append(order, uid)
			}
			byUID[uid] = append(byUID[uid], b...)
		}
	}
	if len(order) == 0 {
		return nil
	}
	if len(order) == 1 && strings.HasSuffix(strings.ToLower(name), ".ics") {
		return []Record{withEarlier(Record{Name: name, Data: data})}
	}
	eol := "\r\n"
	if !bytes.Contains(header, []byte("\r")) {
		eol = "\n"
	}
	out := make([]Record, 0, len(order))
	for _, uid := range order {
		res := append(append(append([]byte{}, header...), tz...), byUID[uid]...)
		res = append(res, "END:VCALENDAR"+eol...)
		out = append(out, withEarlier(Record{Name: recordName(withEarlier(Record{Data: byUID[uid]}), ".ics"), Data: res}))
	}
	return out
}

// withEarlier writes a calendar's line ends as CRLF, keeping what earlier
// versions put as Earlier.
func withEarlier(r Record) Record {
	if d := crlf(r.Data); !bytes.Equal(d, r.Data) {
		r.Earlier, r.Data = r.Data, d
	}
	return r
}

// recordName names a record by its UID when it makes a good file name,
// else by a hash of its bytes (as earlier versions put them, so that a
// second restore gives the same name).
func recordName(r Record, ext string) string {
	if n, ok := uidName(r.Data, ext); ok {
		return n
	}
	sum := sha256.Sum256(earlier(r))
	return "lifeboat-" + hex.EncodeToString(sum[:8]) + ext
}

// uidName is a record's UID as a file name, when it makes a good one.
func uidName(rec []byte, ext string) (string, bool) {
	uid := uidLine.Find(rec)
	if i := bytes.IndexAny(uid, ":"); i >= 0 {
		v := string(bytes.TrimSpace(uid[i+1:]))
		if s := safeName(v); s == v && len(s) >= 4 {
			return s + ext, true
		}
	}
	return "", false
}

// SameContent reports whether two records hold the same properties:
// equal bytes, or the same content lines in another order or folding
// (servers such as Xandikos re-serialize what they store).
func SameContent(a, b []byte) bool {
	if bytes.Equal(a, b) {
		return true
	}
	la, lb := contentLines(a), contentLines(b)
	if len(la) != len(lb) {
		return false
	}
	for i := range la {
		if la[i] != lb[i] {
			return false
		}
	}
	return true
}

// contentLines returns a record's unfolded lines, sorted.
func contentLines(b []byte) []string {
	text := strings.ReplaceAll(string(b), "\r\n", "\n")
	text = strings.ReplaceAll(text, "\n ", "")
	text = strings.ReplaceAll(text, "\n\t", "")
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimRight(l, "\r"); l != "" {
			out = append(out, l)
		}
	}
	sort.Strings(out)
	return out
}
