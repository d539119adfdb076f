package iphone

import (
	"context"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/lifeboat-backup/lifeboat/source/iphone/addressbook"
	"github.com/lifeboat-backup/lifeboat/source/iphone/calendar"
	"github.com/lifeboat-backup/lifeboat/source/iphone/mobilebackup"
)

// Where iOS keeps what lifeboat understands, in HomeDomain, and the
// camera roll in CameraRollDomain.
const (
	home           = "HomeDomain"
	addressBook    = "Library/AddressBook/AddressBook.sqlitedb"
	addressImages  = "Library/AddressBook/AddressBookImages.sqlitedb"
	calendarDB     = "Library/Calendar/Calendar.sqlitedb"
	reminderStores = "Library/Reminders/Container_v1/Stores/"
	cameraRoll     = "CameraRollDomain"
	dcim           = "Media/DCIM/"
)

// understand adds the rendered contacts, calendars and reminders and the
// camera roll to t, and says what it found.
func understand(ctx context.Context, t *Tree, b *mobilebackup.Backup) (string, error) {
	t.ids = map[string]bool{}
	type item struct {
		rel string
		f   mobilebackup.File
	}
	var items []item
	folders := map[string]bool{}
	for _, f := range b.Files() {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		if f.Flags != mobilebackup.FlagFile {
			continue
		}
		t.ids[f.ID] = true
		if f.Domain == cameraRoll && strings.HasPrefix(f.RelativePath, dcim) {
			if rel, ok := safePath(strings.TrimPrefix(f.RelativePath, "Media/")); ok {
				items = append(items, item{rel, f})
				for d := path.Dir(rel); d != "."; d = path.Dir(d) {
					folders[d] = true
				}
			}
		}
	}
	var photos int
	for _, it := range items {
		// A file named like a folder of photos (a hostile manifest) is
		// kept in backup/ only: the photos keep their folder.
		if !folders[it.rel] && t.add(it.rel, &node{name: path.Base(it.rel), size: it.f.Size, mtime: it.f.ModTime, fileID: it.f.ID, disk: diskPath(b, it.f.ID)}) {
			photos++
		}
	}
	contacts := t.contacts(b)
	cals, lists := t.calendars(ctx, b)
	if err := ctx.Err(); err != nil {
		return "", err
	}
	return fmt.Sprintf("%d files, %d contacts, %d calendars, %d reminder lists, %d photos and videos",
		len(t.ids), contacts, cals, lists, photos), nil
}

// contacts renders the address book under contacts/, one vCard per
// person.
func (t *Tree) contacts(b *mobilebackup.Backup) int {
	db, closeDB, err := openDB(b, addressBook)
	if err != nil {
		if !os.IsNotExist(err) {
			t.fail("contacts", err)
		}
		return 0
	}
	defer closeDB()
	var images *addressbook.DB
	if img, closeImg, err := openDB(b, addressImages); err == nil {
		defer closeImg()
		images = img
	} else if !os.IsNotExist(err) {
		t.fail("contacts", fmt.Errorf("contact pictures: %w", err))
	}
	cards, rep, err := render(db, images)
	if err != nil {
		t.fail("contacts", err)
		return 0
	}
	if rep.Skipped > 0 {
		t.fail("contacts", fmt.Errorf("%d address-book rows could not be read", rep.Skipped))
	}
	for _, c := range cards {
		t.addFile("contacts/"+c.Name, c.Data)
	}
	return len(cards)
}

func render(db, images *addressbook.DB) ([]addressbook.Card, addressbook.Report, error) {
	if images == nil {
		return addressbook.Render(db.DB, nil)
	}
	return addressbook.Render(db.DB, images.DB)
}

// calendars renders Calendar.sqlitedb's calendars under calendars/ and
// every reminder list (the Reminders stores', and those an older iOS kept
// in Calendar.sqlitedb) under reminders/.
func (t *Tree) calendars(ctx context.Context, b *mobilebackup.Backup) (cals, lists int) {
	var results []*calendar.Result
	if res, err := readDB(ctx, b, calendarDB, calendar.Events); err == nil {
		results = append(results, res)
	} else if !os.IsNotExist(err) {
		t.fail("calendars", err)
	}
	for _, f := range b.Files() {
		name := strings.TrimPrefix(f.RelativePath, reminderStores)
		if f.Domain != home || f.Flags != mobilebackup.FlagFile || name == f.RelativePath ||
			strings.Contains(name, "/") || !strings.HasPrefix(name, "Data-") || !strings.HasSuffix(name, ".sqlite") {
			continue
		}
		res, err := readDB(ctx, b, f.RelativePath, calendar.Reminders)
		if err != nil {
			t.fail("reminders", err)
			continue
		}
		results = append(results, res)
	}
	for _, res := range results {
		for _, c := range res.Calendars {
			if t.addUnique("calendars", c.Name, c.Data) {
				cals++
			}
		}
		for _, l := range res.Lists {
			if t.addUnique("reminders", l.Name, l.Data) {
				lists++
			}
		}
		if res.Skipped > 0 {
			t.fail("calendars", fmt.Errorf("%d calendar rows could not be read", res.Skipped))
		}
	}
	return cals, lists
}

// addUnique adds a rendered file under dir, its name made unique (two
// Reminders stores may each hold a list of one title).
func (t *Tree) addUnique(dir, name string, data []byte) bool {
	base, ext := strings.TrimSuffix(name, ".ics"), ".ics"
	for i := 1; i < 1000; i++ {
		rel := dir + "/" + name
		if i > 1 {
			rel = fmt.Sprintf("%s/%s-%d%s", dir, base, i, ext)
		}
		if _, taken := t.nodes[rel]; !taken {
			t.addFile(rel, data)
			return true
		}
	}
	return false
}

// openDB opens a HomeDomain database of the backup in place.
func openDB(b *mobilebackup.Backup, rel string) (*addressbook.DB, func(), error) {
	f, err := b.Find(home, rel)
	if err != nil {
		return nil, nil, os.ErrNotExist
	}
	r, err := b.OpenAt(f.ID)
	if err != nil {
		return nil, nil, err
	}
	db, err := addressbook.Open(r, r.Size())
	if err != nil {
		r.Close()
		return nil, nil, err
	}
	return db, func() { db.Close(); r.Close() }, nil
}

// readDB renders a HomeDomain database with read.
func readDB(ctx context.Context, b *mobilebackup.Backup, rel string, read func(context.Context, io.ReaderAt, int64) (*calendar.Result, error)) (*calendar.Result, error) {
	f, err := b.Find(home, rel)
	if err != nil {
		return nil, os.ErrNotExist
	}
	r, err := b.OpenAt(f.ID)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return read(ctx, r, r.Size())
}

// safePath is a camera-roll path made of valid names only (a hostile
// manifest's "..", empty or over-long names are left out).
func safePath(rel string) (string, bool) {
	parts := strings.Split(rel, "/")
	for _, p := range parts {
		if p == "" || p == "." || p == ".." || len(p) > 255 || strings.ContainsRune(p, 0) {
			return "", false
		}
	}
	return rel, len(parts) > 1
}

// diskPath is where the backup keeps the file fileID.
func diskPath(b *mobilebackup.Backup, id string) string {
	return filepath.Join(b.Info().Dir, id[:2], id)
}

// diskVersion tells a camera-roll item's file on disk apart from the one
// an earlier run read, or from itself before a read: its size and mtime
// (iOS writes a changed file anew; a copy rewriting it in place changes
// its mtime).
func diskVersion(id, disk string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(id))
	if fi, err := os.Lstat(disk); err == nil {
		var buf [16]byte
		binary.LittleEndian.PutUint64(buf[:8], uint64(fi.Size()))
		binary.LittleEndian.PutUint64(buf[8:], uint64(fi.ModTime().UnixNano()))
		h.Write(buf[:])
	}
	return h.Sum64()
}
