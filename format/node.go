package format

import (
	"encoding/binary"
	"fmt"
	"strings"
	"unicode/utf8"
)

// NodeType says what a tree entry is. Values are never reused.
type NodeType uint8

const (
	NodeFile    NodeType = 1
	NodeDir     NodeType = 2
	NodeSymlink NodeType = 3
)

// Counts are the records a file (or a whole snapshot) holds.
type Counts struct {
	Contacts, Events, Todos, Journals, FreeBusy uint32
}

// Add adds o to c.
func (c *Counts) Add(o Counts) {
	c.Contacts += o.Contacts
	c.Events += o.Events
	c.Todos += o.Todos
	c.Journals += o.Journals
	c.FreeBusy += o.FreeBusy
}

// Node is one entry of a directory.
type Node struct {
	Name  string
	Type  NodeType
	Mode  uint32 // permission bits (fs.FileMode.Perm)
	MTime Time   // modification time
	Size  uint64 // file size in bytes
	Kind  uint8  // what the file holds (pim.Kind), 0 for other
	// Counts of the records in a vCard or iCalendar file.
	Counts Counts
	// Content lists a file's data blobs, or a directory's tree blobs.
	Content Ref
	// Target is a symlink's target.
	Target string
	// Patch lists the patch blobs that put a vCard or iCalendar file's
	// volatile lines back into its content (see Insert); empty for most
	// files. Tree version 2 and later.
	Patch Ref
	// Sparse says the file had holes: restore leaves runs of zero blocks
	// unwritten (holes). Tree version 3 and later.
	Sparse bool
	// Link is not 0 for a file with more than one hard link: the files of
	// a snapshot with the same Link were one file (one inode). Tree
	// version 3 and later.
	Link uint64
	// XAttrs are the extended attributes of a file or folder, sorted by
	// name. Tree version 3 and later.
	XAttrs []XAttr
	// Seal is not nil for a sealed file (see SealedSize): its bytes are
	// its content encrypted with this AES-256 key. Tree version 3, flag
	// bit 1.
	Seal []byte
}

// ContentKey names a file's bytes as the repository stores them: two
// files with equal bytes have the same key (the same size, data blobs,
// patch blobs and seal key, since content-defined chunking cuts equal
// bytes alike), and files with other bytes have other keys.
func (n *Node) ContentKey() string {
	k := make([]byte, 0, 18+(len(n.Content.IDs)+len(n.Patch.IDs))*len(ID{})+len(n.Seal))
	k = binary.LittleEndian.AppendUint64(k, n.Size)
	k = binary.LittleEndian.AppendUint32(k, uint32(len(n.Content.IDs)))
	k = append(k, n.Content.Level, n.Patch.Level)
	for _, id := range n.Content.IDs {
		k = append(k, id[:]...)
	}
	k = binary.LittleEndian.AppendUint32(k, uint32(len(n.Patch.IDs)))
	for _, id := range n.Patch.IDs {
		k = append(k, id[:]...)
	}
	// A sealed file's bytes are its content encrypted with its key.
	return string(append(k, n.Seal...))
}

// ValidName reports whether name can be a tree entry: not empty, not "." or
// "..", no slash, no NUL, at most MaxNameLen bytes. Restore relies on this to stay inside its target.
func ValidName(name string) bool {
	return name != "" && name != "." && name != ".." && len(name) <= MaxNameLen &&
		!strings.ContainsAny(name, "/\x00")
}

func (e *encoder) node(n *Node) {
	e.string(n.Name)
	e.byte(byte(n.Type))
	e.uvarint(uint64(n.Mode))
	e.time(n.MTime)
	e.uvarint(n.Size)
	e.byte(n.Kind)
	for _, v := range [...]uint32{n.Counts.Contacts, n.Counts.Events, n.Counts.Todos, n.Counts.Journals, n.Counts.FreeBusy} {
		e.uvarint(uint64(v))
	}
	e.ref(n.Content)
	e.string(n.Target)
	e.ref(n.Patch)
	var flags byte
	if n.Sparse {
		flags |= flagSparse
	}
	if n.Seal != nil {
		flags |= flagSealed
	}
	e.byte(flags)
	e.uvarint(n.Link)
	e.xattrs(n.XAttrs)
	if n.Seal != nil {
		e.b = append(e.b, n.Seal...)
	}
}

func (d *decoder) node(version byte) Node {
	var n Node
	n.Name = d.string(MaxTargetLen) // a longer name than MaxNameLen fails below, by name
	n.Type = NodeType(d.byte())
	n.Mode = d.uvarint32()
	if version >= 3 {
		n.MTime = d.time()
	} else {
		n.MTime = NanoTime(d.varint())
	}
	n.Size = d.uvarint()
	n.Kind = d.byte()
	for _, p := range [...]*uint32{&n.Counts.Contacts, &n.Counts.Events, &n.Counts.Todos, &n.Counts.Journals, &n.Counts.FreeBusy} {
		*p = d.uvarint32()
	}
	n.Content = d.ref()
	n.Target = d.string(MaxTargetLen)
	if version >= 2 {
		n.Patch = d.ref()
	}
	if version >= 3 {
		flags := d.byte()
		if flags&^flagsKnown != 0 {
			d.fail("unknown node flags")
		}
		n.Sparse = flags&flagSparse != 0
		n.Link = d.uvarint()
		n.XAttrs = d.xattrs()
		if flags&flagSealed != 0 {
			n.Seal = d.fixed(SealKeyLen)
			if n.Type != NodeFile || n.Sparse || len(n.Patch.IDs) > 0 {
				d.fail("only a plain file can be sealed")
			}
		}
	}
	if d.err == nil {
		switch {
		case len(n.Name) > MaxNameLen:
			d.fail(fmt.Sprintf("node name longer than %d bytes", MaxNameLen))
		case !ValidName(n.Name):
			d.fail("invalid node name")
		}
		if n.Type < NodeFile || n.Type > NodeSymlink {
			d.fail("unknown node type")
		}
	}
	return n
}

// EncodeNode returns the encoding of one node (used by the local cache).
func EncodeNode(n *Node) []byte { return AppendNode(nil, n) }

// AppendNode appends EncodeNode(n) to b. A tree blob's entries are these
// encodings one after another (see AppendTree).
func AppendNode(b []byte, n *Node) []byte {
	e := encoder{b: b}
	e.node(n)
	return e.b
}

// DecodeNode is the inverse of EncodeNode.
func DecodeNode(b []byte) (Node, error) {
	d := decoder{b: b}
	n := d.node(treeVersion)
	return n, d.done()
}

// treeVersion prefixes every tree blob this code writes. Version 1 trees
// (without Node.Patch) and version 2 trees (times in Unix nanoseconds, no
// flags, links or extended attributes) are still read.
const treeVersion = 3

// EncodeTree encodes a run of directory entries, sorted by name, as one tree
// blob. A directory is one or more tree blobs in order (see Ref).
func EncodeTree(nodes []Node) []byte {
	e := encoder{b: make([]byte, 0, 64*len(nodes)+2)}
	e.byte(treeVersion)
	e.uvarint(uint64(len(nodes)))
	for i := range nodes {
		e.node(&nodes[i])
	}
	return e.b
}

// AppendTree appends to b the tree blob of count entries whose
// encodings (AppendNode, sorted by name) are nodes, one after another:
// the blob EncodeTree makes of the entries themselves. A walk that keeps
// finished entries encoded, which take a fraction of a Node's memory and
// hold no pointers, builds its trees with it.
func AppendTree(b []byte, count int, nodes []byte) []byte {
	e := encoder{b: b}
	e.byte(treeVersion)
	e.uvarint(uint64(count))
	e.b = append(e.b, nodes...)
	return e.b
}

// DecodeTree decodes a tree blob. It rejects invalid names and entries that
// are not in strictly increasing name order (so no name appears twice).
func DecodeTree(b []byte) ([]Node, error) {
	d := decoder{b: b}
	v := d.byte()
	if d.err == nil && (v < 1 || v > treeVersion) {
		return nil, corrupt("unknown tree version")
	}
	n := d.count(12)
	nodes := make([]Node, 0, n)
	for i := 0; i < n && d.err == nil; i++ {
		nd := d.node(v)
		if i > 0 && d.err == nil && nd.Name <= nodes[i-1].Name {
			d.fail("tree entries out of order")
		}
		nodes = append(nodes, nd)
	}
	if err := d.done(); err != nil {
		return nil, err
	}
	return nodes, nil
}

// ShortName is name for a message: a name longer than MaxNameLen (not
// a valid one) is cut to its first 64 bytes, at a character boundary,
// with its length, so that one hostile name cannot make an error line
// kilobytes long.
func ShortName(name string) string {
	if len(name) <= MaxNameLen {
		return name
	}
	cut := 64
	for cut > 0 && !utf8.RuneStart(name[cut]) {
		cut--
	}
	return fmt.Sprintf("%s... (%d bytes)", name[:cut], len(name))
}
