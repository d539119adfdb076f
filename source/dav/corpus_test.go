package dav_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"testing"

	"github.com/lifeboat-backup/lifeboat/internal/davtest"
	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/source/dav"
)

// maxCorpusEvents keeps the corpus test quick (a PUT each).
const maxCorpusEvents = 150

var uidLine = regexp.MustCompile(`(?mi)^UID[;:][^\r\n]*`)

// corpusResources cuts the corpus into resources as restore does
// (dav.Split: one per vCard, one VCALENDAR per UID), keeping one resource
// per UID: servers key records by UID.
func corpusResources(t *testing.T) (cards, cals [][]byte) {
	dir := testrepo.CorpusDir(t)
	seen := map[string]bool{}
	for _, kind := range []string{dav.CardDAV, dav.CalDAV} {
		pattern := filepath.Join(dir, "ical", "*", "*.ics")
		if kind == dav.CardDAV {
			pattern = filepath.Join(dir, "vcard", "*", "*.vcf")
		}
		files, _ := filepath.Glob(pattern)
		sort.Strings(files)
		for _, f := range files {
			data, _ := os.ReadFile(f)
			for _, r := range dav.Split(kind, filepath.Base(f), data) {
				uid := string(uidLine.Find(r.Data))
				if uid == "" || seen[uid] {
					continue
				}
				seen[uid] = true
				if kind == dav.CardDAV {
					cards = append(cards, r.Data)
				} else if len(cals) < maxCorpusEvents {
					cals = append(cals, r.Data)
				}
			}
		}
	}
	return cards, cals
}

// TestSyncCorpus seeds each server with the corpus and checks that the
// staging folder holds exactly what the server serves for every record.
func TestSyncCorpus(t *testing.T) {
	cards, cals := corpusResources(t)
	for _, start := range []func(testing.TB) *davtest.Server{davtest.Radicale, davtest.Xandikos} {
		s := start(t)
		t.Run(s.Name, func(t *testing.T) {
			accepted := map[string]int{}
			for kind, recs := range map[string][][]byte{dav.CardDAV: cards, dav.CalDAV: cals} {
				coll, ext := s.Calendar, ".ics"
				if kind == dav.CardDAV {
					coll, ext = s.AddressBook, ".vcf"
				}
				for i, r := range recs {
					if ok, err := s.Put(fmt.Sprintf("%sr%04d%s", coll, i, ext), r); err != nil {
						t.Fatal(err)
					} else if ok {
						accepted[kind]++
					}
				}
				t.Logf("%s accepted %d of %d %s records", s.Name, accepted[kind], len(recs), kind)
				if accepted[kind]*2 < len(recs) {
					t.Errorf("%s accepted only %d of %d %s records", s.Name, accepted[kind], len(recs), kind)
				}
				res, err := dav.Sync(context.Background(), dav.Options{Source: s.Source(kind), Password: s.Password, StagingRoot: t.TempDir()})
				if err != nil {
					t.Fatal(err)
				}
				defer res.Release()
				// Xandikos accepts a few vCards it then leaves out of its
				// listings; every resource listed must match byte for byte.
				n := checkMirror(t, s, res.Dir, -1)
				if n*10 < accepted[kind]*9 {
					t.Errorf("%d of %d accepted %s records mirrored", n, accepted[kind], kind)
				} else {
					t.Logf("%d of %d accepted %s records mirrored", n, accepted[kind], kind)
				}
				// Backed up and restored, every record still has the bytes
				// the server serves.
				e := testrepo.New(t)
				restored := e.Restore(t, e.Backup(t, res.Dir).ID)
				if got := checkMirror(t, s, restored, -1); got != n {
					t.Errorf("%d records restored from the backup, %d mirrored", got, n)
				}
			}
		})
	}
}
