package export

import (
	"bytes"
	"errors"
	"io"
	"path"
	"strings"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/pim"
)

// cardWriter gathers the contacts of every vCard file.
type cardWriter struct {
	good, bad bytes.Buffer
	n, nBad   int             // contacts (people) among good and bad cards
	seen      map[string]bool // cards that say the same (Key and Digest; bytes if malformed) are written once
}

func (e *exporter) contacts(n format.Node) error {
	data, err := e.r.ReadFile(e.ctx, n)
	if err != nil {
		return err
	}
	for _, pc := range pim.Split(pim.KindVCard, data) {
		if pc.Kind != pim.RecContact {
			continue
		}
		card := data[pc.Off : pc.Off+pc.Len]
		rec, perr := pim.ParseRecord(pim.RecContact, card)
		same := rec.Key + "#" + rec.Digest()
		if perr != nil {
			// What a malformed card says may be only part of it: only
			// its bytes tell it from another.
			same = "bytes:" + e.r.BlobID(card).String()
		}
		if e.cards.seen[same] {
			continue
		}
		e.cards.seen[same] = true
		out, cnt := &e.cards.good, &e.cards.n
		var pe *pim.ParseError
		if perr != nil && !(errors.As(perr, &pe) && pe.Encoding) || rec.Name == "" {
			// Text in a guessed charset imports as it is; a broken card
			// could make a phone's whole import fail.
			out, cnt = &e.cards.bad, &e.cards.nBad
		}
		if !e.count(rec) {
			cnt = new(int)
		}
		card = pim.JoinSoftBreaks(card)
		out.Write(card)
		if !bytes.HasSuffix(card, []byte("\n")) {
			out.WriteString("\r\n")
		}
		*cnt++
	}
	return nil
}

// calendar writes one .ics per iCalendar file, or gathers the file into
// its CalDAV calendar. A file that has its VCALENDAR is written as it is,
// byte for byte, time zones included; bare events and to-dos (a fragment)
// are wrapped in a VCALENDAR of their own, with the file's VTIMEZONEs.
func (e *exporter) calendar(rel string, n format.Node) error {
	data, err := e.r.ReadFile(e.ctx, n)
	if err != nil {
		return err
	}
	c := splitCalendar(data)
	for _, rec := range c.recs {
		if e.count(rec) {
			switch rec.Kind {
			case pim.RecEvent:
				e.res.Events++
			case pim.RecTodo:
				e.res.Todos++
			}
		}
	}
	if m, ok := e.calendars[path.Dir(rel)]; ok {
		m.add(c)
		return nil
	}
	if c.body.Len() == 0 {
		return nil
	}
	out := data
	if !c.framed {
		var w bytes.Buffer
		w.WriteString("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//lifeboat//export//EN\r\n")
		for _, z := range c.zones {
			appendLine(&w, z)
		}
		w.Write(c.body.Bytes())
		w.WriteString("END:VCALENDAR\r\n")
		out = w.Bytes()
	}
	name := strings.TrimSuffix(path.Base(rel), path.Ext(rel))
	if err := e.write(e.unique("calendars/"+safeName(name)+".ics"), out); err != nil {
		return err
	}
	e.res.Calendars++
	return nil
}

// count reports whether rec is a person or event not counted yet.
func (e *exporter) count(rec pim.Record) bool {
	id := rec.Identity()
	if e.people[id] {
		return false
	}
	e.people[id] = true
	return true
}

func appendLine(w *bytes.Buffer, b []byte) {
	w.Write(b)
	if len(b) > 0 && !bytes.HasSuffix(b, []byte("\n")) {
		w.WriteString("\r\n")
	}
}

// safeName keeps a file name portable.
func safeName(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 32 || strings.ContainsRune(`/\:*?"<>|`, r) {
			return '_'
		}
		return r
	}, s)
	if s == "" || s == "." || s == ".." {
		s = "calendar"
	}
	return s
}

// photo copies a photo or video, streaming it: a video may be larger than
// memory.
func (e *exporter) photo(rel string, n format.Node) error {
	name := "photos/" + rel
	if e.opts.ByDate {
		if first, ok := e.copies.seen(n); ok {
			// The same bytes as a photo already written (an album's copy
			// of a year folder's photo, a messenger's copy): one photo,
			// its other places listed beside it.
			e.copies.add(first, rel)
			e.res.Copies++
			return nil
		}
		d := e.best[n.ContentKey()]
		if !d.dated {
			e.res.Undated++
		}
		name = "photos/" + d.t.Format("2006/01") + "/" + safeName(path.Base(rel))
		defer func() { e.copies.written(n, name, rel) }()
	}
	name = e.unique(name)
	if err := e.writeWith(name, n.MTime.Time(), func(w io.Writer) error { return e.r.WriteFile(e.ctx, w, n) }); err != nil {
		return err
	}
	e.res.Photos++
	return nil
}
