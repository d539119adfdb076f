package format

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

func sampleSnapshot() *Snapshot {
	parent := tid(99)
	return &Snapshot{
		Version: Version,
		Time:    time.Date(2025, 3, 4, 5, 6, 7, 890123456, time.UTC),
		Host:    "laptop",
		Source:  "/media/phone/DCIM",
		Tags:    []string{"cron", "daily"},
		Root: Node{Name: ".", Type: NodeDir, Mode: 0o755, MTime: NanoTime(1700000000000000001),
			Content: Ref{Level: 1, IDs: []ID{tid(1), tid(2)}}},
		Tree:   SnapshotRoot{Level: 1, IDs: []ID{tid(1), tid(2)}, Mode: 0o755, MTime: 1700000000000000001},
		Stats:  SnapshotStats{Files: 1, Dirs: 2, Bytes: 3, Contacts: 4, Events: 5, Todos: 6, Journals: 7, Media: 8, Other: 9, BytesRead: 10, BytesAdded: 11, Errors: 12},
		Parent: &parent,
	}
}

func TestSnapshotRoundTrip(t *testing.T) {
	empty := &Snapshot{Version: Version, Time: time.Unix(0, 0).UTC(), Root: Node{Name: ".", Type: NodeDir}}
	for _, tc := range []struct {
		name string
		s    *Snapshot
	}{
		{"full", sampleSnapshot()},
		{"minimal", empty},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := *tc.s
			in.Version, in.Tree = 0, SnapshotRoot{} // EncodeSnapshot fills these in
			b, err := EncodeSnapshot(&in)
			if err != nil {
				t.Fatal(err)
			}
			got, err := DecodeSnapshot(b)
			if err != nil {
				t.Fatalf("DecodeSnapshot: %v", err)
			}
			if !got.Time.Equal(tc.s.Time) {
				t.Errorf("time %v, want %v", got.Time, tc.s.Time)
			}
			got.Time = tc.s.Time
			if !reflect.DeepEqual(got, tc.s) {
				t.Errorf("DecodeSnapshot(EncodeSnapshot(s)) =\n%+v\nwant\n%+v", got, tc.s)
			}
		})
	}
}

func TestDecodeSnapshotRejects(t *testing.T) {
	good, err := EncodeSnapshot(sampleSnapshot())
	if err != nil {
		t.Fatal(err)
	}
	edit := func(old, new string) []byte {
		if !bytes.Contains(good, []byte(old)) {
			t.Fatalf("%s not in %s", old, good)
		}
		return bytes.Replace(good, []byte(old), []byte(new), 1)
	}
	for _, tc := range []struct {
		name string
		b    []byte
		want error
	}{
		{"empty", nil, ErrCorrupt},
		{"not json", []byte("snapshot"), ErrCorrupt},
		{"truncated", good[:len(good)-1], ErrCorrupt},
		{"array", []byte("[]"), ErrCorrupt},
		{"version 2", edit(`"version":1`, `"version":2`), ErrUnknownVersion},
		{"version 0", edit(`"version":1`, `"version":0`), ErrUnknownVersion},
		{"no version", edit(`"version":1,`, ``), ErrUnknownVersion},
		{"null", []byte("null"), ErrUnknownVersion},
		{"tree too deep", edit(`"level":1`, `"level":9`), ErrCorrupt},
		{"bad tree id", edit(tid(1).String(), "00"), ErrCorrupt},
		{"uppercase tree id", edit(tid(1).String(), strings.ToUpper(tid(1).String())), ErrCorrupt},
		{"bad parent", edit(tid(99).String(), "zz"), ErrCorrupt},
		{"bad time", edit(`"time":"2025`, `"time":"x2025`), ErrCorrupt},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := DecodeSnapshot(tc.b)
			if !errors.Is(err, tc.want) || s != nil {
				t.Errorf("DecodeSnapshot = %v, %v; want nil, %v", s, err, tc.want)
			}
		})
	}
}

func sampleConfig() *Config {
	return &Config{
		Version:               Version,
		ID:                    "5f3c0a5f3c0a5f3c0a5f3c0a5f3c0a5f",
		Created:               time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC),
		Recipients:            []string{"age1abc", "age1def"},
		Chunker:               Chunking{Min: 512 << 10, Avg: 1 << 20, Max: 8 << 20},
		HasPassphraseIdentity: true,
		MAC:                   "00ff",
	}
}

func TestConfigRoundTrip(t *testing.T) {
	c := sampleConfig()
	b, err := EncodeConfig(c)
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeConfig(b)
	if err != nil {
		t.Fatalf("DecodeConfig: %v", err)
	}
	if !reflect.DeepEqual(got, c) {
		t.Errorf("DecodeConfig(EncodeConfig(c)) = %+v, want %+v", got, c)
	}
}

func TestDecodeConfigRejects(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(c *Config)
		want error
	}{
		{"version 0", func(c *Config) { c.Version = 0 }, ErrUnknownVersion},
		{"version 2", func(c *Config) { c.Version = 2 }, ErrUnknownVersion},
		{"no id", func(c *Config) { c.ID = "" }, ErrCorrupt},
		{"no recipients", func(c *Config) { c.Recipients = nil }, ErrCorrupt},
		{"min too small", func(c *Config) { c.Chunker.Min = 1023 }, ErrCorrupt},
		{"avg not above min", func(c *Config) { c.Chunker.Avg = c.Chunker.Min }, ErrCorrupt},
		{"avg not a power of two", func(c *Config) { c.Chunker.Avg = 3 << 19 }, ErrCorrupt},
		{"max not above avg", func(c *Config) { c.Chunker.Max = c.Chunker.Avg }, ErrCorrupt},
		{"max too large", func(c *Config) { c.Chunker.Max = MaxBlobSize + 1 }, ErrCorrupt},
		{"zero chunker", func(c *Config) { c.Chunker = Chunking{} }, ErrCorrupt},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := sampleConfig()
			tc.edit(c)
			b, err := EncodeConfig(c)
			if err != nil {
				t.Fatal(err)
			}
			got, err := DecodeConfig(b)
			if !errors.Is(err, tc.want) || got != nil {
				t.Errorf("DecodeConfig = %v, %v; want nil, %v", got, err, tc.want)
			}
		})
	}
	for _, b := range []string{"", "{", "config", `{"version":"1"}`, "[1]"} {
		if _, err := DecodeConfig([]byte(b)); !errors.Is(err, ErrCorrupt) {
			t.Errorf("DecodeConfig(%q): %v, want ErrCorrupt", b, err)
		}
	}
}

// The MAC covers every field but itself.
func TestConfigMACInput(t *testing.T) {
	base := ConfigMACInput(sampleConfig())
	c := sampleConfig()
	c.MAC = "something else"
	if !bytes.Equal(ConfigMACInput(c), base) {
		t.Error("the MAC input depends on the MAC")
	}
	if sampleConfig().MAC != "00ff" {
		t.Error("ConfigMACInput changed its argument")
	}
	for name, edit := range map[string]func(c *Config){
		"id":         func(c *Config) { c.ID = "other" },
		"recipients": func(c *Config) { c.Recipients = c.Recipients[:1] },
		"chunker":    func(c *Config) { c.Chunker.Avg *= 2 },
		"passphrase": func(c *Config) { c.HasPassphraseIdentity = false },
		"created":    func(c *Config) { c.Created = c.Created.Add(time.Second) },
	} {
		c := sampleConfig()
		edit(c)
		if bytes.Equal(ConfigMACInput(c), base) {
			t.Errorf("the MAC input does not cover %s", name)
		}
	}
}

// TestConfigIDNamesNoPath: the repository id names local files, so only 32
// lowercase hex digits pass.
func TestConfigIDNamesNoPath(t *testing.T) {
	for _, id := range []string{"../../x", "5F3C0A5F3C0A5F3C0A5F3C0A5F3C0A5F", "5f3c0a", "5f3c0a5f3c0a5f3c0a5f3c0a5f3c0a5/", ""} {
		b, _ := json.Marshal(map[string]any{"version": 1, "id": id, "recipients": []string{"age1x"},
			"chunker": map[string]int{"min": 524288, "avg": 1048576, "max": 8388608}})
		if _, err := DecodeConfig(b); !errors.Is(err, ErrCorrupt) {
			t.Errorf("id %q: %v, want ErrCorrupt", id, err)
		}
	}
}

// TestSnapshotZeroCounts: counts of 0 are left out of a snapshot's JSON,
// and a snapshot without them (as written now) reads as 0 while one with
// them (as written before) reads the same.
func TestSnapshotZeroCounts(t *testing.T) {
	s := sampleSnapshot()
	s.Stats = SnapshotStats{Files: 1, Contacts: 5000}
	b, err := EncodeSnapshot(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"dirs", "bytes", "events", "todos", "journals", "media", "other", "bytes_read", "bytes_added", "errors"} {
		if bytes.Contains(b, []byte(`"`+k+`":`)) {
			t.Errorf("zero count %q is in the JSON: %s", k, b)
		}
	}
	old := bytes.Replace(b, []byte(`"contacts":5000`), []byte(`"dirs":0,"bytes":0,"contacts":5000,"events":0,"errors":0`), 1)
	for _, in := range [][]byte{b, old} {
		got, err := DecodeSnapshot(in)
		if err != nil {
			t.Fatal(err)
		}
		if got.Stats != s.Stats {
			t.Errorf("stats %+v, want %+v from %s", got.Stats, s.Stats, in)
		}
	}
	if bytes.Equal(old, b) {
		t.Fatal("the old form was not made")
	}
}
