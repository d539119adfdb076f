package mobilebackup

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/lifeboat-backup/lifeboat/internal/iosgen"
)

var testPassword = []byte("correct horse battery staple")

// pw is a password callback giving a fresh copy of p.
func pw(p []byte) func() ([]byte, error) {
	return func() ([]byte, error) { return append([]byte(nil), p...), nil }
}

// generate writes a backup into a fresh parent folder.
func generate(t *testing.T, o iosgen.Options) (string, *iosgen.Backup) {
	t.Helper()
	if o.Files == nil {
		o.Files = iosgen.DefaultFiles()
	}
	parent := t.TempDir()
	b, err := iosgen.Write(parent, o)
	if err != nil {
		t.Fatal(err)
	}
	return parent, b
}

// checkAll reads back every generated file through b and compares it
// with what the generator put in, and the Files table with its rows.
func checkAll(t *testing.T, b *Backup, gen *iosgen.Backup) {
	t.Helper()
	files := b.Files()
	if want := len(gen.Files) + len(gen.Dirs); len(files) != want {
		t.Errorf("Files() gives %d rows, want %d", len(files), want)
	}
	for _, w := range gen.Files {
		f, err := b.Find(w.Domain, w.RelativePath)
		if err != nil {
			t.Errorf("Find(%s, %s): %v", w.Domain, w.RelativePath, err)
			continue
		}
		if f.ID != w.ID || f.Flags != FlagFile || f.Size != int64(len(w.Data)) || f.Mode != 0o100644 || !f.ModTime.Equal(w.ModTime) {
			t.Errorf("%s: got %+v, want ID %s size %d mtime %v", w.RelativePath, f, w.ID, len(w.Data), w.ModTime)
		}
		r, err := b.Open(f.ID)
		if err != nil {
			t.Errorf("Open(%s): %v", w.RelativePath, err)
			continue
		}
		got, err := io.ReadAll(r)
		r.Close()
		if err != nil || !bytes.Equal(got, w.Data) {
			t.Errorf("%s: read %d bytes (err %v), want the generator's %d", w.RelativePath, len(got), err, len(w.Data))
		}
	}
	dirs := 0
	for _, f := range files {
		if f.Flags == FlagDir {
			dirs++
			if _, err := b.Open(f.ID); err == nil {
				t.Errorf("Open of folder %s succeeded", f.RelativePath)
			}
		}
	}
	if dirs != len(gen.Dirs) {
		t.Errorf("%d folder rows, want %d", dirs, len(gen.Dirs))
	}
}

func TestPlainRoundTrip(t *testing.T) {
	parent, gen := generate(t, iosgen.Options{})
	called := false
	b, err := Open(parent, func() ([]byte, error) { called = true; return nil, nil })
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if called {
		t.Error("a plain backup asked for the password")
	}
	info := b.Info()
	if info.Encrypted || info.Dir != gen.Dir || info.Manifest.Lockdown.ProductVersion != "17.5.1" {
		t.Errorf("Info = %+v", info)
	}
	checkAll(t, b, gen)
	if _, err := b.Find("HomeDomain", "no/such/file"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Find of a missing file: %v", err)
	}
	if _, err := b.Open("../../../../etc/passwd"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open of a path that is no fileID: %v", err)
	}
	// An empty file need not be on disk.
	empty, err := b.Find("HomeDomain", "Library/Notes/empty.txt")
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(gen.Dir, empty.ID[:2], empty.ID))
	if r, err := b.Open(empty.ID); err != nil {
		t.Errorf("an empty file missing on disk: %v", err)
	} else if got, _ := io.ReadAll(r); len(got) != 0 {
		t.Errorf("an empty file gave %d bytes", len(got))
	}
}

func TestEncryptedRoundTrip(t *testing.T) {
	for _, legacy := range []bool{false, true} {
		t.Run(map[bool]string{false: "iOS10.2+", true: "legacy"}[legacy], func(t *testing.T) {
			_, gen := generate(t, iosgen.Options{Password: testPassword, Legacy: legacy})
			given := append([]byte(nil), testPassword...)
			b, err := Open(gen.Dir, func() ([]byte, error) { return given, nil })
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			if !bytes.Equal(given, make([]byte, len(given))) {
				t.Error("the password's bytes were not cleared after use")
			}
			if !b.Info().Encrypted {
				t.Error("Info says not encrypted")
			}
			db, err := os.ReadFile(filepath.Join(gen.Dir, "Manifest.db"))
			if err != nil {
				t.Fatal(err)
			}
			if clear := bytes.HasPrefix(db, []byte("SQLite format 3\x00")); clear != legacy {
				t.Errorf("Manifest.db in the clear: %v, want %v (legacy)", clear, legacy)
			}
			checkAll(t, b, gen)
			// The files on disk are not the plaintext.
			for _, w := range gen.Files {
				disk, err := os.ReadFile(w.Path)
				if err != nil {
					t.Fatal(err)
				}
				if len(w.Data) > 0 && bytes.Contains(disk, w.Data[:min(len(w.Data), 16)]) {
					t.Errorf("%s lies in the clear", w.RelativePath)
				}
			}
		})
	}
}

func TestWrongPassword(t *testing.T) {
	_, gen := generate(t, iosgen.Options{Password: testPassword})
	b, err := Open(gen.Dir, pw([]byte("Correct horse battery staple")))
	if !errors.Is(err, ErrWrongPassword) || b != nil {
		t.Fatalf("Open with a wrong password = %v, %v; want ErrWrongPassword", b, err)
	}
}

func TestMissingPassword(t *testing.T) {
	_, gen := generate(t, iosgen.Options{Password: testPassword})
	for name, cb := range map[string]func() ([]byte, error){
		"nil callback": nil,
		"empty":        pw(nil),
	} {
		if _, err := Open(gen.Dir, cb); !errors.Is(err, ErrPasswordRequired) || errors.Is(err, ErrWrongPassword) {
			t.Errorf("%s: %v, want ErrPasswordRequired", name, err)
		}
	}
	boom := errors.New("no terminal")
	if _, err := Open(gen.Dir, func() ([]byte, error) { return nil, boom }); !errors.Is(err, boom) {
		t.Errorf("callback error: %v", err)
	}
}

func TestLocate(t *testing.T) {
	parent := t.TempDir()
	if _, err := Open(parent, nil); !errors.Is(err, ErrNotBackup) {
		t.Errorf("empty folder: %v", err)
	}
	for _, udid := range []string{"00008110-AAAA", "00008110-BBBB"} {
		if _, err := iosgen.Write(parent, iosgen.Options{UDID: udid, Files: iosgen.DefaultFiles()[:1]}); err != nil {
			t.Fatal(err)
		}
	}
	dirs, err := Locate(parent)
	if err != nil || len(dirs) != 2 || filepath.Base(dirs[1]) != "00008110-BBBB" {
		t.Errorf("Locate = %v, %v", dirs, err)
	}
	if _, err := Open(parent, nil); !errors.Is(err, ErrSeveralBackups) {
		t.Errorf("two devices: %v", err)
	}
	if b, err := Open(dirs[0], nil); err != nil || len(b.Files()) == 0 {
		t.Errorf("one device of two: %v", err)
	}
}

// TestStreams: a large file is decrypted a chunk at a time, so reading it
// allocates far less than its size.
func TestStreams(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789abcde"), 16<<20/15) // 16 MiB, not block-aligned
	files := []iosgen.File{{Domain: "CameraRollDomain", RelativePath: "Media/DCIM/100APPLE/IMG_0009.MOV", Data: data}}
	_, gen := generate(t, iosgen.Options{Password: testPassword, Files: files})
	b, err := Open(gen.Dir, pw(testPassword))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	r, err := b.Open(gen.Files[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	h := sha256.New()
	n, err := io.CopyBuffer(h, r, make([]byte, 32<<10))
	runtime.ReadMemStats(&after)
	if err != nil || n != int64(len(data)) {
		t.Fatalf("read %d bytes, %v", n, err)
	}
	if want := sha256.Sum256(data); !bytes.Equal(h.Sum(nil), want[:]) {
		t.Error("the decrypted bytes differ")
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 2<<20 {
		t.Errorf("reading 16 MiB allocated %d bytes: not streamed", alloc)
	}
}
