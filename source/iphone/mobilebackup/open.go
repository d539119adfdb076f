package mobilebackup

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/lifeboat-backup/lifeboat/source/iphone/mbformat"
)

// ErrSizeMismatch is a file on disk whose length is not what its MBFile
// Size says (padded to AES blocks, for an encrypted backup): cut short, or
// changed after the backup.
var ErrSizeMismatch = errors.New("backup file's length does not match its recorded Size")

// Open gives the plaintext of the regular file fileID, streamed: exactly
// Size bytes, then io.EOF. A bad padding or a file that ends early is an
// error from Read, after which nothing more is given.
func (b *Backup) Open(fileID string) (io.ReadCloser, error) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	i, ok := b.byID[fileID]
	if !ok || !validID(fileID) {
		return nil, fmt.Errorf("file %.80q: %w", fileID, fs.ErrNotExist)
	}
	f := b.files[i]
	if f.Flags != FlagFile {
		return nil, fmt.Errorf("file %s (%s %s) is not a regular file", f.ID, f.Domain, f.RelativePath)
	}
	h, err := os.Open(filepath.Join(b.info.Dir, f.ID[:2], f.ID))
	if errors.Is(err, fs.ErrNotExist) && f.Size == 0 {
		return io.NopCloser(strings.NewReader("")), nil // nothing to keep
	}
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", f.Domain, f.RelativePath, err)
	}
	st, err := h.Stat()
	if err != nil {
		h.Close()
		return nil, fmt.Errorf("%s %s: %w", f.Domain, f.RelativePath, err)
	}
	if !b.info.Encrypted {
		if st.Size() != f.Size {
			h.Close()
			return nil, fmt.Errorf("%s %s: %d bytes on disk, Size %d: %w", f.Domain, f.RelativePath, st.Size(), f.Size, ErrSizeMismatch)
		}
		return &readCloser{Reader: &exactReader{r: h, left: f.Size}, c: h}, nil
	}
	r, err := b.decrypter(f, h, st.Size())
	if err != nil {
		h.Close()
		return nil, fmt.Errorf("%s %s: %w", f.Domain, f.RelativePath, err)
	}
	return &readCloser{Reader: r, c: h}, nil
}

// decrypter unwraps f's key and decrypts h, encSize bytes on disk.
func (b *Backup) decrypter(f File, h io.Reader, encSize int64) (io.Reader, error) {
	if b.kb == nil {
		return nil, errors.New("iPhone backup is closed")
	}
	if len(f.encryptionKey) < 4 {
		return nil, errors.New("no EncryptionKey in its MBFile")
	}
	if want := mbformat.PaddedSize(f.Size); encSize != want {
		return nil, fmt.Errorf("%d bytes on disk, %d for Size %d: %w", encSize, want, f.Size, ErrSizeMismatch)
	}
	class := binary.LittleEndian.Uint32(f.encryptionKey)
	key, err := b.kb.Unwrap(class, f.encryptionKey[4:])
	if err != nil {
		return nil, fmt.Errorf("EncryptionKey: %w", err)
	}
	defer clear(key)
	return mbformat.NewCBCReader(h, key, f.Size)
}

// exactReader gives left bytes of r and then io.EOF; r ending early is
// io.ErrUnexpectedEOF.
type exactReader struct {
	r    io.Reader
	left int64
}

func (e *exactReader) Read(p []byte) (int, error) {
	if e.left == 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > e.left {
		p = p[:e.left]
	}
	n, err := e.r.Read(p)
	e.left -= int64(n)
	if err == io.EOF && e.left > 0 {
		err = io.ErrUnexpectedEOF
	}
	if err == io.EOF {
		err = nil
	}
	return n, err
}

type readCloser struct {
	io.Reader
	c io.Closer
}

func (r *readCloser) Close() error { return r.c.Close() }
