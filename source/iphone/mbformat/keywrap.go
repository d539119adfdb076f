package mbformat

import (
	"crypto/aes"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"fmt"
)

// ErrUnwrap is an RFC 3394 integrity check that failed: the key-encryption
// key is not the one the key was wrapped with (a wrong password, when the
// KEK comes from one).
var ErrUnwrap = errors.New("AES key unwrap: integrity check failed")

// keyUnwrapIV is RFC 3394's default initial value, section 2.2.3.1.
const keyUnwrapIV = 0xa6a6a6a6a6a6a6a6

// UnwrapKey undoes an RFC 3394 AES key wrap of wrapped under kek. It
// returns ErrUnwrap when the integrity value does not come out.
func UnwrapKey(kek, wrapped []byte) ([]byte, error) {
	if len(wrapped) < 24 || len(wrapped)%8 != 0 || len(wrapped) > 1024 {
		return nil, fmt.Errorf("AES key unwrap: wrapped key of %d bytes", len(wrapped))
	}
	block, err := aes.NewCipher(kek)
	if err != nil {
		return nil, fmt.Errorf("AES key unwrap: %w", err)
	}
	n := len(wrapped)/8 - 1
	a := binary.BigEndian.Uint64(wrapped)
	r := make([]byte, n*8)
	copy(r, wrapped[8:])
	var b [16]byte
	for j := 5; j >= 0; j-- {
		for i := n; i >= 1; i-- {
			binary.BigEndian.PutUint64(b[:8], a^uint64(n*j+i))
			copy(b[8:], r[(i-1)*8:i*8])
			block.Decrypt(b[:], b[:])
			a = binary.BigEndian.Uint64(b[:8])
			copy(r[(i-1)*8:i*8], b[8:])
		}
	}
	var got, want [8]byte
	binary.BigEndian.PutUint64(got[:], a)
	binary.BigEndian.PutUint64(want[:], keyUnwrapIV)
	if subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
		clear(r)
		return nil, ErrUnwrap
	}
	return r, nil
}
