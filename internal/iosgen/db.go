package iosgen

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver
)

// schema is Manifest.db's, as iOS 10 and later write it.
const schema = `
CREATE TABLE Files (fileID TEXT PRIMARY KEY, domain TEXT, relativePath TEXT, flags INTEGER, file BLOB);
CREATE INDEX FilesDomainIdx ON Files(domain);
CREATE INDEX FilesRelativePathIdx ON Files(relativePath);
CREATE INDEX FilesFlagsIdx ON Files(flags);
CREATE TABLE Properties (key TEXT PRIMARY KEY, value BLOB);
`

// writeManifestDB writes Manifest.db at name, encrypted with the
// manifest key when encrypt is set, after tamper (if set) rewrote it.
func writeManifestDB(name string, rows []row, encrypt bool, kb *keys, tamper func([]byte) []byte) error {
	data, err := sqliteBytes(schema, func(tx *sql.Tx) error {
		for _, r := range rows {
			if _, err := tx.Exec(`INSERT INTO Files VALUES (?, ?, ?, ?, ?)`, r.id, r.domain, r.rel, r.flags, r.file); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("Manifest.db: %w", err)
	}
	if tamper != nil {
		data = tamper(data)
	}
	if encrypt {
		if data, err = encryptCBC(kb.manifestKey, data); err != nil {
			return err
		}
	}
	return os.WriteFile(name, data, 0o644)
}

// sqliteBytes makes a database of schema in a temporary folder, filled by
// fill in one transaction, and gives its bytes: how every database of a
// generated backup (Manifest.db, the address book, the calendars) is made.
func sqliteBytes(schema string, fill func(*sql.Tx) error) ([]byte, error) {
	dir, err := os.MkdirTemp("", "iosgen-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	name := filepath.Join(dir, "db")
	db, err := sql.Open("sqlite", "file:"+name+"?_pragma=journal_mode(off)")
	if err != nil {
		return nil, err
	}
	err = func() error {
		if _, err := db.Exec(schema); err != nil {
			return err
		}
		tx, err := db.Begin()
		if err != nil {
			return err
		}
		defer tx.Rollback()
		if err := fill(tx); err != nil {
			return err
		}
		return tx.Commit()
	}()
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	return os.ReadFile(name)
}
