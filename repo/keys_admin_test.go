package repo_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/lifeboat-backup/lifeboat/crypto"
	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/store"
)

const workFactor = 10 // cheap scrypt

func newRecipient(t *testing.T) string {
	t.Helper()
	id, err := crypto.GenerateIdentity()
	if err != nil {
		t.Fatal(err)
	}
	return id.Recipient().String()
}

// passphraseRepo makes a repository whose identity is stored in it.
func passphraseRepo(t *testing.T, pass string) (store.Store, repo.Keys) {
	t.Helper()
	dir := t.TempDir()
	k := repo.Keys{KeyDir: filepath.Join(dir, "keys"), DefaultIdentityFile: filepath.Join(dir, "none.txt"),
		StateDir: filepath.Join(dir, "state")}
	st := store.NewLocal(filepath.Join(dir, "repo"))
	_, err := repo.Init(context.Background(), st, repo.InitOptions{Passphrase: pass, ScryptWorkFactor: workFactor, KeyDir: k.KeyDir})
	if err != nil {
		t.Fatal(err)
	}
	return st, k
}

func writeKeys(t *testing.T, st store.Store, k repo.Keys) *crypto.Keys {
	t.Helper()
	set, err := repo.LoadKeySet(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := set.Config()
	if err != nil {
		t.Fatal(err)
	}
	ks, err := k.WriteKeys(cfg.ID)
	if err != nil {
		t.Fatal(err)
	}
	return ks
}

// TestKeySetManifest: after a key change the manifest vouches for the
// config and keys under the write key, and for nothing else.
func TestKeySetManifest(t *testing.T) {
	ctx := context.Background()
	e := testrepo.New(t)
	st := store.NewLocal(e.Repo)
	ed, err := repo.EditKeys(ctx, st, e.Keys)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ed.AddRecipients(ctx, []string{newRecipient(t)}); err != nil {
		t.Fatal(err)
	}
	ks := writeKeys(t, st, e.Keys)
	set, err := repo.LoadKeySet(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	if err := set.Verify(ks); err != nil {
		t.Fatalf("the manifest does not vouch for what key add wrote: %v", err)
	}
	other, _ := crypto.DeriveKeys(crypto.NewWriteKey())
	if err := set.Verify(other); !errors.Is(err, repo.ErrDamaged) {
		t.Errorf("verified under another write key: %v", err)
	}
	for _, name := range []string{"config", "keys/write.age", "keys/write.tag", "keys/manifest"} {
		bad := repo.KeySet{}
		for n, b := range set {
			bad[n] = b
		}
		b := bytes.Clone(bad[name])
		b[len(b)/2] ^= 1
		bad[name] = b
		if err := bad.Verify(ks); !errors.Is(err, repo.ErrDamaged) {
			t.Errorf("%s changed: Verify = %v, want ErrDamaged", name, err)
		}
	}
	extra := repo.KeySet{"keys/identity.age": []byte("planted")}
	for n, b := range set {
		extra[n] = b
	}
	if err := extra.Verify(ks); !errors.Is(err, repo.ErrDamaged) {
		t.Errorf("a planted keys/identity.age: Verify = %v, want ErrDamaged", err)
	}
	missing := repo.KeySet{}
	for n, b := range set {
		if n != "keys/write.tag" {
			missing[n] = b
		}
	}
	if err := missing.Verify(ks); !errors.Is(err, repo.ErrDamaged) {
		t.Errorf("a removed keys/write.tag: Verify = %v, want ErrDamaged", err)
	}
}

// TestChangePassphrase: only keys/identity.age (and the manifest)
// change; the write-key tag stays valid, so the new passphrase opens the
// repository on a machine without the write key; the old one does not.
func TestChangePassphrase(t *testing.T) {
	ctx := context.Background()
	st, k := passphraseRepo(t, "old pass")
	before, err := repo.LoadKeySet(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := repo.ChangePassphrase(ctx, st, k, "wrong", "new pass", workFactor); !errors.Is(err, repo.ErrWrongKey) {
		t.Fatalf("wrong old passphrase: %v, want ErrWrongKey", err)
	}
	if now, _ := repo.LoadKeySet(ctx, st); !now.Equal(before) {
		t.Fatal("a refused passwd changed the keys")
	}
	if _, err := repo.ChangePassphrase(ctx, st, k, "old pass", "new pass", workFactor); err != nil {
		t.Fatal(err)
	}
	after, err := repo.LoadKeySet(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	got := after.Differing(before)
	if len(got) != 2 || got[0] != "keys/identity.age" || got[1] != "keys/manifest" {
		t.Errorf("passwd changed %v, want keys/identity.age and keys/manifest", got)
	}
	fresh := filepath.Join(t.TempDir(), "pass")
	for pass, want := range map[string]error{"new pass": nil, "old pass": repo.ErrWrongKey} {
		os.WriteFile(fresh, []byte(pass+"\n"), 0o600)
		nk := repo.Keys{KeyDir: t.TempDir(), DefaultIdentityFile: k.DefaultIdentityFile, PassphraseFile: fresh, StateDir: t.TempDir()}
		r, err := repo.Open(ctx, st, nk, repo.AccessRead)
		if !errors.Is(err, want) || (err == nil) != (want == nil) {
			t.Fatalf("open with %q: %v, want %v", pass, err, want)
		}
		if err == nil {
			r.Close()
		}
	}
	if err := after.Verify(writeKeys(t, st, k)); err != nil {
		t.Errorf("manifest after passwd: %v", err)
	}
}

// TestRemoveRecipientRules: what remove refuses, and what --force takes
// with it.
func TestRemoveRecipientRules(t *testing.T) {
	ctx := context.Background()
	st, k := passphraseRepo(t, "pass")
	info, err := repo.ListKeys(ctx, st, k)
	if err != nil {
		t.Fatal(err)
	}
	stored := info.StoredRecipient
	if stored == "" || stored != info.Recipients[0] {
		t.Fatalf("stored recipient %q, recipients %v", stored, info.Recipients)
	}
	ed, err := repo.EditKeys(ctx, st, k)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := ed.RemoveRecipient(ctx, stored, repo.RemoveOptions{Force: true}); !errors.Is(err, repo.ErrLastRecipient) {
		t.Errorf("remove the last recipient: %v", err)
	}
	if _, _, err := ed.RemoveRecipient(ctx, newRecipient(t), repo.RemoveOptions{}); !errors.Is(err, repo.ErrNotRecipient) {
		t.Errorf("remove a stranger: %v", err)
	}
	if _, err := ed.AddRecipients(ctx, []string{newRecipient(t)}); err != nil {
		t.Fatal(err)
	}
	ed, err = repo.EditKeys(ctx, st, k)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := ed.RemoveRecipient(ctx, stored, repo.RemoveOptions{}); !errors.Is(err, repo.ErrProtectedRecipient) {
		t.Errorf("remove the stored identity's key without force: %v", err)
	}
	set, res, err := ed.RemoveRecipient(ctx, stored, repo.RemoveOptions{Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if !res.StoredIdentityRemoved || set.Has("keys/identity.age") || set.Has("keys/write.tag") {
		t.Errorf("forced removal: %+v, identity.age %v, write.tag %v", res, set.Has("keys/identity.age"), set.Has("keys/write.tag"))
	}
	if _, err := st.Stat(ctx, "keys/identity.age"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("keys/identity.age is still stored: %v", err)
	}
	if cfg, _ := set.Config(); cfg.HasPassphraseIdentity || len(cfg.Recipients) != 1 {
		t.Errorf("config after forced removal: %+v", cfg)
	}
	if err := set.Verify(writeKeys(t, st, k)); err != nil {
		t.Errorf("manifest after removal: %v", err)
	}
}

// TestParseRecipient never echoes what it refuses.
func TestParseRecipient(t *testing.T) {
	r := newRecipient(t)
	if got, err := repo.ParseRecipient("  " + r + "\n"); err != nil || got != r {
		t.Errorf("ParseRecipient(%q) = %q, %v", r, got, err)
	}
	id, _ := crypto.GenerateIdentity()
	for _, bad := range []string{"", "age1", r + "x", id.String(), "ssh-ed25519 AAAA"} {
		_, err := repo.ParseRecipient(bad)
		if !errors.Is(err, repo.ErrBadRecipient) {
			t.Errorf("ParseRecipient(%q): %v", bad, err)
		}
		if len(bad) > 10 && err != nil && bytes.Contains([]byte(err.Error()), []byte(bad[5:])) {
			t.Errorf("error %q echoes the input", err)
		}
	}
}

// TestPackOpenErrors: a pack written before the loaded identity's key was
// added is a wrong key (12), not damage; a pack whose header was damaged
// is still damage (13).
func TestPackOpenErrors(t *testing.T) {
	ctx := context.Background()
	e := testrepo.New(t)
	e.Backup(t, phone(t))
	st := store.NewLocal(e.Repo)
	id, _ := crypto.GenerateIdentity()
	ed, err := repo.EditKeys(ctx, st, e.Keys)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ed.AddRecipients(ctx, []string{id.Recipient().String()}); err != nil {
		t.Fatal(err)
	}
	newFile := filepath.Join(t.TempDir(), "new.txt")
	if err := os.WriteFile(newFile, crypto.IdentityFile(id, "now"), 0o600); err != nil {
		t.Fatal(err)
	}
	var packs []string
	st.List(ctx, "data", func(name string, _ int64) error { packs = append(packs, name); return nil })
	if len(packs) == 0 {
		t.Fatal("no packs")
	}
	pid, _ := repo.ParseObjectName(packs[0])
	nk := e.Keys
	nk.IdentityFile = newFile
	r, err := repo.Open(ctx, st, nk, repo.AccessRead)
	if err != nil {
		t.Fatalf("the added identity does not open the repository: %v", err)
	}
	defer r.Close()
	if _, err := r.VerifyPack(ctx, pid); !errors.Is(err, repo.ErrWrongKey) || errors.Is(err, repo.ErrDamaged) {
		t.Errorf("old pack with the new identity: %v, want ErrWrongKey", err)
	}
	p := filepath.Join(e.Repo, filepath.FromSlash(packs[0]))
	b, _ := os.ReadFile(p)
	b[60] ^= 1 // inside the age header's recipient stanza
	os.Remove(p)
	os.WriteFile(p, b, 0o600)
	if _, err := r.VerifyPack(ctx, pid); !errors.Is(err, repo.ErrDamaged) {
		t.Errorf("damaged pack header with the new identity: %v, want ErrDamaged", err)
	}
	old := e.Open(t, repo.AccessRead)
	if _, err := old.VerifyPack(ctx, pid); !errors.Is(err, repo.ErrDamaged) {
		t.Errorf("damaged pack header with the old identity: %v, want ErrDamaged", err)
	}
}
