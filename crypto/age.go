package crypto

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"filippo.io/age"
)

// ErrWrongKey is returned when no given identity can decrypt.
var ErrWrongKey = errors.New("wrong key")

// GenerateIdentity returns a new X25519 identity.
func GenerateIdentity() (*age.X25519Identity, error) { return age.GenerateX25519Identity() }

// IdentityFile returns the text of an age identity file for id.
func IdentityFile(id *age.X25519Identity, created string) []byte {
	return fmt.Appendf(nil, "# created: %s\n# public key: %s\n%s\n", created, id.Recipient(), id)
}

// ParseRecipients parses age recipients, one per string.
func ParseRecipients(keys []string) ([]age.Recipient, error) {
	rs, err := age.ParseRecipients(strings.NewReader(strings.Join(keys, "\n")))
	if err != nil {
		return nil, fmt.Errorf("parse recipients: %w", err)
	}
	return rs, nil
}

// EncryptTo encrypts plaintext to recipients as one age file.
func EncryptTo(plaintext []byte, recipients ...age.Recipient) ([]byte, error) {
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, recipients...)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(plaintext); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// DecryptWith decrypts one age file. A file no identity can open gives
// ErrWrongKey; any other failure is returned as it is.
func DecryptWith(ciphertext []byte, identities ...age.Identity) ([]byte, error) {
	r, err := age.Decrypt(bytes.NewReader(ciphertext), identities...)
	if err != nil {
		var nm *age.NoIdentityMatchError
		if errors.As(err, &nm) {
			return nil, ErrWrongKey
		}
		return nil, err
	}
	return io.ReadAll(r)
}

// WrapIdentity encrypts an identity file with a passphrase (age scrypt).
// workFactor 0 means age's default; tests pass a small one.
func WrapIdentity(identityFile []byte, passphrase string, workFactor int) ([]byte, error) {
	r, err := age.NewScryptRecipient(passphrase)
	if err != nil {
		return nil, err
	}
	if workFactor > 0 {
		r.SetWorkFactor(workFactor)
	}
	return EncryptTo(identityFile, r)
}

// UnwrapIdentity decrypts a passphrase-protected identity file and parses
// it. A wrong passphrase gives ErrWrongKey.
func UnwrapIdentity(wrapped []byte, passphrase string) ([]age.Identity, error) {
	id, err := age.NewScryptIdentity(passphrase)
	if err != nil {
		return nil, err
	}
	pt, err := DecryptWith(wrapped, id)
	if err != nil {
		return nil, err
	}
	return ParseIdentities(pt)
}

// ParseIdentities parses an age identity file without echoing its contents
// in errors.
// A failure names the first line that is not an identity (or says there
// is none), never what the line holds: it may be most of a secret key.
func ParseIdentities(b []byte) ([]age.Identity, error) {
	ids, err := age.ParseIdentities(bytes.NewReader(b))
	if err == nil {
		return ids, nil
	}
	for n, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if _, err := age.ParseIdentities(strings.NewReader(line)); err != nil {
			return nil, fmt.Errorf("line %d is not an age secret key: %w", n+1, ErrBadIdentityFile)
		}
	}
	return nil, fmt.Errorf("no age secret key in it: %w", ErrBadIdentityFile)
}

// ErrBadIdentityFile is an identity file that does not parse.
var ErrBadIdentityFile = errors.New("not a valid age identity file")
