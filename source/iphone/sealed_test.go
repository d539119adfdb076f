package iphone_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/backup"
	"github.com/lifeboat-backup/lifeboat/check"
	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/internal/forge"
	"github.com/lifeboat-backup/lifeboat/internal/iosgen"
	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/pim"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/source"
	"github.com/lifeboat-backup/lifeboat/source/iphone"
)

const photoRel = "Media/DCIM/100APPLE/IMG_0001.JPG"

// sealedFiles are a backup's files: a photo of incompressible bytes,
// and in HomeDomain files that hold a vCard (named so, and not) and a
// JPEG, which lifeboat does not understand and keeps only raw.
func sealedFiles(t *testing.T) ([]iosgen.File, []byte) {
	photo := make([]byte, 1<<20)
	rand.Read(photo)
	copy(photo, []byte{0xff, 0xd8, 0xff, 0xe0, 0, 16, 'J', 'F', 'I', 'F', 0})
	card := []byte("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:raw-1\r\nFN:Raw Person\r\nN:Person;Raw;;;\r\nEND:VCARD\r\n")
	return []iosgen.File{
		{Domain: iosgen.CameraRollDomain, RelativePath: photoRel, Data: photo},
		{Domain: "HomeDomain", RelativePath: "Library/Exports/anna.vcf", Data: card},
		{Domain: "HomeDomain", RelativePath: "Library/Exports/card-no-ext", Data: card},
		{Domain: "HomeDomain", RelativePath: "Library/Caches/thumb.jpg", Data: photo[:40000]},
	}, photo
}

func openTree(t *testing.T, dir string, password []byte) (source.Tree, string) {
	t.Helper()
	s, err := iphone.New(dir, iphone.Options{Password: func() ([]byte, error) { return bytes.Clone(password), nil }})
	if err != nil {
		t.Fatal(err)
	}
	tree, release, err := s.Open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(release)
	return tree, s.Name()
}

// nodes lists a snapshot's entries by path.
func nodes(t *testing.T, r *repo.Repository, snap *format.Snapshot) map[string]format.Node {
	t.Helper()
	all := map[string]format.Node{}
	if err := r.Walk(context.Background(), snap.Root.Content, func(rel string, n format.Node) error {
		all[rel] = n
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return all
}

// sameBackup fails unless every file of the device folder is restored
// under backup/<folder> with the same bytes.
func sameBackup(t *testing.T, dev, restored string) {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dev, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dev, p)
		want, _ := os.ReadFile(p)
		got, err := os.ReadFile(filepath.Join(restored, "backup", filepath.Base(dev), rel))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("restored %s: %d bytes (%v), want the %d on disk", rel, len(got), err, len(want))
		}
		n++
		return nil
	})
	if err != nil || n < 5 {
		t.Fatalf("compared %d files: %v", n, err)
	}
}

func run(t *testing.T, e *testrepo.Env, name string, tree source.Tree) *backup.Result {
	t.Helper()
	res, err := backup.Run(context.Background(), e.Open(t, repo.AccessWrite), backup.Options{Tree: tree, SourceName: name, CacheDir: e.CacheDir})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) > 0 || len(res.Changed) > 0 {
		t.Fatalf("backup: errors %v, changed %v", res.Errors, res.Changed)
	}
	return res
}

// TestRawFilesCountNothing: the backup's own files, plain or sealed,
// count no contacts and no photos, though they hold a vCard (named .vcf
// and not) and JPEGs; the one photo counts once, at DCIM/.
func TestRawFilesCountNothing(t *testing.T) {
	for _, pw := range [][]byte{nil, []byte("count")} {
		files, _ := sealedFiles(t)
		b, err := iosgen.Write(t.TempDir(), iosgen.Options{Password: pw, Files: files})
		if err != nil {
			t.Fatal(err)
		}
		tree, name := openTree(t, b.Dir, pw)
		e := testrepo.New(t)
		res := run(t, e, name, tree)
		if st := res.Snapshot.Stats; st.Contacts != 0 || st.Media != 1 {
			t.Errorf("encrypted %v: snapshot counts %d contacts and %d photos, want 0 and 1 (the DCIM item)", pw != nil, st.Contacts, st.Media)
		}
		raw := 0
		for rel, n := range nodes(t, e.Open(t, repo.AccessRead), res.Snapshot) {
			if n.Type != format.NodeFile || !strings.HasPrefix(rel, "backup/") {
				continue
			}
			raw++
			if n.Kind != uint8(pim.KindOther) || n.Counts != (format.Counts{}) {
				t.Errorf("encrypted %v: raw %s stored as kind %d with counts %+v, want other and none", pw != nil, rel, n.Kind, n.Counts)
			}
		}
		if raw < len(files)+2 {
			t.Errorf("encrypted %v: %d raw files in the snapshot, want the %d files and the manifests", pw != nil, raw, len(files))
		}
	}
}

// TestSealedThroughBackupRestore: an encrypted backup's photo is stored
// once (its raw file's plaintext is the DCIM item's blobs), restores as
// its ciphertext byte for byte though the source cleared its key on
// Close, check --read-data accepts the sealed size and flags a forged
// one, and a second backup's cache hit keeps the Seal.
func TestSealedThroughBackupRestore(t *testing.T) {
	pw := []byte("sealed")
	files, photo := sealedFiles(t)
	b, err := iosgen.Write(t.TempDir(), iosgen.Options{Password: pw, Files: files})
	if err != nil {
		t.Fatal(err)
	}
	tree, name := openTree(t, b.Dir, pw)
	id := iosgen.FileID(iosgen.CameraRollDomain, photoRel)
	rawRel := path.Join("backup", filepath.Base(b.Dir), id[:2], id)
	disk, err := os.ReadFile(filepath.Join(b.Dir, id[:2], id))
	if err != nil {
		t.Fatal(err)
	}

	// The source gives the photo's raw file sealed, and clears its key
	// on Close: backup must have copied it.
	f, err := tree.Open(rawRel)
	if err != nil {
		t.Fatal(err)
	}
	sf, ok := f.(source.SealedFile)
	if !ok {
		t.Fatalf("%s opens as %T, want a source.SealedFile", rawRel, f)
	}
	key := sf.SealKey()
	plain, err := io.ReadAll(f)
	if err != nil || !bytes.Equal(plain, photo) || len(key) != format.SealKeyLen {
		t.Fatalf("sealed %s: %d bytes (%v), key of %d bytes; want the photo's %d and 32", rawRel, len(plain), err, len(key), len(photo))
	}
	f.Close()
	if slices.ContainsFunc(key, func(c byte) bool { return c != 0 }) {
		t.Errorf("the sealed file's key is not cleared on Close")
	}

	e := testrepo.New(t)
	res := run(t, e, name, tree)
	r := e.Open(t, repo.AccessRead)
	all := nodes(t, r, res.Snapshot)
	sealed, item := all[rawRel], all["DCIM/100APPLE/IMG_0001.JPG"]
	if sealed.Seal == nil || sealed.Size != uint64(len(disk)) || item.Seal != nil || item.Size != uint64(len(photo)) {
		t.Fatalf("sealed node: seal %v, %d bytes (want %d); item: seal %v, %d bytes", sealed.Seal != nil, sealed.Size, len(disk), item.Seal != nil, item.Size)
	}
	sealedIDs, err1 := r.LoadRef(context.Background(), sealed.Content)
	itemIDs, err2 := r.LoadRef(context.Background(), item.Content)
	if err1 != nil || err2 != nil || !slices.Equal(sealedIDs, itemIDs) {
		t.Errorf("the sealed file's blobs %v (%v) are not the photo's %v (%v)", sealedIDs, err1, itemIDs, err2)
	}
	if size := e.Size(t); size > int64(len(photo))*3/2 {
		t.Errorf("repository holds %d bytes for a %d-byte photo: stored twice", size, len(photo))
	}
	sameBackup(t, b.Dir, e.Restore(t, res.ID))

	rep, err := check.Run(context.Background(), e.Open(t, repo.AccessRead), check.Options{ReadData: true})
	if err != nil || len(rep.Problems) > 0 {
		t.Fatalf("check --read-data of a sealed snapshot: %v %v", err, rep.Problems)
	}
	// A snapshot holding the sealed node, its size right and forged.
	for _, forged := range []bool{false, true} {
		e2 := testrepo.New(t)
		res2 := run(t, e2, name, tree)
		n := nodes(t, e2.Open(t, repo.AccessRead), res2.Snapshot)[rawRel]
		if forged {
			n.Size += 16
		}
		fr := forge.New(context.Background(), e2.Open(t, repo.AccessWrite))
		root, err := fr.Tree([]format.Node{n})
		if err == nil {
			_, err = fr.Commit("/forged/sealed", root)
		}
		if err != nil {
			t.Fatal(err)
		}
		rep, err := check.Run(context.Background(), e2.Open(t, repo.AccessRead), check.Options{ReadData: true})
		flagged := slices.ContainsFunc(rep.Problems, func(p string) bool { return strings.Contains(p, id) && strings.Contains(p, "bytes") })
		t.Logf("forged %v: %v", forged, rep.Problems)
		if flagged != forged || (err != nil) != forged {
			t.Errorf("sealed node with forged size %v: check %v, problems %v", forged, err, rep.Problems)
		}
	}

	// Unchanged, the second backup (the source opened again) takes the file from the cache: its
	// Seal is kept, and it restores the same.
	tree2, _ := openTree(t, b.Dir, pw)
	again := run(t, e, name, tree2)
	if again.Snapshot.Stats.BytesRead >= uint64(len(photo)) {
		t.Errorf("second backup read %d bytes, want the photo's files taken from the cache", again.Snapshot.Stats.BytesRead)
	}
	n2 := nodes(t, e.Open(t, repo.AccessRead), again.Snapshot)[rawRel]
	if !bytes.Equal(n2.Seal, sealed.Seal) || n2.Size != sealed.Size {
		t.Errorf("cache hit: sealed node has seal %x, %d bytes; want %x, %d", n2.Seal, n2.Size, sealed.Seal, sealed.Size)
	}
	sameBackup(t, b.Dir, e.Restore(t, again.ID))
}
