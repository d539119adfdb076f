package pim

// Counts are the records of a file.
type Counts struct{ Contacts, Events, Todos, Journals, FreeBusy int }

// Add adds o to c.
func (c *Counts) Add(o Counts) {
	c.Contacts += o.Contacts
	c.Events += o.Events
	c.Todos += o.Todos
	c.Journals += o.Journals
	c.FreeBusy += o.FreeBusy
}

// Records returns Contacts+Events+Todos+Journals+FreeBusy. Time zones and
// other components are not records.
func (c Counts) Records() int {
	return c.Contacts + c.Events + c.Todos + c.Journals + c.FreeBusy
}

// Count returns the counts of a file's pieces, from the piece kinds.
func Count(pieces []Piece) Counts {
	var c Counts
	for _, p := range pieces {
		switch p.Kind {
		case RecContact:
			c.Contacts++
		case RecEvent:
			c.Events++
		case RecTodo:
			c.Todos++
		case RecJournal:
			c.Journals++
		case RecFreeBusy:
			c.FreeBusy++
		}
	}
	return c
}
