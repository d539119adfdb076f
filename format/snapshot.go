package format

import (
	"encoding/json"
	"fmt"
	"time"
)

// Snapshot is one backup of one source. It is stored as JSON, sealed with
// the repository's metadata key, so the backup host can list snapshots but
// the storage holder cannot read or forge them.
type Snapshot struct {
	Version int       `json:"version"`
	Time    time.Time `json:"time"`
	Host    string    `json:"host"`
	Source  string    `json:"source"`
	Tags    []string  `json:"tags,omitempty"`
	// Seq is the commit order: one more than the highest Seq of the
	// snapshots the repository held when this one was committed (under the
	// write lock). 0 in snapshots from before it existed. Order goes by
	// Seq where both have one, so a clock that was wrong for one run
	// cannot make its snapshot the newest.
	Seq uint64 `json:"seq,omitempty"`
	// Root describes the source folder itself; Root.Content is its tree.
	Root   Node          `json:"-"`
	Tree   SnapshotRoot  `json:"tree"`
	Stats  SnapshotStats `json:"stats"`
	Parent *ID           `json:"parent,omitempty"`
	// Collections are the address books and calendars the source holds
	// (see Collection), for noticing one that vanishes.
	Collections []Collection `json:"collections,omitempty"`
	// Alarm is set when this snapshot found a mass deletion: Alarm.Previous
	// is the last snapshot before the drop, which retention must keep.
	Alarm *Alarm `json:"alarm,omitempty"`
}

// Collection is an address book or calendar: a vCard or iCalendar file
// with at least MinCollection records, or the records of the smaller such
// files of one folder together (the path ends in "/" then). It is named
// by Key, a keyed hash of its path (crypto.Keys.PathKey), so that the
// write key, which opens snapshots, reads no file name; snapshots written
// before keys name it by Path instead.
type Collection struct {
	Key     string `json:"key,omitempty"`
	Path    string `json:"path,omitempty"`
	Records uint32 `json:"records"`
}

// MinCollection is the smallest file tracked as a collection on its own.
const MinCollection = 10

// Alarm describes a mass deletion since the previous snapshot of a source.
type Alarm struct {
	Previous ID     `json:"previous"`
	Drops    []Drop `json:"drops,omitempty"`
	// Vanished are the collections that vanished, by key and with their
	// records before (snapshots written before keys listed paths in
	// VanishedPaths).
	Vanished      []Collection `json:"vanished_collections,omitempty"`
	VanishedPaths []string     `json:"vanished,omitempty"`
	// Shrunk are collections still there that lost most of their records
	// (Kind is the collection's key, as in Vanished).
	Shrunk []Drop `json:"shrunk,omitempty"`
	// Empty is set when the source holds no file while the snapshot
	// Previous had some: every later empty snapshot of the source alarms
	// too, naming the same Previous, until the user accepts the emptiness.
	Empty bool `json:"empty,omitempty"`
}

// Drop is one kind of record that fell past the threshold.
type Drop struct {
	Kind   string `json:"kind"`
	Before uint64 `json:"before"`
	After  uint64 `json:"after"`
}

// SnapshotRoot is the JSON form of the root directory node.
type SnapshotRoot struct {
	Level uint8  `json:"level"`
	IDs   []ID   `json:"ids"`
	Mode  uint32 `json:"mode"`
	MTime int64  `json:"mtime"` // Unix nanoseconds
	// MTimeSec and MTimeNsec hold a time outside 1677-2262, which MTime
	// cannot (MTime is 0 then).
	MTimeSec  *int64 `json:"mtime_sec,omitempty"`
	MTimeNsec uint32 `json:"mtime_nsec,omitempty"`
}

// SnapshotStats counts what a snapshot holds and what it cost. A count
// of 0 is left out of the JSON (readers take a missing count as 0, as
// they always did): a contacts backup saves the 60-odd bytes of its zero
// counts in every snapshot.
type SnapshotStats struct {
	Files      uint64 `json:"files,omitempty"`
	Dirs       uint64 `json:"dirs,omitempty"`
	Bytes      uint64 `json:"bytes,omitempty"`
	Contacts   uint64 `json:"contacts,omitempty"`
	Events     uint64 `json:"events,omitempty"`
	Todos      uint64 `json:"todos,omitempty"`
	Journals   uint64 `json:"journals,omitempty"`
	Media      uint64 `json:"media,omitempty"`
	Other      uint64 `json:"other,omitempty"`
	BytesRead  uint64 `json:"bytes_read,omitempty"`
	BytesAdded uint64 `json:"bytes_added,omitempty"`
	Errors     uint64 `json:"errors,omitempty"`
	// Malformed counts records stored as they are that lifeboat could not
	// fully read (broken structure, bad encoding).
	Malformed uint64 `json:"malformed_records,omitempty"`
	// People says that Contacts, Events, Todos and Journals count people
	// and events, each once however many files or exceptions hold it;
	// without it (snapshots before it was added) they count records.
	People bool `json:"people,omitempty"`
	// DistinctMedia says that Media counts distinct contents: a photo in
	// several folders (an album's copy of a Takeout year folder's photo)
	// counts once. Without it (snapshots before it was added) Media
	// counts media files.
	DistinctMedia bool `json:"distinct_media,omitempty"`
}

// EncodeSnapshot returns the JSON plaintext of s.
func EncodeSnapshot(s *Snapshot) ([]byte, error) {
	c := *s
	c.Version = Version
	c.Tree = SnapshotRoot{Level: s.Root.Content.Level, IDs: s.Root.Content.IDs, Mode: s.Root.Mode}
	if ns, ok := s.Root.MTime.nano(); ok {
		c.Tree.MTime = ns
	} else {
		sec := s.Root.MTime.Sec
		c.Tree.MTimeSec, c.Tree.MTimeNsec = &sec, s.Root.MTime.Nsec
	}
	return json.Marshal(&c)
}

// DecodeSnapshot parses a snapshot's JSON plaintext.
func DecodeSnapshot(b []byte) (*Snapshot, error) {
	var s Snapshot
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("snapshot: %w", ErrCorrupt)
	}
	if s.Version != Version {
		return nil, fmt.Errorf("snapshot version %d: %w", s.Version, ErrUnknownVersion)
	}
	if s.Tree.Level > MaxRefLevel {
		return nil, corrupt("snapshot tree level")
	}
	s.Time = zeroOffsetUTC(s.Time)
	// Empty lists decode as nil, as they encode (omitempty).
	if len(s.Tags) == 0 {
		s.Tags = nil
	}
	if len(s.Collections) == 0 {
		s.Collections = nil
	}
	if s.Alarm != nil {
		if len(s.Alarm.Drops) == 0 {
			s.Alarm.Drops = nil
		}
		if len(s.Alarm.Vanished) == 0 {
			s.Alarm.Vanished = nil
		}
		if len(s.Alarm.VanishedPaths) == 0 {
			s.Alarm.VanishedPaths = nil
		}
		if len(s.Alarm.Shrunk) == 0 {
			s.Alarm.Shrunk = nil
		}
	}
	mt := NanoTime(s.Tree.MTime)
	if s.Tree.MTimeSec != nil {
		if s.Tree.MTimeNsec >= 1e9 {
			return nil, corrupt("snapshot tree time")
		}
		mt = Time{Sec: *s.Tree.MTimeSec, Nsec: s.Tree.MTimeNsec}
	}
	s.Root = Node{Name: ".", Type: NodeDir, Mode: s.Tree.Mode, MTime: mt,
		Content: Ref{Level: s.Tree.Level, IDs: s.Tree.IDs}}
	return &s, nil
}
