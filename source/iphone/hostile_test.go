package iphone_test

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"database/sql"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/backup"
	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/internal/iosgen"
	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/restore"
	"github.com/lifeboat-backup/lifeboat/source"
	"github.com/lifeboat-backup/lifeboat/source/iphone"
	_ "modernc.org/sqlite"
)

var hostilePassword = []byte("hostile")

// sqlTamper runs stmts on a Manifest.db's plaintext.
func sqlTamper(t *testing.T, stmts ...string) func([]byte) []byte {
	return func(plain []byte) []byte {
		p := filepath.Join(t.TempDir(), "m.db")
		if err := os.WriteFile(p, plain, 0o644); err != nil {
			t.Fatal(err)
		}
		db, err := sql.Open("sqlite", "file:"+p)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		for _, s := range stmts {
			if _, err := db.Exec(s); err != nil {
				t.Fatalf("%s: %v", s, err)
			}
		}
		db.Close()
		out, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
}

func photo(n int) []byte {
	b := []byte{0xff, 0xd8, 0xff, 0xe0}
	for i := range n {
		b = append(b, byte(i*13+n))
	}
	return append(b, 0xff, 0xd9)
}

func cam(rel string, data []byte) iosgen.File {
	return iosgen.File{Domain: iosgen.CameraRollDomain, RelativePath: rel, Data: data}
}

// outcome is a hostile backup backed up and restored.
type outcome struct {
	tree  source.Tree
	res   *backup.Result
	nodes map[string]format.Node // the snapshot's, by path
	out   string                 // the restore target
}

// hostileRun opens the backup in dir, lists its tree (every entry
// lifeboat made under DCIM/ or its rendered folders, each name valid),
// backs it up and restores it into a fresh folder, checking that the
// backup's own files are restored byte for byte and nothing beside the
// target is written.
func hostileRun(t *testing.T, dir string, pw []byte) outcome {
	t.Helper()
	o := backupRestore(t, dir, pw)
	sameBackup(t, dir, o.out)
	return o
}

// hostileRunNoCompare is hostileRun for a plain backup whose files are
// not all regular ones: nothing to compare byte for byte. It may run on
// another goroutine than the test's.
func hostileRunNoCompare(t *testing.T, dir string) outcome { return backupRestore(t, dir, nil) }

func backupRestore(t *testing.T, dir string, pw []byte) outcome {
	s, err := iphone.New(dir, iphone.Options{Password: func() ([]byte, error) { return bytes.Clone(pw), nil }})
	if err != nil {
		t.Fatal(err)
	}
	tree, release, err := s.Open(context.Background())
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(release)
	walkTree(t, tree, ".")
	e := testrepo.New(t)
	res, err := backup.Run(context.Background(), e.Open(t, repo.AccessWrite), backup.Options{Tree: tree, SourceName: s.Name(), CacheDir: e.CacheDir})
	if err != nil {
		t.Fatalf("backup: %v", err)
	}
	r := e.Open(t, repo.AccessRead)
	snap, err := r.LoadSnapshot(context.Background(), res.ID)
	if err != nil {
		t.Fatal(err)
	}
	parent := t.TempDir()
	out := filepath.Join(parent, "target")
	if _, err := restore.Run(context.Background(), r, snap, restore.Options{Target: out}); err != nil {
		t.Fatalf("restore: %v", err)
	}
	if ents, _ := os.ReadDir(parent); len(ents) != 1 {
		t.Errorf("restore wrote %d entries beside its target, want only the target", len(ents))
	}
	return outcome{tree: tree, res: res, nodes: nodes(t, r, snap), out: out}
}

// walkTree lists the tree, failing on an entry outside the folders
// lifeboat makes or with a name no file system takes.
func walkTree(t *testing.T, tree source.Tree, dir string) {
	t.Helper()
	ents, err := tree.ReadDir(dir)
	if err != nil {
		t.Fatalf("readdir %s: %v", dir, err)
	}
	for _, e := range ents {
		name := path.Join(dir, e.Name())
		if e.Name() == "" || e.Name() == "." || e.Name() == ".." || strings.Contains(e.Name(), "/") || len(e.Name()) > 255 {
			t.Errorf("entry %q of %s is not a valid name", e.Name(), dir)
			continue
		}
		top, _, _ := strings.Cut(name, "/")
		switch top {
		case "backup", "contacts", "calendars", "reminders", "DCIM":
		default:
			t.Errorf("entry %s is outside the folders lifeboat makes", name)
		}
		if e.IsDir() {
			walkTree(t, tree, name)
		} else if _, err := tree.Lstat(name); err != nil {
			t.Errorf("lstat %s: %v", name, err)
		}
	}
}

func restored(t *testing.T, out, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(rel)))
	if err != nil {
		return nil
	}
	return b
}

func named(errs []backup.ItemError, p string) bool {
	for _, e := range errs {
		if e.Path == p {
			return true
		}
	}
	return false
}

// TestHostileCameraRollPaths: a Manifest.db naming camera-roll files
// with "..", an absolute path, an empty or "." component, a 300-byte
// name, two files at one path, or a file where a folder of photos is:
// no entry outside DCIM/, no crash, the good photos at DCIM/, and the
// backup's own files restored byte for byte.
func TestHostileCameraRollPaths(t *testing.T) {
	good := map[string][]byte{
		"Media/DCIM/100APPLE/IMG_0001.JPG": photo(300),
		"Media/DCIM/100APPLE/IMG_0002.JPG": photo(400),
		"Media/DCIM/101APPLE/IMG_0101.JPG": photo(500),
	}
	long := "Media/DCIM/100APPLE/" + strings.Repeat("a", 300) + ".JPG"
	cases := []struct {
		name   string
		files  []iosgen.File
		tamper []string // SQL on Manifest.db
		lost   []string // good photos the hostile rows may hide
	}{
		{name: "dot-dot", files: []iosgen.File{cam("Media/DCIM/../../../../escape.JPG", photo(10)), cam("Media/DCIM/100APPLE/../../../escape2.JPG", photo(11)), cam("Media/DCIM/..", photo(12))}},
		{name: "absolute", files: []iosgen.File{cam("/Media/DCIM/abs.JPG", photo(13)), cam("Media/DCIM//tmp/abs.JPG", photo(14))}},
		{name: "empty and dot", files: []iosgen.File{cam("Media/DCIM/100APPLE//IMG_9.JPG", photo(15)), cam("Media/DCIM/./IMG_8.JPG", photo(16)), cam("Media/DCIM/100APPLE/", photo(17))}},
		{name: "300-byte name", files: []iosgen.File{cam(long, photo(18))}},
		{name: "two files at one path", tamper: []string{
			"UPDATE Files SET relativePath = 'Media/DCIM/100APPLE/IMG_0002.JPG' WHERE relativePath = 'Media/DCIM/101APPLE/IMG_0101.JPG'"},
			lost: []string{"Media/DCIM/101APPLE/IMG_0101.JPG"}},
		{name: "file where a folder is", tamper: []string{
			"UPDATE Files SET relativePath = 'Media/DCIM/100APPLE' WHERE relativePath = 'Media/DCIM/101APPLE/IMG_0101.JPG'"},
			lost: []string{"Media/DCIM/101APPLE/IMG_0101.JPG"}},
		{name: "folder under a file", tamper: []string{
			"UPDATE Files SET relativePath = 'Media/DCIM/100APPLE' WHERE relativePath = 'Media/DCIM/100APPLE/IMG_0001.JPG'"},
			lost: []string{"Media/DCIM/100APPLE/IMG_0001.JPG"}},
	}
	for _, c := range cases {
		for _, pw := range [][]byte{nil, hostilePassword} {
			t.Run(c.name+map[bool]string{false: " plain", true: " encrypted"}[pw != nil], func(t *testing.T) {
				o := iosgen.Options{Password: pw, Files: c.files}
				for rel, data := range good {
					o.Files = append(o.Files, cam(rel, data))
				}
				if c.tamper != nil {
					o.TamperManifestDB = sqlTamper(t, c.tamper...)
				}
				b, err := iosgen.Write(t.TempDir(), o)
				if err != nil {
					t.Fatal(err)
				}
				got := hostileRun(t, b.Dir, pw)
				for rel, data := range good {
					shown := "DCIM/" + strings.TrimPrefix(rel, "Media/DCIM/")
					if r := restored(t, got.out, shown); !bytes.Equal(r, data) && !contains(c.lost, rel) {
						t.Errorf("%s beside hostile rows: restored %d bytes, want %d", shown, len(r), len(data))
					}
				}
				if len(got.res.Errors) > 0 {
					t.Errorf("backup errors: %v", got.res.Errors)
				}
			})
		}
	}
}

func contains(list []string, s string) bool {
	for _, l := range list {
		if l == s {
			return true
		}
	}
	return false
}

// TestHostileEncryptedFiles: an encrypted file whose padding is wrong, or
// whose length on disk is not its Size padded, is kept as its ciphertext
// (no Seal) and restores byte for byte; its camera-roll item, which
// cannot be decrypted whole, is named in the errors.
func TestHostileEncryptedFiles(t *testing.T) {
	const rel = "Media/DCIM/100APPLE/IMG_0002.JPG"
	cases := []struct {
		name string
		edit func(b, plain, key []byte) []byte
	}{
		{"bad padding", func(b, _, _ []byte) []byte { b[len(b)-17] ^= 0x40; return b }},
		{"a block more", func(b, _, _ []byte) []byte { return append(b, bytes.Repeat([]byte{7}, 16)...) }},
		{"a block less", func(b, _, _ []byte) []byte { return b[:len(b)-16] }},
		{"not whole blocks", func(b, _, _ []byte) []byte { return append(b, 1, 2, 3) }},
		// The last byte says the padding is right, the ones before it
		// do not: sealing it would restore other bytes.
		{"pad bytes unequal", func(_, plain, key []byte) []byte {
			n := 16 - len(plain)%16
			p := append(bytes.Clone(plain), bytes.Repeat([]byte{byte(n)}, n)...)
			p[len(p)-2] ^= 1
			blk, _ := aes.NewCipher(key)
			cipher.NewCBCEncrypter(blk, make([]byte, 16)).CryptBlocks(p, p)
			return p
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := iosgen.Write(t.TempDir(), iosgen.Options{Password: hostilePassword,
				Files: []iosgen.File{cam("Media/DCIM/100APPLE/IMG_0001.JPG", photo(3000)), cam(rel, photo(70001))}})
			if err != nil {
				t.Fatal(err)
			}
			id := iosgen.FileID(iosgen.CameraRollDomain, rel)
			p := filepath.Join(b.Dir, id[:2], id)
			data, err := os.ReadFile(p)
			if err == nil {
				err = os.WriteFile(p, c.edit(data, photo(70001), b.Keys[id].Key), 0o644)
			}
			if err != nil {
				t.Fatal(err)
			}
			got := hostileRun(t, b.Dir, hostilePassword)
			rawRel := path.Join("backup", filepath.Base(b.Dir), id[:2], id)
			f, err := got.tree.Open(rawRel)
			if err != nil {
				t.Fatal(err)
			}
			_, sealed := f.(source.SealedFile)
			f.Close()
			if sealed {
				t.Errorf("a damaged encrypted file is given sealed")
			}
			if n, ok := got.nodes[rawRel]; !ok || n.Seal != nil {
				t.Errorf("a damaged encrypted file is stored sealed (or not at all: %v)", ok)
			}
			if !named(got.res.Errors, "DCIM/100APPLE/IMG_0002.JPG") {
				t.Errorf("the damaged photo's item is not named in the errors: %v", got.res.Errors)
			}
			if r := restored(t, got.out, "DCIM/100APPLE/IMG_0001.JPG"); !bytes.Equal(r, photo(3000)) {
				t.Errorf("the photo beside the damaged one restored as %d bytes", len(r))
			}
		})
	}
}
