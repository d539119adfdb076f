package repo_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/store"
)

// TestCheckKeysIntact: the key objects of every kind of repository, and
// after every key change, pass CheckKeys with and without the write key;
// one a storage holder swapped is named.
func TestCheckKeysIntact(t *testing.T) {
	ctx := context.Background()
	st, k := passphraseRepo(t, "old pass")
	problems := func(step string) {
		t.Helper()
		for name, ks := range map[string]bool{"no key": false, "write key": true} {
			set, err := repo.LoadKeySet(ctx, st)
			if err != nil {
				t.Fatal(err)
			}
			if !set.Has("keys/manifest") {
				t.Errorf("%s: no keys/manifest", step)
			}
			var p []string
			if ks {
				p = set.Problems(writeKeys(t, st, k))
			} else {
				p = set.Problems(nil)
			}
			if len(p) != 0 {
				t.Errorf("%s, %s: %v", step, name, p)
			}
		}
	}
	problems("init with a passphrase")
	ed, err := repo.EditKeys(ctx, st, k)
	if err != nil {
		t.Fatal(err)
	}
	added := newRecipient(t)
	if _, err := ed.AddRecipients(ctx, []string{added}); err != nil {
		t.Fatal(err)
	}
	problems("key add")
	if ed, err = repo.EditKeys(ctx, st, k); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ed.RemoveRecipient(ctx, added, repo.RemoveOptions{}); err != nil {
		t.Fatal(err)
	}
	problems("key remove")
	if _, err := repo.ChangePassphrase(ctx, st, k, "old pass", "new pass", workFactor); err != nil {
		t.Fatal(err)
	}
	problems("key passwd")

	// Without a passphrase, and with --recipient only.
	for name, o := range map[string]repo.InitOptions{
		"identity file": {IdentityFile: filepath.Join(t.TempDir(), "id.txt")},
		"recipient":     {Recipients: []string{newRecipient(t)}},
	} {
		dir := t.TempDir()
		o.KeyDir = filepath.Join(dir, "keys")
		s := store.NewLocal(filepath.Join(dir, "repo"))
		if _, err := repo.Init(ctx, s, o); err != nil {
			t.Fatal(err)
		}
		p, err := repo.CheckKeys(ctx, s, nil)
		if err != nil || len(p) != 0 {
			t.Errorf("%s: %v %v", name, p, err)
		}
		// A repository from before init wrote a manifest has only its
		// form checked.
		os.Remove(filepath.Join(dir, "repo", "keys", "manifest"))
		if p, err := repo.CheckKeys(ctx, s, nil); err != nil || len(p) != 0 {
			t.Errorf("%s without a manifest: %v %v", name, p, err)
		}
	}

	// A write.age a storage holder made (well-formed, other bytes).
	dir := t.TempDir()
	other := store.NewLocal(filepath.Join(dir, "repo"))
	if _, err := repo.Init(ctx, other, repo.InitOptions{Recipients: []string{newRecipient(t)}, KeyDir: filepath.Join(dir, "k")}); err != nil {
		t.Fatal(err)
	}
	forged, _ := os.ReadFile(filepath.Join(dir, "repo", "keys", "write.age"))
	if err := store.Save(ctx, st, "keys/write.age", forged); err != nil {
		t.Fatal(err)
	}
	p, err := repo.CheckKeys(ctx, st, nil)
	if err != nil || len(p) != 1 || !strings.HasPrefix(p[0], "keys/write.age: does not match keys/manifest") {
		t.Errorf("swapped write.age: %v %v", p, err)
	}
}

// FuzzKeySetProblems: any manifest, tag file or age object a storage
// holder writes is named or passes, never a panic.
func FuzzKeySetProblems(f *testing.F) {
	f.Add([]byte("lifeboat keys manifest v1\nconfig 00\nmac 00\n"), []byte("age1x 00\n"), []byte("age-encryption.org/v1\n"))
	f.Add([]byte("lifeboat keys manifest v1\nmac \n"), []byte(""), []byte(""))
	f.Fuzz(func(t *testing.T, manifest, tag, age []byte) {
		set := repo.KeySet{"keys/manifest": manifest, "keys/write.tag": tag, "keys/write.age": age,
			"config": []byte(`{"version":1}`)}
		set.Problems(nil)
	})
}
