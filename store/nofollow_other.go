//go:build !unix

package store

// oNoFollow is 0 where open has no such flag (Windows); Lstat checks
// every folder on the way first.
const oNoFollow = 0
