// Package compat keeps old repositories readable: testdata/repo-v1 is a
// repository written by format version 1, with its identity, and the
// tree it holds. Regenerate it (only when adding a new format version's
// fixture, never to make a failing test pass) with
//
//	go test ./internal/compat -run TestFormatV1 -update
package compat

import (
	"context"
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/lifeboat-backup/lifeboat/backup"
	"github.com/lifeboat-backup/lifeboat/check"
	"github.com/lifeboat-backup/lifeboat/crypto"
	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/restore"
	"github.com/lifeboat-backup/lifeboat/store"
)

var update = flag.Bool("update", false, "rewrite testdata/repo-v1 from testdata/repo-v1/source")

func fixture(t *testing.T) string {
	return filepath.Join(testrepo.ModuleRoot(t), "testdata", "repo-v1")
}

// keys copies the fixture's identity to a private file (git does not keep
// file modes) and uses a fresh write-key folder, as a new machine would.
func keys(t *testing.T) repo.Keys {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixture(t), "identity.txt"))
	if err != nil {
		t.Fatal(err)
	}
	id := filepath.Join(t.TempDir(), "identity.txt")
	if err := os.WriteFile(id, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return repo.Keys{IdentityFile: id, KeyDir: t.TempDir()}
}

func TestFormatV1(t *testing.T) {
	if *update {
		regenerate(t)
	}
	ctx := context.Background()
	repoDir := filepath.Join(t.TempDir(), "repo")
	copyDir(t, filepath.Join(fixture(t), "repo"), repoDir)
	k := keys(t)
	// The fixture predates keys/write.tag: on a new machine nothing vouches
	// for its write key (a storage holder could have put in its own), so
	// it is read where the write key is known, as on the machine that made
	// it (docs/SECURITY.md).
	if _, err := repo.Open(ctx, store.NewLocal(repoDir), k, repo.AccessRead); !errors.Is(err, repo.ErrUnvouched) {
		t.Fatalf("open v1 fixture on a new machine: %v, want ErrUnvouched", err)
	}
	installWriteKey(t, repoDir, k)
	r, err := repo.Open(ctx, store.NewLocal(repoDir), k, repo.AccessRead)
	if err != nil {
		t.Fatalf("open v1 fixture: %v", err)
	}
	defer r.Close()
	if rep, err := check.Run(ctx, r, check.Options{ReadData: true}); err != nil {
		t.Fatalf("check v1 fixture: %v %v", err, rep.Problems)
	}
	snap, err := r.FindSnapshot(ctx, "latest")
	if err != nil {
		t.Fatal(err)
	}
	if s := snap.Stats; s.Contacts != 3 || s.Events != 1 || s.Todos != 1 || s.Media != 1 || s.Files != 4 {
		t.Errorf("v1 snapshot stats = %+v", s)
	}
	out := filepath.Join(t.TempDir(), "out")
	if _, err := restore.Run(ctx, r, snap.Snapshot, restore.Options{Target: out}); err != nil {
		t.Fatalf("restore v1 fixture: %v", err)
	}
	// Files and their contents (git keeps no mtimes).
	if n := testrepo.SameBytes(t, filepath.Join(fixture(t), "source"), out); n != 4 {
		t.Errorf("compared %d files, want 4", n)
	}
}

func regenerate(t *testing.T) {
	t.Helper()
	dir := fixture(t)
	os.RemoveAll(filepath.Join(dir, "repo"))
	os.Remove(filepath.Join(dir, "identity.txt"))
	kd := t.TempDir()
	_, err := repo.Init(context.Background(), store.NewLocal(filepath.Join(dir, "repo")), repo.InitOptions{
		IdentityFile: filepath.Join(dir, "identity.txt"), KeyDir: kd})
	if err != nil {
		t.Fatal(err)
	}
	r, err := repo.Open(context.Background(), store.NewLocal(filepath.Join(dir, "repo")),
		repo.Keys{KeyDir: kd}, repo.AccessWrite)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := backup.Run(context.Background(), r, backup.Options{Source: filepath.Join(dir, "source"),
		NoCache: true, Host: "fixture"}); err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(filepath.Join(dir, "repo", "tmp"))
}

// installWriteKey puts the fixture's write key where the machine that
// made it keeps it (it is not in the fixture: init writes it outside the
// repository).
func installWriteKey(t *testing.T, repoDir string, k repo.Keys) {
	t.Helper()
	cfg, err := os.ReadFile(filepath.Join(repoDir, "config"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := format.DecodeConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	idb, _ := os.ReadFile(k.IdentityFile)
	ids, err := crypto.ParseIdentities(idb)
	if err != nil {
		t.Fatal(err)
	}
	enc, _ := os.ReadFile(filepath.Join(repoDir, "keys", "write.age"))
	wk, err := crypto.DecryptWith(enc, ids...)
	if err != nil {
		t.Fatal(err)
	}
	path := k.WriteKeyPath(c.ID)
	os.MkdirAll(filepath.Dir(path), 0o700)
	if err := crypto.WriteSecretFile(path, []byte(crypto.EncodeWriteKey(wk))); err != nil {
		t.Fatal(err)
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o700)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
}
