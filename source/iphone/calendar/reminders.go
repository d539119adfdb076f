package calendar

import (
	"context"
	"fmt"
	"io"
)

// reminderLists renders the reminders Calendar.sqlitedb holds (iOS 12 and
// before): CalendarItem rows of entity type 3, listed by their calendar.
func (t tables) reminderLists(res *Result) ([]File, int) {
	var todos []todo
	used := map[string]bool{}
	for _, it := range t.items {
		if intOf(it, "entity_type") != entityReminder {
			continue
		}
		td := todo{list: it["calendar_id"], key: it["rowid"], uid: it["unique_identifier"], title: it["summary"], notes: it["description"],
			priority: intOf(it, "priority"), dueAllDay: intOf(it, "due_all_day") == 1 || intOf(it, "all_day") == 1}
		if td.uid == "" {
			td.uid = it["uuid"]
		}
		if !readTimes(&td, it, "due_date", "completion_date", res) {
			continue
		}
		used[td.list] = true
		todos = append(todos, td)
	}
	var lists []list
	for _, c := range t.cals {
		if used[c["rowid"]] {
			lists = append(lists, list{key: c["rowid"], title: c["title"], uid: c["uuid"]})
		}
	}
	return renderLists(lists, todos, res)
}

// readTimes sets a to-do's due and completion times; false (and counted)
// when a time is there but unreadable.
func readTimes(td *todo, row map[string]string, dueCol, doneCol string, res *Result) bool {
	var ok bool
	if _, has := row[dueCol]; has {
		if td.due, ok = appleTime(row, dueCol); !ok {
			res.Skipped++
			return false
		}
	}
	if _, has := row[doneCol]; has {
		if td.completedAt, ok = appleTime(row, doneCol); !ok {
			res.Skipped++
			return false
		}
	}
	return true
}

// Reminders renders a Reminders store (iOS 13 and later), size bytes read
// through r: ZREMCDREMINDER's rows, one file per list of ZREMCDBASELIST
// (ZREMCDOBJECT before iOS 15). Reminders marked for deletion are left
// out. A store without ZREMCDREMINDER is an error.
func Reminders(ctx context.Context, r io.ReaderAt, size int64) (*Result, error) {
	db, err := openDB(r, size)
	if err != nil {
		return nil, fmt.Errorf("Reminders store: %w", err)
	}
	defer db.Close()
	res, err := readReminders(ctx, db)
	if err != nil {
		return nil, fmt.Errorf("Reminders store: %w", err)
	}
	return res, nil
}

func readReminders(ctx context.Context, db *database) (*Result, error) {
	cols, err := db.columns(ctx, "ZREMCDREMINDER")
	if err != nil {
		return nil, err
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("no ZREMCDREMINDER table")
	}
	rems, err := db.rows(ctx, "ZREMCDREMINDER", "Z_PK", "ZTITLE", "ZNOTES", "ZDUEDATE", "ZALLDAY", "ZCOMPLETED", "ZCOMPLETIONDATE",
		"ZPRIORITY", "ZLIST", "ZCKIDENTIFIER", "ZDACALENDARITEMUNIQUEIDENTIFIER", "ZMARKEDFORDELETION")
	if err != nil {
		return nil, err
	}
	listTable := "ZREMCDBASELIST"
	if c, err := db.columns(ctx, listTable); err != nil {
		return nil, err
	} else if len(c) == 0 {
		listTable = "ZREMCDOBJECT"
	}
	lrows, err := db.rows(ctx, listTable, "Z_PK", "ZNAME", "ZCKIDENTIFIER", "ZMARKEDFORDELETION")
	if err != nil {
		return nil, err
	}
	res := &Result{}
	var lists []list
	for _, l := range lrows {
		if l["z_pk"] == "" || intOf(l, "zmarkedfordeletion") == 1 || l["zname"] == "" {
			continue
		}
		lists = append(lists, list{key: l["z_pk"], title: l["zname"], uid: l["zckidentifier"]})
	}
	var todos []todo
	for _, r := range rems {
		if intOf(r, "zmarkedfordeletion") == 1 {
			continue
		}
		td := todo{list: r["zlist"], key: r["z_pk"], uid: r["zdacalendaritemuniqueidentifier"], title: r["ztitle"], notes: r["znotes"],
			priority: intOf(r, "zpriority"), dueAllDay: intOf(r, "zallday") == 1, completed: intOf(r, "zcompleted") == 1}
		if td.key == "" {
			td.key = r["rowid"]
		}
		if td.uid == "" {
			td.uid = r["zckidentifier"]
		}
		if !readTimes(&td, r, "zduedate", "zcompletiondate", res) {
			continue
		}
		todos = append(todos, td)
	}
	res.Lists, res.Todos = renderLists(lists, todos, res)
	return res, nil
}
