package mbformat

import (
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
)

// maxDepth bounds the nesting of a property list: the plist decoder
// recurses once per level, and a hostile file of a few megabytes could
// nest deep enough to exhaust the stack. Real ones nest a handful deep.
const maxDepth = 128

// checkDepth rejects a property list nested deeper than maxDepth, or one
// that is neither a binary plist nor well-formed XML (the old text
// formats are never a backup's).
func checkDepth(data []byte) error {
	if bytes.HasPrefix(data, []byte("bplist")) {
		return binaryDepth(data)
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	depth := 0
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("plist: not a binary or XML property list: %w", err)
		}
		switch tok.(type) {
		case xml.StartElement:
			if depth++; depth > maxDepth {
				return fmt.Errorf("plist: nested more than %d deep", maxDepth)
			}
		case xml.EndElement:
			depth--
		}
	}
}

// binaryDepth walks a binary plist's object graph from its top object,
// without recursion, and rejects one that nests deeper than maxDepth or
// refers to itself. Malformed tables are left to the decoder, which
// checks them; only what the walk needs is checked here.
func binaryDepth(data []byte) error {
	if len(data) < 8+32 {
		return errors.New("plist: binary property list too short")
	}
	tr := data[len(data)-32:]
	offSize, refSize := int(tr[6]), int(tr[7])
	num, top, table := binary.BigEndian.Uint64(tr[8:]), binary.BigEndian.Uint64(tr[16:]), binary.BigEndian.Uint64(tr[24:])
	if offSize < 1 || offSize > 8 || refSize < 1 || refSize > 8 || num == 0 || num > uint64(len(data)) || top >= num ||
		table > uint64(len(data)) || num*uint64(offSize) > uint64(len(data))-table {
		return errors.New("plist: bad binary property list trailer")
	}
	uint := func(b []byte) uint64 {
		var v uint64
		for _, c := range b {
			v = v<<8 | uint64(c)
		}
		return v
	}
	// children gives the object references of object i, if it is a
	// container; a malformed one has none here (the decoder rejects it).
	children := func(i uint64) []uint64 {
		at := table + i*uint64(offSize)
		off := uint(data[at : at+uint64(offSize)])
		if off >= uint64(len(data)) {
			return nil
		}
		marker := data[off]
		kind, n := marker>>4, uint64(marker&0xf)
		if kind != 0xa && kind != 0xc && kind != 0xd {
			return nil
		}
		p := off + 1
		if n == 0xf {
			if p >= uint64(len(data)) || data[p]>>4 != 1 {
				return nil
			}
			w := uint64(1) << (data[p] & 0xf)
			if w > 8 || p+1+w > uint64(len(data)) {
				return nil
			}
			n = uint(data[p+1 : p+1+w])
			p += 1 + w
		}
		if kind == 0xd {
			n *= 2
		}
		if n > uint64(len(data)) || p+n*uint64(refSize) > uint64(len(data)) {
			return nil
		}
		refs := make([]uint64, n)
		for k := range refs {
			refs[k] = uint(data[p+uint64(k*refSize) : p+uint64((k+1)*refSize)])
		}
		return refs
	}
	// Depth-first from top, each object's height (the longest chain of
	// containers from it down) computed once, so a graph that shares
	// objects is walked in time linear in its references.
	type frame struct {
		obj    uint64
		refs   []uint64
		height int // the greatest height among the children seen
	}
	height := map[uint64]int{}
	onPath := map[uint64]bool{top: true}
	stack := []frame{{obj: top, refs: children(top)}}
	for len(stack) > 0 {
		f := &stack[len(stack)-1]
		if len(f.refs) == 0 {
			h := f.height + 1
			height[f.obj] = h
			delete(onPath, f.obj)
			stack = stack[:len(stack)-1]
			if len(stack) > 0 {
				stack[len(stack)-1].height = max(stack[len(stack)-1].height, h)
			}
			continue
		}
		c := f.refs[0]
		f.refs = f.refs[1:]
		if c >= num {
			continue
		}
		if h, ok := height[c]; ok {
			f.height = max(f.height, h)
			continue
		}
		if onPath[c] {
			return errors.New("plist: an object contains itself")
		}
		if len(stack) >= maxDepth {
			return fmt.Errorf("plist: nested more than %d deep", maxDepth)
		}
		onPath[c] = true
		stack = append(stack, frame{obj: c, refs: children(c)})
	}
	return nil
}
