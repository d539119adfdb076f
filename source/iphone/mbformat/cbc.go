package mbformat

import (
	"crypto/aes"
	"crypto/cipher"
	"errors"
	"fmt"
	"io"
)

// ErrBadPadding is a decrypted file or manifest whose last block does not
// end in PKCS#7 padding: a corrupt file, or one not encrypted with its key.
var ErrBadPadding = errors.New("bad PKCS#7 padding after AES-CBC decryption")

// PaddedSize is the length of size plaintext bytes once PKCS#7-padded to
// AES blocks: always at least one byte of padding.
func PaddedSize(size int64) int64 { return (size/aes.BlockSize + 1) * aes.BlockSize }

// checkPadding reports whether last, a decrypted final block, ends in the
// pad bytes of value n; want is the pad length the caller expects, or 0
// for any valid one. It returns the pad length.
func checkPadding(last []byte, want int) (int, error) {
	n := int(last[len(last)-1])
	if n == 0 || n > aes.BlockSize || (want != 0 && n != want) {
		return 0, ErrBadPadding
	}
	for _, c := range last[len(last)-n:] {
		if int(c) != n {
			return 0, ErrBadPadding
		}
	}
	return n, nil
}

// cbcReader decrypts an AES-CBC stream with a zero IV whose plaintext is
// size bytes, PKCS#7-padded. It holds one chunk at a time, so a file of
// any size streams through it; the last block is given out only once its
// padding is checked.
type cbcReader struct {
	src  io.Reader
	mode cipher.BlockMode
	left int64 // ciphertext bytes not yet read
	size int64 // plaintext bytes not yet given out
	buf  []byte
	out  []byte // decrypted bytes ready to give out
	err  error
}

// NewCBCReader decrypts src, which must hold exactly PaddedSize(size)
// bytes, with key.
func NewCBCReader(src io.Reader, key []byte, size int64) (io.Reader, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return &cbcReader{
		src:  src,
		mode: cipher.NewCBCDecrypter(block, make([]byte, aes.BlockSize)),
		left: PaddedSize(size),
		size: size,
		buf:  make([]byte, 64<<10),
	}, nil
}

func (r *cbcReader) Read(p []byte) (int, error) {
	for len(r.out) == 0 {
		if r.err != nil {
			return 0, r.err
		}
		r.fill()
	}
	n := copy(p, r.out)
	r.out = r.out[n:]
	return n, nil
}

// fill decrypts the next chunk into out, or sets err.
func (r *cbcReader) fill() {
	if r.left == 0 {
		r.err = io.EOF
		return
	}
	n := int64(len(r.buf))
	if r.left < n {
		n = r.left
	}
	chunk := r.buf[:n]
	if _, err := io.ReadFull(r.src, chunk); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		r.err = fmt.Errorf("encrypted file ends early: %w", err)
		return
	}
	r.mode.CryptBlocks(chunk, chunk)
	r.left -= n
	if r.left == 0 {
		pad := int(PaddedSize(r.size) - r.size)
		if _, err := checkPadding(chunk, pad); err != nil {
			r.err = err
			return
		}
		chunk = chunk[:n-int64(pad)]
	}
	r.size -= int64(len(chunk))
	r.out = chunk
}

// CBCReaderAt decrypts an AES-CBC file with a zero IV at any offset: a
// block's plaintext needs only the ciphertext block before it. Size is
// the plaintext's length, its padding taken off.
type CBCReaderAt struct {
	src  io.ReaderAt
	blk  cipher.Block
	size int64
}

// NewCBCReaderAt checks the padding of src's last block (encSize bytes of
// ciphertext) and gives a reader of the plaintext.
func NewCBCReaderAt(src io.ReaderAt, encSize int64, key []byte) (*CBCReaderAt, error) {
	if encSize < aes.BlockSize || encSize%aes.BlockSize != 0 {
		return nil, fmt.Errorf("encrypted file of %d bytes, not whole AES blocks", encSize)
	}
	blk, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	r := &CBCReaderAt{src: src, blk: blk, size: encSize}
	var last [aes.BlockSize]byte
	if _, err := r.readBlocks(last[:], encSize-aes.BlockSize); err != nil {
		return nil, err
	}
	pad, err := checkPadding(last[:], 0)
	if err != nil {
		return nil, err
	}
	r.size = encSize - int64(pad)
	return r, nil
}

// Size is the plaintext's length.
func (r *CBCReaderAt) Size() int64 { return r.size }

// readBlocks decrypts len(p) bytes (whole blocks) from block-aligned off.
func (r *CBCReaderAt) readBlocks(p []byte, off int64) (int, error) {
	iv := make([]byte, aes.BlockSize)
	if off > 0 {
		if _, err := r.src.ReadAt(iv, off-aes.BlockSize); err != nil {
			return 0, fmt.Errorf("reading encrypted file: %w", err)
		}
	}
	if _, err := r.src.ReadAt(p, off); err != nil {
		return 0, fmt.Errorf("reading encrypted file: %w", err)
	}
	cipher.NewCBCDecrypter(r.blk, iv).CryptBlocks(p, p)
	return len(p), nil
}

// ReadAt gives plaintext bytes from off, io.EOF past Size.
func (r *CBCReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("negative offset")
	}
	if off >= r.size {
		return 0, io.EOF
	}
	want := int64(len(p))
	if off+want > r.size {
		want = r.size - off
	}
	start := off &^ (aes.BlockSize - 1)
	end := (off + want + aes.BlockSize - 1) &^ (aes.BlockSize - 1)
	buf := make([]byte, end-start)
	if _, err := r.readBlocks(buf, start); err != nil {
		return 0, err
	}
	n := copy(p, buf[off-start:off-start+want])
	if int64(n) < int64(len(p)) {
		return n, io.EOF
	}
	return n, nil
}
