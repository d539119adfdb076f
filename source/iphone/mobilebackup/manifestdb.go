package mobilebackup

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"time"

	"modernc.org/sqlite/vfs"

	"github.com/lifeboat-backup/lifeboat/source/iphone/mbformat"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver
)

// maxFiles bounds the rows of Manifest.db's Files table that are read; a
// full backup of a large phone has a few hundred thousand.
const maxFiles = 5_000_000

// maxName bounds a domain or relative path.
const maxName = 4096

// Flags of a Files row.
const (
	FlagFile    = 1
	FlagDir     = 2
	FlagSymlink = 4
)

// dbFS is the fs.FS that SQLite reads Manifest.db from: one file, read
// through r (the file itself, or its decryption), never written.
type dbFS struct {
	r    io.ReaderAt
	size int64
}

func (d dbFS) Open(name string) (fs.File, error) {
	if name != "Manifest.db" {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return &dbFile{SectionReader: io.NewSectionReader(d.r, 0, d.size)}, nil
}

// dbFile is Manifest.db open for SQLite: it reads and seeks.
type dbFile struct{ *io.SectionReader }

func (f *dbFile) Stat() (fs.FileInfo, error) { return dbInfo{f.Size()}, nil }
func (f *dbFile) Close() error               { return nil }

type dbInfo struct{ size int64 }

func (i dbInfo) Name() string       { return "Manifest.db" }
func (i dbInfo) Size() int64        { return i.size }
func (i dbInfo) Mode() fs.FileMode  { return 0o400 }
func (i dbInfo) ModTime() time.Time { return time.Time{} }
func (i dbInfo) IsDir() bool        { return false }
func (i dbInfo) Sys() any           { return nil }

// readFiles lists Manifest.db's Files table from r, size bytes of
// plaintext SQLite. SQLite reads it read-only and immutable, so nothing is
// written beside the backup and no plaintext reaches the disk.
func readFiles(ctx context.Context, r io.ReaderAt, size int64) ([]File, error) {
	name, v, err := vfs.New(dbFS{r: r, size: size})
	if err != nil {
		return nil, fmt.Errorf("Manifest.db: %w", err)
	}
	defer v.Close()
	db, err := sql.Open("sqlite", "file:Manifest.db?vfs="+name+"&mode=ro&immutable=1")
	if err != nil {
		return nil, fmt.Errorf("Manifest.db: %w", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	rows, err := db.QueryContext(ctx, `SELECT
		CASE WHEN length(fileID) <= 64 THEN fileID END,
		CASE WHEN length(domain) <= ?1 THEN domain END,
		CASE WHEN length(relativePath) <= ?1 THEN relativePath END,
		flags,
		CASE WHEN length(file) <= ?2 THEN file END,
		length(file)
		FROM Files LIMIT ?3`, maxName, mbformat.MaxMBFile, maxFiles+1)
	if err != nil {
		return nil, fmt.Errorf("Manifest.db: %w", err)
	}
	defer rows.Close()
	var files []File
	for rows.Next() {
		if len(files) == maxFiles {
			return nil, fmt.Errorf("Manifest.db: more than %d files", maxFiles)
		}
		var id, domain, rel sql.NullString
		var flags sql.NullInt64
		var blob []byte
		var blobLen sql.NullInt64
		if err := rows.Scan(&id, &domain, &rel, &flags, &blob, &blobLen); err != nil {
			return nil, fmt.Errorf("Manifest.db: %w", err)
		}
		if !id.Valid || !validID(id.String) {
			return nil, fmt.Errorf("Manifest.db: fileID %.80q is not 40 hex digits", id.String)
		}
		if !domain.Valid || !rel.Valid {
			return nil, fmt.Errorf("Manifest.db: file %s: domain or relativePath missing or longer than %d", id.String, maxName)
		}
		f := File{ID: id.String, Domain: domain.String, RelativePath: rel.String, Flags: int(flags.Int64)}
		if blobLen.Int64 > mbformat.MaxMBFile {
			return nil, fmt.Errorf("Manifest.db: file %s: MBFile of %d bytes", id.String, blobLen.Int64)
		}
		if len(blob) > 0 {
			mb, err := mbformat.ParseMBFile(blob)
			if err != nil {
				return nil, fmt.Errorf("Manifest.db: file %s: %w", id.String, err)
			}
			f.Size, f.Mode, f.ModTime, f.Birth = mb.Size, mb.Mode, mb.ModTime, mb.Birth
			f.ProtectionClass, f.Target, f.encryptionKey = mb.ProtectionClass, mb.Target, mb.EncryptionKey
		}
		files = append(files, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("Manifest.db: %w", err)
	}
	if len(files) == 0 {
		return nil, errors.New("Manifest.db: no files")
	}
	return files, nil
}

// validID reports whether id is a fileID: 40 lowercase hex digits, so
// that it names a file inside the backup and nothing else.
func validID(id string) bool {
	if len(id) != 40 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
