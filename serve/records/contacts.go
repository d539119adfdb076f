package records

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/pim"
)

// Contact is one vCard of a snapshot.
type Contact struct {
	// ID names the contact in URLs: a digest of its pim identity, the same
	// in every snapshot while the contact keeps its identity (always, for
	// a card with a UID). Two people who share a name have two IDs; a card
	// repeated in several files is listed once.
	ID     string
	Path   string // the file it is in
	Name   string // pim.Record.Name, on one line
	Org    string
	Phones []string
	Emails []string
	Fields []Field  // every property, in order
	Photo  []byte   // the inline PHOTO (at most MaxPhoto bytes), nil if none
	Raw    []byte   // the card's bytes as stored, for a .vcf download
	fold   string   // the name folded for sorting
	words  []string // what Search matches, folded
}

// Contacts returns every vCard of the snapshot whose tree is root, sorted
// by name (case and accents aside: "Émile" sorts with "emile"), then by ID.
// Files that are not vCard files (format.Node.Kind) are skipped. With more
// than MaxRecords cards it returns the first ones and an error wrapping
// ErrTooMany.
func Contacts(ctx context.Context, r Reader, root format.Ref) ([]Contact, error) {
	return contacts(ctx, newLoader(r, pim.KindVCard), root)
}

func contacts(ctx context.Context, l *loader, root format.Ref) ([]Contact, error) {
	var cl contactList
	err := l.snapshot(ctx, root, cl.add)
	return cl.sorted(), err
}

// ReadContacts returns the cards of one vCard file's bytes (named path),
// as Contacts does for a snapshot, without a repository: for a file that
// is not in one, and for fuzzing.
func ReadContacts(path string, data []byte) []Contact {
	var cl contactList
	ps := parseFile(pim.KindVCard, data)
	for i := range ps {
		cl.add(path, &ps[i])
	}
	return cl.sorted()
}

// contactList gathers the cards of a snapshot, each identity once.
type contactList struct {
	out  []Contact
	seen map[string]string // ID → digest of the first card
}

func (cl *contactList) add(rel string, p *piece) {
	if p.rec.Kind != pim.RecContact {
		return
	}
	if cl.seen == nil {
		cl.seen = map[string]string{}
	}
	id := recordID(p.rec.Identity())
	if d, ok := cl.seen[id]; ok {
		if d == p.rec.Digest() {
			return // the same card in another file
		}
		for n := 2; ; n++ { // the same UID on another card
			if _, ok := cl.seen[id+"-"+strconv.Itoa(n)]; !ok {
				id += "-" + strconv.Itoa(n)
				break
			}
		}
	}
	cl.seen[id] = p.rec.Digest()
	cl.out = append(cl.out, newContact(id, rel, p))
}

func (cl *contactList) sorted() []Contact {
	slices.SortFunc(cl.out, func(a, b Contact) int {
		if c := strings.Compare(a.fold, b.fold); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return cl.out
}

func newContact(id, rel string, p *piece) Contact {
	c := Contact{ID: id, Path: clean(rel), Name: oneLine(p.rec.Name), Fields: displayFields(p.props), Raw: p.raw}
	for _, f := range c.Fields {
		switch f.Name {
		case "TEL":
			c.Phones = append(c.Phones, f.Value)
		case "EMAIL":
			c.Emails = append(c.Emails, f.Value)
		case "ORG":
			if c.Org == "" {
				c.Org = oneLine(f.Value)
			}
		}
	}
	c.Photo = photo(p.raw)
	c.fold = fold(c.Name)
	c.words = []string{c.fold, fold(c.Org)}
	for _, e := range c.Emails {
		c.words = append(c.words, fold(e))
	}
	for _, f := range c.Fields {
		if f.Name == "NICKNAME" || f.Name == "FN" || f.Name == "N" {
			c.words = append(c.words, fold(f.Value))
		}
	}
	return c
}
