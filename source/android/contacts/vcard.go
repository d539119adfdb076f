package contacts

import (
	"github.com/lifeboat-backup/lifeboat/pim/vcardtext"
)

// card is one vCard being written (pim/vcardtext.Card, shared by the
// phones' renderers).
type card struct{ vcardtext.Card }

// The text forms of vCard values, shared with the iPhone's address book
// (pim/vcardtext).
var (
	escape   = vcardtext.Escape
	compound = vcardtext.Compound
	uri      = vcardtext.URI
	uriValue = vcardtext.URIValue
	param    = vcardtext.Param
)
