package check_test

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/lifeboat-backup/lifeboat/check"
	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/store"
)

// streaming is a local store that also streams whole objects, as S3
// does, and counts the streams and range opens of data objects.
type streaming struct {
	*store.Local
	dir            string
	streams, opens atomic.Int32
}

func (s *streaming) Stream(ctx context.Context, name string) (io.ReadCloser, error) {
	s.streams.Add(1)
	if _, err := s.Local.Stat(ctx, name); err != nil {
		return nil, err
	}
	return os.Open(filepath.Join(s.dir, filepath.FromSlash(name)))
}

func (s *streaming) Open(ctx context.Context, name string) (store.Object, error) {
	if strings.HasPrefix(name, "data/") {
		s.opens.Add(1)
	}
	return s.Local.Open(ctx, name)
}

// TestCheckStreams: on a store that streams, check hashes each object in
// one stream (one GET on S3, not one per MiB) and still finds damage.
func TestCheckStreams(t *testing.T) {
	e := testrepo.New(t)
	e.Backup(t, filepath.Join(testrepo.ModuleRoot(t), "testdata", "phone"))
	st := &streaming{Local: store.NewLocal(e.Repo), dir: e.Repo}
	r, err := repo.Open(t.Context(), st, e.Keys, repo.AccessNone)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := check.Run(t.Context(), r, check.Options{})
	r.Close()
	if err != nil {
		t.Fatalf("check: %v %v", err, rep.Problems)
	}
	if int(st.streams.Load()) != rep.Objects || st.opens.Load() != 0 {
		t.Errorf("%d streams and %d range opens of packs for %d objects", st.streams.Load(), st.opens.Load(), rep.Objects)
	}
	pack := snapshotFiles(t, e.Repo)[0]
	flipAt(t, filepath.Join(e.Repo, filepath.FromSlash(pack)))
	r, err = repo.Open(t.Context(), st, e.Keys, repo.AccessNone)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	rep, err = check.Run(t.Context(), r, check.Options{})
	if !errors.Is(err, repo.ErrDamaged) || !strings.Contains(strings.Join(rep.Problems, "\n"), pack) {
		t.Fatalf("a flipped byte in %s: %v %v", pack, err, rep.Problems)
	}
}

func flipAt(t *testing.T, p string) {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 1
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
