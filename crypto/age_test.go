package crypto

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"filippo.io/age"
)

// testWorkFactor keeps scrypt fast in tests.
const testWorkFactor = 10

func newIdentity(t *testing.T) *age.X25519Identity {
	t.Helper()
	id, err := GenerateIdentity()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestIdentityFile(t *testing.T) {
	id := newIdentity(t)
	f := IdentityFile(id, "2025-01-01T00:00:00Z")
	if !bytes.Contains(f, []byte("# public key: "+id.Recipient().String()+"\n")) {
		t.Errorf("identity file lacks the public key comment:\n%s", f)
	}
	ids, err := ParseIdentities(f)
	if err != nil || len(ids) != 1 {
		t.Fatalf("ParseIdentities = %d, %v", len(ids), err)
	}
	x, ok := ids[0].(*age.X25519Identity)
	if !ok || x.String() != id.String() {
		t.Error("the parsed identity is not the one written")
	}
}

func TestEncryptDecrypt(t *testing.T) {
	a, b, c := newIdentity(t), newIdentity(t), newIdentity(t)
	pt := []byte("contacts.vcf")
	ct, err := EncryptTo(pt, a.Recipient(), b.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	for name, ids := range map[string][]age.Identity{"first": {a}, "second": {b}, "among others": {c, b}} {
		got, err := DecryptWith(ct, ids...)
		if err != nil || !bytes.Equal(got, pt) {
			t.Errorf("DecryptWith(%s) = %q, %v", name, got, err)
		}
	}
	if got, err := DecryptWith(ct, c); !errors.Is(err, ErrWrongKey) || got != nil {
		t.Errorf("DecryptWith(wrong identity) = %q, %v; want ErrWrongKey", got, err)
	}
	// Damage is an error, but not a wrong key.
	for name, bad := range map[string][]byte{
		"truncated":    ct[:len(ct)-1],
		"last flipped": append(bytes.Clone(ct[:len(ct)-1]), ct[len(ct)-1]^1),
		"not age":      []byte("plain text"),
	} {
		got, err := DecryptWith(bad, a)
		if err == nil || errors.Is(err, ErrWrongKey) {
			t.Errorf("DecryptWith(%s) = %q, %v; want a damage error", name, got, err)
		}
	}
}

func TestWrapIdentity(t *testing.T) {
	id := newIdentity(t)
	file := IdentityFile(id, "now")
	wrapped, err := WrapIdentity(file, "correct horse", testWorkFactor)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(wrapped, []byte(id.String())) {
		t.Fatal("the wrapped identity shows the secret key")
	}
	ids, err := UnwrapIdentity(wrapped, "correct horse")
	if err != nil || len(ids) != 1 {
		t.Fatalf("UnwrapIdentity = %d, %v", len(ids), err)
	}
	ct, err := EncryptTo([]byte("photo"), id.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	if pt, err := DecryptWith(ct, ids...); err != nil || string(pt) != "photo" {
		t.Errorf("the unwrapped identity does not decrypt: %q, %v", pt, err)
	}
	for _, wrong := range []string{"correct horse ", "Correct horse", "x"} {
		if ids, err := UnwrapIdentity(wrapped, wrong); !errors.Is(err, ErrWrongKey) || ids != nil {
			t.Errorf("UnwrapIdentity(%q) = %v, %v; want ErrWrongKey", wrong, ids, err)
		}
	}
	// A file encrypted to a key, not a passphrase, is not the identity.
	if _, err := UnwrapIdentity(ct, "correct horse"); !errors.Is(err, ErrWrongKey) {
		t.Errorf("UnwrapIdentity of a non-passphrase file: %v, want ErrWrongKey", err)
	}
}

func TestParseRecipients(t *testing.T) {
	a, b := newIdentity(t), newIdentity(t)
	rs, err := ParseRecipients([]string{a.Recipient().String(), b.Recipient().String()})
	if err != nil || len(rs) != 2 {
		t.Fatalf("ParseRecipients = %d, %v", len(rs), err)
	}
	for _, bad := range [][]string{{"age1notakey"}, {a.Recipient().String(), "ssh-nonsense"}, {a.String()}, {}} {
		if rs, err := ParseRecipients(bad); err == nil {
			t.Errorf("ParseRecipients(%q) = %d recipients, want an error", bad, len(rs))
		}
	}
}

// Errors from parsing identity files never echo the secret key.
func TestParseIdentitiesHidesSecrets(t *testing.T) {
	key := newIdentity(t).String()
	last := "Q"
	if key[len(key)-1] == 'Q' {
		last = "P"
	}
	damaged := key[:len(key)-1] + last
	for _, tc := range []struct{ name, file string }{
		{"damaged checksum", damaged + "\n"},
		{"truncated", key[:len(key)-5] + "\n"},
		{"lowercase", strings.ToLower(key) + "x\n"},
		{"leading space", " " + key + "x\n"},
		{"valid then garbage", key + "\n" + key + "garbage\n"},
		{"garbage then valid", "not a key " + key + "\n" + key + "\n"},
		{"no key", "# created: now\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ids, err := ParseIdentities([]byte(tc.file))
			if err == nil {
				t.Fatalf("ParseIdentities accepted %d identities", len(ids))
			}
			msg := err.Error()
			for _, part := range []string{key, key[len("AGE-SECRET-KEY-1"):][:16], strings.ToLower(key[20:40]), "garbage"} {
				if strings.Contains(msg, part) {
					t.Errorf("error %q shows secret text %q", msg, part)
				}
			}
		})
	}
	// Through UnwrapIdentity, too.
	wrapped, err := WrapIdentity([]byte(damaged+"\n"), "pw", testWorkFactor)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := UnwrapIdentity(wrapped, "pw"); err == nil || strings.Contains(err.Error(), damaged[20:40]) {
		t.Errorf("UnwrapIdentity of a damaged identity: %v", err)
	}
}
