package main

import (
	"bytes"
	"encoding/binary"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
)

const (
	seedVideo     = 0x71de0_f11e
	seedVideoEdit = 0x71de0_ed17
	videoFile     = "video/VID_00001.mp4"
	cardsDir      = "cards"
	cardsFile     = "contacts.vcf"
	editedCard    = numContacts / 2 // the one card contacts-edit changes
)

// smallParams shape the small-files set; the zero value of random and the
// old bounds keep "gendata small" as it was.
type smallParams struct {
	min, max int // bytes per file
	random   int // percent of files that are incompressible random bytes
}

var smallOpts = smallParams{min: smallMin, max: smallMax}

// parseSmall reads the flags of "gendata small".
func parseSmall(args []string) (string, int) {
	fs := flag.NewFlagSet("small", flag.ExitOnError)
	n := fs.Int("n", 100000, "number of files")
	fs.IntVar(&smallOpts.min, "min", smallMin, "smallest file in bytes")
	fs.IntVar(&smallOpts.max, "max", smallMax, "largest file in bytes")
	fs.IntVar(&smallOpts.random, "random", 0, "percent of the files that are random bytes (the rest text)")
	_ = fs.Parse(args)
	if fs.NArg() != 1 || *n <= 0 || smallOpts.min < 16 || smallOpts.max < smallOpts.min ||
		smallOpts.random < 0 || smallOpts.random > 100 {
		usage()
	}
	return fs.Arg(0), *n
}

// smallRandom reports whether small file i is random bytes: every file
// whose index falls in the first random percent of each 100.
func smallRandom(i int) bool { return i%100 < smallOpts.random }

// randomSmall fills buf with size random bytes for small file i.
func randomSmall(i, size int, buf []byte) []byte {
	var seed [32]byte
	binary.LittleEndian.PutUint64(seed[0:], seedSmall)
	binary.LittleEndian.PutUint64(seed[8:], uint64(i))
	b := buf[:0]
	if cap(b) < size {
		b = make([]byte, 0, size)
	}
	b = b[:size]
	_, _ = rand.NewChaCha8(seed).Read(b)
	return b
}

// video writes DIR/video/VID_00001.mp4: size bytes of random data.
func video(dir string, size int64) error {
	path := filepath.Join(dir, videoFile)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	if err := writePhoto(path, photo{index: seedVideo, size: size}, make([]byte, mib)); err != nil {
		return err
	}
	fmt.Printf("gendata: one video of %d MiB in %s\n", size/mib, path)
	return nil
}

// videoEdit overwrites 1 MiB in the middle of the video in place (same
// inode, same length, a new mtime).
func videoEdit(dir string) error {
	path := filepath.Join(dir, videoFile)
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return err
	}
	off := (info.Size()/2 - mib/2) &^ 4095
	b := make([]byte, mib)
	var seed [32]byte
	binary.LittleEndian.PutUint64(seed[0:], seedVideoEdit)
	binary.LittleEndian.PutUint64(seed[8:], uint64(info.ModTime().UnixNano()))
	_, _ = rand.NewChaCha8(seed).Read(b)
	if _, err := f.WriteAt(b, max(0, off)); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Printf("gendata: overwrote 1 MiB at offset %d of %s\n", off, path)
	return nil
}

// cards returns the numContacts cards of contacts(), one slice each.
func cards() [][]byte { return bytes.SplitAfter(contacts(), []byte("END:VCARD\r\n"))[:numContacts] }

func cardName(i int) string { return fmt.Sprintf("card_%04d.vcf", i) }

// contactsSet writes the 5,000 cards as DIR/contacts.vcf or, split, as
// DIR/cards/card_NNNN.vcf, one card a file.
func contactsSet(dir string, split bool) error {
	if !split {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, cardsFile), contacts(), 0o644)
	}
	sub := filepath.Join(dir, cardsDir)
	if err := os.MkdirAll(sub, 0o755); err != nil {
		return err
	}
	for i, c := range cards() {
		if err := os.WriteFile(filepath.Join(sub, cardName(i)), c, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// contactsEdit gives card editedCard a new cell number, in whichever
// layout DIR holds, rewriting only the file that holds it.
func contactsEdit(dir string) error {
	path := filepath.Join(dir, cardsFile)
	if _, err := os.Stat(path); err != nil {
		path = filepath.Join(dir, cardsDir, cardName(editedCard))
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	all := bytes.SplitAfter(data, []byte("END:VCARD\r\n"))
	i := 0
	if len(all) > editedCard+1 {
		i = editedCard
	}
	loc := telRE.FindIndex(all[i])
	if loc == nil {
		return fmt.Errorf("%s: no TEL line in the card to edit", path)
	}
	repl := []byte("TEL;TYPE=CELL:" + phone(rand.New(rand.NewPCG(seedContacts, uint64(len(all[i]))))))
	all[i] = append(append(append([]byte{}, all[i][:loc[0]]...), repl...), all[i][loc[1]:]...)
	if err := os.WriteFile(path, bytes.Join(all, nil), 0o644); err != nil {
		return err
	}
	fmt.Printf("gendata: edited contact %d in %s\n", editedCard, path)
	return nil
}
