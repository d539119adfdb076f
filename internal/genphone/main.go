// Command genphone writes the synthetic phone export used by the README
// quickstart and by tests (testdata/phone).
//
// Usage:
//
//	go run ./internal/genphone testdata/phone
//
// The output is fully deterministic (fixed seeds, fixed timestamps, no
// time.Now), so regenerating must reproduce the committed files byte for
// byte; genphone_test.go enforces that. Only the standard library is used.
//
// All people, addresses, phone numbers and e-mail addresses are fictional
// (reserved drama/example ranges such as +44 7700 900xxx, 555-01xx and the
// example.* domains).
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// file is one generated file: a slash-separated path relative to the output
// directory and its contents.
type file struct {
	path string
	data []byte
}

// Canaries are unique plaintext strings placed in the generated files so
// that tests can grep a backup repository to prove nothing leaked in the
// clear. Each value is the file that contains it verbatim.
var canaries = map[string]string{
	"Zebedee Quokkaworth":              "Contacts/contacts.vcf",
	"Wilhelmina Thistlewaite":          "Contacts/family.vcf",
	"Ottoline Fennimore-Spratt":        "Calendar/personal.ics",
	"marmalade-periscope-quintet":      "Documents/notes.txt",
	"Grimsby-Velasquez Hardware":       "Documents/Scan 2025-06-01 (copy).pdf",
	"b7e4f19a2c5d4e6f8a1b3c5d7e9f0a21": "DCIM/Camera/IMG_20250614_101500.jpg",
}

func main() {
	if len(os.Args) != 2 || strings.HasPrefix(os.Args[1], "-") {
		fmt.Fprintln(os.Stderr, "usage: genphone OUTPUT_DIR   (e.g. go run ./internal/genphone testdata/phone)")
		os.Exit(2)
	}
	if err := generate(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "genphone:", err)
		os.Exit(1)
	}
}

// build returns every file of the phone export, in a fixed order.
func build() ([]file, error) {
	var files []file
	add := func(path string, data []byte) { files = append(files, file{path, data}) }

	contacts, err := androidContacts()
	if err != nil {
		return nil, err
	}
	add("Contacts/contacts.vcf", contacts)
	family, err := iosFamily()
	if err != nil {
		return nil, err
	}
	add("Contacts/family.vcf", family)
	add("Calendar/personal.ics", calendar())

	for _, p := range cameraPhotos() {
		data, err := p.encode()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.name, err)
		}
		add("DCIM/Camera/"+p.name, data)
	}
	add("DCIM/Camera/VID_20250614_102000.mp4", video(0x5EED_0614_1020))

	add("Documents/notes.txt", []byte(notesTxt))
	pdf, err := scanPDF()
	if err != nil {
		return nil, err
	}
	add("Documents/Scan 2025-06-01 (copy).pdf", pdf)
	return files, nil
}

// generate writes the phone export into dir, creating it if needed.
// Existing files with the same names are overwritten; nothing is deleted.
func generate(dir string) error {
	files, err := build()
	if err != nil {
		return err
	}
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, f.data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// fold returns line folded as in RFC 5545 §3.1 / RFC 6350 §3.2: each
// physical line is at most limit octets (excluding CRLF), continuation lines
// start with a single space, and UTF-8 sequences are never split. The result
// ends with CRLF.
func fold(line string, limit int) string {
	var b strings.Builder
	max := limit
	for len(line) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		b.WriteString(line[:cut])
		b.WriteString("\r\n ")
		line = line[cut:]
		max = limit - 1
	}
	b.WriteString(line)
	b.WriteString("\r\n")
	return b.String()
}

// rng is SplitMix64: tiny, fast and, unlike math/rand, guaranteed never to
// change its output between Go releases.
type rng struct{ s uint64 }

func (r *rng) next() uint64 {
	r.s += 0x9E3779B97F4A7C15
	z := r.s
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// intn returns a value in [0, n).
func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }
