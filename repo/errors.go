// Package repo is a lifeboat repository on top of a store: its config and
// keys, the index of blobs, pack writing and reading, and snapshots.
// docs/FORMAT.md describes the bytes; package format encodes them.
package repo

import (
	"errors"
	"fmt"
)

// Sentinel errors. The CLI maps them to exit codes.
var (
	// ErrNoRepo: there is no repository at the location.
	ErrNoRepo = errors.New("repository does not exist")
	// ErrExists: init found a repository already there.
	ErrExists = errors.New("repository already exists")
	// ErrWrongKey: the identity, passphrase or write key does not open
	// this repository.
	ErrWrongKey = errors.New("wrong key or passphrase")
	// ErrNoIdentity: the command needs the identity and none was found.
	ErrNoIdentity = errors.New("no identity to decrypt the repository")
	// ErrNoWriteKey: this machine has no write key for the repository.
	ErrNoWriteKey = errors.New("no write key for this repository on this machine")
	// ErrKeyFile: a key or passphrase file given by the user cannot be
	// read or is not private.
	ErrKeyFile = errors.New("cannot use key file")
	// ErrDamaged: stored data is missing or does not match its hash.
	ErrDamaged = errors.New("damaged or missing data")
	// ErrNoSnapshot: no snapshot matches.
	ErrNoSnapshot = errors.New("no matching snapshot")
)

// ErrUnvouched: the write key in keys/write.age is vouched for neither by
// this machine's copy nor by a tag in keys/write.tag for a loaded
// identity, so snapshots sealed with it prove nothing (a storage holder
// can encrypt a write key of its own to the public recipients).
var ErrUnvouched = fmt.Errorf("nothing vouches for the write key (keys replaced by someone without the identity?): %w", ErrDamaged)
