// Package crypto holds lifeboat's keys and the primitives built on them.
//
// A repository has two kinds of secret:
//
//   - the age identity (or identities), which decrypts blob data: file
//     contents, trees, sequences. Only restore-side commands load it.
//   - the write key, 32 random bytes. From it are derived the blob-id key
//     (blob ids are keyed BLAKE3 hashes), the chunker key, and the metadata
//     key that seals index files, pack trailers and snapshots with
//     XChaCha20-Poly1305. A backup host holds the write key and the public
//     recipients: it can deduplicate and add snapshots but cannot read any
//     file content it wrote.
//
// The write key is also stored in the repository encrypted to the
// recipients (keys/write.age), so an identity alone recovers it.
//
// This package imports no other lifeboat package.
package crypto
