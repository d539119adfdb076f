// Package iosgen writes synthetic iPhone backup folders, plain or
// encrypted, to the layout Finder and idevicebackup2 use: Info.plist,
// Manifest.plist (binary, with a keybag it builds), Status.plist,
// Manifest.db (SQLite Files and Properties tables, each file's MBFile an
// NSKeyedArchiver plist) and the files at <fileID[:2]>/<fileID>. An
// encrypted backup uses low iteration counts so that tests are fast.
//
// The files a backup holds come from AddressBookFiles, CalendarFiles,
// CameraRoll and DefaultFiles, or all at once from Standard, whose Want
// says what a reader must find; EditContact and Options.Keys make the
// same backup again with one contact edited.
package iosgen

import (
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"time"
)

// File is one file the backup holds.
type File struct {
	Domain, RelativePath string
	Data                 []byte
	Mode                 uint32    // st_mode; 0 is a regular file 0644
	ModTime              time.Time // zero is Options.Now
	ProtectionClass      uint32    // 0 is class 3, as most files are
}

// Options say what to write.
type Options struct {
	// Password encrypts the backup; nil writes a plain one.
	Password []byte
	// Iter and DPIC are the keybag's PBKDF2-SHA1 and PBKDF2-SHA256
	// iteration counts; 0 is 10 and 1000.
	Iter, DPIC int
	// Legacy writes an encrypted backup as iOS before 10.2 did: no DPSL
	// or DPIC in the keybag, no ManifestKey, Manifest.db in the clear.
	Legacy bool
	// ProductVersion is Lockdown's iOS version; "" is 17.5.1.
	ProductVersion string
	// DeviceName and UDID name the device.
	DeviceName, UDID string
	// Files are the files; folders above them get their own rows.
	Files []File
	// Now dates the backup; zero is a fixed 2026-11-30 date.
	Now time.Time
	// Rand supplies keys and salts; nil is crypto/rand.
	Rand io.Reader
	// Keys are file keys to keep, by fileID: a previous backup's
	// Backup.Keys. A file whose bytes have the SHA-256 its FileKey
	// gives is encrypted under that key again, so that its encrypted copy
	// has the same bytes as before, as iOS keeps an unchanged file's copy
	// between backups; any other file gets a fresh key. Only the
	// EncryptionKey in Manifest.db, wrapped under this backup's class
	// keys, then differs.
	Keys map[string]FileKey
	// TamperManifestDB, when set, rewrites Manifest.db's plaintext before
	// it is encrypted: a hostile backup for a reader's tests.
	TamperManifestDB func(plain []byte) []byte
}

// FileKey is the key an encrypted backup encrypted one file under.
type FileKey struct {
	Key    []byte   // the AES-256 key
	SHA256 [32]byte // of the file's plain bytes
}

// Written is one file as written: its fileID and where it lies.
type Written struct {
	File
	ID   string // SHA1(domain + "-" + relativePath), hex
	Path string // <dir>/<ID[:2]>/<ID>
}

// Backup is what Write wrote.
type Backup struct {
	Dir   string    // the device folder
	Files []Written // the regular files, sorted by domain and path
	Dirs  []string  // "domain-relativePath" of each folder row
	// Keys are the file keys of an encrypted backup, by fileID, for
	// Options.Keys of the next.
	Keys map[string]FileKey
}

// FileID is the name a backup gives a file: SHA1 of domain, "-", path.
func FileID(domain, relativePath string) string {
	h := sha1.Sum([]byte(domain + "-" + relativePath))
	return hex.EncodeToString(h[:])
}

// DefaultFiles are a few small files in HomeDomain and CameraRollDomain.
func DefaultFiles() []File {
	jpeg := func(n int) []byte {
		b := []byte{0xff, 0xd8, 0xff, 0xe0}
		for i := 0; i < n; i++ {
			b = append(b, byte(i*7+n))
		}
		return append(b, 0xff, 0xd9)
	}
	return []File{
		{Domain: "HomeDomain", RelativePath: "Library/Preferences/com.apple.springboard.plist", Data: []byte("<plist/>\n")},
		{Domain: "HomeDomain", RelativePath: "Library/Notes/empty.txt", Data: nil},
		{Domain: "HomeDomain", RelativePath: "Library/Exactly16.bin", Data: []byte("0123456789abcdef")},
		{Domain: "CameraRollDomain", RelativePath: "Media/DCIM/100APPLE/IMG_0001.JPG", Data: jpeg(5000)},
		{Domain: "CameraRollDomain", RelativePath: "Media/DCIM/100APPLE/IMG_0002.JPG", Data: jpeg(70000)},
		{Domain: "CameraRollDomain", RelativePath: "Media/DCIM/100APPLE/IMG_0003.MOV", Data: jpeg(131)},
	}
}

// Write writes a backup into dir/<UDID> (dir is made if missing).
func Write(dir string, o Options) (*Backup, error) {
	o.defaults()
	dev := filepath.Join(dir, o.UDID)
	if err := os.MkdirAll(dev, 0o755); err != nil {
		return nil, err
	}
	var kb *keys
	if o.Password != nil {
		var err error
		if kb, err = newKeys(o); err != nil {
			return nil, err
		}
	}
	b := &Backup{Dir: dev}
	rows, err := b.writeFiles(o, kb)
	if err != nil {
		return nil, err
	}
	if err := writeManifestDB(filepath.Join(dev, "Manifest.db"), rows, kb != nil && !o.Legacy, kb, o.TamperManifestDB); err != nil {
		return nil, err
	}
	for name, fn := range map[string]func() ([]byte, error){
		"Manifest.plist": func() ([]byte, error) { return manifestPlist(o, kb) },
		"Info.plist":     func() ([]byte, error) { return infoPlist(o) },
		"Status.plist":   func() ([]byte, error) { return statusPlist(o) },
	} {
		data, err := fn()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if err := os.WriteFile(filepath.Join(dev, name), data, 0o644); err != nil {
			return nil, err
		}
	}
	return b, nil
}

func (o *Options) defaults() {
	if o.Iter == 0 {
		o.Iter = 10
	}
	if o.DPIC == 0 {
		o.DPIC = 1000
	}
	if o.ProductVersion == "" {
		o.ProductVersion = "17.5.1"
	}
	if o.DeviceName == "" {
		o.DeviceName = "Test iPhone"
	}
	if o.UDID == "" {
		o.UDID = "00008110-001A2B3C4D5E6F70"
	}
	if o.Now.IsZero() {
		o.Now = time.Date(2026, 11, 30, 20, 15, 0, 0, time.UTC)
	}
	if o.Rand == nil {
		o.Rand = rand.Reader
	}
}

// row is one Files row to be written.
type row struct {
	id, domain, rel string
	flags           int
	file            []byte // the MBFile archive
}

// writeFiles writes each file (encrypted under a fresh key of its class
// when kb is set) and gives the Files rows, folders included.
func (b *Backup) writeFiles(o Options, kb *keys) ([]row, error) {
	files := append([]File(nil), o.Files...)
	sort.Slice(files, func(i, j int) bool {
		if files[i].Domain != files[j].Domain {
			return files[i].Domain < files[j].Domain
		}
		return files[i].RelativePath < files[j].RelativePath
	})
	var rows []row
	dirs := map[string]bool{}
	for _, f := range files {
		for d := path.Dir(f.RelativePath); d != "." && d != "/"; d = path.Dir(d) {
			k := f.Domain + "-" + d
			if dirs[k] {
				break
			}
			dirs[k] = true
			arch, err := mbFile(mbFields{rel: d, mode: 0o40755, mtime: o.Now, class: 4})
			if err != nil {
				return nil, err
			}
			rows = append(rows, row{id: FileID(f.Domain, d), domain: f.Domain, rel: d, flags: 2, file: arch})
		}
		if f.Mode == 0 {
			f.Mode = 0o100644
		}
		if f.ModTime.IsZero() {
			f.ModTime = o.Now
		}
		if f.ProtectionClass == 0 {
			f.ProtectionClass = 3
		}
		w := Written{File: f, ID: FileID(f.Domain, f.RelativePath)}
		w.Path = filepath.Join(b.Dir, w.ID[:2], w.ID)
		data := f.Data
		fields := mbFields{rel: f.RelativePath, mode: f.Mode, mtime: f.ModTime, size: int64(len(f.Data)), class: f.ProtectionClass}
		if kb != nil {
			fk := FileKey{SHA256: sha256.Sum256(f.Data)}
			if old, ok := o.Keys[w.ID]; ok && old.SHA256 == fk.SHA256 && len(old.Key) == 32 {
				fk.Key = old.Key
			} else {
				fk.Key = kb.random(32)
			}
			var err error
			if data, fields.encKey, err = kb.encryptFile(f.ProtectionClass, fk.Key, f.Data); err != nil {
				return nil, err
			}
			if b.Keys == nil {
				b.Keys = map[string]FileKey{}
			}
			b.Keys[w.ID] = fk
		}
		arch, err := mbFile(fields)
		if err != nil {
			return nil, err
		}
		if err := os.MkdirAll(filepath.Dir(w.Path), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(w.Path, data, 0o644); err != nil {
			return nil, err
		}
		rows = append(rows, row{id: w.ID, domain: f.Domain, rel: f.RelativePath, flags: 1, file: arch})
		b.Files = append(b.Files, w)
	}
	for k := range dirs {
		b.Dirs = append(b.Dirs, k)
	}
	sort.Strings(b.Dirs)
	return rows, nil
}
