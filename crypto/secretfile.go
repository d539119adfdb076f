package crypto

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// ErrInsecureFile is returned for a secret file that group or others can
// read or write.
var ErrInsecureFile = errors.New("secret file is accessible by group or others")

// ReadSecretFile reads a file that holds a secret (identity, passphrase,
// write key), refusing one that is group- or world-accessible.
func ReadSecretFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("%s (mode %04o): %w", path, fi.Mode().Perm(), ErrInsecureFile)
	}
	return io.ReadAll(f)
}

// ReadPassphraseFile reads a passphrase: the file's first line.
func ReadPassphraseFile(path string) (string, error) {
	b, err := ReadSecretFile(path)
	if err != nil {
		return "", err
	}
	s, _, _ := strings.Cut(string(b), "\n")
	s = strings.TrimSuffix(s, "\r")
	if s == "" {
		return "", fmt.Errorf("%s: empty passphrase", path)
	}
	return s, nil
}

// WriteSecretFile writes a secret file with mode 0600, atomically: the
// bytes go to a temporary file that is fsynced and then linked under
// path, which fails if path exists. A crash leaves either no file or the
// whole file.
func WriteSecretFile(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-secret-")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Link(tmp, path)
}
