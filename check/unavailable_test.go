package check_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/check"
	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/store"
)

// dropping is a local store whose packs cannot be opened: the connection
// to it dropped after the repository was opened.
type dropping struct{ *store.Local }

func (d dropping) Open(ctx context.Context, name string) (store.Object, error) {
	if strings.HasPrefix(name, "data/") {
		return nil, fmt.Errorf("%s: %w: connection lost", name, store.ErrUnavailable)
	}
	return d.Local.Open(ctx, name)
}

// TestCheckStoreStopsAnswering: a store that stops answering during
// check --read-data ends the check with that error; no intact pack is
// reported as damaged (exit 13 would send the user to repair it).
func TestCheckStoreStopsAnswering(t *testing.T) {
	e := testrepo.New(t)
	e.Backup(t, filepath.Join(testrepo.ModuleRoot(t), "testdata", "phone"))
	r, err := repo.Open(t.Context(), dropping{store.NewLocal(e.Repo)}, e.Keys, repo.AccessRead)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	rep, err := check.Run(t.Context(), r, check.Options{ReadData: true})
	if err == nil || errors.Is(err, repo.ErrDamaged) || !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("check with the store gone: %v, want ErrUnavailable and not damage", err)
	}
	if len(rep.Problems) > 0 {
		t.Errorf("reported as damage: %v", rep.Problems)
	}
}
