package pim

// Identity tells the records of one snapshot apart: a record with a UID
// is its Key (a recurring event and its exceptions are one), a record
// without one is its Key and a digest of its Fields, so two people who
// share a name are two, and one card repeated in several files (Google
// Takeout writes a contact into the file of each of its labels) is one.
// Volatile fields are not in Fields, so a REV change keeps the identity.
// Across snapshots, records without a UID are followed by similarity (see
// package history): an edit changes the Identity.
func (r Record) Identity() string {
	if r.UID != "" {
		return r.Key
	}
	return r.Key + "#" + fieldsDigest(r.Fields)
}

// Digest is a digest of the record's Fields: two records with the same
// Key and Digest say the same, whatever their bytes (folding, order,
// volatile lines).
func (r Record) Digest() string { return fieldsDigest(r.Fields) }
