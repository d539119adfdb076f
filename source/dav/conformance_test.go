package dav_test

import (
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/internal/davtest"
	"github.com/lifeboat-backup/lifeboat/source"
	"github.com/lifeboat-backup/lifeboat/source/sourcetest"
)

// TestConformance runs the source suite against a CardDAV account on a
// real Radicale: the suite's files become cards in its address book, read
// back through the account's staging folder.
func TestConformance(t *testing.T) {
	var srv *davtest.Server
	var staging string
	put := func(t *testing.T, name string, data []byte) {
		if ok, err := srv.Put(srv.AddressBook+path.Base(name), data); !ok || err != nil {
			t.Errorf("put %s: %v %v", name, ok, err)
		}
	}
	sourcetest.Run(t, sourcetest.Harness{
		New: func(t *testing.T, files []sourcetest.File) source.Source {
			srv = davtest.Radicale(t)
			staging = t.TempDir()
			for _, f := range files {
				put(t, f.Name, f.Data)
			}
			s, err := source.Parse(srv.Source("carddav"), source.Options{
				Password:    func() (string, error) { return srv.Password, nil },
				StagingRoot: staging,
			})
			if err != nil {
				t.Fatal(err)
			}
			return s
		},
		// A card shows as <collection>/<UID>.vcf in the account's tree.
		Path: func(name string) string {
			m, _ := filepath.Glob(filepath.Join(staging, "*", "*", path.Base(name)))
			if len(m) != 1 {
				return "missing/" + path.Base(name)
			}
			rel, _ := filepath.Rel(filepath.Dir(filepath.Dir(filepath.Dir(m[0]))), m[0])
			_, rel, _ = strings.Cut(filepath.ToSlash(rel), "/")
			return rel
		},
		// What the server serves, which is what the staging folder holds.
		Want: func(t *testing.T, f sourcetest.File) []byte {
			b, err := srv.Get(srv.AddressBook + path.Base(f.Name))
			if err != nil {
				if m, _ := filepath.Glob(filepath.Join(staging, "*", "*", path.Base(f.Name))); len(m) == 1 {
					b, _ = os.ReadFile(m[0]) // removed from the server since
				}
			}
			return b
		},
		Remove: func(t *testing.T, name string) {
			if err := srv.Delete(srv.AddressBook + path.Base(name)); err != nil {
				t.Error(err)
			}
		},
		Change: func(t *testing.T, name string, data []byte) { put(t, name, data) },
		Stable: true,
	})
}
