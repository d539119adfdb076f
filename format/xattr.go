package format

import (
	"strings"
)

// XAttr is one extended attribute of a file or folder.
type XAttr struct {
	Name  string // with its namespace: "user.xdg.origin.url"
	Value []byte
}

// Limits of extended attributes in a tree, Linux's own (XATTR_NAME_MAX,
// XATTR_SIZE_MAX) and a count no real file reaches.
const (
	MaxXAttrName  = 255
	MaxXAttrValue = 64 << 10
	MaxXAttrs     = 1024
)

// Node flags (tree version 3). Unknown bits are rejected.
const (
	flagSparse = 1 << 0
	flagSealed = 1 << 1 // a Seal key follows the extended attributes
	flagsKnown = flagSparse | flagSealed
)

func (e *encoder) xattrs(xs []XAttr) {
	e.uvarint(uint64(len(xs)))
	for _, x := range xs {
		e.string(x.Name)
		e.bytes(x.Value)
	}
}

// xattrs reads a list of extended attributes: names valid and strictly
// increasing, so that a list has one encoding.
func (d *decoder) xattrs() []XAttr {
	n := d.count(2)
	if n > MaxXAttrs {
		d.fail("too many extended attributes")
		return nil
	}
	if d.err != nil || n == 0 {
		return nil
	}
	xs := make([]XAttr, 0, n)
	for i := 0; i < n && d.err == nil; i++ {
		x := XAttr{Name: d.string(MaxXAttrName)}
		if v := d.bytes(MaxXAttrValue); len(v) > 0 {
			x.Value = v
		}
		if d.err == nil && (!validXAttrName(x.Name) || i > 0 && x.Name <= xs[i-1].Name) {
			d.fail("extended attribute names invalid or out of order")
		}
		xs = append(xs, x)
	}
	return xs
}

// validXAttrName reports whether name can be an attribute: a namespace
// prefix and a name, no NUL.
func validXAttrName(name string) bool {
	i := strings.IndexByte(name, '.')
	return i > 0 && i < len(name)-1 && len(name) <= MaxXAttrName && !strings.Contains(name, "\x00")
}
