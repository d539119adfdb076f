// Package store is where a repository's bytes live: a flat namespace of
// immutable objects addressed by slash-separated names ("config",
// "keys/write.age", "data/ab/ab12...", "index/...", "snapshots/...").
// It knows names and bytes, never what they mean.
package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"path"
	"strings"
)

// ErrNotFound is returned for an object that does not exist.
var ErrNotFound = errors.New("object not found")

// ErrUnavailable is a location that stopped answering (a lost SSH
// connection, an S3 server error): it says nothing about the objects.
var ErrUnavailable = errors.New("the location stopped answering")

// Unavailable reports whether err is a store not answering (a network
// error, a lost connection, a server error, refused credentials) or the
// run being stopped (Ctrl-C, a deadline): nothing about the objects.
func Unavailable(err error) bool {
	var ne net.Error
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) ||
		errors.Is(err, ErrUnavailable) || errors.Is(err, ErrAccessDenied)
}

// Store holds objects. Implementations must be safe for concurrent use.
type Store interface {
	// Create starts a new object. Nothing is visible under any name until
	// Commit; an aborted or crashed write leaves no object.
	Create(ctx context.Context) (Writer, error)
	// Open opens an object to read ranges of it.
	Open(ctx context.Context, name string) (Object, error)
	// Load reads a whole object.
	Load(ctx context.Context, name string) ([]byte, error)
	// List calls fn for each object under dir, in no particular order.
	List(ctx context.Context, dir string, fn func(name string, size int64) error) error
	// Remove deletes an object.
	Remove(ctx context.Context, name string) error
	// Stat returns an object's size.
	Stat(ctx context.Context, name string) (int64, error)
	// Location describes the store for people.
	Location() string
}

// Writer receives a new object's bytes.
type Writer interface {
	io.Writer
	// Commit makes the bytes durable and visible under name, atomically.
	Commit(name string) error
	// Abort discards the bytes. It is a no-op after Commit.
	Abort()
}

// Object is an open object.
type Object interface {
	io.ReaderAt
	io.Closer
	Size() int64
}

// MakeRoot creates a store's top folder where the store has one to make
// (a local directory). Only init calls it: every other write needs the
// store to exist, so a repository on an unplugged disk is never silently
// recreated on its mount point.
func MakeRoot(s Store) error {
	if m, ok := s.(interface{ MakeRoot() error }); ok {
		return m.MakeRoot()
	}
	return nil
}

// Streamer is a Store that can read a whole object as one stream: on S3
// one GET, where ReadAt costs a ranged GET per call.
type Streamer interface {
	Stream(ctx context.Context, name string) (io.ReadCloser, error)
}

// Putter is a Store that stores bytes already in memory better than
// through Create: S3 sends the object in one request, without copying
// it first; Local writes it through a buffer sized to it.
type Putter interface {
	Put(ctx context.Context, name string, data []byte) error
}

// Save stores data under name.
func Save(ctx context.Context, s Store, name string, data []byte) error {
	if p, ok := s.(Putter); ok {
		return p.Put(ctx, name, data)
	}
	w, err := s.Create(ctx)
	if err != nil {
		return err
	}
	if _, err := w.Write(data); err != nil {
		w.Abort()
		return err
	}
	if err := w.Commit(name); err != nil {
		w.Abort()
		return err
	}
	return nil
}

// ErrBadName is returned for an object name that is not a clean relative
// slash path.
var ErrBadName = errors.New("invalid object name")

// CheckName validates an object name: a clean relative slash path whose
// components are not empty and do not start with "." (so ".", ".." and
// hidden files are out), outside the temporary area tmp/.
func CheckName(name string) error {
	if name == "" || path.Clean(name) != name || strings.Contains(name, "\x00") {
		return ErrBadName
	}
	for _, c := range strings.Split(name, "/") {
		if c == "" || strings.HasPrefix(c, ".") {
			return ErrBadName
		}
	}
	if name == "tmp" || strings.HasPrefix(name, "tmp/") {
		return ErrBadName
	}
	return nil
}

// randomName returns 16 random hex digits for temporary names.
func randomName() string {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// WithName prefixes err with an object's name unless its text names it
// already (an os error names the path, a Local or S3 not-found names the
// object), so that messages do not say it twice.
func WithName(name string, err error) error {
	if err == nil || strings.Contains(err.Error(), name) {
		return err
	}
	return fmt.Errorf("%s: %w", name, err)
}
