package repo_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/crypto"
	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/store"
)

// TestForgedCatalogIgnored (issue 10, item 5): the storage holder, who
// has no write key, plants a catalog of a high generation that omits a
// snapshot, then deletes the snapshot, hoping machines take the catalog
// for a forget. The forged catalog fails authentication and is reported;
// the genuine one still names the snapshot as gone, on this machine and
// on one without a record.
func TestForgedCatalogIgnored(t *testing.T) {
	ctx := context.Background()
	e := testrepo.New(t)
	first := e.Backup(t, phone(t))
	e.Backup(t, phone(t))
	forger, err := crypto.DeriveKeys(crypto.NewWriteKey())
	if err != nil {
		t.Fatal(err)
	}
	sealed := forger.Seal(crypto.LabelCatalog, format.EncodeCatalog(&format.Catalog{Generation: 1000}))
	st := store.NewLocal(e.Repo)
	if err := store.Save(ctx, st, "catalog/"+format.ID(crypto.ObjectHash(sealed)).String(), sealed); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(e.Repo, "snapshots", first.ID.String())); err != nil {
		t.Fatal(err)
	}
	for _, state := range []string{e.Keys.StateDir, t.TempDir()} {
		k := e.Keys
		k.StateDir = state
		r, err := repo.Open(ctx, st, k, repo.AccessWrite)
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = r.Snapshots(ctx)
		var gone *repo.GoneError
		if !errors.As(err, &gone) || !errors.Is(err, repo.ErrDamaged) || !strings.Contains(err.Error(), first.ID.Short()) {
			t.Errorf("state %s: err = %v, want the first snapshot gone", state, err)
		}
		if d := r.CatalogDamaged(); len(d) != 1 || !errors.Is(d[0], repo.ErrDamaged) {
			t.Errorf("forged catalog: %v, want one damaged", d)
		}
		r.Close()
	}
}
