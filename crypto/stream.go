package crypto

import (
	"bytes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"

	"filippo.io/age"
	"golang.org/x/crypto/chacha20poly1305"
)

// An age file is a header (the file key wrapped to each recipient, and a
// MAC), a 16-byte nonce, and the payload: 64 KiB chunks of plaintext, each
// sealed with ChaCha20-Poly1305 under a key derived from the file key and
// the nonce (age-encryption.org/v1, "Payload"). age.Encrypt writes the
// header and the nonce, then copies every chunk into a buffer of its own
// and writes the sealed chunk to its destination, which, for a pack
// written past the page cache, copies it once more into an aligned
// buffer: 2 GiB of photos cost 0.3-0.5 s of CPU in those copies.
//
// StreamWriter writes the same file with one copy fewer on each side: the
// header and nonce still come from age.Encrypt, whose recipients hand this
// package the file key as they wrap it, and the payload's chunks are
// sealed straight from the caller's bytes into the destination's free
// buffer where the destination offers one (AvailableBuffer, as
// bufio.Writer does). age's own readers read the result; the tests check
// that for every size and split.
type StreamWriter struct {
	dst    io.Writer
	ab     availableBuffer // dst's, or nil
	aead   cipher.AEAD
	nonce  [chacha20poly1305.NonceSize]byte
	buf    []byte // plaintext of the chunk being gathered
	sealed []byte // a sealed chunk when dst has no room for one
	err    error
	closed bool
}

// chunkSize is the plaintext of one payload chunk (age's).
const chunkSize = 64 << 10

// availableBuffer is a destination that can take a chunk sealed in place:
// Write(append(AvailableBuffer(), b...)) costs it no copy.
type availableBuffer interface {
	AvailableBuffer() []byte
}

// EncryptStream starts an age file to recipients on dst, as age.Encrypt
// does, and returns the writer of its payload. Close writes the last chunk.
func EncryptStream(dst io.Writer, recipients ...age.Recipient) (*StreamWriter, error) {
	if len(recipients) == 0 {
		return nil, errors.New("no recipients")
	}
	var fileKey []byte
	defer func() { clear(fileKey) }()
	rs := append([]age.Recipient(nil), recipients...)
	rs[0] = keepKey(rs[0], &fileKey)
	var hdr bytes.Buffer
	if _, err := age.Encrypt(&hdr, rs...); err != nil {
		return nil, fmt.Errorf("age header: %w", err)
	}
	const fileKeySize, nonceSize = 16, 16 // age's
	if len(fileKey) != fileKeySize || hdr.Len() < nonceSize {
		return nil, fmt.Errorf("age: unexpected file key or header (%d, %d bytes)", len(fileKey), hdr.Len())
	}
	nonce := hdr.Bytes()[hdr.Len()-nonceSize:]
	key, err := hkdf.Key(sha256.New, fileKey, nonce, "payload", chacha20poly1305.KeySize)
	if err != nil {
		return nil, err
	}
	aead, err := chacha20poly1305.New(key)
	clear(key)
	if err != nil {
		return nil, err
	}
	if _, err := dst.Write(hdr.Bytes()); err != nil {
		return nil, fmt.Errorf("age header: %w", err)
	}
	w := &StreamWriter{dst: dst, aead: aead, buf: make([]byte, 0, chunkSize)}
	w.ab, _ = dst.(availableBuffer)
	return w, nil
}

// Write encrypts p. A chunk is sealed once bytes beyond it are known, since
// the last chunk is sealed differently: Close seals it.
func (w *StreamWriter) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	if w.closed {
		return 0, errClosed
	}
	total := len(p)
	for len(p) > 0 {
		if len(w.buf) == 0 && len(p) > chunkSize {
			if err := w.seal(p[:chunkSize], false); err != nil {
				return 0, err
			}
			p = p[chunkSize:]
			continue
		}
		n := min(chunkSize-len(w.buf), len(p))
		w.buf = append(w.buf, p[:n]...)
		p = p[n:]
		if len(w.buf) == chunkSize && len(p) > 0 {
			if err := w.seal(w.buf, false); err != nil {
				return 0, err
			}
			w.buf = w.buf[:0]
		}
	}
	return total, nil
}

// Close seals and writes the last chunk (empty only if nothing was
// written). It does not close dst; a second Close writes nothing.
func (w *StreamWriter) Close() error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return nil
	}
	w.closed = true
	return w.seal(w.buf, true)
}

func (w *StreamWriter) seal(chunk []byte, last bool) error {
	if last {
		w.nonce[len(w.nonce)-1] = 1
	}
	var out []byte
	if w.ab != nil {
		if b := w.ab.AvailableBuffer(); cap(b) >= len(chunk)+chacha20poly1305.Overhead {
			out = b[:0]
		}
	}
	if out == nil {
		if w.sealed == nil {
			w.sealed = make([]byte, 0, chunkSize+chacha20poly1305.Overhead)
		}
		out = w.sealed[:0]
	}
	if _, err := w.dst.Write(w.aead.Seal(out, w.nonce[:], chunk, nil)); err != nil {
		w.err = err
		return err
	}
	if !incNonce(&w.nonce) {
		w.err = errors.New("age stream: the chunk counter wrapped around") // after 2^88 chunks
		return w.err
	}
	return nil
}

// errClosed is a write after Close.
var errClosed = errors.New("write to a closed age stream")

// incNonce counts a chunk in the nonce's first 11 bytes, big-endian, as
// age does. It reports false when the counter wraps around.
func incNonce(n *[chacha20poly1305.NonceSize]byte) bool {
	for i := len(n) - 2; i >= 0; i-- {
		n[i]++
		if n[i] != 0 {
			return true
		}
	}
	return false
}

// keepKey wraps r so that it stores the file key it wraps in *key. Every
// recipient of a file wraps the same key.
func keepKey(r age.Recipient, key *[]byte) age.Recipient {
	if rl, ok := r.(age.RecipientWithLabels); ok {
		return keyLabelsKeeper{keyKeeper{r, key}, rl}
	}
	return keyKeeper{r, key}
}

type keyKeeper struct {
	r   age.Recipient
	key *[]byte
}

func (k keyKeeper) Wrap(fileKey []byte) ([]*age.Stanza, error) {
	*k.key = bytes.Clone(fileKey)
	return k.r.Wrap(fileKey)
}

// keyLabelsKeeper keeps a recipient's labels (age refuses to mix, say,
// post-quantum recipients with others).
type keyLabelsKeeper struct {
	keyKeeper
	rl age.RecipientWithLabels
}

func (k keyLabelsKeeper) WrapWithLabels(fileKey []byte) ([]*age.Stanza, []string, error) {
	*k.key = bytes.Clone(fileKey)
	return k.rl.WrapWithLabels(fileKey)
}
