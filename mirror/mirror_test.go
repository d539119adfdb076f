package mirror_test

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/check"
	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/mirror"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/store"
	"github.com/lifeboat-backup/lifeboat/store/storetest"
)

var ctx = context.Background()

func phone(t *testing.T) string { return filepath.Join(testrepo.ModuleRoot(t), "testdata", "phone") }

// objects lists a repository folder's files.
func objects(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if rel, _ := filepath.Rel(dir, p); !strings.HasPrefix(rel, "tmp"+string(filepath.Separator)) {
			out = append(out, rel)
		}
		return err
	})
	sort.Strings(out)
	return out
}

func sameObjects(t *testing.T, a, b string) {
	t.Helper()
	oa, ob := objects(t, a), objects(t, b)
	if strings.Join(oa, "\n") != strings.Join(ob, "\n") {
		t.Fatalf("object sets differ:\n%v\n%v", oa, ob)
	}
}

func checkOK(t *testing.T, e *testrepo.Env, dir string) {
	t.Helper()
	r, err := repo.Open(ctx, store.NewLocal(dir), e.Keys, repo.AccessRead)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if rep, err := check.Run(ctx, r, check.Options{ReadData: true}); err != nil {
		t.Fatalf("check %s: %v %v", dir, err, rep.Problems)
	}
}

func flip(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 1
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestInitPushHeal(t *testing.T) {
	e := testrepo.New(t)
	e.Backup(t, phone(t))
	mdir := filepath.Join(t.TempDir(), "mirror")
	if _, err := mirror.Init(ctx, store.NewLocal(e.Repo), store.NewLocal(mdir)); err != nil {
		t.Fatal(err)
	}
	sameObjects(t, e.Repo, mdir)
	checkOK(t, e, mdir)

	// A new backup reaches the mirror with Push.
	src := filepath.Join(t.TempDir(), "src")
	os.MkdirAll(src, 0o755)
	os.WriteFile(filepath.Join(src, "new.txt"), []byte("new"), 0o644)
	e.Backup(t, src)
	rep, err := mirror.Push(ctx, store.NewLocal(e.Repo), store.NewLocal(mdir))
	if err != nil || len(rep.Copied) == 0 {
		t.Fatalf("push: %v, %v", rep, err)
	}
	sameObjects(t, e.Repo, mdir)

	// Damage in either location is healed from the other.
	packs := objects(t, filepath.Join(e.Repo, "data"))
	for _, damaged := range []string{e.Repo, mdir} {
		flip(t, filepath.Join(damaged, "data", packs[0]))
		rep, err := mirror.Heal(ctx, store.NewLocal(e.Repo), store.NewLocal(mdir))
		if err != nil || len(rep.Copied) != 1 {
			t.Fatalf("heal damage in %s: %+v, %v", damaged, rep, err)
		}
		checkOK(t, e, e.Repo)
		checkOK(t, e, mdir)
	}

	// Damage in both: reported, nothing else harmed, and never copied.
	flip(t, filepath.Join(e.Repo, "data", packs[0]))
	flip(t, filepath.Join(mdir, "data", packs[0]))
	rep, err = mirror.Heal(ctx, store.NewLocal(e.Repo), store.NewLocal(mdir))
	if !errors.Is(err, repo.ErrDamaged) || len(rep.Unrecoverable) != 1 || !strings.HasSuffix(rep.Unrecoverable[0], filepath.Base(packs[0])) {
		t.Fatalf("damage in both: %+v, %v", rep, err)
	}
	// A damaged object is never pushed over a missing one either.
	os.Remove(filepath.Join(mdir, "data", packs[0]))
	if _, err := mirror.Push(ctx, store.NewLocal(e.Repo), store.NewLocal(mdir)); !errors.Is(err, repo.ErrDamaged) {
		t.Fatalf("push of a damaged object: %v", err)
	}
	if _, err := os.Stat(filepath.Join(mdir, "data", packs[0])); err == nil {
		t.Fatal("a damaged object was copied")
	}
}

// TestMirrorAbsent: an unplugged disk (no folder, or an empty mount
// point) is reported, and nothing is written there.
func TestMirrorAbsent(t *testing.T) {
	e := testrepo.New(t)
	e.Backup(t, phone(t))
	for _, dir := range []string{filepath.Join(t.TempDir(), "gone"), t.TempDir()} {
		_, err := mirror.Push(ctx, store.NewLocal(e.Repo), store.NewLocal(dir))
		if !errors.Is(err, mirror.ErrNoMirror) {
			t.Errorf("%s: %v, want ErrNoMirror", dir, err)
		}
		if got := objects(t, dir); len(got) != 0 {
			t.Errorf("wrote %v into an absent mirror", got)
		}
	}
	other := testrepo.New(t)
	if _, err := mirror.Push(ctx, store.NewLocal(e.Repo), store.NewLocal(other.Repo)); !errors.Is(err, mirror.ErrOther) {
		t.Errorf("another repository: %v, want ErrOther", err)
	}
}

// TestTransientErrors: the first writes to the mirror fail; copies are
// retried with backoff and each object ends up stored once.
func TestTransientErrors(t *testing.T) {
	e := testrepo.New(t)
	e.Backup(t, phone(t))
	mdir := filepath.Join(t.TempDir(), "mirror")
	defer func(b time.Duration) { mirror.Backoff = b }(mirror.Backoff)
	mirror.Backoff = time.Millisecond
	f := storetest.NewFaulty(store.NewLocal(mdir))
	f.Fail(2, storetest.OpCreate, storetest.OpCommit)
	rep, err := mirror.Init(ctx, store.NewLocal(e.Repo), f)
	if err != nil {
		t.Fatal(err)
	}
	sameObjects(t, e.Repo, mdir)
	if len(rep.Copied) != len(objects(t, e.Repo)) {
		t.Errorf("copied %d objects for %d", len(rep.Copied), len(objects(t, e.Repo)))
	}
	checkOK(t, e, mdir)
}

// TestPushNeverCopiesSnapshotsBeforeData: copies run in parallel, but a
// snapshot reaches the mirror only after every pack and index file it
// needs. Here every write over 8 KiB fails, so the new pack cannot be
// copied while the (smaller) snapshot could: the mirror must not get it.
func TestPushNeverCopiesSnapshotsBeforeData(t *testing.T) {
	e := testrepo.New(t)
	e.Backup(t, phone(t))
	mdir := filepath.Join(t.TempDir(), "mirror")
	if _, err := mirror.Init(ctx, store.NewLocal(e.Repo), store.NewLocal(mdir)); err != nil {
		t.Fatal(err)
	}
	photo := t.TempDir()
	if err := os.WriteFile(filepath.Join(photo, "IMG_1.jpg"), randomBytes(64<<10), 0o600); err != nil {
		t.Fatal(err)
	}
	e.Backup(t, photo) // a second snapshot, with a new pack
	defer func(b time.Duration) { mirror.Backoff = b }(mirror.Backoff)
	mirror.Backoff = time.Millisecond
	before := objects(t, mdir)
	f := storetest.NewFaulty(store.NewLocal(mdir))
	f.FailWritesAfter(8 << 10)
	if _, err := mirror.Push(ctx, store.NewLocal(e.Repo), f); err == nil {
		t.Fatal("push succeeded with the pack's write failing")
	}
	var small bool
	store.NewLocal(e.Repo).List(ctx, "snapshots", func(name string, size int64) error {
		small = small || size < 8<<10
		return nil
	})
	if !small {
		t.Fatal("the snapshots are not under 8 KiB: the test proves nothing")
	}
	if after := objects(t, mdir); strings.Join(after, "\n") != strings.Join(before, "\n") {
		t.Errorf("a failed push changed the mirror: %v -> %v", before, after)
	}
	f.FailWritesAfter(-1)
	if _, err := mirror.Push(ctx, store.NewLocal(e.Repo), f); err != nil {
		t.Fatal(err)
	}
	sameObjects(t, e.Repo, mdir)
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// TestReadBackErrorKept: when reading a copy back fails (the connection
// drops, --mirror-timeout passes, Ctrl-C), the error says why, so that
// the caller maps it (a timeout, exit 130) instead of reporting a copy
// that "does not read back as written".
func TestReadBackErrorKept(t *testing.T) {
	e := testrepo.New(t)
	e.Backup(t, phone(t))
	defer func(b time.Duration) { mirror.Backoff = b }(mirror.Backoff)
	mirror.Backoff = time.Millisecond
	f := storetest.NewFaulty(store.NewLocal(filepath.Join(t.TempDir(), "mirror")))
	f.Fail(-1, storetest.OpLoad)
	_, err := mirror.Init(ctx, store.NewLocal(e.Repo), f)
	if !errors.Is(err, storetest.ErrInjected) {
		t.Fatalf("read-back failure: %v, want the cause wrapped", err)
	}
	if strings.Contains(err.Error(), "does not read back as written") {
		t.Errorf("a failed read is reported as a mismatch: %v", err)
	}
}

// unanswering is a store whose packs cannot be read: its server stopped
// answering.
type unanswering struct{ store.Store }

func (u unanswering) Load(ctx context.Context, name string) ([]byte, error) {
	if strings.HasPrefix(name, "data/") {
		return nil, fmt.Errorf("%s: %w", name, store.ErrUnavailable)
	}
	return u.Store.Load(ctx, name)
}

// TestHealUnavailableIsNoDamage: with both locations not answering, sync
// fails with the stores' error; it does not report the objects as damaged
// in both locations (exit 13), which they are not.
func TestHealUnavailableIsNoDamage(t *testing.T) {
	e := testrepo.New(t)
	e.Backup(t, phone(t))
	mdir := filepath.Join(t.TempDir(), "mirror")
	if _, err := mirror.Init(ctx, store.NewLocal(e.Repo), store.NewLocal(mdir)); err != nil {
		t.Fatal(err)
	}
	rep, err := mirror.Heal(ctx, unanswering{store.NewLocal(e.Repo)}, unanswering{store.NewLocal(mdir)})
	if !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("heal with both locations down: %v, want ErrUnavailable", err)
	}
	if rep != nil && len(rep.Unrecoverable) > 0 {
		t.Errorf("reported as damaged in both: %v", rep.Unrecoverable)
	}
}
