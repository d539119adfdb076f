package android

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"path"
	"slices"
	"strings"

	"github.com/lifeboat-backup/lifeboat/source/android/calendar"
	"github.com/lifeboat-backup/lifeboat/source/android/contacts"
	"github.com/lifeboat-backup/lifeboat/source/android/content"
)

// The provider tables a backup reads. The contacts projections are the
// renderer's; the first column of each (_id, or event_id) is required.
var (
	rawQuery    = query{uri: "content://com.android.contacts/raw_contacts", cols: contacts.RawProjection, required: 1}
	dataQuery   = query{uri: "content://com.android.contacts/data", cols: contacts.DataProjection, required: 3}
	groupsQuery = query{uri: "content://com.android.contacts/groups", cols: contacts.GroupProjection, required: 1}

	calendarsQuery = query{uri: "content://com.android.calendar/calendars", required: 1, cols: []string{"_id", "account_name", "account_type",
		"name", "calendar_displayName", "calendar_color", "calendar_timezone", "visible", "ownerAccount"}}
	eventsQuery = query{uri: "content://com.android.calendar/events", required: 3, cols: []string{"_id", "calendar_id", "dtstart",
		"title", "description", "eventLocation", "dtend", "duration", "allDay", "eventTimezone", "eventEndTimezone",
		"rrule", "rdate", "exrule", "exdate", "original_id", "original_sync_id", "originalInstanceTime", "originalAllDay",
		"eventStatus", "availability", "organizer", "uid2445", "deleted"}}
	remindersQuery = query{uri: "content://com.android.calendar/reminders", required: 2, cols: []string{"_id", "event_id", "minutes", "method"}}
	attendeesQuery = query{uri: "content://com.android.calendar/attendees", required: 2, cols: []string{"_id", "event_id",
		"attendeeName", "attendeeEmail", "attendeeRelationship", "attendeeType", "attendeeStatus"}}
)

// mimePhoto is a contact's photo row, whose picture `content query`
// prints as BLOB.
const mimePhoto = "vnd.android.cursor.item/photo"

// rendered is what reading the providers made: files for the tree, and
// what the run's note says.
type rendered struct {
	files      map[string][]byte // slash path → bytes
	contacts   int
	events     int
	withPhoto  int      // contacts with a photo, which rows cannot carry
	dropped    []string // uri: column the phone refused
	noProvider []string
	// missingMedia are media folders the configuration named that the
	// phone does not have.
	missingMedia []string
}

// readProviders reads the Contacts and Calendar providers.
func readProviders(ctx context.Context, d shell) (*rendered, error) {
	out := &rendered{files: map[string][]byte{}}
	if err := out.readContacts(ctx, d); err != nil {
		return nil, err
	}
	if err := out.readCalendars(ctx, d); err != nil {
		return nil, err
	}
	return out, nil
}

// table reads one query, noting refused columns; a missing provider is
// (nil, nil, errNoProvider).
func (o *rendered) table(ctx context.Context, d shell, q query) ([]content.Row, []string, error) {
	rows, cols, dropped, err := q.run(ctx, d)
	for _, c := range dropped {
		o.dropped = append(o.dropped, path.Base(q.uri)+"."+c)
	}
	return rows, cols, err
}

func (o *rendered) readContacts(ctx context.Context, d shell) error {
	raw, rawCols, err := o.table(ctx, d, rawQuery)
	if errors.Is(err, errNoProvider) {
		o.noProvider = append(o.noProvider, "contacts")
		return nil
	}
	if err != nil {
		return err
	}
	data, dataCols, err := o.table(ctx, d, dataQuery)
	if err != nil {
		return err
	}
	groups, groupCols, err := o.table(ctx, d, groupsQuery)
	if errors.Is(err, errNoProvider) {
		groups, err = nil, nil
	}
	if err != nil {
		return err
	}
	cards, err := contacts.Render(raw, data, contacts.GroupTitles(groups))
	if err != nil {
		return err
	}
	byRaw := map[string][]content.Row{}
	photo := map[string]bool{}
	for _, r := range data {
		byRaw[r["raw_contact_id"]] = append(byRaw[r["raw_contact_id"]], r)
		if r["mimetype"] == mimePhoto {
			photo[r["raw_contact_id"]] = true
		}
	}
	rawByID := map[string]content.Row{}
	for _, r := range raw {
		rawByID[r["_id"]] = r
	}
	for _, c := range cards {
		o.files["contacts/"+c.Path] = c.Data
		var b bytes.Buffer
		b.WriteString("{\"raw_contact\": ")
		writeRow(&b, rawCols, rawByID[c.RawID])
		b.WriteString(",\n \"data\": [")
		writeRows(&b, dataCols, sortedByID(byRaw[c.RawID], "_id"))
		b.WriteString("]}\n")
		o.files["contacts/"+strings.TrimSuffix(c.Path, ".vcf")+".rows.json"] = b.Bytes()
		if photo[c.RawID] {
			o.withPhoto++
		}
	}
	o.contacts = len(cards)
	if len(groups) > 0 {
		var b bytes.Buffer
		b.WriteString("[")
		writeRows(&b, groupCols, sortedByID(groups, "_id"))
		b.WriteString("]\n")
		o.files["contacts/"+contacts.GroupsFile] = b.Bytes()
	}
	return nil
}

func (o *rendered) readCalendars(ctx context.Context, d shell) error {
	cals, calCols, err := o.table(ctx, d, calendarsQuery)
	if errors.Is(err, errNoProvider) {
		o.noProvider = append(o.noProvider, "calendar")
		return nil
	}
	if err != nil {
		return err
	}
	var tabs [3][]content.Row
	var cols [3][]string
	for i, q := range []query{eventsQuery, remindersQuery, attendeesQuery} {
		if tabs[i], cols[i], err = o.table(ctx, d, q); err != nil {
			return err
		}
	}
	events := slices.DeleteFunc(tabs[0], func(r content.Row) bool { return r["deleted"] != "" && r["deleted"] != "0" })
	t := calendar.Tables{Calendars: asMaps(cals), Events: asMaps(events), Reminders: asMaps(tabs[1]), Attendees: asMaps(tabs[2])}
	files, err := calendar.Render(t)
	if err != nil {
		return err
	}
	calByID := map[string]content.Row{}
	for _, c := range cals {
		calByID[c["_id"]] = c
	}
	reminders, attendees := groupBy(tabs[1], "event_id"), groupBy(tabs[2], "event_id")
	for _, f := range files {
		o.files["calendars/"+f.Name] = f.Data
		dir := "calendars/" + strings.TrimSuffix(f.Name, ".ics") + ".rows/"
		var b bytes.Buffer
		writeRow(&b, calCols, calByID[f.CalendarID])
		b.WriteString("\n")
		o.files[dir+"calendar.json"] = b.Bytes()
		for _, ev := range events {
			if ev["calendar_id"] != f.CalendarID {
				continue
			}
			var b bytes.Buffer
			b.WriteString("{\"event\": ")
			writeRow(&b, cols[0], ev)
			b.WriteString(",\n \"reminders\": [")
			writeRows(&b, cols[1], sortedByID(reminders[ev["_id"]], "_id"))
			b.WriteString("],\n \"attendees\": [")
			writeRows(&b, cols[2], sortedByID(attendees[ev["_id"]], "_id"))
			b.WriteString("]}\n")
			o.files[dir+safeID(ev["_id"])+".json"] = b.Bytes()
			o.events++
		}
	}
	return nil
}

// writeRow writes a row as a JSON object with the columns in projection
// order, NULL as null: the values exactly as the phone printed them.
func writeRow(b *bytes.Buffer, cols []string, r content.Row) {
	b.WriteString("{")
	for i, c := range cols {
		if i > 0 {
			b.WriteString(", ")
		}
		k, _ := json.Marshal(c)
		b.Write(k)
		b.WriteString(": ")
		v, ok := r[c]
		if !ok {
			b.WriteString("null")
			continue
		}
		s, _ := json.Marshal(v)
		b.Write(s)
	}
	b.WriteString("}")
}

func writeRows(b *bytes.Buffer, cols []string, rows []content.Row) {
	for i, r := range rows {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n  ")
		writeRow(b, cols, r)
	}
}

// sortedByID orders rows by a numeric id column (then as text).
func sortedByID(rows []content.Row, col string) []content.Row {
	rows = slices.Clone(rows)
	slices.SortStableFunc(rows, func(a, b content.Row) int {
		x, y := a[col], b[col]
		if len(x) != len(y) {
			return len(x) - len(y)
		}
		return strings.Compare(x, y)
	})
	return rows
}

func groupBy(rows []content.Row, col string) map[string][]content.Row {
	m := map[string][]content.Row{}
	for _, r := range rows {
		m[r[col]] = append(m[r[col]], r)
	}
	return m
}

func asMaps(rows []content.Row) []map[string]string {
	out := make([]map[string]string, len(rows))
	for i, r := range rows {
		out[i] = r
	}
	return out
}

// safeID makes a provider id a file name: ids are numbers, but a hostile
// or odd provider could print anything.
func safeID(id string) string {
	ok := id != "" && len(id) <= 40 && !strings.ContainsFunc(id, func(r rune) bool { return r < '0' || r > '9' })
	if ok {
		return id
	}
	sum := sha256.Sum256([]byte(id))
	return "id-" + hex.EncodeToString(sum[:10])
}
