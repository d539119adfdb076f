// Command primbench measures, on this machine and one core, the
// throughput of the primitives a lifeboat backup spends its CPU on, using
// the project's own packages: the keyed BLAKE3 blob id
// (crypto.Keys.BlobID), the plain BLAKE3 object hash (crypto.ObjectHash,
// which names a pack from its ciphertext), age encryption and decryption
// of a pack-sized stream (filippo.io/age through crypto's recipients, as
// repo's packer does) and the content-defined chunker (chunker.Cut with
// chunker.Default). bench/run.sh prints the cost of these for the bytes of
// a case as the "primitives floor".
//
//	primbench [-mib N] [-rounds R]
//
// It prints one line per primitive, "NAME<TAB>MB/s" (MB = 10^6 bytes),
// the best of R rounds over N MiB of random data.
package main

import (
	"bytes"
	"crypto/rand"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"time"

	"filippo.io/age"

	"github.com/lifeboat-backup/lifeboat/chunker"
	"github.com/lifeboat-backup/lifeboat/crypto"
)

func main() {
	mib := flag.Int("mib", 64, "MiB of random data per round")
	rounds := flag.Int("rounds", 3, "rounds; the best is printed")
	flag.Parse()
	runtime.GOMAXPROCS(1)
	if err := run(*mib<<20, *rounds); err != nil {
		fmt.Fprintln(os.Stderr, "primbench:", err)
		os.Exit(1)
	}
}

func run(size, rounds int) error {
	data := make([]byte, size)
	if _, err := rand.Read(data); err != nil {
		return fmt.Errorf("random data: %w", err)
	}
	keys, err := crypto.DeriveKeys(crypto.NewWriteKey())
	if err != nil {
		return fmt.Errorf("keys: %w", err)
	}
	id, err := crypto.GenerateIdentity()
	if err != nil {
		return fmt.Errorf("identity: %w", err)
	}
	const pack = 16 << 20 // repo packs are at most 16 MiB
	sealed, err := crypto.EncryptTo(data[:min(pack, size)], id.Recipient())
	if err != nil {
		return fmt.Errorf("age encrypt: %w", err)
	}
	table := chunker.NewTable(crypto.NewWriteKey())

	prims := []struct {
		name  string
		bytes int
		f     func() error
	}{
		{"blake3-keyed", size, func() error { keys.BlobID(data); return nil }},
		{"blake3", size, func() error { crypto.ObjectHash(data); return nil }},
		{"age-encrypt", size, func() error {
			for off := 0; off < size; off += pack {
				w, err := age.Encrypt(io.Discard, id.Recipient())
				if err != nil {
					return err
				}
				if _, err := w.Write(data[off:min(off+pack, size)]); err != nil {
					return err
				}
				if err := w.Close(); err != nil {
					return err
				}
			}
			return nil
		}},
		{"age-decrypt", len(sealed), func() error {
			r, err := age.Decrypt(bytes.NewReader(sealed), id)
			if err != nil {
				return err
			}
			_, err = io.Copy(io.Discard, r)
			return err
		}},
		{"chunker", size, func() error {
			for rest := data; len(rest) > 0; {
				rest = rest[chunker.Cut(table, chunker.Default, rest):]
			}
			return nil
		}},
	}
	for _, p := range prims {
		best := time.Duration(0)
		for range rounds {
			start := time.Now()
			if err := p.f(); err != nil {
				return fmt.Errorf("%s: %w", p.name, err)
			}
			if d := time.Since(start); best == 0 || d < best {
				best = d
			}
		}
		fmt.Printf("%s\t%.0f\n", p.name, float64(p.bytes)/best.Seconds()/1e6)
	}
	return nil
}
