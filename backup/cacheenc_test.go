package backup

import (
	"reflect"
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
	dirs := map[string]span{"": {24, 100}, "DCIM/Camera": {124, 1 << 40}}
	table, err := decodeTable(appendTable(nil, dirs))
	if err != nil || !reflect.DeepEqual(table, dirs) {
		t.Fatalf("table %v, %v; want %v", table, err, dirs)
	}
}
