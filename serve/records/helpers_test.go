package records

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/repo"
)

// phone is a source folder that the test edits between backups.
type phone struct {
	t   testing.TB
	e   *testrepo.Env
	dir string
}

func newPhone(t testing.TB) *phone {
	return &phone{t: t, e: testrepo.New(t), dir: filepath.Join(t.TempDir(), "phone")}
}

// write puts a file of CRLF lines into the phone.
func (p *phone) write(rel string, lines ...string) {
	p.t.Helper()
	f := filepath.Join(p.dir, rel)
	if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
		p.t.Fatal(err)
	}
	if err := os.WriteFile(f, []byte(strings.Join(lines, "\r\n")+"\r\n"), 0o644); err != nil {
		p.t.Fatal(err)
	}
}

func (p *phone) remove(rel string) {
	if err := os.Remove(filepath.Join(p.dir, rel)); err != nil {
		p.t.Fatal(err)
	}
}

// backup backs the phone up and returns the snapshot.
func (p *phone) backup() Snap {
	p.t.Helper()
	res := p.e.Backup(p.t, p.dir)
	return Snap{ID: res.ID.String(), Time: res.Snapshot.Time, Root: res.Snapshot.Root.Content}
}

// reader opens the repository read-only, counting the files read.
func (p *phone) reader() *countingReader {
	return &countingReader{Repository: p.e.Open(p.t, repo.AccessRead), reads: map[string]int{}}
}

type countingReader struct {
	*repo.Repository
	mu    sync.Mutex
	reads map[string]int // by file name
}

func (c *countingReader) ReadFile(ctx context.Context, n format.Node) ([]byte, error) {
	c.mu.Lock()
	c.reads[n.Name]++
	c.mu.Unlock()
	return c.Repository.ReadFile(ctx, n)
}

func card(lines ...string) []string {
	return append(append([]string{"BEGIN:VCARD", "VERSION:3.0"}, lines...), "END:VCARD")
}

func cards(cs ...[]string) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c...)
	}
	return out
}
