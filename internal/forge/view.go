package forge

import (
	"context"
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/lifeboat-backup/lifeboat/crypto"
	"github.com/lifeboat-backup/lifeboat/store"
)

// WriteKeyView returns everything a write-key holder (a backup machine
// without the identity) can read in a repository: every object's stored
// bytes and, sealed with the metadata key, the plaintext of every
// snapshot, index file and pack trailer. Pack data is encrypted to the
// recipients and stays as stored.
func WriteKeyView(ctx context.Context, st store.Store, ks *crypto.Keys) (map[string][]byte, error) {
	view := map[string][]byte{}
	var names []string
	for _, dir := range []string{"keys", "data", "index", "snapshots", "locks"} {
		if err := st.List(ctx, dir, func(name string, _ int64) error {
			names = append(names, name)
			return nil
		}); err != nil {
			return nil, err
		}
	}
	names = append(names, "config")
	for _, name := range names {
		b, err := st.Load(ctx, name)
		if err != nil {
			return nil, err
		}
		view[name] = b
		label, sealed := "", b
		switch {
		case strings.HasPrefix(name, "snapshots/"):
			label = crypto.LabelSnapshot
		case strings.HasPrefix(name, "index/"):
			label = crypto.LabelIndex
		case strings.HasPrefix(name, "data/"):
			label, sealed = crypto.LabelTrailer, trailer(b)
		}
		if label == "" {
			continue
		}
		pt, err := ks.Open(label, sealed)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		view[name+" (unsealed)"] = pt
	}
	return view, nil
}

// trailer cuts the sealed trailer from a pack: it ends with its length
// (uint32 little-endian) and "lbp1".
func trailer(pack []byte) []byte {
	if len(pack) < 8 {
		return nil
	}
	n := int(binary.LittleEndian.Uint32(pack[len(pack)-8:]))
	if n > len(pack)-8 {
		return nil
	}
	return pack[len(pack)-8-n : len(pack)-8]
}
