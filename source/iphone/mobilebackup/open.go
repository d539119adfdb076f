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
	f, h, key, err := b.openDisk(fileID)
	if errors.Is(err, fs.ErrNotExist) && f.Size == 0 && f.ID != "" {
		return io.NopCloser(strings.NewReader("")), nil // nothing to keep
	}
	if err != nil {
		return nil, err
	}
	defer clear(key)
	if err := checkSize(f, h, key != nil); err != nil {
		h.Close()
		return nil, fmt.Errorf("%s %s: %w", f.Domain, f.RelativePath, err)
	}
	if key == nil {
		return &readCloser{Reader: &exactReader{r: h, left: f.Size}, c: h}, nil
	}
	r, err := mbformat.NewCBCReader(h, key, f.Size)
	if err != nil {
		h.Close()
		return nil, fmt.Errorf("%s %s: %w", f.Domain, f.RelativePath, err)
	}
	return &readCloser{Reader: r, c: h}, nil
}

// checkSize is the error of a file on disk whose length is not what its
// Size says (padded to AES blocks, when encrypted).
func checkSize(f File, h *os.File, encrypted bool) error {
	st, err := h.Stat()
	if err != nil {
		return err
	}
	want := f.Size
	if encrypted {
		want = mbformat.PaddedSize(f.Size)
	}
	if st.Size() != want {
		return fmt.Errorf("%d bytes on disk, %d for Size %d: %w", st.Size(), want, f.Size, ErrSizeMismatch)
	}
	return nil
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

// FileAt is a backup file's plaintext opened for random access (a SQLite
// database read in place).
type FileAt struct {
	io.ReaderAt
	size int64
	f    *os.File
}

// Size is the plaintext's length.
func (f *FileAt) Size() int64 { return f.size }

// Close closes the file on disk.
func (f *FileAt) Close() error { return f.f.Close() }

// OpenAt gives the plaintext of the regular file fileID for random
// access: a plain backup's file as it is, an encrypted one's decrypted
// block by block. Its length must be its recorded Size.
func (b *Backup) OpenAt(fileID string) (*FileAt, error) {
	f, h, key, err := b.openDisk(fileID)
	if err != nil {
		return nil, err
	}
	defer clear(key)
	if key == nil {
		err = checkSize(f, h, false)
	} else {
		var dec *mbformat.CBCReaderAt
		if dec, err = decryptAt(f, h, key); err == nil {
			return &FileAt{ReaderAt: dec, size: f.Size, f: h}, nil
		}
	}
	if err != nil {
		h.Close()
		return nil, fmt.Errorf("%s %s: %w", f.Domain, f.RelativePath, err)
	}
	return &FileAt{ReaderAt: h, size: f.Size, f: h}, nil
}

// SealKey gives the key of an encrypted backup's file fileID, when its
// bytes on disk are exactly the AES-CBC encryption (zero IV, PKCS#7) of
// Size bytes: then the plaintext and the key give those bytes back. The
// caller clears the key when done. A plain backup's file has none.
func (b *Backup) SealKey(fileID string) ([]byte, error) {
	f, h, key, err := b.openDisk(fileID)
	if err != nil {
		return nil, err
	}
	defer h.Close()
	if key == nil {
		return nil, fmt.Errorf("%s %s: not encrypted", f.Domain, f.RelativePath)
	}
	if _, err := decryptAt(f, h, key); err != nil {
		clear(key)
		return nil, fmt.Errorf("%s %s: %w", f.Domain, f.RelativePath, err)
	}
	return key, nil
}

// decryptAt reads h, the encrypted file f, at random offsets: its length
// must be Size padded, and its last block hold Size's PKCS#7 padding.
func decryptAt(f File, h *os.File, key []byte) (*mbformat.CBCReaderAt, error) {
	if err := checkSize(f, h, true); err != nil {
		return nil, err
	}
	dec, err := mbformat.NewCBCReaderAt(h, mbformat.PaddedSize(f.Size), key)
	if err == nil && dec.Size() != f.Size {
		err = fmt.Errorf("padding for %d bytes, Size %d: %w", dec.Size(), f.Size, ErrSizeMismatch)
	}
	return dec, err
}

// ErrNotRegular is a backup's file on disk that is not a regular file: a
// symlink (to what may lie outside the backup), a FIFO (which blocks
// whoever opens it) or a device. A backup made by iOS holds none.
var ErrNotRegular = errors.New("backup file on disk is not a regular file")

// openDisk opens the regular file fileID on disk, with its unwrapped key
// for an encrypted backup.
func (b *Backup) openDisk(fileID string) (File, *os.File, []byte, error) {
	f, key, err := b.fileKey(fileID)
	if err != nil {
		return f, nil, nil, err
	}
	h, err := openRegular(filepath.Join(b.info.Dir, f.ID[:2], f.ID))
	if err != nil {
		clear(key)
		return f, nil, nil, fmt.Errorf("%s %s: %w", f.Domain, f.RelativePath, err)
	}
	return f, h, key, nil
}

// OpenSealedManifest gives an encrypted backup's Manifest.db as its
// plaintext, streamed, and the key it is encrypted with, when its bytes
// on disk are exactly that plaintext encrypted (AES-CBC, zero IV, valid
// PKCS#7 padding): then the two give those bytes back. A plain backup, or
// an encrypted one from before iOS 10.2 (whose Manifest.db is plain), has
// none. The caller clears the key and closes the reader.
func (b *Backup) OpenSealedManifest() (io.ReadCloser, []byte, error) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.kb == nil || b.wrappedManifestKey == nil {
		return nil, nil, errors.New("Manifest.db is not encrypted")
	}
	key, err := b.manifestKey(b.wrappedManifestKey)
	if err != nil {
		return nil, nil, err
	}
	h, err := openRegular(filepath.Join(b.info.Dir, "Manifest.db"))
	if err != nil {
		clear(key)
		return nil, nil, err
	}
	st, err := h.Stat()
	var dec *mbformat.CBCReaderAt
	if err == nil {
		dec, err = mbformat.NewCBCReaderAt(h, st.Size(), key)
	}
	if err != nil {
		clear(key)
		h.Close()
		return nil, nil, fmt.Errorf("Manifest.db: %w", err)
	}
	return &readCloser{Reader: io.NewSectionReader(dec, 0, dec.Size()), c: h}, key, nil
}

// openRegular opens the regular file at p, neither following a symlink
// nor opening anything else (see ErrNotRegular); a file swapped for
// another between the look and the open is refused too.
func openRegular(p string) (*os.File, error) {
	fi, err := os.Lstat(p)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s (%s): %w", filepath.Base(p), fi.Mode().Type(), ErrNotRegular)
	}
	h, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	if st, err := h.Stat(); err != nil || !os.SameFile(fi, st) {
		h.Close()
		return nil, fmt.Errorf("%s (replaced while opened): %w", filepath.Base(p), ErrNotRegular)
	}
	return h, nil
}

// fileKey finds the regular file fileID and, for an encrypted backup,
// unwraps its key.
func (b *Backup) fileKey(fileID string) (File, []byte, error) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	i, ok := b.byID[fileID]
	if !ok || !validID(fileID) {
		return File{}, nil, fmt.Errorf("file %.80q: %w", fileID, fs.ErrNotExist)
	}
	f := b.files[i]
	if f.Flags != FlagFile {
		return File{}, nil, fmt.Errorf("file %s (%s %s) is not a regular file", f.ID, f.Domain, f.RelativePath)
	}
	if !b.info.Encrypted {
		return f, nil, nil
	}
	if b.kb == nil {
		return File{}, nil, errors.New("iPhone backup is closed")
	}
	if len(f.encryptionKey) < 4 {
		return File{}, nil, fmt.Errorf("%s %s: no EncryptionKey in its MBFile", f.Domain, f.RelativePath)
	}
	k, err := b.kb.Unwrap(binary.LittleEndian.Uint32(f.encryptionKey), f.encryptionKey[4:])
	if err != nil {
		return File{}, nil, fmt.Errorf("%s %s: EncryptionKey: %w", f.Domain, f.RelativePath, err)
	}
	return f, k, nil
}
