package mobilebackup

import (
	"bytes"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/internal/iosgen"
)

// sqlTamper runs stmts on a Manifest.db's plaintext.
func sqlTamper(t *testing.T, stmts ...string) func([]byte) []byte {
	return func(plain []byte) []byte {
		p := filepath.Join(t.TempDir(), "m.db")
		if err := os.WriteFile(p, plain, 0o644); err != nil {
			t.Fatal(err)
		}
		db, err := sql.Open("sqlite", "file:"+p)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range stmts {
			if _, err := db.Exec(s); err != nil {
				t.Fatalf("%s: %v", s, err)
			}
		}
		db.Close()
		out, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
}

// TestHostileManifestDB: a Manifest.db that decrypts but holds what no
// backup does is an error, plain or encrypted.
func TestHostileManifestDB(t *testing.T) {
	cases := []struct {
		name, contains string
		tamper         func(t *testing.T) func([]byte) []byte
	}{
		{"not SQLite", "not a database", func(t *testing.T) func([]byte) []byte {
			return func(p []byte) []byte { return bytes.Repeat([]byte("x"), len(p)) }
		}},
		{"no Files table", "no such table", func(t *testing.T) func([]byte) []byte {
			return sqlTamper(t, "DROP TABLE Files")
		}},
		{"no rows", "no files", func(t *testing.T) func([]byte) []byte {
			return sqlTamper(t, "DELETE FROM Files")
		}},
		{"fileID a path", "not 40 hex digits", func(t *testing.T) func([]byte) []byte {
			return sqlTamper(t, "UPDATE Files SET fileID = '../../../../etc/passwd' WHERE rowid = (SELECT max(rowid) FROM Files)")
		}},
		{"MBFile garbage", "MBFile", func(t *testing.T) func([]byte) []byte {
			return sqlTamper(t, "UPDATE Files SET file = x'62706c6973743030ffff' WHERE flags = 1")
		}},
		{"MBFile huge", "MBFile of", func(t *testing.T) func([]byte) []byte {
			return sqlTamper(t, "UPDATE Files SET file = zeroblob(3000000) WHERE flags = 1")
		}},
		{"domain missing", "domain or relativePath", func(t *testing.T) func([]byte) []byte {
			return sqlTamper(t, "UPDATE Files SET domain = NULL")
		}},
		{"path huge", "domain or relativePath", func(t *testing.T) func([]byte) []byte {
			return sqlTamper(t, "UPDATE Files SET relativePath = printf('%.10000c', 'a')")
		}},
	}
	for _, c := range cases {
		for _, encrypt := range []bool{false, true} {
			t.Run(c.name+map[bool]string{false: " plain", true: " encrypted"}[encrypt], func(t *testing.T) {
				o := iosgen.Options{TamperManifestDB: c.tamper(t)}
				if encrypt {
					o.Password = testPassword
				}
				_, gen := generate(t, o)
				b, err := Open(gen.Dir, pw(testPassword))
				if err == nil || b != nil {
					t.Fatalf("Open gave %v, %v; want an error", b, err)
				}
				if !strings.Contains(err.Error(), c.contains) || errors.Is(err, ErrWrongPassword) {
					t.Errorf("error %q does not say %q", err, c.contains)
				}
			})
		}
	}
}
