// Package mbformat is the byte formats of an iPhone backup, apart from
// its SQLite: the keybag (TLV) and the keys derived from the password,
// RFC 3394 key unwrap, AES-CBC decryption of files and Manifest.db, and
// the Manifest.plist and MBFile property lists. Every length is bounded;
// hostile bytes give an error, never a panic.
package mbformat

import (
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
)

// Bounds on a keybag: real ones are a few hundred bytes with a dozen class
// keys and iteration counts of 10,000,000 (DPIC) and 10,000 (ITER).
const (
	maxKeybag     = 64 << 10
	maxClassKeys  = 64
	maxIterations = 100_000_000
)

// ErrWrongPassword is a password whose key does not unwrap the class keys.
var ErrWrongPassword = errors.New("wrong password for the encrypted iPhone backup")

// wrapPassphrase is the WRAP bit of a class key wrapped under the key
// derived from the backup password.
const wrapPassphrase = 2

// classKey is one protection class's key in a keybag.
type classKey struct {
	class uint32
	wrap  uint32
	ktyp  uint32
	wpky  []byte // the wrapped key
	key   []byte // the unwrapped key, once unlocked
}

// Keybag is a backup's BackupKeyBag: the salts and iteration counts of
// the password's key derivation and the class keys wrapped under it.
type Keybag struct {
	version, typ uint32
	uuid         []byte
	salt         []byte
	iter         uint32
	dpsl         []byte // the SHA-256 round's salt, iOS 10.2 and later
	dpic         uint32 // the SHA-256 round's iterations
	classes      map[uint32]*classKey
}

// ParseKeybag reads a keybag's TLV blocks: a 4-byte tag, a 4-byte
// big-endian length, the value. The first UUID and WRAP are the keybag's
// own; each later UUID starts a class key whose CLAS, WRAP, KTYP, WPKY
// and PBKY follow it.
func ParseKeybag(data []byte) (*Keybag, error) {
	if len(data) > maxKeybag {
		return nil, fmt.Errorf("keybag: %d bytes, more than %d", len(data), maxKeybag)
	}
	kb := &Keybag{classes: map[uint32]*classKey{}}
	var cur *classKey
	var pending []*classKey
	seenWrap := false
	for off := 0; off < len(data); {
		if len(data)-off < 8 {
			return nil, fmt.Errorf("keybag: %d stray bytes at offset %d", len(data)-off, off)
		}
		tag := string(data[off : off+4])
		n := binary.BigEndian.Uint32(data[off+4:])
		off += 8
		if uint64(n) > uint64(len(data)-off) {
			return nil, fmt.Errorf("keybag: %q of %d bytes at offset %d runs past its end", tag, n, off-8)
		}
		v := data[off : off+int(n)]
		off += int(n)
		u32 := func() (uint32, error) {
			if len(v) != 4 {
				return 0, fmt.Errorf("keybag: %q of %d bytes, not 4", tag, len(v))
			}
			return binary.BigEndian.Uint32(v), nil
		}
		var err error
		switch {
		case tag == "UUID" && kb.uuid == nil:
			kb.uuid = v
		case tag == "WRAP" && !seenWrap && cur == nil:
			seenWrap = true
		case tag == "UUID":
			if len(pending) >= maxClassKeys {
				return nil, fmt.Errorf("keybag: more than %d class keys", maxClassKeys)
			}
			cur = &classKey{}
			pending = append(pending, cur)
		case tag == "CLAS" || tag == "WRAP" || tag == "KTYP" || tag == "WPKY" || tag == "PBKY":
			if cur == nil {
				return nil, fmt.Errorf("keybag: %q before any class key", tag)
			}
			switch tag {
			case "CLAS":
				cur.class, err = u32()
			case "WRAP":
				cur.wrap, err = u32()
			case "KTYP":
				cur.ktyp, err = u32()
			case "WPKY":
				cur.wpky = v
			}
		case tag == "VERS":
			kb.version, err = u32()
		case tag == "TYPE":
			kb.typ, err = u32()
		case tag == "SALT":
			kb.salt = v
		case tag == "ITER":
			kb.iter, err = u32()
		case tag == "DPSL":
			kb.dpsl = v
		case tag == "DPIC":
			kb.dpic, err = u32()
		}
		if err != nil {
			return nil, err
		}
	}
	for _, ck := range pending {
		if _, dup := kb.classes[ck.class]; dup {
			return nil, fmt.Errorf("keybag: class %d twice", ck.class)
		}
		kb.classes[ck.class] = ck
	}
	return kb, nil
}

// deriveKey turns the backup password into the key that unwraps the class
// keys: PBKDF2-SHA256 over DPSL and DPIC (iOS 10.2 and later), then
// PBKDF2-SHA1 over SALT and ITER. It is slow on purpose.
func (kb *Keybag) deriveKey(password []byte) ([]byte, error) {
	if len(kb.salt) == 0 || kb.iter == 0 {
		return nil, errors.New("keybag: no SALT or ITER")
	}
	if kb.iter > maxIterations || kb.dpic > maxIterations {
		return nil, fmt.Errorf("keybag: iteration counts %d and %d, more than %d", kb.iter, kb.dpic, maxIterations)
	}
	pw := password
	if kb.dpsl != nil || kb.dpic != 0 {
		if len(kb.dpsl) == 0 || kb.dpic == 0 {
			return nil, errors.New("keybag: DPSL without DPIC or DPIC without DPSL")
		}
		round1, err := pbkdf2.Key(sha256.New, string(password), kb.dpsl, int(kb.dpic), 32)
		if err != nil {
			return nil, fmt.Errorf("keybag: %w", err)
		}
		defer clear(round1)
		pw = round1
	}
	key, err := pbkdf2.Key(sha1.New, string(pw), kb.salt, int(kb.iter), 32)
	if err != nil {
		return nil, fmt.Errorf("keybag: %w", err)
	}
	return key, nil
}

// Unlock unwraps every class key wrapped under the password's key; an
// integrity failure is ErrWrongPassword.
func (kb *Keybag) Unlock(password []byte) error {
	key, err := kb.deriveKey(password)
	if err != nil {
		return err
	}
	defer clear(key)
	unlocked := 0
	for _, ck := range kb.classes {
		if ck.wrap&wrapPassphrase == 0 || ck.wpky == nil {
			continue
		}
		k, err := UnwrapKey(key, ck.wpky)
		if errors.Is(err, ErrUnwrap) {
			kb.Forget()
			return ErrWrongPassword
		}
		if err != nil {
			kb.Forget()
			return fmt.Errorf("keybag: class %d: %w", ck.class, err)
		}
		ck.key = k
		unlocked++
	}
	if unlocked == 0 {
		return errors.New("keybag: no class key is wrapped under the password")
	}
	return nil
}

// Unwrap unwraps a file's or the manifest's key with its class key (the
// key and the class come from an EncryptionKey or ManifestKey field).
func (kb *Keybag) Unwrap(class uint32, wrapped []byte) ([]byte, error) {
	ck := kb.classes[class]
	if ck == nil || ck.key == nil {
		return nil, fmt.Errorf("no key for protection class %d", class)
	}
	if len(wrapped) != 40 {
		return nil, fmt.Errorf("wrapped key of %d bytes, not 40", len(wrapped))
	}
	k, err := UnwrapKey(ck.key, wrapped)
	if err != nil {
		return nil, fmt.Errorf("protection class %d: %w", class, err)
	}
	return k, nil
}

// Forget clears the unwrapped class keys.
func (kb *Keybag) Forget() {
	for _, ck := range kb.classes {
		clear(ck.key)
		ck.key = nil
	}
}
