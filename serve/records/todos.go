package records

import (
	"slices"
	"strings"
	"time"

	"github.com/lifeboat-backup/lifeboat/pim/recur"
)

// Todo is one VTODO.
type Todo struct {
	ID        string
	Title     string
	Due       time.Time // zero if none; dates and floating times as UTC wall clocks
	DueAllDay bool
	Completed time.Time // COMPLETED, zero if none
	Done      bool      // STATUS:COMPLETED or a COMPLETED time
	Status    string    // STATUS, upper-case, "" if none
	Priority  int       // 1 (highest) to 9, 0 for none
	List      string    // the file's name without extension
	Path      string
	Fields    []Field
	Raw       []byte
}

func (c *Cal) sortTodos() {
	slices.SortStableFunc(c.todos, func(a, b Todo) int {
		if a.Done != b.Done {
			return boolCmp(a.Done, b.Done)
		}
		if a.Due.IsZero() != b.Due.IsZero() {
			return boolCmp(a.Due.IsZero(), b.Due.IsZero())
		}
		if c := a.Due.Compare(b.Due); c != 0 {
			return c
		}
		return strings.Compare(fold(a.Title), fold(b.Title))
	})
}

func boolCmp(a, b bool) int {
	if a == b {
		return 0
	}
	if a {
		return 1
	}
	return -1
}

// Todos returns the to-dos, open ones first by due date (those without
// last), then the done ones.
func (c *Cal) Todos() []Todo { return c.todos }

func newTodo(rel string, p *piece) Todo {
	t := Todo{ID: recordID(p.rec.Identity()), Title: oneLine(text(p, "SUMMARY")), Status: strings.ToUpper(oneLine(text(p, "STATUS"))),
		List: fileLabel(rel), Path: clean(rel), Fields: displayFields(p.props), Raw: p.raw}
	if t.Title == "" {
		t.Title = "(no title)"
	}
	if d, ok := timeOf(p, "DUE", time.UTC); ok {
		t.Due, t.DueAllDay = d.T, d.Kind == recur.Date
	}
	if d, ok := timeOf(p, "COMPLETED", time.UTC); ok {
		t.Completed = d.T
	}
	t.Done = t.Status == "COMPLETED" || !t.Completed.IsZero()
	if q := prop(p, "PRIORITY"); q != nil {
		if n := strings.TrimSpace(q.Value); len(n) == 1 && n[0] >= '0' && n[0] <= '9' {
			t.Priority = int(n[0] - '0')
		}
	}
	return t
}
