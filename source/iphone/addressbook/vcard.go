package addressbook

import (
	"github.com/lifeboat-backup/lifeboat/pim/vcardtext"
)

// card is one vCard being written (pim/vcardtext.Card, shared by the
// phones' renderers).
type card struct{ vcardtext.Card }

// The text forms of vCard values, shared with Android's contacts
// (pim/vcardtext).
var (
	escape   = vcardtext.Escape
	compound = vcardtext.Compound
	uriValue = vcardtext.URIValue
	param    = vcardtext.Param
)
