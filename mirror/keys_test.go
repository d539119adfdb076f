package mirror_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/lifeboat-backup/lifeboat/crypto"
	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/mirror"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/store"
)

// keyedPair is a repository with a mirror, whose primary then had a key
// added while the mirror was away.
func keyedPair(t *testing.T) (e *testrepo.Env, a, b store.Store) {
	t.Helper()
	e = testrepo.New(t)
	e.Backup(t, phone(t))
	a, b = store.NewLocal(e.Repo), store.NewLocal(filepath.Join(e.Dir, "usb"))
	if _, err := mirror.Init(ctx, a, b); err != nil {
		t.Fatal(err)
	}
	ed, err := repo.EditKeys(ctx, a, e.Keys)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := crypto.GenerateIdentity()
	if _, err := ed.AddRecipients(ctx, []string{id.Recipient().String()}); err != nil {
		t.Fatal(err)
	}
	return e, a, b
}

func keySet(t *testing.T, s store.Store) repo.KeySet {
	t.Helper()
	set, err := repo.LoadKeySet(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// TestHealKeys: sync copies the copy of the config and keys that the
// manifest vouches for over the other, in either direction; Heal then
// finds one repository again.
func TestHealKeys(t *testing.T) {
	e, a, b := keyedPair(t)
	if _, err := mirror.Heal(ctx, a, b); !errors.Is(err, mirror.ErrOther) {
		t.Fatalf("Heal with differing configs: %v, want ErrOther", err)
	}
	rep, err := mirror.HealKeys(ctx, a, b, e.Keys)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Copied) != 3 || !keySet(t, a).Equal(keySet(t, b)) {
		t.Fatalf("copied %v; the locations still differ", rep.Copied)
	}
	if _, err := mirror.Heal(ctx, a, b); err != nil {
		t.Fatalf("Heal after HealKeys: %v", err)
	}
	checkOK(t, e, e.Repo)
	checkOK(t, e, filepath.Join(e.Dir, "usb"))

	// Damage in the primary's config is healed from the mirror.
	cfg := filepath.Join(e.Repo, "config")
	good, _ := os.ReadFile(cfg)
	bad := bytes.Replace(good, []byte(`"min"`), []byte(`"mix"`), 1)
	os.Remove(cfg)
	os.WriteFile(cfg, bad, 0o600)
	if _, err := mirror.HealKeys(ctx, a, b, e.Keys); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(cfg); !bytes.Equal(got, good) {
		t.Error("the primary's damaged config was not healed from the mirror")
	}

	// Without the write key, nothing can be told apart: nothing changes.
	os.Remove(cfg)
	os.WriteFile(cfg, bad, 0o600)
	if _, err := mirror.HealKeys(ctx, a, b, repo.Keys{KeyDir: t.TempDir()}); !errors.Is(err, repo.ErrNoWriteKey) {
		t.Errorf("HealKeys without the write key: %v, want ErrNoWriteKey", err)
	}
	if got, _ := os.ReadFile(cfg); !bytes.Equal(got, bad) {
		t.Error("HealKeys without the write key changed the config")
	}
}

// TestHealKeysRefusesUnvouched: keys a storage holder changed (no
// manifest matches them) are never copied, in either direction.
func TestHealKeysRefusesUnvouched(t *testing.T) {
	e, a, b := keyedPair(t)
	for _, dir := range []string{e.Repo, filepath.Join(e.Dir, "usb")} {
		p := filepath.Join(dir, "keys", "write.age")
		os.Remove(p)
		os.WriteFile(p, []byte("forged "+dir), 0o600)
	}
	before := keySet(t, b)
	_, err := mirror.HealKeys(ctx, a, b, e.Keys)
	if !errors.Is(err, repo.ErrDamaged) {
		t.Fatalf("HealKeys with no vouched copy: %v, want ErrDamaged", err)
	}
	if !keySet(t, b).Equal(before) {
		t.Error("an unvouched copy was written")
	}
}

// TestPushKeys: the backup's push copies a vouched primary's keys to the
// mirror, never the other way.
func TestPushKeys(t *testing.T) {
	e, a, b := keyedPair(t)
	want := keySet(t, a)
	if _, err := mirror.PushKeys(ctx, a, b, e.Keys); err != nil {
		t.Fatal(err)
	}
	if !keySet(t, b).Equal(want) {
		t.Fatal("the mirror did not get the primary's keys")
	}
	if _, err := mirror.Push(ctx, a, b); err != nil {
		t.Fatalf("Push after PushKeys: %v", err)
	}
	// The other way: a mirror that is ahead is not copied back by a push.
	ed, err := repo.EditKeys(ctx, b, e.Keys)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := crypto.GenerateIdentity()
	if _, err := ed.AddRecipients(ctx, []string{id.Recipient().String()}); err != nil {
		t.Fatal(err)
	}
	// The primary's copy is vouched for too: the primary wins a push.
	if _, err := mirror.PushKeys(ctx, a, b, e.Keys); err != nil || !keySet(t, b).Equal(want) {
		t.Fatalf("PushKeys over a mirror ahead: %v", err)
	}
}

// TestPutKeysNeedsTheMirror: a key change never creates a repository
// where the mirror should be.
func TestPutKeysNeedsTheMirror(t *testing.T) {
	e, a, _ := keyedPair(t)
	away := store.NewLocal(filepath.Join(e.Dir, "unplugged"))
	if _, err := mirror.PutKeys(ctx, keySet(t, a), away); !errors.Is(err, mirror.ErrNoMirror) {
		t.Fatalf("PutKeys to an absent mirror: %v, want ErrNoMirror", err)
	}
	if _, err := os.Stat(filepath.Join(e.Dir, "unplugged")); !errors.Is(err, os.ErrNotExist) {
		t.Error("PutKeys created the absent mirror's folder")
	}
	other := testrepo.New(t)
	if _, err := mirror.PutKeys(ctx, keySet(t, a), store.NewLocal(other.Repo)); !errors.Is(err, mirror.ErrOther) {
		t.Fatalf("PutKeys to another repository: %v, want ErrOther", err)
	}
}
