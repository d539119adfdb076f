// Package format holds the byte layouts of a lifeboat repository: object
// names, tree nodes, sequence nodes, pack trailers, index files, snapshots
// and the repository config. It does no I/O and no cryptography, and imports
// no other lifeboat package. docs/FORMAT.md is the prose version of this
// package; the two change together.
//
// Every identifier written here (blob types, compression ids, node types,
// versions) is stable: a value is never reused for another meaning, and a
// reader refuses a version it does not know.
package format

// Version is the repository format version this code writes and reads.
const Version = 1

// Limits that decoders enforce, so hostile input cannot make them allocate
// without bound.
const (
	// MaxBlobSize bounds the plaintext size of any blob.
	MaxBlobSize = 16 << 20
	// MaxNameLen bounds a file name in a tree: NAME_MAX, 255 bytes, the
	// longest name Linux file systems store.
	MaxNameLen = 255
	// MaxTargetLen bounds a symlink's target: PATH_MAX.
	MaxTargetLen = 4096
)
