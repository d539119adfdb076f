package mobilebackup

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"howett.net/plist"

	"github.com/lifeboat-backup/lifeboat/internal/iosgen"
)

// editManifest rewrites dir's Manifest.plist through edit.
func editManifest(t *testing.T, dir string, edit func(m map[string]any)) {
	t.Helper()
	p := filepath.Join(dir, "Manifest.plist")
	raw, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if _, err := plist.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	out, err := plist.Marshal(m, plist.BinaryFormat)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, out, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestHostileBackups: each damaged backup is an error naming what is
// wrong, never a panic, never a Backup.
func TestHostileBackups(t *testing.T) {
	cases := []struct {
		name     string
		damage   func(t *testing.T, gen *iosgen.Backup)
		encrypt  bool
		contains string
	}{
		{"truncated keybag", func(t *testing.T, gen *iosgen.Backup) {
			editManifest(t, gen.Dir, func(m map[string]any) {
				kb := m["BackupKeyBag"].([]byte)
				m["BackupKeyBag"] = kb[:len(kb)-13]
			})
		}, true, "runs past its end"},
		{"huge TLV length", func(t *testing.T, gen *iosgen.Backup) {
			editManifest(t, gen.Dir, func(m map[string]any) {
				kb := append([]byte(nil), m["BackupKeyBag"].([]byte)...)
				binary.BigEndian.PutUint32(kb[4:], 0xfffffff0)
				m["BackupKeyBag"] = kb
			})
		}, true, "runs past its end"},
		{"huge iteration count", func(t *testing.T, gen *iosgen.Backup) {
			editManifest(t, gen.Dir, func(m map[string]any) {
				kb := append([]byte(nil), m["BackupKeyBag"].([]byte)...)
				i := bytes.Index(kb, []byte("ITER"))
				binary.BigEndian.PutUint32(kb[i+8:], 0xffffffff)
				m["BackupKeyBag"] = kb
			})
		}, true, "iteration counts"},
		{"no keybag", func(t *testing.T, gen *iosgen.Backup) {
			editManifest(t, gen.Dir, func(m map[string]any) { delete(m, "BackupKeyBag") })
		}, true, "without BackupKeyBag"},
		{"short ManifestKey", func(t *testing.T, gen *iosgen.Backup) {
			editManifest(t, gen.Dir, func(m map[string]any) { m["ManifestKey"] = []byte{4, 0, 0, 0, 1} })
		}, true, "ManifestKey"},
		{"Manifest.plist not a plist", func(t *testing.T, gen *iosgen.Backup) {
			os.WriteFile(filepath.Join(gen.Dir, "Manifest.plist"), []byte("bplist00\x00\x01garbage"), 0o644)
		}, false, "Manifest.plist"},
		{"plain Manifest.db not SQLite", func(t *testing.T, gen *iosgen.Backup) {
			os.WriteFile(filepath.Join(gen.Dir, "Manifest.db"), bytes.Repeat([]byte("not sqlite"), 500), 0o644)
		}, false, "Manifest.db"},
		{"encrypted Manifest.db not SQLite", func(t *testing.T, gen *iosgen.Backup) {
			os.WriteFile(filepath.Join(gen.Dir, "Manifest.db"), bytes.Repeat([]byte("0123456789abcdef"), 256), 0o644)
		}, true, "Manifest.db"},
		{"encrypted Manifest.db cut", func(t *testing.T, gen *iosgen.Backup) {
			p := filepath.Join(gen.Dir, "Manifest.db")
			fi, _ := os.Stat(p)
			os.Truncate(p, fi.Size()-7)
		}, true, "Manifest.db"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := iosgen.Options{}
			if c.encrypt {
				o.Password = testPassword
			}
			_, gen := generate(t, o)
			c.damage(t, gen)
			b, err := Open(gen.Dir, pw(testPassword))
			if err == nil || b != nil {
				t.Fatalf("Open gave %v, %v; want an error", b, err)
			}
			t.Logf("%v", err)
			if !strings.Contains(err.Error(), c.contains) {
				t.Errorf("error %q does not say %q", err, c.contains)
			}
			if errors.Is(err, ErrWrongPassword) {
				t.Errorf("damage taken for a wrong password: %v", err)
			}
		})
	}
}

// TestHostileFiles: a file shorter than its Size, or whose padding is
// bad, is an error from Open or Read; a bad last block is never given out.
func TestHostileFiles(t *testing.T) {
	for _, encrypt := range []bool{false, true} {
		o := iosgen.Options{}
		if encrypt {
			o.Password = testPassword
		}
		_, gen := generate(t, o)
		var big iosgen.Written
		for _, w := range gen.Files {
			if len(w.Data) > len(big.Data) {
				big = w
			}
		}
		b, err := Open(gen.Dir, pw(testPassword))
		if err != nil {
			t.Fatal(err)
		}
		// Shorter than its Size.
		orig, _ := os.ReadFile(big.Path)
		os.WriteFile(big.Path, orig[:len(orig)-32], 0o644)
		if _, err := b.Open(big.ID); !errors.Is(err, ErrSizeMismatch) {
			t.Errorf("encrypted %v: a cut file opened: %v", encrypt, err)
		}
		// Missing.
		os.Remove(big.Path)
		if _, err := b.Open(big.ID); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("encrypted %v: a missing file: %v", encrypt, err)
		}
		if !encrypt {
			continue
		}
		// Bad padding: flipping a byte of the last block but one flips the
		// same byte of the last plaintext block, the padding's last byte.
		bad := append([]byte(nil), orig...)
		bad[len(bad)-17] ^= 0x40
		os.WriteFile(big.Path, bad, 0o644)
		r, err := b.Open(big.ID)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(r)
		r.Close()
		if !errors.Is(err, ErrBadPadding) {
			t.Errorf("bad padding read without ErrBadPadding: %v", err)
		}
		if len(got) >= len(big.Data) || !bytes.Equal(got, big.Data[:len(got)]) {
			t.Errorf("bad padding: %d bytes given out of %d, the last block among them", len(got), len(big.Data))
		}
		// Opening with the keys forgotten fails.
		os.WriteFile(big.Path, orig, 0o644)
		b.Close()
		if _, err := b.Open(big.ID); err == nil {
			t.Error("Open after Close succeeded")
		}
	}
}
