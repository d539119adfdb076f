package archive_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
)

// TestDedupWithUnpacked: backing up the unpacked folder after the zip it
// came from stores almost nothing new: the files' chunks are the same.
func TestDedupWithUnpacked(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	files := map[string]string{}
	var ents []zent
	for i := range 4 {
		b := make([]byte, 200<<10+i*1000)
		for j := range b {
			b[j] = byte(rng.Uint32())
		}
		files[fmt.Sprintf("Takeout/Google Photos/Photos from 202%d/IMG_%04d.jpg", i%2, i)] = string(b)
	}
	var cards strings.Builder
	for i := range 300 {
		fmt.Fprintf(&cards, "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person %d\r\nTEL:+1555%07d\r\nEND:VCARD\r\n", i, i)
	}
	files["Takeout/Contacts/All Contacts/All Contacts.vcf"] = cards.String()
	unpacked := t.TempDir()
	for name, data := range files {
		ents = append(ents, zent{name: name, data: data})
		p := filepath.Join(unpacked, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	z := file(t, "takeout.zip", zipBytes(t, ents...))

	e := testrepo.New(t)
	first := e.Backup(t, z)
	if first.Snapshot.Stats.Files != uint64(len(files)) || len(first.Errors) > 0 {
		t.Fatalf("backup of the zip: %d files, errors %v", first.Snapshot.Stats.Files, first.Errors)
	}
	before := e.Size(t)
	second := e.Backup(t, unpacked)
	grew := e.Size(t) - before
	// Tree blobs, the snapshot and a pack's framing: no file data.
	const limit = 4 << 10
	t.Logf("zip: %d bytes of files; the unpacked folder after it grew the repository by %d bytes (reported %d)",
		first.Snapshot.Stats.Bytes, grew, second.Snapshot.Stats.BytesAdded)
	if grew > limit || second.Snapshot.Stats.Bytes != first.Snapshot.Stats.Bytes {
		t.Errorf("the unpacked folder grew the repository by %d bytes, want at most %d (holds %d bytes, the zip %d)",
			grew, limit, second.Snapshot.Stats.Bytes, first.Snapshot.Stats.Bytes)
	}
}
