package format

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestNodeRoundTrip(t *testing.T) {
	nodes := append(sampleNodes(), extremeNode(), Node{Name: "z", Type: NodeDir})
	for _, n := range nodes {
		t.Run(n.Name[:min(len(n.Name), 10)], func(t *testing.T) {
			b := EncodeNode(&n)
			got, err := DecodeNode(b)
			if err != nil {
				t.Fatalf("DecodeNode: %v", err)
			}
			if !reflect.DeepEqual(got, n) {
				t.Errorf("DecodeNode(EncodeNode(n)) = %+v, want %+v", got, n)
			}
			truncations(t, b, func(b []byte) error { _, err := DecodeNode(b); return err })
			_, err = DecodeNode(append(bytes.Clone(b), 0))
			wantCorrupt(t, "trailing byte", err)
		})
	}
}

func TestTreeRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name  string
		nodes []Node
	}{
		{"empty", []Node{}},
		{"one", sampleNodes()[:1]},
		{"sample", sampleNodes()},
		{"extreme", []Node{extremeNode()}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := EncodeTree(tc.nodes)
			got, err := DecodeTree(b)
			if err != nil {
				t.Fatalf("DecodeTree: %v", err)
			}
			if !reflect.DeepEqual(got, tc.nodes) {
				t.Errorf("DecodeTree(EncodeTree(nodes)) = %+v, want %+v", got, tc.nodes)
			}
			truncations(t, b, func(b []byte) error { _, err := DecodeTree(b); return err })
		})
	}
}

// TestAppendTree checks that a tree built from encoded entries is the
// blob EncodeTree makes of the entries, after whatever b already holds.
func TestAppendTree(t *testing.T) {
	for _, nodes := range [][]Node{nil, sampleNodes()[:1], sampleNodes(), {extremeNode()}} {
		var enc []byte
		for i := range nodes {
			enc = AppendNode(enc, &nodes[i])
		}
		want := EncodeTree(nodes)
		if got := AppendTree(nil, len(nodes), enc); !bytes.Equal(got, want) {
			t.Errorf("AppendTree of %d encoded nodes = %x, want EncodeTree's %x", len(nodes), got, want)
		}
		if got := AppendTree([]byte("prefix"), len(nodes), enc); !bytes.Equal(got, append([]byte("prefix"), want...)) {
			t.Errorf("AppendTree did not append after b's bytes: %x", got)
		}
	}
}

// badNodes are nodes no tree may hold.
var badNodes = []struct {
	name string
	node Node
}{
	{"empty name", Node{Name: "", Type: NodeFile}},
	{"dot", Node{Name: ".", Type: NodeDir}},
	{"dotdot", Node{Name: "..", Type: NodeDir}},
	{"slash", Node{Name: "a/b", Type: NodeFile}},
	{"leading slash", Node{Name: "/etc", Type: NodeFile}},
	{"NUL", Node{Name: "a\x00b", Type: NodeFile}},
	{"long name", Node{Name: strings.Repeat("n", MaxNameLen+1), Type: NodeFile}},
	{"long target", Node{Name: "l", Type: NodeSymlink, Target: strings.Repeat("t", MaxTargetLen+1)}},
	{"type 0", Node{Name: "a", Type: 0}},
	{"type 4", Node{Name: "a", Type: NodeSymlink + 1}},
	{"ref too deep", Node{Name: "a", Type: NodeDir, Content: Ref{Level: MaxRefLevel + 1, IDs: []ID{tid(1)}}}},
	{"xattr without namespace", Node{Name: "a", Type: NodeFile, XAttrs: []XAttr{{"plain", nil}}}},
	{"xattr empty name", Node{Name: "a", Type: NodeFile, XAttrs: []XAttr{{"user.", nil}}}},
	{"xattr NUL", Node{Name: "a", Type: NodeFile, XAttrs: []XAttr{{"user.a\x00b", nil}}}},
	{"xattrs unsorted", Node{Name: "a", Type: NodeFile, XAttrs: []XAttr{{"user.b", nil}, {"user.a", nil}}}},
	{"xattrs twice", Node{Name: "a", Type: NodeFile, XAttrs: []XAttr{{"user.a", nil}, {"user.a", nil}}}},
	{"xattr too big", Node{Name: "a", Type: NodeFile, XAttrs: []XAttr{{"user.a", make([]byte, MaxXAttrValue+1)}}}},
	{"nanoseconds 1e9", Node{Name: "a", Type: NodeFile, MTime: Time{Nsec: 1e9}}},
}

func TestDecodeNodeRejects(t *testing.T) {
	for _, tc := range badNodes {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeNode(EncodeNode(&tc.node))
			wantCorrupt(t, "DecodeNode", err)
			// In a tree, between valid neighbours.
			_, err = DecodeTree(EncodeTree([]Node{tc.node}))
			wantCorrupt(t, "DecodeTree", err)
		})
	}
}

func TestDecodeTreeRejects(t *testing.T) {
	s := sampleNodes()
	node := enc(func(e *encoder) { e.node(&s[0]) })
	for _, tc := range []struct {
		name string
		b    []byte
	}{
		{"empty input", nil},
		{"version 0", append([]byte{0}, EncodeTree(s)[1:]...)},
		{"next version", append([]byte{treeVersion + 1}, EncodeTree(s)[1:]...)},
		{"version 0", append([]byte{0}, EncodeTree(s)[1:]...)},
		{"unsorted", EncodeTree([]Node{s[1], s[0]})},
		{"unsorted at end", EncodeTree([]Node{s[0], s[1], s[3], s[2]})},
		{"duplicate", EncodeTree([]Node{s[0], s[0]})},
		{"duplicate name, other type", EncodeTree([]Node{s[1], {Name: "dir", Type: NodeFile}})},
		{"count exceeds data", enc(func(e *encoder) { e.byte(treeVersion); e.uvarint(1000); e.b = append(e.b, node...) })},
		{"count one too many", enc(func(e *encoder) { e.byte(treeVersion); e.uvarint(2); e.b = append(e.b, node...) })},
		{"huge count", enc(func(e *encoder) { e.byte(treeVersion); e.uvarint(1 << 62) })},
		{"count too small", enc(func(e *encoder) { e.byte(treeVersion); e.uvarint(0); e.b = append(e.b, node...) })},
		{"trailing byte", append(EncodeTree(s), 0)},
		{"bad uvarint", []byte{treeVersion, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			nodes, err := DecodeTree(tc.b)
			wantCorrupt(t, "DecodeTree", err)
			if nodes != nil {
				t.Errorf("DecodeTree returned %d nodes with its error", len(nodes))
			}
		})
	}
}

func TestValidName(t *testing.T) {
	for _, tc := range []struct {
		name string
		want bool
	}{
		{"a", true},
		{"...", true},
		{".hidden", true},
		{"a b\tc", true},
		{strings.Repeat("x", MaxNameLen), true},
		{"", false},
		{".", false},
		{"..", false},
		{"a/b", false},
		{"/", false},
		{"a\x00", false},
		{strings.Repeat("x", MaxNameLen+1), false},
	} {
		if got := ValidName(tc.name); got != tc.want {
			t.Errorf("ValidName(%.20q) = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestTreeNameOrder: trees order names bytewise (not case-folded, not by
// Unicode collation); DecodeTree accepts that order and rejects the other.
func TestTreeNameOrder(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"a", "b", -1},
		{"b", "a", 1},
		{"a", "a", 0},
		{"Z", "a", -1},   // bytewise, not case-folded
		{"z", "ü", -1},   // bytewise UTF-8
		{"a", "a.b", -1}, // prefix first
	} {
		if tc.want == 0 {
			continue
		}
		first, second := tc.a, tc.b
		if tc.want > 0 {
			first, second = tc.b, tc.a
		}
		in := EncodeTree([]Node{{Name: first, Type: NodeFile}, {Name: second, Type: NodeFile}})
		if _, err := DecodeTree(in); err != nil {
			t.Errorf("%q before %q rejected: %v", first, second, err)
		}
		out := EncodeTree([]Node{{Name: second, Type: NodeFile}, {Name: first, Type: NodeFile}})
		if _, err := DecodeTree(out); err == nil {
			t.Errorf("%q before %q accepted", second, first)
		}
	}
}

// legacyTree encodes nodes as a version 1 or 2 tree: times in Unix
// nanoseconds, no flags, links or extended attributes, and (version 1) no
// patch ref.
func legacyTree(version byte, nodes []Node) []byte {
	e := encoder{}
	e.byte(version)
	e.uvarint(uint64(len(nodes)))
	for _, n := range nodes {
		ns, _ := n.MTime.nano()
		e.string(n.Name)
		e.byte(byte(n.Type))
		e.uvarint(uint64(n.Mode))
		e.varint(ns)
		e.uvarint(n.Size)
		e.byte(n.Kind)
		for _, v := range [...]uint32{n.Counts.Contacts, n.Counts.Events, n.Counts.Todos, n.Counts.Journals, n.Counts.FreeBusy} {
			e.uvarint(uint64(v))
		}
		e.ref(n.Content)
		e.string(n.Target)
		if version >= 2 {
			e.ref(n.Patch)
		}
	}
	return e.b
}

// TestDecodeTreeOld: trees written before Node.Patch (version 1) and
// before 64-bit second times, links and extended attributes (version 2)
// still decode, to the same nodes.
func TestDecodeTreeOld(t *testing.T) {
	var nodes []Node
	for _, n := range sampleNodes() {
		if _, ok := n.MTime.nano(); ok {
			n.Sparse, n.Link, n.XAttrs, n.Seal = false, 0, nil, nil
			nodes = append(nodes, n)
		}
	}
	for _, v := range []byte{1, 2} {
		got, err := DecodeTree(legacyTree(v, nodes))
		if err != nil {
			t.Fatalf("decode version %d tree: %v", v, err)
		}
		if !reflect.DeepEqual(got, nodes) {
			t.Errorf("version %d tree decoded as %+v, want %+v", v, got, nodes)
		}
	}
}

// TestTimeRange: times before 1678 and after 2262 (outside Unix
// nanoseconds in an int64) round-trip through trees and snapshots, to the
// nanosecond (a file dated 2300 was stored as 1715).
func TestTimeRange(t *testing.T) {
	for _, tm := range []Time{
		{Sec: 10445241600, Nsec: 123456789}, // 2301-01-01
		{Sec: -11676096000, Nsec: 1},        // 1600-01-01
		{Sec: -1, Nsec: 999999999},
		{Sec: 1700000000, Nsec: 5},
	} {
		n := Node{Name: "f", Type: NodeFile, MTime: tm}
		got, err := DecodeTree(EncodeTree([]Node{n}))
		if err != nil || got[0].MTime != tm {
			t.Errorf("tree: %+v decoded as %+v, %v", tm, got, err)
		}
		b, err := EncodeSnapshot(&Snapshot{Root: Node{Name: ".", Type: NodeDir, MTime: tm}})
		if err != nil {
			t.Fatal(err)
		}
		s, err := DecodeSnapshot(b)
		if err != nil || s.Root.MTime != tm {
			t.Errorf("snapshot: %+v decoded as %+v, %v", tm, s.Root.MTime, err)
		}
		if want := time.Unix(tm.Sec, int64(tm.Nsec)); !tm.Time().Equal(want) || TimeOf(want) != tm {
			t.Errorf("time.Time of %+v: %v", tm, tm.Time())
		}
	}
	// A version 2 tree's nanoseconds before 1970 round down to seconds.
	if got := NanoTime(-1); got != (Time{Sec: -1, Nsec: 999999999}) {
		t.Errorf("NanoTime(-1) = %+v", got)
	}
}

func TestPatchWriter(t *testing.T) {
	for _, tc := range []struct {
		name   string
		stable []string
		ins    []Insert
		want   string
	}{
		{"none", []string{"abc"}, nil, "abc"},
		{"start middle end", []string{"ab", "cd"}, []Insert{{0, []byte("<")}, {2, []byte("|")}, {2, []byte(">")}}, "<ab|cd>"},
		{"two at one place", []string{"abcd"}, []Insert{{1, []byte("x")}, {0, []byte("y")}}, "axybcd"},
		{"across writes", []string{"a", "b", "c", "d"}, []Insert{{3, []byte("!")}}, "abc!d"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			w := &PatchWriter{W: &out, Ins: tc.ins}
			for _, s := range tc.stable {
				w.Write([]byte(s))
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if out.String() != tc.want {
				t.Errorf("got %q, want %q", out.String(), tc.want)
			}
		})
	}
	var out bytes.Buffer
	w := &PatchWriter{W: &out, Ins: []Insert{{10, []byte("x")}}}
	w.Write([]byte("short"))
	if err := w.Close(); !errors.Is(err, ErrCorrupt) {
		t.Errorf("patch beyond the end: %v, want ErrCorrupt", err)
	}
	ins := []Insert{{0, []byte("REV:1\r\n")}, {300, []byte("REV:2\r\n")}}
	got, err := DecodePatch(EncodePatch(ins))
	if err != nil || len(got) != 2 || got[1].Delta != 300 || string(got[1].Data) != "REV:2\r\n" {
		t.Errorf("patch round trip: %v %v", got, err)
	}
}
