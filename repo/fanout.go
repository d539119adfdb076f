package repo

import (
	"github.com/zeebo/blake3"

	"github.com/lifeboat-backup/lifeboat/crypto"
	"github.com/lifeboat-backup/lifeboat/format"
)

// A pack is stored as data/XX/ID, XX the first byte of its name. On a
// local disk a new XX folder costs a block (4 KiB on ext4), more than the
// pack a backup that changed one contact writes (2-3 KiB). So a small
// pack gets a name in a folder that exists: its trailer is sealed with
// fresh random nonces until the pack's hash falls into one. The pack's
// bytes and name are as any other pack's (its name is the hash of its
// bytes), so nothing that reads the repository can tell.
const (
	// fanoutSmall is the largest pack (plaintext bytes) placed this way;
	// bigger packs keep the folder their first nonce gives them, so
	// that packs spread over the folders as the format intends.
	fanoutSmall = 256 << 10
	// fanoutTries bounds the nonces tried: with k of 256 folders present
	// a try succeeds with odds k/256, so 4,096 tries all fail with odds
	// of 10^-7 for k = 1, and never for k >= 4 in practice. Each try
	// seals and hashes only the trailer (the hash state of the pack's age
	// part is cloned): a few microseconds, 256 tries expected for k = 1.
	fanoutTries = 4096
)

// markFolder notes that the fan-out folder of pack exists.
func (ix *Index) markFolder(pack format.ID) {
	ix.mu.Lock()
	ix.folders[pack[0]] = true
	ix.mu.Unlock()
}

// folderSet returns the fan-out folders known to exist, and whether
// there is any.
func (ix *Index) folderSet() (set [256]bool, some bool) {
	ix.ready()
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	for _, ok := range ix.folders {
		some = some || ok
	}
	return ix.folders, some
}

// sealTrailer seals the trailer plaintext pt of the pack whose age part
// went into p.h. A small pack's trailer is sealed again, with a fresh
// nonce each time, until the pack's name (the hash of age part, sealed
// trailer and footer) falls into a fan-out folder that exists, or
// fanoutTries run out (see fanoutSmall).
func (p *Packer) sealTrailer(pt []byte) []byte {
	keys := p.s.r.keys
	sealed := keys.Seal(crypto.LabelTrailer, pt)
	bh, ok := p.h.(*blake3.Hasher)
	set, some := p.s.r.idx.folderSet()
	if !ok || !some || p.off >= fanoutSmall {
		return sealed
	}
	footer := format.PackFooter(len(sealed)) // the same length every try
	var id format.ID
	for try := 0; ; try++ {
		h := bh.Clone()
		h.Write(sealed)
		h.Write(footer)
		h.Sum(id[:0])
		if set[id[0]] || try == fanoutTries-1 {
			return sealed
		}
		sealed = keys.Seal(crypto.LabelTrailer, pt)
	}
}
