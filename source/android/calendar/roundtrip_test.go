package calendar

import (
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// restoreRows turns FromICalendar's events into provider rows of calendar
// cal with fresh ids (from 1000), as restore would insert them.
func restoreRows(cal map[string]string, evs []Event) Tables {
	t := Tables{Calendars: []map[string]string{cal}}
	id := 1000
	add := func(ev Event, master string) string {
		id++
		row := map[string]string{"_id": strconv.Itoa(id), "calendar_id": cal["_id"]}
		for k, v := range ev.Values {
			row[k] = v
		}
		if master != "" {
			row["original_id"] = master
		}
		t.Events = append(t.Events, row)
		for _, r := range ev.Reminders {
			t.Reminders = append(t.Reminders, withID(r, row["_id"]))
		}
		for _, a := range ev.Attendees {
			t.Attendees = append(t.Attendees, withID(a, row["_id"]))
		}
		return row["_id"]
	}
	for _, ev := range evs {
		mid := add(ev, "")
		for _, x := range ev.Exceptions {
			add(x, mid)
		}
	}
	return t
}

func withID(m map[string]string, id string) map[string]string {
	out := map[string]string{"event_id": id}
	for k, v := range m {
		out[k] = v
	}
	return out
}

// roundTripExceptions are the differences a round trip is allowed, each
// asserted to occur: UID of the event, the property, and why.
var roundTripExceptions = []struct{ uid, prop, why string }{
	// Event 17 has neither dtend nor duration; the provider refuses such
	// an insert (validateEventData), so restore gives it dtend = dtstart,
	// which renders as a DTEND equal to DTSTART.
	{derivedUID(map[string]string{"_id": "2", "account_name": "Phone", "account_type": "LOCAL"}, "17"), "DTEND", "provider needs an end"},
}

// veventBlocks returns the VEVENTs of a file, unfolded, with the EXDATE
// lines of one value type merged and sorted: the renderer writes a
// master's cancelled exceptions as an EXDATE line of their own, and the
// restored series holds them in its exdate column, which renders as one
// line per value type (the same instants).
func veventBlocks(data []byte) []string {
	var out []string
	var cur []string
	ex := map[string][]string{}
	for _, ln := range unfold(data) {
		switch {
		case ln == "BEGIN:VEVENT":
			cur, ex = []string{ln}, map[string][]string{}
		case ln == "END:VEVENT":
			var keys []string
			for k := range ex {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				sort.Strings(ex[k])
				cur = append(cur, k+":"+strings.Join(ex[k], ","))
			}
			out = append(out, strings.Join(append(cur, ln), "\n"))
			cur = nil
		case cur != nil && strings.HasPrefix(ln, "EXDATE"):
			k, v, _ := strings.Cut(ln, ":")
			ex[k] = append(ex[k], strings.Split(v, ",")...)
		case cur != nil:
			cur = append(cur, ln)
		}
	}
	return out
}

// TestRoundTrip: the fixture rendered, read back with FromICalendar, and
// rendered again gives the same VEVENTs, up to roundTripExceptions; and
// the restored rows have the fixture rows' signatures, up to the cancelled
// exceptions folded into their master's exdate.
func TestRoundTrip(t *testing.T) {
	fx := fixture()
	files, err := Render(fx)
	if err != nil {
		t.Fatal(err)
	}
	cals := map[string]map[string]string{}
	for _, c := range fx.Calendars {
		cals[c["_id"]] = c
	}
	seenExc := map[int]bool{}
	restored := map[string]Tables{}
	for _, f := range files {
		evs, todos, skipped, err := FromICalendar(f.Data)
		if err != nil || todos != 0 || len(skipped) != 0 {
			t.Fatalf("%s: err %v, todos %d, skipped %v", f.Name, err, todos, skipped)
		}
		rt := restoreRows(cals[f.CalendarID], evs)
		restored[f.CalendarID] = rt
		again, err := Render(rt)
		if err != nil {
			t.Fatal(err)
		}
		a, b := veventBlocks(f.Data), veventBlocks(again[0].Data)
		if len(a) != len(b) {
			t.Fatalf("%s: %d VEVENTs, round trip %d", f.Name, len(a), len(b))
		}
		for i := range a {
			bi := b[i]
			for n, x := range roundTripExceptions {
				if !strings.Contains(a[i], "\nUID:"+x.uid+"\n") {
					continue
				}
				var kept []string
				for _, ln := range strings.Split(bi, "\n") {
					if strings.HasPrefix(ln, x.prop+":") || strings.HasPrefix(ln, x.prop+";") {
						if !strings.Contains(a[i], "\n"+x.prop) {
							seenExc[n] = true
							continue
						}
					}
					kept = append(kept, ln)
				}
				bi = strings.Join(kept, "\n")
			}
			if a[i] != bi {
				t.Errorf("%s VEVENT %d:\nfirst:\n%s\nround trip:\n%s", f.Name, i, a[i], b[i])
			}
		}
		// The zones are the same, so the whole files are, but for the VEVENTs.
		if strings.Count(string(f.Data), "BEGIN:VTIMEZONE") != strings.Count(string(again[0].Data), "BEGIN:VTIMEZONE") {
			t.Errorf("%s: VTIMEZONEs differ", f.Name)
		}
	}
	// The comparison covered every kind of property the renderer writes.
	var all strings.Builder
	for _, f := range files {
		all.Write(f.Data)
	}
	for _, p := range []string{"UID:", "DTSTART;TZID=", "DTSTART;VALUE=DATE:", "DTEND;TZID=", "DURATION:", "RRULE:", "RDATE;TZID=",
		"EXDATE:", "EXDATE;TZID=", "RECURRENCE-ID;TZID=", "RECURRENCE-ID;VALUE=DATE:", "BEGIN:VALARM", "ACTION:EMAIL",
		"ATTENDEE;", "ORGANIZER;", "STATUS:", "TRANSP:TRANSPARENT", "DESCRIPTION:Line 1\\n"} {
		if !strings.Contains(all.String(), "\r\n"+p) {
			t.Errorf("the fixture's rendering has no %s: the round trip does not cover it", p)
		}
	}
	for n, x := range roundTripExceptions {
		if !seenExc[n] {
			t.Errorf("exception %s %s (%s) did not occur: drop it", x.uid, x.prop, x.why)
		}
	}
	checkSignatures(t, fx, restored)
}

// checkSignatures compares each rendered fixture event with its restored
// row. The restored master holds its cancelled exceptions as exdate
// values (that is how the .ics carries them), so its signature is that of
// the fixture row with those instants added to exdate; the cancelled rows
// themselves are not restored.
func checkSignatures(t *testing.T, fx Tables, restored map[string]Tables) {
	t.Helper()
	sub := func(rows []map[string]string, id string) []map[string]string {
		var out []map[string]string
		for _, r := range rows {
			if r["event_id"] == id {
				out = append(out, r)
			}
		}
		return out
	}
	type key struct{ cal, uid, orig string }
	got := map[key]string{}
	for cal, rt := range restored {
		byID := map[string]map[string]string{}
		for _, ev := range rt.Events {
			byID[ev["_id"]] = ev
		}
		for _, ev := range rt.Events {
			u := ev["uid2445"]
			if m := byID[ev["original_id"]]; m != nil {
				u = m["uid2445"]
			}
			got[key{cal, u, ev["originalInstanceTime"]}] = Signature(ev, sub(rt.Reminders, ev["_id"]), sub(rt.Attendees, ev["_id"]))
		}
	}
	cals := map[string]map[string]string{}
	for _, c := range fx.Calendars {
		cals[c["_id"]] = c
	}
	byID := map[string]map[string]string{}
	for _, ev := range fx.Events {
		byID[ev["_id"]] = ev
	}
	compared, folded := 0, 0
	for _, ev := range fx.Events {
		cal := cals[ev["calendar_id"]]
		if cal == nil || ev["eventStatus"] == "2" && ev["original_id"] != "" {
			continue // not rendered, or a cancelled exception (an EXDATE of its master)
		}
		want := map[string]string{}
		for k, v := range ev {
			want[k] = v
		}
		u := uid(cal, ev)
		if m := byID[ev["original_id"]]; m != nil {
			u = uid(cal, m)
		}
		for _, x := range fx.Events {
			if x["original_id"] == ev["_id"] && x["eventStatus"] == "2" {
				ms, _ := strconv.ParseInt(x["originalInstanceTime"], 10, 64)
				want["exdate"] += "\n" + time.UnixMilli(ms).UTC().Format(utcLayout)
				folded++
			}
		}
		s, ok := got[key{ev["calendar_id"], u, ev["originalInstanceTime"]}]
		if !ok {
			t.Errorf("event %s not restored", ev["_id"])
			continue
		}
		compared++
		if w := Signature(want, sub(fx.Reminders, ev["_id"]), sub(fx.Attendees, ev["_id"])); s != w {
			t.Errorf("event %s: signature of the restored row differs", ev["_id"])
		}
	}
	if compared != 9 || folded != 3 {
		t.Errorf("compared %d events, folded %d cancelled exceptions; want 9 and 3", compared, folded)
	}
	// PhoneSignatures does that folding: every restored row is among the
	// phone's signatures (the orphan's too: its calendar is not rendered, but
	// its row is on the phone), and nothing else is.
	phone := PhoneSignatures(fx)
	if len(phone) != 10 {
		t.Errorf("%d phone signatures, want 10 (13 rows less 3 cancelled exceptions)", len(phone))
	}
	for k, s := range got {
		if _, ok := phone[s]; !ok {
			t.Errorf("restored %v is not among PhoneSignatures", k)
		}
	}
}
