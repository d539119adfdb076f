package serve

import (
	"context"
	"errors"
	"sync"

	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/serve/records"
)

// recordCache keeps the contacts and calendars of the few snapshots
// looked at last, so that a search, a card and the list after it read the
// snapshot's vCard files once.
type recordCache struct {
	mu       sync.Mutex
	contacts []cached[[]records.Contact]
	cals     []cached[*records.Cal]
}

type cached[T any] struct {
	id  string
	val T
}

// recordCacheSize is how many snapshots' records each list keeps.
const recordCacheSize = 4

// get returns the list's value for id, or loads it (errors are not kept).
func getCached[T any](mu *sync.Mutex, list *[]cached[T], id string, load func() (T, error)) (T, error) {
	mu.Lock()
	for i, c := range *list {
		if c.id == id {
			*list = append(append([]cached[T]{c}, (*list)[:i]...), (*list)[i+1:]...)
			mu.Unlock()
			return c.val, nil
		}
	}
	mu.Unlock()
	v, err := load()
	if err != nil {
		return v, err
	}
	mu.Lock()
	*list = append([]cached[T]{{id: id, val: v}}, *list...)
	if len(*list) > recordCacheSize {
		*list = (*list)[:recordCacheSize]
	}
	mu.Unlock()
	return v, nil
}

// contactsOf returns the contacts of a snapshot, sorted by name.
func (s *Server) contactsOf(ctx context.Context, sn repo.SnapshotInfo) ([]records.Contact, error) {
	return getCached(&s.recs.mu, &s.recs.contacts, sn.ID.String(), func() ([]records.Contact, error) {
		cs, err := records.Contacts(ctx, s.r, sn.Root.Content)
		if errors.Is(err, records.ErrTooMany) {
			err = nil // the first MaxRecords are shown
		}
		return cs, err
	})
}

// calendarOf returns the calendars and to-dos of a snapshot.
func (s *Server) calendarOf(ctx context.Context, sn repo.SnapshotInfo) (*records.Cal, error) {
	return getCached(&s.recs.mu, &s.recs.cals, sn.ID.String(), func() (*records.Cal, error) {
		c, err := records.Calendar(ctx, s.r, sn.Root.Content)
		if errors.Is(err, records.ErrTooMany) {
			err = nil
		}
		return c, err
	})
}

// historySnaps lists the snapshots of sn's source, oldest first, as the
// histories of records want them.
func (s *Server) historySnaps(ctx context.Context, sn repo.SnapshotInfo) ([]records.Snap, error) {
	list, err := s.sourceSnapshots(ctx, sn.Host, sn.Source)
	if err != nil {
		return nil, err
	}
	out := make([]records.Snap, 0, len(list))
	for i := len(list) - 1; i >= 0; i-- {
		out = append(out, records.Snap{ID: list[i].ID.String(), Time: list[i].Time, Root: list[i].Root.Content})
	}
	return out, nil
}
