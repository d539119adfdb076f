// Package content reads the output of Android's `content query` shell
// command into rows and builds the command lines that ask for them.
package content

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
)

// Row is one row of a query: column name to value. A column whose value
// was NULL is absent from the map. `content` prints NULL and the string
// "NULL" alike, so a text value "NULL" is absent too; a blob column holds
// the string "BLOB" (its bytes are never printed). Integers and floats are
// their decimal text, as the device printed them: Content.java reads floats
// with getFloat, and older versions of it read integers with getInt, so on
// those phones a 64-bit value (a calendar's dtstart in milliseconds)
// arrives cut to 32 bits; Parse cannot tell.
type Row map[string]string

// ErrNoOutput means the command printed nothing on stdout: `content` then
// failed (unknown column, provider refused, permission) and said why on
// stderr, still exiting 0.
var ErrNoOutput = errors.New("content: no output (the query failed; see its stderr)")

// ErrMalformed is wrapped by every error about output that is not what
// `content query` prints for the projection given.
var ErrMalformed = errors.New("content: malformed query output")

// noResult is what `content query` prints when the cursor is empty or null.
const noResult = "No result found."

// Parse reads the stdout of `content query --projection ...` with the same
// projection, in order. Android's Content.java (QueryCommand) prints each
// row as one println of "Row: N col=val, col=val, ..." with N counting
// from 0, and escapes nothing, so a value may hold ", ", "=", newlines and
// any text. Parse therefore splits on ", <next column>=" in projection
// order, and ends a row's last value at "\nRow: <N+1> <first column>=" or
// at the final newline, taking the first occurrence each time: a value
// that itself holds ", <next column>=" is cut there, which is the one
// ambiguity the format leaves. A last value holding a line that starts
// like a row ("Row: 7 _id=") is refused as a row out of order. Output must be LF-terminated as `exec:` and
// shell protocol v2 deliver it (no pty CRLF).
//
// Empty output is ErrNoOutput; "No result found." is zero rows. Anything
// else that does not fit (a row number out of order, a column missing,
// output cut off before its final newline) is an error wrapping
// ErrMalformed that quotes no values. Parse never panics and is linear in
// the size of out for a fixed projection.
func Parse(out []byte, projection []string) ([]Row, error) {
	if err := checkProjection(projection); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, ErrNoOutput
	}
	if string(bytes.TrimRight(out, "\r\n")) == noResult {
		return []Row{}, nil
	}
	if out[len(out)-1] != '\n' {
		return nil, fmt.Errorf("%w: output ends without a newline (cut off)", ErrMalformed)
	}
	body := out[:len(out)-1] // the println of the last row
	var rows []Row
	pos := 0
	for n := 0; pos < len(body) || n == 0; n++ {
		head := rowHead(n, projection[0])
		if !bytes.HasPrefix(body[pos:], head) {
			return nil, fmt.Errorf("%w: row %d: expected its header here", ErrMalformed, n)
		}
		pos += len(head)
		row := Row{}
		for k := 1; k < len(projection); k++ {
			sep := []byte(", " + projection[k] + "=")
			i := bytes.Index(body[pos:], sep)
			if i < 0 {
				return nil, fmt.Errorf("%w: row %d: column %q missing", ErrMalformed, n, projection[k])
			}
			put(row, projection[k-1], body[pos:pos+i])
			pos += i + len(sep)
		}
		last := projection[len(projection)-1]
		next := append([]byte{'\n'}, rowHead(n+1, projection[0])...)
		i := bytes.Index(body[pos:], next)
		end := len(body)
		if i >= 0 {
			end = pos + i
		}
		if strayRow(body[pos:end], projection[0]) {
			return nil, fmt.Errorf("%w: after row %d: a row out of order", ErrMalformed, n)
		}
		put(row, last, body[pos:end])
		pos = end
		if i >= 0 {
			pos++
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// rowHead is how row n starts: "Row: n first=".
func rowHead(n int, first string) []byte {
	return []byte("Row: " + strconv.Itoa(n) + " " + first + "=")
}

// strayRow reports whether v holds a line that starts like a row of this
// projection ("Row: <digits> <first>="), which in a last value means a row
// number out of order (or a value that imitates a row, which is refused
// too rather than misread).
func strayRow(v []byte, first string) bool {
	tail := []byte(" " + first + "=")
	for {
		i := bytes.Index(v, []byte("\nRow: "))
		if i < 0 {
			return false
		}
		v = v[i+len("\nRow: "):]
		j := 0
		for j < len(v) && v[j] >= '0' && v[j] <= '9' {
			j++
		}
		if j > 0 && bytes.HasPrefix(v[j:], tail) {
			return true
		}
	}
}

// put stores a value, leaving NULL out.
func put(row Row, col string, v []byte) {
	if string(v) == "NULL" {
		return
	}
	row[col] = string(v)
}

// checkProjection accepts non-empty, distinct column names of letters,
// digits, '_' and '.', the names a provider's columns have.
func checkProjection(projection []string) error {
	if len(projection) == 0 {
		return errors.New("content: empty projection")
	}
	seen := map[string]bool{}
	for _, c := range projection {
		if !validColumn(c) {
			return fmt.Errorf("content: invalid column name %q", c)
		}
		if seen[c] {
			return fmt.Errorf("content: column %q twice in the projection", c)
		}
		seen[c] = true
	}
	return nil
}

func validColumn(c string) bool {
	if c == "" || len(c) > 128 {
		return false
	}
	for i := 0; i < len(c); i++ {
		b := c[i]
		if !(b == '_' || b == '.' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z') {
			return false
		}
	}
	return true
}
