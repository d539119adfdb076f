package calendar

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Signature is the content identity of one event (its row and its reminders and attendees),
// independent of _id, calendar_id, account and row order; restore skips an event whose signature equals one on the phone.
//
// It covers what an .ics file carries, normalised so that a row read from
// a phone and the row FromICalendar makes of its rendering agree: the
// length (dtend - dtstart, else duration, else 0, a day for all-day)
// instead of dtend or duration; rdate and exdate as sorted instants;
// eventTimezone UTC for all-day events and for names of UTC; an
// eventEndTimezone equal to eventTimezone dropped; allDay, originalAllDay,
// availability and the attendee columns with absent read as 0; uid2445
// dropped when the renderer derived it ("@android.lifeboat"); hasAlarm
// dropped (the reminders say it). Reminders with minutes below 0 (the
// provider's "default") are left out, methods 0 and 3 (default, SMS) read
// as 1 (alert), and 2 (email) as 1 when the event has no organizer, as
// the renderer writes them; attendees with neither name nor email are left
// out, attendeeRelationship other than 2 reads as 1, the type of an
// organizer (relationship 2) reads as 1 unless 3 (resource), and names
// read as a parameter holds them (a double quote as ').
func Signature(ev map[string]string, reminders, attendees []map[string]string) string {
	var b strings.Builder
	put := func(k, v string) {
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(strconv.Quote(v))
		b.WriteByte('\n')
	}
	allDay := boolCol(ev["allDay"])
	start, _ := millis(ev, "dtstart")
	put("allDay", allDay)
	put("dtstart", strconv.FormatInt(start, 10))
	put("length", strconv.FormatInt(rowLength(ev, start, allDay == "1"), 10))
	tz := normZone(ev["eventTimezone"])
	if allDay == "1" {
		tz = "UTC"
	}
	put("eventTimezone", tz)
	if etz := normZone(ev["eventEndTimezone"]); ev["eventEndTimezone"] != "" && etz != tz && allDay != "1" && !isRecurring(ev) {
		put("eventEndTimezone", etz)
	}
	for _, c := range []string{"title", "description", "eventLocation", "rrule", "exrule", "eventStatus"} {
		put(c, strings.TrimSpace(ev[c]))
	}
	put("rdate", instants(ev["rdate"]))
	put("exdate", instants(ev["exdate"]))
	put("availability", zero(ev["availability"]))
	put("organizer", strings.ToLower(strings.TrimSpace(ev["organizer"])))
	if u := strings.TrimSpace(ev["uid2445"]); u != "" && !strings.HasSuffix(u, "@android.lifeboat") {
		put("uid2445", u)
	}
	if t, ok := millis(ev, "originalInstanceTime"); ok {
		put("originalInstanceTime", strconv.FormatInt(t, 10))
		put("originalAllDay", boolCol(ev["originalAllDay"]))
	}
	var rs []string
	for _, r := range reminders {
		m, err := strconv.Atoi(strings.TrimSpace(r["minutes"]))
		if err != nil || m < 0 {
			continue
		}
		method := zero(r["method"])
		switch {
		case method == "0" || method == "3", method == "2" && ev["organizer"] == "":
			method = "1"
		}
		rs = append(rs, strconv.Itoa(m)+"/"+method)
	}
	sort.Strings(rs)
	put("reminders", strings.Join(rs, ","))
	var as []string
	for _, a := range attendees {
		if a["attendeeName"] == "" && a["attendeeEmail"] == "" {
			continue
		}
		rel, typ := "1", zero(a["attendeeType"])
		if a["attendeeRelationship"] == "2" {
			rel = "2"
			if typ != "3" {
				typ = "1"
			}
		}
		as = append(as, strconv.Quote(paramValue(a["attendeeName"]))+" "+strconv.Quote(strings.ToLower(a["attendeeEmail"]))+" "+rel+" "+typ+" "+zero(a["attendeeStatus"]))
	}
	sort.Strings(as)
	put("attendees", strings.Join(as, "\n"))
	h := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(h[:])
}

// boolCol reads a boolean column: "1" or "0".
func boolCol(v string) string {
	if strings.TrimSpace(v) == "1" {
		return "1"
	}
	return "0"
}

// zero reads an absent or blank column as "0".
func zero(v string) string {
	if v = strings.TrimSpace(v); v == "" {
		return "0"
	}
	return v
}

// normZone writes the names of UTC as "UTC".
func normZone(tz string) string {
	if name, _ := zoneOf(tz); name != "" {
		return name
	}
	if _, ok := ianaZone(tz); ok || tz == "" {
		return "UTC"
	}
	return tz
}

// rowLength is an event's length in seconds.
func rowLength(ev map[string]string, start int64, allDay bool) int64 {
	if e, ok := millis(ev, "dtend"); ok && !isRecurring(ev) && e >= start {
		return (e - start) / 1000
	}
	if d, ok := parseDuration(ev["duration"]); ok {
		return d
	}
	if allDay {
		return 86400
	}
	return 0
}

// instants reads an rdate/exdate column as sorted, distinct instants (ms;
// DATE values at UTC midnight, local values in their set's zone, UTC when
// Go does not know it).
func instants(col string) string {
	seen := map[int64]bool{}
	var out []int64
	for _, set := range strings.FieldsFunc(col, func(r rune) bool { return r == '\n' || r == '\r' }) {
		tz := ""
		if i := strings.IndexByte(set, ';'); i >= 0 {
			tz, set = strings.TrimPrefix(strings.TrimSpace(set[:i]), "TZID="), set[i+1:]
		}
		loc := mustZone(tz)
		for _, v := range strings.Split(set, ",") {
			v = strings.TrimSpace(v)
			var t time.Time
			var err error
			switch {
			case !validSetValue(v):
				continue
			case len(v) == 8:
				t, err = time.ParseInLocation(dateLayout, v, time.UTC)
			case strings.HasSuffix(v, "Z"):
				t, err = time.ParseInLocation(utcLayout, v, time.UTC)
			default:
				t, err = time.ParseInLocation(localLayout, v, loc)
			}
			if err == nil && !seen[t.UnixMilli()] {
				seen[t.UnixMilli()] = true
				out = append(out, t.UnixMilli())
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	s := make([]string, len(out))
	for i, t := range out {
		s[i] = strconv.FormatInt(t, 10)
	}
	return strings.Join(s, ",")
}

// LocalCalendar is the calendars row restore creates when the phone has no calendar of the account asked for
// (through content://com.android.calendar/calendars?caller_is_syncadapter=true&account_name=NAME&account_type=LOCAL):
// name, calendar_displayName, account_name, account_type=LOCAL, ownerAccount, calendar_access_level=700, visible=1, sync_events=1, calendar_timezone.
//
// 700 is CalendarContract.Calendars.CAL_ACCESS_OWNER; a calendar of
// account type LOCAL is never synced, and only a sync adapter may create
// one (CalendarProvider2 refuses inserts into calendars otherwise). An
// empty displayName is the account name, an empty tz UTC.
func LocalCalendar(account, displayName, tz string) map[string]string {
	if displayName == "" {
		displayName = account
	}
	if tz == "" {
		tz = "UTC"
	}
	return map[string]string{
		"name": displayName, "calendar_displayName": displayName, "account_name": account, "account_type": "LOCAL",
		"ownerAccount": account, "calendar_access_level": "700", "visible": "1", "sync_events": "1", "calendar_timezone": tz,
	}
}

// PhoneSignatures returns the Signature of every event among the rows (the
// phone's, as read for backup), keyed to its _id, as FromICalendar's events
// of their rendering have them: a series' cancelled exceptions (eventStatus
// 2, originalInstanceTime set, the master among the rows) are instants of
// its exdate, as the renderer writes them, and have no signature of their
// own. Restore skips an event whose Signature is a key.
func PhoneSignatures(t Tables) map[string]string {
	rem := group(t.Reminders)
	att := group(t.Attendees)
	ids := map[string]bool{}
	for _, ev := range t.Events {
		ids[ev["_id"]] = true
	}
	cancelled := map[string][]string{} // master _id -> instants
	for _, ev := range t.Events {
		if ms, ok := millis(ev, "originalInstanceTime"); ok && ev["eventStatus"] == "2" && ids[ev["original_id"]] && ev["original_id"] != "" {
			cancelled[ev["original_id"]] = append(cancelled[ev["original_id"]], time.UnixMilli(ms).UTC().Format(utcLayout))
		}
	}
	out := map[string]string{}
	for _, ev := range t.Events {
		if _, ok := millis(ev, "originalInstanceTime"); ok && ev["eventStatus"] == "2" && ids[ev["original_id"]] && ev["original_id"] != "" {
			continue
		}
		if c := cancelled[ev["_id"]]; len(c) > 0 {
			folded := make(map[string]string, len(ev))
			for k, v := range ev {
				folded[k] = v
			}
			folded["exdate"] = strings.TrimPrefix(ev["exdate"]+"\n"+strings.Join(c, ","), "\n")
			ev = folded
		}
		out[Signature(ev, rem[ev["_id"]], att[ev["_id"]])] = ev["_id"]
	}
	return out
}
