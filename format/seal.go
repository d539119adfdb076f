package format

import (
	"crypto/aes"
	"crypto/cipher"
	"errors"
	"io"
)

// SealKeyLen is the length of a sealed file's key: AES-256.
const SealKeyLen = 32

// A sealed file (Node.Seal set) is one a source keeps encrypted on disk
// while lifeboat stores its plaintext, so that the plaintext deduplicates
// with the same bytes elsewhere (a photo of an encrypted iPhone backup is
// also the snapshot's photo). Its bytes are the content's bytes (patch
// applied) encrypted with AES-256-CBC under Node.Seal, a zero IV and
// PKCS#7 padding: the scheme iOS encrypts a backup's files with. The key
// is stored in the tree blob, which is as secret as the plaintext itself.

// SealedSize is the size of a sealed file whose plaintext is n bytes:
// padded to whole AES blocks, always at least one byte of padding.
func SealedSize(n uint64) uint64 { return (n/aes.BlockSize + 1) * aes.BlockSize }

// SealWriter encrypts what is written to it as a sealed file's bytes and
// writes them to W; Close writes the padded last block (it does not close
// W). It holds at most one partial block.
type SealWriter struct {
	w    io.Writer
	mode cipher.BlockMode
	part []byte // the bytes of a block not yet whole
	buf  []byte
	done bool
}

// NewSealWriter returns a writer that seals to w with key.
func NewSealWriter(w io.Writer, key []byte) (*SealWriter, error) {
	if len(key) != SealKeyLen {
		return nil, errors.New("seal key is not 32 bytes")
	}
	blk, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return &SealWriter{w: w, mode: cipher.NewCBCEncrypter(blk, make([]byte, aes.BlockSize)), part: make([]byte, 0, aes.BlockSize)}, nil
}

func (s *SealWriter) Write(p []byte) (int, error) {
	if s.done {
		return 0, errors.New("write after close")
	}
	n := len(p)
	if len(s.part) > 0 {
		k := copy(s.part[len(s.part):aes.BlockSize], p)
		s.part = s.part[:len(s.part)+k]
		p = p[k:]
		if len(s.part) < aes.BlockSize {
			return n, nil
		}
		if err := s.emit(s.part); err != nil {
			return 0, err
		}
		s.part = s.part[:0]
	}
	whole := len(p) &^ (aes.BlockSize - 1)
	for whole > 0 {
		m := min(whole, 64<<10)
		if err := s.emit(p[:m]); err != nil {
			return 0, err
		}
		p, whole = p[m:], whole-m
	}
	s.part = append(s.part, p...)
	return n, nil
}

// emit encrypts whole blocks (a copy: the caller's slice is not changed).
func (s *SealWriter) emit(p []byte) error {
	s.buf = append(s.buf[:0], p...)
	s.mode.CryptBlocks(s.buf, s.buf)
	_, err := s.w.Write(s.buf)
	return err
}

// Close pads and writes the last block.
func (s *SealWriter) Close() error {
	if s.done {
		return nil
	}
	s.done = true
	pad := aes.BlockSize - len(s.part)
	for range pad {
		s.part = append(s.part, byte(pad))
	}
	return s.emit(s.part)
}
