package export

import (
	"bytes"
	"encoding/json"
	"path"
	"sort"
	"strings"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/pim"
	"github.com/lifeboat-backup/lifeboat/source/dav"
)

// calParts is what an iCalendar file holds, split for writing out.
type calParts struct {
	zones  [][]byte // VTIMEZONE components
	body   bytes.Buffer
	recs   []pim.Record // its events, to-dos and journals, to count them
	framed bool         // the file has its own VCALENDAR
}

func splitCalendar(data []byte) *calParts {
	c := &calParts{}
	for _, pc := range pim.Split(pim.KindICal, data) {
		b := data[pc.Off : pc.Off+pc.Len]
		switch pc.Kind {
		case pim.RecNone:
			c.framed = c.framed || bytes.Contains(bytes.ToUpper(b), []byte("BEGIN:VCALENDAR"))
		case pim.RecTimezone:
			c.zones = append(c.zones, b)
		case pim.RecEvent, pim.RecTodo, pim.RecJournal:
			appendLine(&c.body, b)
			rec, _ := pim.ParseRecord(pc.Kind, b) // a malformed one is still written and counted
			c.recs = append(c.recs, rec)
		}
	}
	return c
}

// merged is one CalDAV calendar being gathered into one .ics: a CalDAV
// server keeps each event as a resource of its own, and a phone imports
// a calendar as one file.
type merged struct {
	name  string
	zones bytes.Buffer
	tzids map[string]bool
	body  bytes.Buffer
}

// add takes a resource's time zones (each TZID once) and components.
func (m *merged) add(c *calParts) {
	for _, z := range c.zones {
		if id := tzid(z); id == "" || !m.tzids[id] {
			m.tzids[id] = true
			appendLine(&m.zones, z)
		}
	}
	m.body.Write(c.body.Bytes())
}

func (m *merged) bytes() []byte {
	var w bytes.Buffer
	w.WriteString("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//lifeboat//export//EN\r\n")
	w.WriteString("X-WR-CALNAME:" + escapeText(m.name) + "\r\n")
	w.Write(m.zones.Bytes())
	w.Write(m.body.Bytes())
	w.WriteString("END:VCALENDAR\r\n")
	return w.Bytes()
}

// calendarFolders finds the calendars of a CalDAV snapshot: the folders
// that dav.StateFile describes as a calendar, with their display names.
func (e *exporter) calendarFolders(root format.Ref) error {
	e.calendars = map[string]*merged{}
	return e.r.Walk(e.ctx, root, func(rel string, n format.Node) error {
		if n.Type != format.NodeFile || path.Base(rel) != dav.StateFile || n.Size > 64<<20 {
			return nil
		}
		data, err := e.r.ReadFile(e.ctx, n)
		if err != nil {
			return err
		}
		var st dav.CollectionState
		if json.Unmarshal(data, &st) != nil || st.Type != "calendar" {
			return nil // not a calendar, or not lifeboat's: its files go one by one
		}
		dir := path.Dir(rel)
		name := strings.TrimSpace(st.DisplayName)
		if name == "" {
			name = path.Base(dir)
		}
		e.calendars[dir] = &merged{name: name, tzids: map[string]bool{}}
		return nil
	})
}

// writeCalendars writes each gathered CalDAV calendar, in folder order.
func (e *exporter) writeCalendars() error {
	dirs := make([]string, 0, len(e.calendars))
	for d, m := range e.calendars {
		if m.body.Len() > 0 {
			dirs = append(dirs, d)
		}
	}
	sort.Strings(dirs)
	for _, d := range dirs {
		m := e.calendars[d]
		if err := e.write(e.unique("calendars/"+safeName(m.name)+".ics"), m.bytes()); err != nil {
			return err
		}
		e.res.Calendars++
	}
	return nil
}

// tzid returns a VTIMEZONE's TZID value, or "".
func tzid(z []byte) string {
	for line := range strings.Lines(string(z)) {
		line = strings.TrimRight(line, "\r\n")
		if len(line) > 4 && strings.EqualFold(line[:4], "TZID") && (line[4] == ':' || line[4] == ';') {
			if i := strings.IndexByte(line, ':'); i >= 0 {
				return line[i+1:]
			}
		}
	}
	return ""
}

// escapeText escapes an iCalendar TEXT value (RFC 5545 3.3.11).
func escapeText(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`).Replace(s)
}
