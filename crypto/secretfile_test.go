package crypto

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// secretFile writes data to a new file with exactly mode perm.
func secretFile(t *testing.T, data string, perm fs.FileMode) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, perm); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReadSecretFileModes(t *testing.T) {
	const secret = "AGE-SECRET-KEY-1SECRETSECRET"
	for _, tc := range []struct {
		perm fs.FileMode
		ok   bool
	}{
		{0o600, true},
		{0o400, true},
		{0o700, true},
		{0o640, false},
		{0o604, false},
		{0o660, false},
		{0o644, false},
		{0o620, false},
		{0o602, false},
		{0o601, false},
		{0o610, false},
	} {
		t.Run(tc.perm.String(), func(t *testing.T) {
			p := secretFile(t, secret, tc.perm)
			b, err := ReadSecretFile(p)
			if tc.ok {
				if err != nil || string(b) != secret {
					t.Errorf("ReadSecretFile = %q, %v", b, err)
				}
				return
			}
			if !errors.Is(err, ErrInsecureFile) || b != nil {
				t.Fatalf("ReadSecretFile = %q, %v; want ErrInsecureFile", b, err)
			}
			if strings.Contains(err.Error(), "SECRET") {
				t.Errorf("error %q shows the file's contents", err)
			}
		})
	}
	if _, err := ReadSecretFile(filepath.Join(t.TempDir(), "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadSecretFile(missing): %v", err)
	}
}

func TestReadPassphraseFile(t *testing.T) {
	for _, tc := range []struct {
		name, data, want string
	}{
		{"newline", "correct horse\n", "correct horse"},
		{"no newline", "correct horse", "correct horse"},
		{"CRLF", "correct horse\r\n", "correct horse"},
		{"CR at end of file", "correct horse\r", "correct horse"},
		{"first line only", "first\nsecond\n", "first"},
		{"first line of CRLF file", "first\r\nsecond\r\n", "first"},
		{"spaces kept", "  pass word \n", "  pass word "},
		{"inner CR kept", "pa\rss\n", "pa\rss"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadPassphraseFile(secretFile(t, tc.data, 0o600))
			if err != nil || got != tc.want {
				t.Errorf("ReadPassphraseFile(%q) = %q, %v; want %q", tc.data, got, err, tc.want)
			}
		})
	}
	for _, data := range []string{"", "\n", "\r\n", "\nsecond line\n"} {
		if got, err := ReadPassphraseFile(secretFile(t, data, 0o600)); err == nil {
			t.Errorf("ReadPassphraseFile(%q) = %q, want an error for an empty passphrase", data, got)
		}
	}
	_, err := ReadPassphraseFile(secretFile(t, "pass\n", 0o644))
	if !errors.Is(err, ErrInsecureFile) {
		t.Errorf("ReadPassphraseFile of a 0644 file: %v, want ErrInsecureFile", err)
	}
}

func TestWriteSecretFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "identity.txt")
	if err := WriteSecretFile(p, []byte("secret one")); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %04o, want 0600", fi.Mode().Perm())
	}
	if b, err := ReadSecretFile(p); err != nil || string(b) != "secret one" {
		t.Errorf("read back %q, %v", b, err)
	}
	if err := WriteSecretFile(p, []byte("secret two")); !errors.Is(err, fs.ErrExist) {
		t.Errorf("overwriting: %v, want fs.ErrExist", err)
	}
	if b, _ := os.ReadFile(p); string(b) != "secret one" {
		t.Errorf("a refused write changed the file to %q", b)
	}
	if err := WriteSecretFile(filepath.Join(dir, "no", "such", "dir"), []byte("x")); err == nil {
		t.Error("WriteSecretFile into a missing directory succeeded")
	}
	// A symlink at the path is not followed to replace its target.
	target := filepath.Join(dir, "target")
	link := filepath.Join(dir, "link")
	if err := os.Symlink(target, link); err != nil {
		t.Skip(err)
	}
	if err := WriteSecretFile(link, []byte("x")); err == nil {
		t.Error("WriteSecretFile wrote through a dangling symlink")
	}
}
