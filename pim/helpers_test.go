package pim

import (
	"bytes"
	"fmt"
	"testing"
)

// checkPieces fails t unless pieces are in order, contiguous, non-empty,
// of valid kinds, and cover data exactly.
func checkPieces(t testing.TB, data []byte, pieces []Piece) {
	t.Helper()
	if err := coverErr(data, pieces); err != nil {
		t.Fatalf("%v (len %d, %d pieces)", err, len(data), len(pieces))
	}
}

// coverErr says why pieces do not cover data, or returns nil.
func coverErr(data []byte, pieces []Piece) error {
	off := 0
	for i, p := range pieces {
		switch {
		case p.Off != off:
			return fmt.Errorf("piece %d starts at %d, want %d", i, p.Off, off)
		case p.Len <= 0:
			return fmt.Errorf("piece %d has length %d", i, p.Len)
		case p.Kind > RecOther:
			return fmt.Errorf("piece %d has invalid kind %d", i, p.Kind)
		}
		off += p.Len
	}
	if off != len(data) {
		return fmt.Errorf("pieces end at %d, data at %d", off, len(data))
	}
	var buf bytes.Buffer
	for _, p := range pieces {
		buf.Write(data[p.Off : p.Off+p.Len])
	}
	if !bytes.Equal(buf.Bytes(), data) {
		return fmt.Errorf("concatenated pieces differ from data")
	}
	return nil
}

// kinds returns the kinds of pieces, for compact comparisons.
func kinds(pieces []Piece) []RecordKind {
	ks := make([]RecordKind, len(pieces))
	for i, p := range pieces {
		ks[i] = p.Kind
	}
	return ks
}

// texts returns the bytes of each piece as strings.
func texts(data []byte, pieces []Piece) []string {
	ts := make([]string, len(pieces))
	for i, p := range pieces {
		ts[i] = string(data[p.Off : p.Off+p.Len])
	}
	return ts
}
