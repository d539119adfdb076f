// Package source is every way data comes into lifeboat, behind one
// interface: a Source names itself and opens a Tree of entries that backup
// walks with lstat semantics. Implementations live below it (folder, dav);
// Open picks one from a command-line argument, in this one place.
package source

import (
	"context"
	"errors"
	"io/fs"
)

// Tree is a source's items as a tree of entries. Names are slash-separated
// paths relative to the root, "." being the root itself; they may hold
// bytes that are not valid UTF-8. Entries are described with lstat
// semantics: a symlink is an entry of its own, never followed. Errors are
// per entry: one that cannot be read leaves the others readable.
//
// An entry's fs.FileInfo carries its mtime to the nanosecond; its Sys may
// be a *syscall.Stat_t (ctime and inode), which the file cache then uses
// as well. Implementations must be safe for concurrent use.
type Tree interface {
	// Lstat describes the entry at name without following a symlink.
	Lstat(name string) (fs.FileInfo, error)
	// ReadDir lists the folder at name, sorted by name.
	ReadDir(name string) ([]fs.DirEntry, error)
	// Open opens the regular file at name for reading; its Stat describes
	// the file as it is open, so that a reader can tell a file that
	// changed while it was read.
	Open(name string) (fs.File, error)
	// Readlink returns the target of the symlink at name.
	Readlink(name string) (string, error)
}

// XAttrTree is a Tree whose entries may carry extended attributes (a
// folder on disk). ListXAttr and GetXAttr behave as llistxattr(2) and
// lgetxattr(2) on the entry at name: a nil dest asks for the size.
type XAttrTree interface {
	Tree
	ListXAttr(name string, dest []byte) (int, error)
	GetXAttr(name, attr string, dest []byte) (int, error)
}

// Versioned is what an entry's FileInfo.Sys may be when its size and
// mtime cannot tell its bytes apart (a file rendered from a phone's rows,
// which has no date of its own): Version changes whenever the bytes do,
// and backup's file cache compares it as it compares a disk file's inode
// change time.
type Versioned interface{ Version() uint64 }

// RawFile is what a Tree's Open may return for a file kept only to be
// given back byte for byte, whose contents the source also gives
// understood elsewhere in the tree (a file of an iPhone backup, named by
// its hash, beside the contacts and photos read from it): backup counts
// no records or photos in it, so that nothing counts twice.
type RawFile interface {
	fs.File
	Raw()
}

// SealedFile is a RawFile that its source keeps encrypted (a file of an
// encrypted iPhone backup): its Read gives the plaintext, its Stat the
// size on disk, and SealKey the AES-256 key that gives those bytes back
// from the plaintext (CBC, zero IV, PKCS#7 padding; format.SealedSize).
// Backup stores the plaintext, which then deduplicates with the same
// bytes given as an item, and the key in the file's node; restore
// encrypts again. A source gives a SealedFile only where that gives the
// bytes on disk back exactly: their padding checked.
type SealedFile interface {
	RawFile
	SealKey() []byte
}

// Source is one place data comes from.
type Source interface {
	// Name is what snapshots record as the source (a folder's absolute
	// path; an account's URL without a password) and what finds the
	// previous snapshot.
	Name() string
	// Open readies the source for one backup and returns its tree;
	// release gives back what it holds (a lock on a staging folder) once
	// the backup is done with the tree.
	Open(ctx context.Context) (t Tree, release func(), err error)
}

// ErrSource is a source that cannot be read at all: nothing is committed
// for it.
var ErrSource = errors.New("cannot read source")

// Reporter is a Tree that knows, once open, of entries it leaves out (an
// archive's entry with an unsafe name, or at a path an earlier entry
// holds): EntryErrors calls yield for each, and backup names them in its
// errors.
type Reporter interface {
	EntryErrors(yield func(path string, err error))
}
