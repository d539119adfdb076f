package iosgen

import (
	"time"

	"howett.net/plist"
)

// mbFields are the MBFile properties Write sets.
type mbFields struct {
	rel    string
	mode   uint32
	mtime  time.Time
	size   int64
	class  uint32
	encKey []byte // nil for a plain backup or a folder
}

// mbFile archives an MBFile as NSKeyedArchiver does: $objects holds
// "$null", the MBFile (its strings and data by UID), then the classes.
func mbFile(f mbFields) ([]byte, error) {
	t := f.mtime.Unix()
	objects := []any{"$null"}
	add := func(v any) plist.UID {
		objects = append(objects, v)
		return plist.UID(len(objects) - 1)
	}
	root := map[string]any{
		"LastModified":     t,
		"LastStatusChange": t,
		"Birth":            t,
		"Size":             f.size,
		"Mode":             f.mode,
		"Flags":            0,
		"UserID":           501,
		"GroupID":          501,
		"InodeNumber":      uint64(1000 + len(f.rel)),
		"ProtectionClass":  f.class,
	}
	rootUID := add(root)
	root["RelativePath"] = add(f.rel)
	if f.encKey != nil {
		dataClass := add(map[string]any{"$classname": "NSMutableData", "$classes": []string{"NSMutableData", "NSData", "NSObject"}})
		root["EncryptionKey"] = add(map[string]any{"NS.data": f.encKey, "$class": dataClass})
	}
	root["$class"] = add(map[string]any{"$classname": "MBFile", "$classes": []string{"MBFile", "NSObject"}})
	return plist.Marshal(map[string]any{
		"$version":  100000,
		"$archiver": "NSKeyedArchiver",
		"$top":      map[string]any{"root": rootUID},
		"$objects":  objects,
	}, plist.BinaryFormat)
}

// manifestPlist is Manifest.plist, binary.
func manifestPlist(o Options, kb *keys) ([]byte, error) {
	m := map[string]any{
		"Version":              "10.0",
		"Date":                 o.Now,
		"SystemDomainsVersion": "24.0",
		"WasPasscodeSet":       true,
		"IsEncrypted":          kb != nil,
		"Applications":         map[string]any{},
		"Lockdown": map[string]any{
			"ProductVersion": o.ProductVersion,
			"ProductType":    "iPhone14,5",
			"BuildVersion":   "21F90",
			"UniqueDeviceID": o.UDID,
			"SerialNumber":   "F2LXK0SYN1",
			"DeviceName":     o.DeviceName,
		},
	}
	if kb != nil {
		m["BackupKeyBag"] = kb.keybag
		if !o.Legacy {
			m["ManifestKey"] = kb.manifestKF
		}
	}
	return plist.Marshal(m, plist.BinaryFormat)
}

// infoPlist is Info.plist, XML as iTunes writes it.
func infoPlist(o Options) ([]byte, error) {
	return plist.MarshalIndent(map[string]any{
		"Device Name":            o.DeviceName,
		"Display Name":           o.DeviceName,
		"GUID":                   "6A1F2E3D4C5B6A79",
		"Last Backup Date":       o.Now,
		"Product Name":           "iPhone 13",
		"Product Type":           "iPhone14,5",
		"Product Version":        o.ProductVersion,
		"Serial Number":          "F2LXK0SYN1",
		"Target Identifier":      o.UDID,
		"Target Type":            "Device",
		"Unique Identifier":      o.UDID,
		"iTunes Version":         "12.13",
		"Installed Applications": []string{},
	}, plist.XMLFormat, "\t")
}

// statusPlist is Status.plist, binary.
func statusPlist(o Options) ([]byte, error) {
	return plist.Marshal(map[string]any{
		"BackupState":   "new",
		"Date":          o.Now,
		"IsFullBackup":  false,
		"SnapshotState": "finished",
		"UUID":          "4C2B8F1E-0D3A-4E5B-9C6D-7A8B9C0D1E2F",
		"Version":       "3.3",
	}, plist.BinaryFormat)
}
