package android

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/lifeboat-backup/lifeboat/source/android/calendar"
	"github.com/lifeboat-backup/lifeboat/source/android/content"
)

const (
	calendarsURI = "content://com.android.calendar/calendars"
	eventsURI    = "content://com.android.calendar/events"
	remindersURI = "content://com.android.calendar/reminders"
	attendeesURI = "content://com.android.calendar/attendees"
)

// restoreCalendar is the local calendar events go into without --account.
const restoreCalendar = "lifeboat"

// phoneEvents are the events on a phone, as signatures, and its calendars.
type phoneEvents struct {
	sigs map[string]bool
	cals []content.Row
}

func readPhoneEvents(ctx context.Context, d shell) (*phoneEvents, error) {
	cals, _, _, err := calendarsQuery.run(ctx, d)
	if err != nil {
		return nil, err
	}
	var tabs [3][]content.Row
	for i, q := range []query{eventsQuery, remindersQuery, attendeesQuery} {
		if tabs[i], _, _, err = q.run(ctx, d); err != nil {
			return nil, err
		}
	}
	events := slices.DeleteFunc(tabs[0], func(r content.Row) bool { return r["deleted"] != "" && r["deleted"] != "0" })
	pe := &phoneEvents{sigs: map[string]bool{}, cals: cals}
	// PhoneSignatures folds a series' cancelled instances into its
	// exdate, as the .ics files carry them.
	for sig := range calendar.PhoneSignatures(calendar.Tables{Calendars: asMaps(cals), Events: asMaps(events), Reminders: asMaps(tabs[1]), Attendees: asMaps(tabs[2])}) {
		pe.sigs[sig] = true
	}
	return pe, nil
}

// target finds the calendar events go into, making the local one when
// it is not there yet (and not on a dry run).
func (pe *phoneEvents) target(ctx context.Context, d shell, opts PutOptions) (id int64, name string, err error) {
	account, typ := restoreCalendar, "LOCAL"
	if opts.Account != "" {
		account, typ = opts.Account, ""
	}
	var accounts []string
	var match content.Row
	for _, c := range pe.cals {
		accounts = append(accounts, c["account_name"])
		if c["account_name"] != account || (typ != "" && c["account_type"] != typ) {
			continue
		}
		// An account's own calendar is the one it owns: a Google
		// account also holds holidays and birthdays, read-only, owned
		// by others (ownerAccount ...#holiday@group.v.calendar.google.com).
		if match == nil || c["ownerAccount"] == account && match["ownerAccount"] != account {
			match = c
		}
	}
	if match != nil {
		id, _ := strconv.ParseInt(match["_id"], 10, 64)
		return id, match["calendar_displayName"], nil
	}
	if opts.Account != "" {
		slices.Sort(accounts)
		return 0, "", fmt.Errorf("%w: the phone has no calendar of account %q (it has: %s)", ErrAccount, opts.Account, quoteList(slices.Compact(accounts)))
	}
	if opts.DryRun {
		return 0, restoreCalendar + " (new)", nil
	}
	row := calendar.LocalCalendar(restoreCalendar, restoreCalendar, "")
	uri := calendarsURI + "?caller_is_syncadapter=true&account_name=" + restoreCalendar + "&account_type=LOCAL"
	if err := insert(ctx, d, uri, stringBinds(row, nil)); err != nil {
		return 0, "", fmt.Errorf("making the local calendar %q: %w", restoreCalendar, err)
	}
	id, err = maxID(ctx, d, calendarsURI, accountWhere([]content.Bind{{Name: "account_name", Value: restoreCalendar}, {Name: "account_type", Value: "LOCAL"}}))
	return id, restoreCalendar, err
}

// putEvents inserts the events the phone does not have into one calendar,
// then reads the phone's events again to check it kept each.
func putEvents(ctx context.Context, d shell, opts PutOptions, files []Record, res *PutResult, skipped map[string]bool, pr *progress) error {
	pe, err := readPhoneEvents(ctx, d)
	if errors.Is(err, errNoProvider) {
		res.Failed = append(res.Failed, fmt.Sprintf("%d calendar files not put: the phone has no Calendar provider", len(files)))
		return nil
	}
	if err != nil {
		return err
	}
	calID, calName := int64(0), ""
	var last int64 // the largest event _id, once known
	added := map[string]string{}
	for _, f := range files {
		pr.step()
		events, todos, skip, err := calendar.FromICalendar(f.Data)
		if err != nil {
			res.Failed = append(res.Failed, fmt.Sprintf("%s: %v", f.From, err))
			continue
		}
		res.Todos += todos
		for _, s := range skip {
			skipped[s] = true
		}
		for _, ev := range events {
			sig := calendar.Signature(ev.Values, ev.Reminders, ev.Attendees)
			if pe.sigs[sig] {
				res.Events.Present++
				continue
			}
			pe.sigs[sig] = true
			res.Events.Added++
			if calName == "" {
				if calID, calName, err = pe.target(ctx, d, opts); err != nil {
					return err
				}
				res.Calendar = calName
			}
			if opts.DryRun {
				continue
			}
			if last == 0 {
				if last, err = maxID(ctx, d, eventsURI, ""); err != nil {
					return err
				}
			}
			if err := insertEvent(ctx, d, calID, ev, 0, &last); err != nil {
				if fatal(ctx, err) {
					return err
				}
				res.Events.Added--
				res.Failed = append(res.Failed, fmt.Sprintf("%s: %s: %v", f.From, ev.Values["title"], err))
				continue
			}
			added[sig] = f.From + ": " + ev.Values["title"]
		}
	}
	if len(added) == 0 {
		return nil
	}
	now, err := readPhoneEvents(ctx, d)
	if err != nil {
		return err
	}
	kept(added, now.sigs, &res.Events, res, "event")
	return nil
}

// insertEvent inserts one event (an exception when original is set), its
// reminders and attendees, then its exceptions; last is the largest event
// _id before it, and after (see insertContact). The rows of the whole
// series are checked first, so that a series whose reminders, attendees
// or exceptions cannot be put leaves no part of it behind.
func insertEvent(ctx context.Context, d shell, calID int64, ev calendar.Event, original int64, last *int64) error {
	if original == 0 {
		if err := checkEvent(calID, ev, ""); err != nil {
			return err
		}
	}
	orig := ""
	if original > 0 {
		orig = strconv.FormatInt(original, 10)
	}
	if err := insert(ctx, d, eventsURI, eventBinds(calID, ev, orig)); err != nil {
		return err
	}
	id, err := newID(ctx, d, eventsURI, "calendar_id="+strconv.FormatInt(calID, 10), *last)
	if err != nil {
		return err
	}
	if id <= *last {
		return fmt.Errorf("the phone made no event")
	}
	*last = id
	rem, att := eventRows(ev, strconv.FormatInt(id, 10))
	if err := insert(ctx, d, remindersURI, rem...); err != nil {
		return err
	}
	if err := insert(ctx, d, attendeesURI, att...); err != nil {
		return err
	}
	for _, x := range ev.Exceptions {
		if err := insertEvent(ctx, d, calID, x, id, last); err != nil {
			return err
		}
	}
	return nil
}

// checkEvent builds every command of an event and its exceptions, with
// placeholder ids, and returns the first that cannot be run.
func checkEvent(calID int64, ev calendar.Event, original string) error {
	if _, err := lines(eventsURI, [][]content.Bind{eventBinds(calID, ev, original)}); err != nil {
		return err
	}
	rem, att := eventRows(ev, placeholderID)
	if _, err := lines(remindersURI, rem); err != nil {
		return err
	}
	if _, err := lines(attendeesURI, att); err != nil {
		return err
	}
	for _, x := range ev.Exceptions {
		if err := checkEvent(calID, x, placeholderID); err != nil {
			return err
		}
	}
	return nil
}

// eventBinds is an event's row in calendar calID, an exception of the
// event original when that is set.
func eventBinds(calID int64, ev calendar.Event, original string) []content.Bind {
	extra := []content.Bind{{Name: "calendar_id", Type: "l", Value: strconv.FormatInt(calID, 10)}}
	if original != "" {
		extra = append(extra, content.Bind{Name: "original_id", Type: "l", Value: original})
	}
	return stringBinds(ev.Values, extra)
}

// eventRows are an event's reminder and attendee rows, bound to its id.
func eventRows(ev calendar.Event, id string) (rem, att [][]content.Bind) {
	ref := []content.Bind{{Name: "event_id", Type: "l", Value: id}}
	for _, r := range ev.Reminders {
		rem = append(rem, stringBinds(r, ref))
	}
	for _, a := range ev.Attendees {
		att = append(att, stringBinds(a, ref))
	}
	return rem, att
}

// numeric are the calendar columns the provider keeps as numbers.
var numeric = map[string]string{"dtstart": "l", "dtend": "l", "originalInstanceTime": "l", "allDay": "i",
	"originalAllDay": "i", "eventStatus": "i", "availability": "i", "hasAlarm": "i", "minutes": "i", "method": "i",
	"attendeeRelationship": "i", "attendeeType": "i", "attendeeStatus": "i", "calendar_access_level": "i",
	"visible": "i", "sync_events": "i", "calendar_color": "i"}

// stringBinds binds a row's columns, sorted, numbers as numbers, after
// extra.
func stringBinds(row map[string]string, extra []content.Bind) []content.Bind {
	binds := slices.Clone(extra)
	cols := make([]string, 0, len(row))
	for c := range row {
		cols = append(cols, c)
	}
	slices.Sort(cols)
	for _, c := range cols {
		t := "s"
		if n, ok := numeric[c]; ok {
			if _, err := strconv.ParseInt(row[c], 10, 64); err == nil {
				t = n
			}
		}
		binds = append(binds, content.Bind{Name: c, Type: t, Value: row[c]})
	}
	return binds
}

func quoteList(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	out := strconv.Quote(s[0])
	for _, x := range s[1:] {
		out += ", " + strconv.Quote(x)
	}
	return out
}
