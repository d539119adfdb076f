package crypto

import (
	"errors"
	"fmt"
	"io"
	"os"
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

// WriteSecretFile writes a secret file with mode 0600, atomically, never
// replacing an existing file.
func WriteSecretFile(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	return f.Close()
}
