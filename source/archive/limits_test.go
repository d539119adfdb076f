package archive

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestTooManyEntries: a zip whose end records declare more than
// MaxEntries entries is refused before they are read, and so is a tar at
// its entry past the limit.
func TestTooManyEntries(t *testing.T) {
	var b bytes.Buffer
	b.Write([]byte("PK\x06\x06"))
	rec := make([]byte, 52)
	binary.LittleEndian.PutUint64(rec[0:], 44)
	binary.LittleEndian.PutUint64(rec[20:], MaxEntries+1) // this disk
	binary.LittleEndian.PutUint64(rec[28:], MaxEntries+1) // in all
	b.Write(rec)
	loc := make([]byte, 20)
	copy(loc, "PK\x06\x07")
	binary.LittleEndian.PutUint64(loc[8:], 0) // the zip64 end record's offset
	binary.LittleEndian.PutUint32(loc[16:], 1)
	b.Write(loc)
	end := make([]byte, 22)
	copy(end, "PK\x05\x06")
	binary.LittleEndian.PutUint16(end[8:], 0xffff)
	binary.LittleEndian.PutUint16(end[10:], 0xffff)
	binary.LittleEndian.PutUint32(end[12:], 0xffffffff)
	binary.LittleEndian.PutUint32(end[16:], 0xffffffff)
	b.Write(end)
	p := filepath.Join(t.TempDir(), "many.zip")
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenTree(p); !errors.Is(err, ErrTooMany) {
		t.Errorf("a zip declaring %d entries: %v, want ErrTooMany", MaxEntries+1, err)
	}

	tree := newTree(time.Time{})
	tree.entries = MaxEntries - 1
	if err := tree.add("last", &node{mode: 0o644}); err != nil {
		t.Fatalf("entry %d: %v", MaxEntries, err)
	}
	if err := tree.add("one-more", &node{mode: 0o644}); !errors.Is(err, ErrTooMany) {
		t.Errorf("entry %d: %v, want ErrTooMany", MaxEntries+1, err)
	}
}
