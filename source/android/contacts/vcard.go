package contacts

import (
	"strings"

	"github.com/lifeboat-backup/lifeboat/pim/vcardtext"
)

// card accumulates the content lines of one vCard 3.0.
type card struct {
	b     strings.Builder
	items int // vCard groups used so far (item1, item2, ...)
}

// line writes name (with its parameters, already formed) and value, both
// unescaped-safe, folded at 75 octets and ended by CRLF.
func (c *card) line(name, value string) {
	fold(&c.b, name+":"+value)
}

// labelled writes a property in a new group with an X-ABLabel line naming
// its label, the form Apple and Android exports use for custom labels.
func (c *card) labelled(name, value, label string) {
	if label == "" {
		c.line(name, value)
		return
	}
	c.items++
	g := "item" + itoa(c.items) + "."
	c.line(g+name, value)
	c.line(g+"X-ABLabel", escape(label))
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// The text forms of vCard values, shared with the iPhone's address book
// (pim/vcardtext).
var (
	fold     = vcardtext.Fold
	escape   = vcardtext.Escape
	compound = vcardtext.Compound
	uri      = vcardtext.URI
	uriValue = vcardtext.URIValue
	param    = vcardtext.Param
)
