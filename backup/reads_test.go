package backup_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"io/fs"
	"math/rand"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/lifeboat-backup/lifeboat/backup"
	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/source"
	"github.com/lifeboat-backup/lifeboat/source/folder"
)

// readCounter counts the reads that return data, per file.
type readCounter struct {
	source.Tree
	mu    sync.Mutex
	reads map[string]int
}

func (c *readCounter) Open(name string) (fs.File, error) {
	f, err := c.Tree.Open(name)
	if err != nil {
		return nil, err
	}
	return &countedFile{File: f, name: name, c: c}, nil
}

type countedFile struct {
	fs.File
	name string
	c    *readCounter
}

func (f *countedFile) Read(p []byte) (int, error) {
	n, err := f.File.Read(p)
	if n > 0 {
		f.c.mu.Lock()
		f.c.reads[f.name]++
		f.c.mu.Unlock()
	}
	return n, err
}

// TestSmallFileOneRead: a small file is read in one call, whatever its
// kind: its head, which decides how it is cut, is read into the buffer it
// is cut from, not into a buffer of its own followed by a second read for
// the rest (a system call per file, most of 100,000 small files). And the
// snapshot holds every byte.
func TestSmallFileOneRead(t *testing.T) {
	src := filepath.Join(t.TempDir(), "phone")
	sizes := map[string]int{"a.txt": 100, "b.txt": 4097, "c.txt": 14 << 10, "d.txt": 60 << 10, "e.bin": 20 << 10}
	for name, size := range sizes {
		write(t, filepath.Join(src, name), strings.Repeat(fmt.Sprintf("line of %s\n", name), size/14+1)[:size])
	}
	card := "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Anna\r\nEND:VCARD\r\n"
	write(t, filepath.Join(src, "contacts.vcf"), strings.Repeat(card, 200))
	tree, err := folder.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	c := &readCounter{Tree: tree, reads: map[string]int{}}
	e := testrepo.New(t)
	res, err := backup.Run(context.Background(), e.Open(t, repo.AccessWrite), backup.Options{Tree: c, SourceName: src, CacheDir: e.CacheDir})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.reads) != len(sizes)+1 {
		t.Fatalf("%d files read (%v), want %d", len(c.reads), c.reads, len(sizes)+1)
	}
	for name, n := range c.reads {
		if n != 1 {
			t.Errorf("%s read in %d calls, want 1", name, n)
		}
	}
	testrepo.SameTree(t, src, e.Restore(t, res.ID))
}

// TestLargerThanBuffer: files larger than a worker's read buffer
// (streamBuffer, 2 MiB) are read in pieces and still stored whole: a
// random file, a run of zeros whose chunks are of the largest size and do
// not fit the buffer, and a contacts file of 3 MiB, which is still cut
// into its cards although its first read holds only part of it. The cards
// are shaped as Android's VCardBuilder exports them with contact photos
// (vCard 2.1, CRLF, a quoted-printable name, the JPEG in base64 folded
// with a leading space and ended by an empty line); one photo is larger
// than a chunk's average, so that its card is cut further.
func TestLargerThanBuffer(t *testing.T) {
	src := filepath.Join(t.TempDir(), "phone")
	rng := rand.New(rand.NewSource(1))
	random := make([]byte, 5<<20+12345)
	rng.Read(random)
	write(t, filepath.Join(src, "DCIM", "IMG_0001.jpg"), string(random))
	write(t, filepath.Join(src, "zeros.bin"), string(make([]byte, 17<<20+1)))
	var cards strings.Builder
	n := 0
	for ; cards.Len() < 3<<20; n++ {
		photo := make([]byte, 12<<10+rng.Intn(24<<10))
		if n == 40 {
			photo = make([]byte, 400<<10)
		}
		rng.Read(photo)
		copy(photo, "\xff\xd8\xff\xe0")
		fmt.Fprintf(&cards, "BEGIN:VCARD\r\nVERSION:2.1\r\n"+
			"N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller %d;J=C3=B6rg;;;\r\n"+
			"FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=B6rg M=C3=BCller %d\r\n"+
			"TEL;CELL:+49 151 %07d\r\nPHOTO;ENCODING=BASE64;JPEG:", n, n, n)
		b64 := base64.StdEncoding.EncodeToString(photo)
		for len(b64) > 75 {
			cards.WriteString(b64[:75] + "\r\n ")
			b64 = b64[75:]
		}
		cards.WriteString(b64 + "\r\n\r\nEND:VCARD\r\n")
	}
	write(t, filepath.Join(src, "contacts.vcf"), cards.String())
	e := testrepo.New(t)
	res := e.Backup(t, src)
	if got := nodeCounts(t, e.Open(t, repo.AccessRead), res.Snapshot.Root.Content, "")["contacts.vcf"].Contacts; got != uint32(n) {
		t.Errorf("contacts.vcf of 3 MiB counted %d cards, want %d", got, n)
	}
	if len(res.Warnings) > 0 {
		t.Errorf("warnings on well-formed cards: %v", res.Warnings)
	}
	testrepo.SameTree(t, src, e.Restore(t, res.ID))
}
