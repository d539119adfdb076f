package addressbook

import (
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"time"

	"modernc.org/sqlite/vfs"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver
)

// DB is an SQLite database opened read-only from an io.ReaderAt.
type DB struct {
	*sql.DB
	v *vfs.FS
}

// Close closes the database and forgets its reader.
func (d *DB) Close() error {
	err := d.DB.Close()
	return errors.Join(err, d.v.Close())
}

// Open opens size bytes of r as an SQLite database, read-only and
// immutable, through a VFS of its own, as mobilebackup opens Manifest.db:
// nothing is written beside it (no journal, no -wal or -shm) and a
// decrypted backup file never reaches the disk. A -wal file beside the
// database is not read (immutable=1 ignores it): rows only it holds are
// missed. Whether a backup ever carries AddressBook.sqlitedb-wal is not
// established here.
func Open(r io.ReaderAt, size int64) (*DB, error) {
	name, v, err := vfs.New(oneFile{r: r, size: size})
	if err != nil {
		return nil, fmt.Errorf("address book: %w", err)
	}
	db, err := sql.Open("sqlite", "file:"+dbName+"?vfs="+name+"&mode=ro&immutable=1")
	if err != nil {
		v.Close()
		return nil, fmt.Errorf("address book: %w", err)
	}
	db.SetMaxOpenConns(1)
	return &DB{DB: db, v: v}, nil
}

// dbName is the one file a oneFile holds.
const dbName = "db.sqlitedb"

// oneFile is the fs.FS SQLite reads a database from: one file, never
// written.
type oneFile struct {
	r    io.ReaderAt
	size int64
}

func (o oneFile) Open(name string) (fs.File, error) {
	if name != dbName {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return &dbFile{SectionReader: io.NewSectionReader(o.r, 0, o.size)}, nil
}

type dbFile struct{ *io.SectionReader }

func (f *dbFile) Stat() (fs.FileInfo, error) { return dbInfo{f.Size()}, nil }
func (f *dbFile) Close() error               { return nil }

type dbInfo struct{ size int64 }

func (i dbInfo) Name() string       { return dbName }
func (i dbInfo) Size() int64        { return i.size }
func (i dbInfo) Mode() fs.FileMode  { return 0o400 }
func (i dbInfo) ModTime() time.Time { return time.Time{} }
func (i dbInfo) IsDir() bool        { return false }
func (i dbInfo) Sys() any           { return nil }
