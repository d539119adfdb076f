package format

import (
	"encoding/hex"
	"errors"
	"fmt"
)

// IDSize is the length of every identifier in a repository.
const IDSize = 32

// ID names a blob (keyed hash of its plaintext) or an object (hash of its
// stored bytes).
type ID [IDSize]byte

// String returns the lowercase hex form of id.
func (id ID) String() string { return hex.EncodeToString(id[:]) }

// Short returns the first 8 hex digits, for people.
func (id ID) Short() string { return hex.EncodeToString(id[:4]) }

// IsZero reports whether id is all zeroes.
func (id ID) IsZero() bool { return id == ID{} }

// MarshalText encodes id as hex.
func (id ID) MarshalText() ([]byte, error) { return []byte(id.String()), nil }

// UnmarshalText decodes a hex id.
func (id *ID) UnmarshalText(b []byte) error {
	v, err := ParseID(string(b))
	if err != nil {
		return err
	}
	*id = v
	return nil
}

// ErrBadID is returned for a string that is not a 64-digit hex id.
var ErrBadID = errors.New("not a valid id")

// ParseID parses a 64-digit lowercase hex id.
func ParseID(s string) (ID, error) {
	var id ID
	if len(s) != 2*IDSize {
		return id, fmt.Errorf("%q: %w", s, ErrBadID)
	}
	if _, err := hex.Decode(id[:], []byte(s)); err != nil {
		return id, fmt.Errorf("%q: %w", s, ErrBadID)
	}
	if id.String() != s {
		return id, fmt.Errorf("%q: %w", s, ErrBadID)
	}
	return id, nil
}
