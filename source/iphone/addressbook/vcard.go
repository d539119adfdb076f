package addressbook

import (
	"strconv"
	"strings"

	"github.com/lifeboat-backup/lifeboat/pim/vcardtext"
)

// card accumulates the content lines of one vCard 3.0, as
// source/android/contacts writes them: CRLF, folded at 75 octets.
type card struct {
	b     strings.Builder
	items int // vCard groups used so far (item1, item2, ...)
}

// line writes name (with its parameters, already formed) and value.
func (c *card) line(name, value string) {
	fold(&c.b, name+":"+value)
}

// labelled writes a property in a new group with an X-ABLabel line naming
// its label, as iOS's own export does for a label vCard has no TYPE for.
func (c *card) labelled(name, value, label string) {
	if label == "" {
		c.line(name, value)
		return
	}
	c.items++
	g := "item" + strconv.Itoa(c.items) + "."
	c.line(g+name, value)
	c.line(g+"X-ABLabel", escape(label))
}

// The text forms of vCard values, shared with Android's contacts
// (pim/vcardtext).
var (
	fold     = vcardtext.Fold
	escape   = vcardtext.Escape
	compound = vcardtext.Compound
	uriValue = vcardtext.URIValue
	param    = vcardtext.Param
)
