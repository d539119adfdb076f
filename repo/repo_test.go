package repo_test

import (
	"context"
	"crypto/rand"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/lifeboat-backup/lifeboat/crypto"
	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/restore"
	"github.com/lifeboat-backup/lifeboat/store"
)

func phone(t *testing.T) string {
	return filepath.Join(testrepo.ModuleRoot(t), "testdata", "phone")
}

// TestForgedSnapshotRejected: a snapshot sealed without the repository's
// write key (someone with only the public recipients) is rejected.
func TestForgedSnapshotRejected(t *testing.T) {
	e := testrepo.New(t)
	res := e.Backup(t, phone(t))
	forger, err := crypto.DeriveKeys(crypto.NewWriteKey())
	if err != nil {
		t.Fatal(err)
	}
	snap := *res.Snapshot
	snap.Source = "/forged"
	pt, err := format.EncodeSnapshot(&snap)
	if err != nil {
		t.Fatal(err)
	}
	sealed := forger.Seal(crypto.LabelSnapshot, pt)
	id := format.ID(crypto.ObjectHash(sealed))
	st := store.NewLocal(e.Repo)
	if err := store.Save(context.Background(), st, "snapshots/"+id.String(), sealed); err != nil {
		t.Fatal(err)
	}
	r := e.Open(t, repo.AccessRead)
	if _, err := r.LoadSnapshot(context.Background(), id); !errors.Is(err, repo.ErrDamaged) {
		t.Fatalf("forged snapshot: err = %v, want ErrDamaged", err)
	}
	if _, err := r.LoadSnapshot(context.Background(), res.ID); err != nil {
		t.Fatalf("genuine snapshot: %v", err)
	}
	// An index file sealed as a snapshot is not a snapshot either.
	idx, _ := filepath.Glob(filepath.Join(e.Repo, "index", "*"))
	b, _ := os.ReadFile(idx[0])
	swapped := format.ID(crypto.ObjectHash(b))
	store.Save(context.Background(), st, "snapshots/"+swapped.String(), b)
	if _, err := r.LoadSnapshot(context.Background(), swapped); !errors.Is(err, repo.ErrDamaged) {
		t.Fatalf("index passed off as snapshot: err = %v, want ErrDamaged", err)
	}
}

// TestIndexRebuiltFromPacks: with every index file gone, the packs'
// trailers (readable with the write key) rebuild the index, and the
// snapshot restores.
func TestIndexRebuiltFromPacks(t *testing.T) {
	e := testrepo.New(t)
	res := e.Backup(t, phone(t))
	if err := os.RemoveAll(filepath.Join(e.Repo, "index")); err != nil {
		t.Fatal(err)
	}
	testrepo.SameTree(t, phone(t), e.Restore(t, res.ID))
	// The next backup writes an index listing the adopted packs.
	e.Backup(t, phone(t))
	if got, _ := filepath.Glob(filepath.Join(e.Repo, "index", "*")); len(got) != 1 {
		t.Fatalf("index files after rebuild: %d, want 1", len(got))
	}
	r := e.Open(t, repo.AccessWrite)
	if r.Index().Len() == 0 {
		t.Fatal("index is empty after rebuild")
	}
}

// TestWrongKeys: a wrong identity and a wrong write key are refused.
func TestWrongKeys(t *testing.T) {
	e := testrepo.New(t)
	other := testrepo.New(t)
	k := e.Keys
	k.IdentityFile = other.Keys.IdentityFile
	k.KeyDir = t.TempDir()
	_, err := repo.Open(context.Background(), store.NewLocal(e.Repo), k, repo.AccessRead)
	if !errors.Is(err, repo.ErrWrongKey) {
		t.Fatalf("wrong identity: %v, want ErrWrongKey", err)
	}
	// Backup with no write key on the machine, and it never falls back to
	// the identity.
	k = e.Keys
	k.KeyDir = t.TempDir()
	_, err = repo.Open(context.Background(), store.NewLocal(e.Repo), k, repo.AccessWrite)
	if !errors.Is(err, repo.ErrNoWriteKey) {
		t.Fatalf("no write key: %v, want ErrNoWriteKey", err)
	}
	// A write key file of another repository under this repository's name.
	r := e.Open(t, repo.AccessNone)
	wk, _ := os.ReadFile(filepath.Join(other.Keys.KeyDir, other.Open(t, repo.AccessNone).ID()+".key"))
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, r.ID()+".key"), wk, 0o600)
	k.KeyDir = dir
	_, err = repo.Open(context.Background(), store.NewLocal(e.Repo), k, repo.AccessWrite)
	if !errors.Is(err, repo.ErrWrongKey) {
		t.Fatalf("foreign write key: %v, want ErrWrongKey", err)
	}
}

// TestNoRepo: opening an empty folder says there is no repository.
func TestNoRepo(t *testing.T) {
	_, err := repo.Open(context.Background(), store.NewLocal(t.TempDir()), repo.Keys{}, repo.AccessNone)
	if !errors.Is(err, repo.ErrNoRepo) {
		t.Fatalf("err = %v, want ErrNoRepo", err)
	}
}

// TestForgedWriteKeyRejected: someone holding the storage encrypts a write
// key of their own to the public recipients. With this machine's copy of
// the real key, or on a new machine with only the identity (which checks
// the key's tag), opening refuses it.
func TestForgedWriteKeyRejected(t *testing.T) {
	e := testrepo.New(t)
	e.Backup(t, phone(t))
	r := e.Open(t, repo.AccessNone)
	rs, err := crypto.ParseRecipients(r.Config().Recipients)
	if err != nil {
		t.Fatal(err)
	}
	forged, err := crypto.EncryptTo(crypto.NewWriteKey(), rs...)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(e.Repo, "keys", "write.age"), forged, 0o600); err != nil {
		t.Fatal(err)
	}
	for name, keyDir := range map[string]string{"this machine": e.Keys.KeyDir, "new machine": t.TempDir()} {
		k := e.Keys
		k.KeyDir = keyDir
		_, err := repo.Open(context.Background(), store.NewLocal(e.Repo), k, repo.AccessRead)
		if !errors.Is(err, repo.ErrDamaged) {
			t.Errorf("%s: open with a forged write key: %v, want ErrDamaged", name, err)
		}
		if name == "new machine" {
			if files, _ := os.ReadDir(keyDir); len(files) != 0 {
				t.Errorf("the forged key was saved on the new machine")
			}
		}
	}
}

// TestRemovedTagRejected: with the passphrase-protected identity, a
// repository whose write-key tag was removed is refused (init always
// writes one then), so a forged write key cannot slip in by deleting it.
func TestRemovedTagRejected(t *testing.T) {
	dir := t.TempDir()
	st := store.NewLocal(filepath.Join(dir, "repo"))
	pass := filepath.Join(dir, "pass")
	os.WriteFile(pass, []byte("pw\n"), 0o600)
	if _, err := repo.Init(context.Background(), st, repo.InitOptions{Passphrase: "pw", ScryptWorkFactor: 10,
		KeyDir: filepath.Join(dir, "k1")}); err != nil {
		t.Fatal(err)
	}
	k := repo.Keys{PassphraseFile: pass, KeyDir: filepath.Join(dir, "k2"), DefaultIdentityFile: filepath.Join(dir, "none"),
		StateDir: filepath.Join(dir, "state")}
	r, err := repo.Open(context.Background(), st, k, repo.AccessRead)
	if err != nil {
		t.Fatalf("open with passphrase: %v", err)
	}
	r.Close()
	os.Remove(filepath.Join(dir, "repo", "keys", "write.tag"))
	k.KeyDir = filepath.Join(dir, "k3")
	if _, err := repo.Open(context.Background(), st, k, repo.AccessRead); !errors.Is(err, repo.ErrDamaged) {
		t.Fatalf("open without the tag: %v, want ErrDamaged", err)
	}
}

// downStore is a store whose objects cannot be opened: the connection to
// it dropped.
type downStore struct{ store.Store }

func (downStore) Open(context.Context, string) (store.Object, error) {
	return nil, &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
}

// TestPackReadErrors: a pack whose bytes changed is damage, named as
// such; a pack the store cannot serve right now is not.
func TestPackReadErrors(t *testing.T) {
	e := testrepo.New(t)
	src := t.TempDir()
	big := make([]byte, 300<<10)
	rand.Read(big)
	os.WriteFile(filepath.Join(src, "a.jpg"), big, 0o600)
	res := e.Backup(t, src)
	ctx := context.Background()

	down, err := repo.Open(ctx, downStore{store.NewLocal(e.Repo)}, e.Keys, repo.AccessRead)
	if err != nil {
		t.Fatal(err)
	}
	defer down.Close()
	_, err = restore.Run(ctx, down, res.Snapshot, restore.Options{Target: filepath.Join(t.TempDir(), "a")})
	if err == nil || errors.Is(err, repo.ErrDamaged) || !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("store down: %v, want the store's error and not damage", err)
	}

	packs, _ := filepath.Glob(filepath.Join(e.Repo, "data", "*", "*"))
	for _, p := range packs {
		b, _ := os.ReadFile(p)
		if len(b) < 200<<10 {
			continue // the tree's pack: a restore that cannot read it restores nothing
		}
		b[len(b)/2] ^= 1
		os.WriteFile(p, b, 0o600)
	}
	rr, err := restore.Run(ctx, e.Open(t, repo.AccessRead), res.Snapshot, restore.Options{Target: filepath.Join(t.TempDir(), "b")})
	if !errors.Is(err, repo.ErrDamaged) || len(rr.Failed) != 1 || !strings.Contains(rr.Failed[0].Error(), "does not decrypt (damaged or tampered with)") {
		t.Errorf("flipped byte: %v %v", err, rr.Failed)
	}
}
