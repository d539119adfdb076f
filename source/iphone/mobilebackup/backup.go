// Package mobilebackup reads an iPhone backup folder as Finder, iTunes or
// idevicebackup2 write it: Manifest.plist (the device, and for an
// encrypted backup its keybag and the key of Manifest.db), Manifest.db
// (an SQLite list of every file by domain and relative path) and the
// files themselves, named by fileID under <fileID[:2]>/. An encrypted
// backup is opened with its password: the key derived from it unwraps
// the keybag's class keys, which unwrap Manifest.db's key and each
// file's. Nothing decrypted is written to disk; files stream.
package mobilebackup

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/lifeboat-backup/lifeboat/source/iphone/mbformat"
)

var (
	// ErrNotBackup is a folder that holds no iPhone backup.
	ErrNotBackup = errors.New("not an iPhone backup folder (no Manifest.db and Manifest.plist)")
	// ErrSeveralBackups is a parent folder holding more than one device's
	// backup, given where one is wanted; Locate lists them.
	ErrSeveralBackups = errors.New("folder holds several iPhone backups")
	// ErrPasswordRequired is an encrypted backup opened without a password.
	ErrPasswordRequired = errors.New("iPhone backup is encrypted and no password was given")
	// ErrWrongPassword is a password whose key does not unwrap the
	// backup's class keys.
	ErrWrongPassword = mbformat.ErrWrongPassword
	// ErrBadPadding is a decrypted file whose last block is not PKCS#7
	// padding.
	ErrBadPadding = mbformat.ErrBadPadding
)

// File is one row of Manifest.db's Files table with its MBFile record.
type File struct {
	ID              string // SHA1(domain + "-" + relativePath), hex
	Domain          string // HomeDomain, CameraRollDomain, AppDomain-…
	RelativePath    string // the path within the domain
	Flags           int    // FlagFile, FlagDir or FlagSymlink
	Size            int64  // the plaintext's length
	Mode            uint32 // st_mode: file type and permission bits
	ModTime, Birth  time.Time
	ProtectionClass uint32
	Target          string // a symlink's target
	encryptionKey   []byte // 4-byte class, then the wrapped key
}

// Info is a backup as a whole.
type Info struct {
	Dir       string // the device's backup folder
	Encrypted bool
	Manifest  mbformat.Manifest
}

// Backup is one device's backup, opened: its file list is read, and for
// an encrypted one its class keys are unwrapped, held in memory only.
// It is safe for concurrent use.
type Backup struct {
	info  Info
	files []File
	byID  map[string]int
	byKey map[string]int // domain + "-" + relativePath
	mu    sync.RWMutex
	kb    *mbformat.Keybag // nil for a plain backup or once closed
	// wrappedManifestKey is Manifest.plist's ManifestKey, still wrapped.
	wrappedManifestKey []byte
}

// IsBackup reports whether dir holds one device's backup.
func IsBackup(dir string) bool {
	for _, n := range []string{"Manifest.db", "Manifest.plist"} {
		if fi, err := os.Stat(filepath.Join(dir, n)); err != nil || !fi.Mode().IsRegular() {
			return false
		}
	}
	return true
}

// Locate gives the device backup folders dir stands for: dir itself if it
// is one, else each of its subfolders that is one (a MobileSync/Backup
// folder holds one per device), sorted. None is ErrNotBackup.
func Locate(dir string) ([]string, error) {
	if IsBackup(dir) {
		return []string{dir}, nil
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("iPhone backup: %w", err)
	}
	var found []string
	for _, e := range ents {
		if sub := filepath.Join(dir, e.Name()); e.IsDir() && IsBackup(sub) {
			found = append(found, sub)
		}
	}
	if len(found) == 0 {
		return nil, fmt.Errorf("%s: %w", dir, ErrNotBackup)
	}
	sort.Strings(found)
	return found, nil
}

// Open opens the backup in dir (or in the one device folder dir holds).
// password is asked for only when the backup is encrypted; nil, or a nil
// or empty password, is ErrPasswordRequired. The password's bytes are
// cleared once the key is derived; neither it nor the key is kept.
func Open(dir string, password func() ([]byte, error)) (*Backup, error) {
	return OpenContext(context.Background(), dir, password)
}

// OpenContext is Open stopped by ctx: while the password's key is derived
// (seconds, with the iteration counts iOS uses) and while Manifest.db is
// read, a cancel returns ctx.Err() at once.
func OpenContext(ctx context.Context, dir string, password func() ([]byte, error)) (*Backup, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	dirs, err := Locate(dir)
	if err != nil {
		return nil, err
	}
	if len(dirs) > 1 {
		return nil, fmt.Errorf("%s: %w: %d device folders", dir, ErrSeveralBackups, len(dirs))
	}
	dir = dirs[0]
	raw, err := readBounded(filepath.Join(dir, "Manifest.plist"), mbformat.MaxPlist)
	if err != nil {
		return nil, err
	}
	m, err := mbformat.ParseManifest(raw)
	if err != nil {
		return nil, err
	}
	b := &Backup{info: Info{Dir: dir, Encrypted: m.IsEncrypted, Manifest: *m}, wrappedManifestKey: m.ManifestKey}
	b.info.Manifest.BackupKeyBag, b.info.Manifest.ManifestKey = nil, nil
	db, err := os.Open(filepath.Join(dir, "Manifest.db"))
	if err != nil {
		return nil, fmt.Errorf("iPhone backup: %w", err)
	}
	defer db.Close()
	st, err := db.Stat()
	if err != nil {
		return nil, fmt.Errorf("iPhone backup: %w", err)
	}
	var plain io.ReaderAt = db
	size := st.Size()
	if m.IsEncrypted {
		if b.kb, err = unlock(ctx, m, password); err != nil {
			return nil, err
		}
		// Before iOS 10.2 an encrypted backup's Manifest.db was plain and
		// Manifest.plist had no ManifestKey.
		if m.ManifestKey != nil {
			key, err := b.manifestKey(m.ManifestKey)
			if err != nil {
				b.Close()
				return nil, err
			}
			dec, err := mbformat.NewCBCReaderAt(db, size, key)
			clear(key)
			if err != nil {
				b.Close()
				return nil, fmt.Errorf("Manifest.db: %w", err)
			}
			plain, size = dec, dec.Size()
		}
	}
	if b.files, err = readFiles(ctx, plain, size); err != nil {
		b.Close()
		return nil, err
	}
	b.index()
	return b, nil
}

// unlock reads the keybag and unwraps its class keys with the password.
// The slow key derivation runs apart, so that a cancel returns at once;
// its keys are forgotten when it ends.
func unlock(ctx context.Context, m *mbformat.Manifest, password func() ([]byte, error)) (*mbformat.Keybag, error) {
	if len(m.BackupKeyBag) == 0 {
		return nil, errors.New("Manifest.plist: encrypted backup without BackupKeyBag")
	}
	kb, err := mbformat.ParseKeybag(m.BackupKeyBag)
	if err != nil {
		return nil, err
	}
	if password == nil {
		return nil, ErrPasswordRequired
	}
	pw, err := password()
	if err != nil {
		return nil, fmt.Errorf("iPhone backup password: %w", err)
	}
	if len(pw) == 0 {
		clear(pw)
		return nil, ErrPasswordRequired
	}
	done := make(chan error, 1)
	go func() {
		defer clear(pw)
		done <- kb.Unlock(pw)
	}()
	select {
	case err := <-done:
		if err != nil {
			return nil, err
		}
		return kb, nil
	case <-ctx.Done():
		go func() {
			<-done
			kb.Forget()
		}()
		return nil, ctx.Err()
	}
}

// manifestKey unwraps ManifestKey: a 4-byte little-endian protection
// class, then the key wrapped with that class's key.
func (b *Backup) manifestKey(mk []byte) ([]byte, error) {
	if len(mk) < 4 {
		return nil, fmt.Errorf("Manifest.plist: ManifestKey of %d bytes", len(mk))
	}
	k, err := b.kb.Unwrap(binary.LittleEndian.Uint32(mk), mk[4:])
	if err != nil {
		return nil, fmt.Errorf("Manifest.plist: ManifestKey: %w", err)
	}
	return k, nil
}

func (b *Backup) index() {
	b.byID = make(map[string]int, len(b.files))
	b.byKey = make(map[string]int, len(b.files))
	for i, f := range b.files {
		b.byID[f.ID] = i
		b.byKey[f.Domain+"-"+f.RelativePath] = i
	}
}

// Info describes the backup.
func (b *Backup) Info() Info { return b.info }

// Files lists every row of Manifest.db's Files table, in the table's order.
func (b *Backup) Files() []File { return append([]File(nil), b.files...) }

// Find is the file at relativePath in domain; a missing one is
// fs.ErrNotExist.
func (b *Backup) Find(domain, relativePath string) (File, error) {
	i, ok := b.byKey[domain+"-"+relativePath]
	if !ok {
		return File{}, fmt.Errorf("%s %s: %w", domain, relativePath, fs.ErrNotExist)
	}
	return b.files[i], nil
}

// Close forgets the class keys; Open of an encrypted backup's file fails
// after it.
func (b *Backup) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.kb != nil {
		b.kb.Forget()
		b.kb = nil
	}
	return nil
}

// readBounded reads a whole file of at most max bytes.
func readBounded(name string, max int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("iPhone backup: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("iPhone backup: %w", err)
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%s: more than %d bytes", name, max)
	}
	return data, nil
}
