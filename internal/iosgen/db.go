package iosgen

import (
	"database/sql"
	"fmt"
	"os"

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
	tmp := name + ".tmp"
	os.Remove(tmp)
	db, err := sql.Open("sqlite", "file:"+tmp+"?_pragma=journal_mode(off)")
	if err != nil {
		return err
	}
	err = fill(db, rows)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("Manifest.db: %w", err)
	}
	data, err := os.ReadFile(tmp)
	if err != nil {
		return err
	}
	os.Remove(tmp)
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

func fill(db *sql.DB, rows []row) error {
	if _, err := db.Exec(schema); err != nil {
		return err
	}
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, r := range rows {
		if _, err := tx.Exec(`INSERT INTO Files VALUES (?, ?, ?, ?, ?)`, r.id, r.domain, r.rel, r.flags, r.file); err != nil {
			return err
		}
	}
	return tx.Commit()
}
