package dav_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"testing"

	"github.com/lifeboat-backup/lifeboat/dav"
	"github.com/lifeboat-backup/lifeboat/internal/davtest"
	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/pim"
)

// maxCorpusEvents keeps the corpus test quick (a PUT each).
const maxCorpusEvents = 150

func corpusDir(t *testing.T) string {
	dir := os.Getenv("LIFEBOAT_CORPUS")
	if dir == "" {
		dir = "../../shared/testdata/corpus"
	}
	if _, err := os.Stat(filepath.Join(dir, "MANIFEST.tsv")); err != nil {
		if os.Getenv("LIFEBOAT_REQUIRE_INTEGRATION") == "1" {
			t.Fatalf("corpus %s missing with LIFEBOAT_REQUIRE_INTEGRATION=1", dir)
		}
		t.Skipf("corpus %s missing (set LIFEBOAT_CORPUS)", dir)
	}
	return dir
}

var uidLine = regexp.MustCompile(`(?m)^UID[;:][^\r\n]*`)

// corpusResources cuts the corpus into one resource per vCard and one
// VCALENDAR per UID (with the file's header and time zones).
func corpusResources(t *testing.T) (cards, cals [][]byte) {
	dir := corpusDir(t)
	seen := map[string]bool{}
	vcfs, _ := filepath.Glob(filepath.Join(dir, "vcard", "*", "*.vcf"))
	for _, f := range vcfs {
		data, _ := os.ReadFile(f)
		for _, p := range pim.Split(pim.KindVCard, data) {
			card := data[p.Off : p.Off+p.Len]
			if p.Kind != pim.RecContact {
				continue
			}
			// Servers key cards by UID: give the ones without one a UID,
			// and keep one card per UID.
			uid := string(uidLine.Find(card))
			if uid == "" {
				uid = fmt.Sprintf("UID:lifeboat-%d", len(cards))
				card = regexp.MustCompile(`(?m)^END:VCARD`).ReplaceAll(append([]byte{}, card...), []byte(uid+"\r\nEND:VCARD"))
			}
			if !seen[uid] {
				seen[uid] = true
				cards = append(cards, card)
			}
		}
	}
	icss, _ := filepath.Glob(filepath.Join(dir, "ical", "*", "*.ics"))
	sort.Strings(icss)
	for _, f := range icss {
		data, _ := os.ReadFile(f)
		pieces := pim.Split(pim.KindICal, data)
		if len(pieces) < 2 || pieces[0].Kind != pim.RecNone {
			continue
		}
		header := data[:pieces[0].Len]
		var tz []byte
		byUID := map[string][]byte{}
		var order []string
		for _, p := range pieces {
			b := data[p.Off : p.Off+p.Len]
			switch p.Kind {
			case pim.RecTimezone:
				tz = append(tz, b...)
			case pim.RecEvent, pim.RecTodo, pim.RecJournal:
				uid := string(uidLine.Find(b))
				if _, ok := byUID[uid]; !ok {
					order = append(order, uid)
				}
				byUID[uid] = append(byUID[uid], b...)
			}
		}
		for _, uid := range order {
			if uid == "" || seen[uid] || len(cals) >= maxCorpusEvents {
				continue
			}
			seen[uid] = true
			res := append(append(append([]byte{}, header...), tz...), byUID[uid]...)
			cals = append(cals, append(res, "END:VCALENDAR\r\n"...))
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
