package mbformat

import (
	"errors"
	"fmt"
	"time"

	"howett.net/plist"
)

// MaxPlist bounds a property list read whole: a Manifest.plist with many
// apps' metadata is a few megabytes.
const MaxPlist = 64 << 20

// MaxMBFile bounds one Files row's NSKeyedArchiver blob.
const MaxMBFile = 1 << 20

// Manifest is what Manifest.plist says of a backup.
type Manifest struct {
	IsEncrypted  bool     `plist:"IsEncrypted"`
	Version      string   `plist:"Version"`
	BackupKeyBag []byte   `plist:"BackupKeyBag"`
	ManifestKey  []byte   `plist:"ManifestKey"`
	Lockdown     Lockdown `plist:"Lockdown"`
}

// Lockdown is the device's identity as Manifest.plist records it.
type Lockdown struct {
	ProductVersion string `plist:"ProductVersion"`
	ProductType    string `plist:"ProductType"`
	BuildVersion   string `plist:"BuildVersion"`
	UniqueDeviceID string `plist:"UniqueDeviceID"`
	DeviceName     string `plist:"DeviceName"`
}

// ParseManifest reads a Manifest.plist, binary or XML.
func ParseManifest(data []byte) (*Manifest, error) {
	if len(data) > MaxPlist {
		return nil, fmt.Errorf("Manifest.plist: %d bytes, more than %d", len(data), MaxPlist)
	}
	if err := checkDepth(data); err != nil {
		return nil, fmt.Errorf("Manifest.plist: %w", err)
	}
	var m Manifest
	if _, err := plist.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("Manifest.plist: %w", err)
	}
	return &m, nil
}

// Status is the part of Status.plist that tells a finished backup from
// one cut short: iOS writes SnapshotState "finished" once a backup is
// complete (and "uploading" while files are still coming).
type Status struct {
	SnapshotState string    `plist:"SnapshotState"`
	IsFullBackup  bool      `plist:"IsFullBackup"`
	Date          time.Time `plist:"Date"`
}

// ParseStatus reads a Status.plist, binary or XML.
func ParseStatus(data []byte) (*Status, error) {
	if len(data) > MaxPlist {
		return nil, fmt.Errorf("Status.plist: %d bytes, more than %d", len(data), MaxPlist)
	}
	if err := checkDepth(data); err != nil {
		return nil, fmt.Errorf("Status.plist: %w", err)
	}
	var st Status
	if _, err := plist.Unmarshal(data, &st); err != nil {
		return nil, fmt.Errorf("Status.plist: %w", err)
	}
	return &st, nil
}

// MBFile is the part of an MBFile record that a reader needs.
type MBFile struct {
	Size            int64
	Mode            uint32 // st_mode
	ModTime, Birth  time.Time
	ProtectionClass uint32
	EncryptionKey   []byte // 4-byte little-endian class, then the wrapped key
	Target          string // a symlink's target
}

// ParseMBFile reads a Files row's `file` column: an NSKeyedArchiver
// binary plist whose $top root is the MBFile object and whose
// EncryptionKey and Target point (by UID) at other $objects.
func ParseMBFile(data []byte) (*MBFile, error) {
	if len(data) > MaxMBFile {
		return nil, fmt.Errorf("MBFile: %d bytes, more than %d", len(data), MaxMBFile)
	}
	if err := checkDepth(data); err != nil {
		return nil, fmt.Errorf("MBFile: %w", err)
	}
	var ka struct {
		Top     map[string]plist.UID `plist:"$top"`
		Objects []any                `plist:"$objects"`
	}
	if _, err := plist.Unmarshal(data, &ka); err != nil {
		return nil, fmt.Errorf("MBFile: %w", err)
	}
	root, err := object[map[string]any](ka.Objects, ka.Top["root"])
	if err != nil {
		return nil, fmt.Errorf("MBFile root: %w", err)
	}
	f := &MBFile{}
	f.Size, _ = integer(root["Size"])
	if f.Size < 0 {
		return nil, fmt.Errorf("MBFile: Size %d", f.Size)
	}
	m, _ := integer(root["Mode"])
	f.Mode = uint32(m)
	pc, _ := integer(root["ProtectionClass"])
	f.ProtectionClass = uint32(pc)
	if t, ok := integer(root["LastModified"]); ok {
		f.ModTime = time.Unix(t, 0).UTC()
	}
	if t, ok := integer(root["Birth"]); ok {
		f.Birth = time.Unix(t, 0).UTC()
	}
	if uid, ok := root["EncryptionKey"].(plist.UID); ok {
		d, err := object[map[string]any](ka.Objects, uid)
		if err != nil {
			return nil, fmt.Errorf("MBFile EncryptionKey: %w", err)
		}
		key, ok := d["NS.data"].([]byte)
		if !ok || len(key) < 4 {
			return nil, errors.New("MBFile EncryptionKey: no NS.data")
		}
		f.EncryptionKey = key
	}
	if uid, ok := root["Target"].(plist.UID); ok {
		s, err := object[string](ka.Objects, uid)
		if err != nil {
			return nil, fmt.Errorf("MBFile Target: %w", err)
		}
		f.Target = s
	}
	return f, nil
}

// object is the $objects entry uid names, of type T.
func object[T any](objects []any, uid plist.UID) (T, error) {
	var zero T
	if uint64(uid) >= uint64(len(objects)) {
		return zero, fmt.Errorf("UID %d past %d objects", uid, len(objects))
	}
	v, ok := objects[uid].(T)
	if !ok {
		return zero, fmt.Errorf("object %d is a %T", uid, objects[uid])
	}
	return v, nil
}

// integer is a plist number as an int64.
func integer(v any) (int64, bool) {
	switch n := v.(type) {
	case uint64:
		return int64(n), true
	case int64:
		return n, true
	case float64:
		return int64(n), true
	}
	return 0, false
}
