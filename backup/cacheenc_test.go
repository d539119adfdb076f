package backup

import (
	"bytes"
	"encoding/binary"
	"reflect"
	"slices"
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
	// Paths as phones and exports name folders: Android's media folders,
	// a Takeout folder in the account's language, non-ASCII names.
	order := []string{"DCIM/Camera", "", "DCIM", "Contacts", "Android/media/com.whatsapp/WhatsApp/Media/WhatsApp Images",
		"Takeout/Google Fotos/Fotos von 2023", "Téléchargements", "Контакты", "DCIM/.thumbnails"}
	dirs := map[string]span{"DCIM/Camera": {124, 1 << 40}, "": {24, 100}, "DCIM": {1 << 40, 7}, "Contacts": {3, 4}}
	for i, name := range order[4:] {
		dirs[name] = span{int64(1000 * (i + 1)), int64(i + 1)}
	}
	var out folderTable
	for _, name := range order {
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
	for _, name := range []string{"DCIM/", "Camera", "dcim", "Contacts/x", "\x00", "Контакт", "Takeout/Google Fotos"} {
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

// FuzzCacheRecord: whatever a cache file holds (its records carry a
// CRC, so the fuzzer seals what it makes), decoding a folder record or
// the table gives an error or values that encode and decode again to the
// same, and looking a folder up in a decoded table never panics.
func FuzzCacheRecord(f *testing.F) {
	unsealed := func(rec []byte) []byte { return rec[:len(rec)-4] }
	f.Add(unsealed(appendEntries(nil, []cacheEntry{{Name: "a.vcf", Node: []byte("n"), IDs: []format.ID{{1}},
		Recs: []ident{3}, Memo: []recMemo{{ID: 3}}}})), "a")
	var tab folderTable
	tab.add([]byte("DCIM/Camera"), span{24, 100})
	tab.add([]byte(""), span{124, 7})
	tab.add([]byte("DCIM/Camera"), span{1 << 40, 3}) // the same folder twice: the last one counts
	f.Add(unsealed(appendTable(nil, &tab, []string{"index/ab"})), "DCIM/Camera")
	f.Fuzz(func(t *testing.T, body []byte, name string) {
		rec := sealRecord(body, 0)
		if entries, err := decodeEntries(rec); err == nil {
			again, err := decodeEntries(appendEntries(nil, entries))
			if err != nil || len(again) != len(entries) {
				t.Fatalf("%d entries encoded again: %d, %v", len(entries), len(again), err)
			}
			for i := range entries {
				if !bytes.Equal(again[i].Node, entries[i].Node) {
					t.Fatalf("entry %d's node: %x, then %x", i, entries[i].Node, again[i].Node)
				}
				entries[i].Node, again[i].Node = nil, nil // nil and empty alike
				if !reflect.DeepEqual(again[i], entries[i]) {
					t.Fatalf("entry %d: %+v, then %+v", i, entries[i], again[i])
				}
			}
		}
		table, files, err := decodeTable(rec)
		if err != nil {
			return
		}
		table.get(name)
		again, files2, err := decodeTable(appendTable(nil, &table, files))
		// No index files and a table from before they were kept read alike.
		if err != nil || again.len() != table.len() || !slices.Equal(files2, files) {
			t.Fatalf("table of %d folders encoded again: %d, %v", table.len(), again.len(), err)
		}
		for i := range table.ents {
			name := string(table.name(&table.ents[i]))
			want, _ := table.get(name)
			if got, ok := again.get(name); !ok || got != want {
				t.Fatalf("folder %q: %v %v, want %v", name, got, ok, want)
			}
		}
	})
}
