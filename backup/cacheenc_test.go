package backup

import (
	"encoding/binary"
	"reflect"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/format"
)

// TestCacheRecordRoundTrip: a folder record and the table decode to what
// was encoded, and any flipped bit or cut byte makes the record refused.
func TestCacheRecordRoundTrip(t *testing.T) {
	entries := []cacheEntry{
		{Name: "a.vcf", Size: 12, MTime: -5, CTime: 1 << 62, Ino: 1<<64 - 1, Node: []byte("node"),
			IDs: []format.ID{{1}, {2, 3}}, Recs: []ident{7, 1<<64 - 1}, Cut: cutYes,
			Memo: []recMemo{{Sum: [recSumLen]byte{1, 2}, ID: 7, Bad: true}, {ID: 1<<64 - 1}}},
		{Name: "b", Node: []byte{}, Cut: cutNo},
		{Name: "\xff\x00c", Size: 1, Node: []byte{9}, IDs: []format.ID{{4}}},
	}
	rec := appendEntries([]byte("prefix"), entries)[len("prefix"):]
	got, err := decodeEntries(rec)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, entries) {
		t.Fatalf("decoded %+v, want %+v", got, entries)
	}
	for i := range len(rec) * 8 {
		bad := append([]byte(nil), rec...)
		bad[i/8] ^= 1 << (i % 8)
		if _, err := decodeEntries(bad); err == nil {
			t.Fatalf("bit %d flipped: decoded", i)
		}
	}
	for n := range len(rec) {
		if _, err := decodeEntries(rec[:n]); err == nil {
			t.Fatalf("cut to %d bytes: decoded", n)
		}
	}
	// Written in the order the walk ends folders, not sorted.
	dirs := map[string]span{"DCIM/Camera": {124, 1 << 40}, "": {24, 100}, "DCIM": {1 << 40, 7}, "Contacts": {3, 4}}
	var out folderTable
	for _, name := range []string{"DCIM/Camera", "", "DCIM", "Contacts"} {
		if !out.add([]byte(name), dirs[name]) {
			t.Fatalf("add %q refused", name)
		}
	}
	files := []string{"index/" + strings.Repeat("ab", 32), "index/" + strings.Repeat("cd", 32)}
	table, gotFiles, err := decodeTable(appendTable(nil, &out, files))
	if err != nil || table.len() != len(dirs) || !reflect.DeepEqual(gotFiles, files) {
		t.Fatalf("table of %d folders, %v, %v; want %d, %v", table.len(), gotFiles, err, len(dirs), files)
	}
	for name, want := range dirs {
		if got, ok := table.get(name); !ok || got != want {
			t.Errorf("folder %q: %v %v, want %v", name, got, ok, want)
		}
	}
	for _, name := range []string{"DCIM/", "Camera", "dcim", "Contacts/x", "\x00"} {
		if got, ok := table.get(name); ok {
			t.Errorf("folder %q not in the table found: %v", name, got)
		}
	}
	// A table from before the index files were kept says nothing of them.
	old := binary.AppendUvarint(nil, 0)
	if _, gotFiles, err := decodeTable(sealRecord(old, 0)); err != nil || gotFiles != nil {
		t.Fatalf("table without index files: %v, %v", gotFiles, err)
	}
}
