// Command gendata writes the deterministic benchmark data set used by
// bench/run.sh: a phone-like tree of incompressible "photos", one large
// vCard file and a few iCalendar files.
//
//	gendata gen [-size MIB] DIR   create DIR/photos/... (replaces an existing DIR/photos)
//	gendata mutate DIR            add ~5% more photos and edit 100 contacts in place
//	gendata small [-n N] [-min B] [-max B] [-random PCT] DIR
//	                              create DIR with N small files, 100 per folder
//	gendata video [-size MIB] DIR create DIR/video/VID_00001.mp4 of random bytes
//	gendata video-edit DIR        overwrite 1 MiB in the middle of that video
//	gendata contacts [-split] DIR write 5,000 cards as DIR/contacts.vcf, or one a file
//	gendata contacts-edit DIR     edit one card in whichever layout DIR holds
//	gendata serve [-n N] DIR      create DIR/photos/... with N small camera JPEGs (EXIF
//	                              dates and thumbnails), the contacts and calendars
//
// The output depends only on the arguments (fixed seeds), never on the clock.
// It uses only the standard library.
package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

const (
	mib         = 1 << 20
	minPhoto    = 1 * mib
	maxPhoto    = 8 * mib
	numContacts = 5000
	// Every editStride-th contact gets a new phone number in mutate (100 cards).
	editStride     = numContacts / 100
	eventsPerCal   = 300
	seedPhotos     = 0x6c69666562_6f6174 // "lifeboat"
	seedContacts   = 0xc0_47ac75
	seedCalendars  = 0xca_1e4da5
	seedSmall      = 0x5a_a11f11e5
	mutatePercent  = 5
	cameraDir      = "photos/DCIM/Camera"
	contactsFile   = "photos/Contacts/contacts.vcf"
	calendarDir    = "photos/Calendar"
	photoNameWidth = 5
	smallPerDir    = 100
	smallMin       = 20
	smallMax       = 400
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "gen":
		fs := flag.NewFlagSet("gen", flag.ExitOnError)
		size := fs.Int("size", 1024, "total size of the photos in MiB")
		_ = fs.Parse(os.Args[2:])
		if fs.NArg() != 1 || *size <= 0 {
			usage()
		}
		err = gen(fs.Arg(0), int64(*size)*mib)
	case "mutate":
		if len(os.Args) != 3 {
			usage()
		}
		err = mutate(os.Args[2])
	case "small":
		err = small(parseSmall(os.Args[2:]))
	case "video":
		fs := flag.NewFlagSet("video", flag.ExitOnError)
		size := fs.Int("size", 4096, "size of the video in MiB")
		_ = fs.Parse(os.Args[2:])
		if fs.NArg() != 1 || *size <= 0 {
			usage()
		}
		err = video(fs.Arg(0), int64(*size)*mib)
	case "video-edit", "contacts-edit":
		if len(os.Args) != 3 {
			usage()
		}
		if os.Args[1] == "video-edit" {
			err = videoEdit(os.Args[2])
		} else {
			err = contactsEdit(os.Args[2])
		}
	case "contacts":
		fs := flag.NewFlagSet("contacts", flag.ExitOnError)
		split := fs.Bool("split", false, "one card a file under DIR/cards")
		_ = fs.Parse(os.Args[2:])
		if fs.NArg() != 1 {
			usage()
		}
		err = contactsSet(fs.Arg(0), *split)
	case "serve":
		fs := flag.NewFlagSet("serve", flag.ExitOnError)
		n := fs.Int("n", 20000, "number of camera photos")
		_ = fs.Parse(os.Args[2:])
		if fs.NArg() != 1 || *n <= 0 {
			usage()
		}
		err = serveData(fs.Arg(0), *n)
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gendata:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: gendata gen [-size MIB] DIR\n       gendata mutate DIR\n       gendata small [-n N] [-min B] [-max B] [-random PCT] DIR\n       gendata video [-size MIB] DIR\n       gendata video-edit DIR\n       gendata contacts [-split] DIR\n       gendata contacts-edit DIR\n       gendata serve [-n N] DIR")
	os.Exit(2)
}

// ---------------------------------------------------------------- photos

type photo struct {
	index int
	size  int64
}

func photoName(i int) string { return fmt.Sprintf("IMG_%0*d.jpg", photoNameWidth, i) }

// photoSize is the natural size of photo i: uniform in [1 MiB, 8 MiB].
func photoSize(i int) int64 {
	r := rand.New(rand.NewPCG(seedPhotos, uint64(i)))
	return minPhoto + r.Int64N(maxPhoto-minPhoto+1)
}

// writePhotos writes the photos in parallel; content depends only on the index.
func writePhotos(dir string, photos []photo) error {
	work := make(chan photo)
	errc := make(chan error, len(photos))
	var wg sync.WaitGroup
	for w := 0; w < max(1, runtime.GOMAXPROCS(0)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, mib)
			for p := range work {
				errc <- writePhoto(filepath.Join(dir, photoName(p.index)), p, buf)
			}
		}()
	}
	for _, p := range photos {
		work <- p
	}
	close(work)
	wg.Wait()
	close(errc)
	var errs []error
	for e := range errc {
		errs = append(errs, e)
	}
	return errors.Join(errs...)
}

func writePhoto(path string, p photo, buf []byte) error {
	var seed [32]byte
	binary.LittleEndian.PutUint64(seed[0:], seedPhotos)
	binary.LittleEndian.PutUint64(seed[8:], uint64(p.index))
	src := rand.NewChaCha8(seed)
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	for off := int64(0); off < p.size; {
		n := int64(len(buf))
		if p.size-off < n {
			n = p.size - off
		}
		b := buf[:n]
		_, _ = src.Read(b) // never fails
		if off == 0 {
			copy(b, []byte{0xFF, 0xD8, 0xFF, 0xE1}) // JPEG SOI + APP1 (Exif) marker
		}
		if _, err := f.Write(b); err != nil {
			f.Close()
			return err
		}
		off += n
	}
	return f.Close()
}

var photoRE = regexp.MustCompile(`^IMG_(\d+)\.jpg$`)

// existingPhotos returns the highest photo index and total photo bytes in dir.
func existingPhotos(dir string) (maxIndex int, total int64, err error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return 0, 0, err
	}
	for _, e := range ents {
		m := photoRE.FindStringSubmatch(e.Name())
		if m == nil || !e.Type().IsRegular() {
			continue
		}
		i, _ := strconv.Atoi(m[1])
		maxIndex = max(maxIndex, i)
		info, err := e.Info()
		if err != nil {
			return 0, 0, err
		}
		total += info.Size()
	}
	return maxIndex, total, nil
}

// ---------------------------------------------------------------- contacts

var (
	firstNames = []string{"Ada", "Alan", "Grace", "Linus", "Ken", "Dennis", "Barbara", "Edsger", "Donald", "Margaret",
		"Frances", "John", "Radia", "Tim", "Vint", "Bjarne", "Guido", "Rob", "Niklaus", "Hedy",
		"Katherine", "Sophie", "Lucas", "Emma", "Noah", "Mia", "Leon", "Hannah", "Elias", "Lea"}
	lastNames = []string{"Lovelace", "Turing", "Hopper", "Torvalds", "Thompson", "Ritchie", "Liskov", "Dijkstra", "Knuth", "Hamilton",
		"Allen", "McCarthy", "Perlman", "Berners-Lee", "Cerf", "Stroustrup", "van Rossum", "Pike", "Wirth", "Lamarr",
		"Johnson", "Wilson", "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker"}
	orgs = []string{"Analytical Engines Ltd", "Bletchley Park", "Harvard Mark I", "Bell Labs", "Xerox PARC",
		"Example Corp", "ACME GmbH", "Initech", "Globex", "Umbrella Inc"}
	cities = []string{"London", "Berlin", "Zürich", "Lisbon", "Oslo", "Vienna", "Prague", "Dublin", "Madrid", "Rome"}
)

func phone(r *rand.Rand) string {
	return fmt.Sprintf("+%d %03d %04d %04d", 1+r.IntN(49), 100+r.IntN(900), r.IntN(10000), r.IntN(10000))
}

func uuid(r *rand.Rand) string {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[0:], r.Uint64())
	binary.LittleEndian.PutUint64(b[8:], r.Uint64())
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// contacts returns numContacts vCard 3.0 cards (~250 bytes each, CRLF lines).
func contacts() []byte {
	r := rand.New(rand.NewPCG(seedContacts, 0))
	var b bytes.Buffer
	for i := 0; i < numContacts; i++ {
		fn := firstNames[r.IntN(len(firstNames))]
		ln := lastNames[r.IntN(len(lastNames))]
		email := strings.ToLower(strings.NewReplacer(" ", "", "ü", "ue").Replace(fn + "." + ln))
		fmt.Fprintf(&b, "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:%s\r\nFN:%s %s\r\nN:%s;%s;;;\r\n", uuid(r), fn, ln, ln, fn)
		fmt.Fprintf(&b, "TEL;TYPE=CELL:%s\r\n", phone(r))
		fmt.Fprintf(&b, "EMAIL;TYPE=INTERNET:%s%d@example.com\r\n", email, i)
		fmt.Fprintf(&b, "ORG:%s\r\nADR;TYPE=HOME:;;%d Main St;%s;;%05d;\r\n",
			orgs[r.IntN(len(orgs))], 1+r.IntN(999), cities[r.IntN(len(cities))], r.IntN(100000))
		b.WriteString("END:VCARD\r\n")
	}
	return b.Bytes()
}

var telRE = regexp.MustCompile(`(?m)^TEL;TYPE=CELL:[^\r\n]*`)

// editContacts gives every editStride-th card a new cell number. The new
// number is derived from the old one, so repeated mutations keep changing it.
func editContacts(data []byte) ([]byte, int, error) {
	cards := bytes.SplitAfter(data, []byte("END:VCARD\r\n"))
	edited := 0
	for i := 0; i < len(cards); i += editStride {
		loc := telRE.FindIndex(cards[i])
		if loc == nil {
			continue
		}
		old := cards[i][loc[0]:loc[1]]
		h := uint64(14695981039346656037)
		for _, c := range old {
			h = (h ^ uint64(c)) * 1099511628211
		}
		repl := []byte("TEL;TYPE=CELL:" + phone(rand.New(rand.NewPCG(h, uint64(i)))))
		card := append(append(append([]byte{}, cards[i][:loc[0]]...), repl...), cards[i][loc[1]:]...)
		cards[i] = card
		edited++
	}
	if edited != numContacts/editStride {
		return nil, 0, fmt.Errorf("edited %d contacts, want %d (unexpected contacts file)", edited, numContacts/editStride)
	}
	return bytes.Join(cards, nil), edited, nil
}

// ---------------------------------------------------------------- calendars

func calendar(name string, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seedCalendars, seed))
	base := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
	summaries := []string{"Team meeting", "Dentist", "Lunch with Ada", "Gym", "Flight to Berlin", "Code review",
		"Birthday party", "Parent-teacher conference", "Car service", "Concert", "Book club", "1:1"}
	var b bytes.Buffer
	fmt.Fprintf(&b, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//lifeboat//bench gendata//EN\r\nCALSCALE:GREGORIAN\r\nX-WR-CALNAME:%s\r\n", name)
	for i := 0; i < eventsPerCal; i++ {
		start := base.Add(time.Duration(r.IntN(3*365*24*4)) * 15 * time.Minute)
		end := start.Add(time.Duration(1+r.IntN(8)) * 15 * time.Minute)
		const f = "20060102T150405Z"
		fmt.Fprintf(&b, "BEGIN:VEVENT\r\nUID:%s@bench.lifeboat\r\nDTSTAMP:%s\r\nDTSTART:%s\r\nDTEND:%s\r\n",
			uuid(r), base.Format(f), start.Format(f), end.Format(f))
		fmt.Fprintf(&b, "SUMMARY:%s\r\nLOCATION:%s\r\nDESCRIPTION:Event %d of calendar %s\r\nEND:VEVENT\r\n",
			summaries[r.IntN(len(summaries))], cities[r.IntN(len(cities))], i, name)
	}
	b.WriteString("END:VCALENDAR\r\n")
	return b.Bytes()
}

// ---------------------------------------------------------------- modes

func gen(dir string, total int64) error {
	root := filepath.Join(dir, "photos")
	if err := os.RemoveAll(root); err != nil {
		return err
	}
	cam := filepath.Join(dir, cameraDir)
	for _, d := range []string{cam, filepath.Join(dir, filepath.Dir(contactsFile)), filepath.Join(dir, calendarDir)} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	var photos []photo
	var sum int64
	for i := 1; sum < total; i++ {
		s := min(photoSize(i), total-sum) // the last photo is cut to hit the total exactly
		photos = append(photos, photo{i, s})
		sum += s
	}
	if err := writePhotos(cam, photos); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, contactsFile), contacts(), 0o644); err != nil {
		return err
	}
	for i, name := range []string{"personal", "work", "family"} {
		if err := os.WriteFile(filepath.Join(dir, calendarDir, name+".ics"), calendar(name, uint64(i)), 0o644); err != nil {
			return err
		}
	}
	fmt.Printf("gendata: %d photos (%d MiB), %d contacts, 3 calendars x %d events in %s\n",
		len(photos), sum/mib, numContacts, eventsPerCal, root)
	return nil
}

func mutate(dir string) error {
	cam := filepath.Join(dir, cameraDir)
	last, total, err := existingPhotos(cam)
	if err != nil {
		return err
	}
	if total == 0 {
		return fmt.Errorf("no photos in %s; run gendata gen first", cam)
	}
	var photos []photo
	var added int64
	for i := last + 1; added*100 < total*mutatePercent; i++ {
		photos = append(photos, photo{i, photoSize(i)})
		added += photos[len(photos)-1].size
	}
	if err := writePhotos(cam, photos); err != nil {
		return err
	}
	path := filepath.Join(dir, contactsFile)
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	data, edited, err := editContacts(data)
	if err != nil {
		return err
	}
	// Rewrite in place (same inode), as an editor or sync client would.
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return err
	}
	fmt.Printf("gendata: added %d photos (%.1f MiB, +%.1f%%), edited %d contacts in %s\n",
		len(photos), float64(added)/mib, 100*float64(added)/float64(total), edited, dir)
	return nil
}

// ---------------------------------------------------------------- small files

var smallWords = strings.Fields(`the a of to and in is it for on with as at by from this that be are was
	note todo list meeting call buy milk bread eggs coffee tea check email reply send invoice
	project draft review fix bug release plan idea remember password reset Monday Tuesday
	Wednesday Thursday Friday weekend morning evening tomorrow today later soon maybe done
	lifeboat backup phone photo contact calendar event reminder shopping recipe garden car`)

// smallContent is file i of the small-files set: smallMin..smallMax bytes of
// word lines ending in a newline; it depends only on i.
func smallContent(i int, buf []byte) []byte {
	r := rand.New(rand.NewPCG(seedSmall, uint64(i)))
	size := smallOpts.min + r.IntN(smallOpts.max-smallOpts.min+1)
	if smallRandom(i) {
		return randomSmall(i, size, buf)
	}
	b := append(buf[:0], fmt.Sprintf("# item %d\n", i)...)
	line := 0
	for len(b) < size {
		w := smallWords[r.IntN(len(smallWords))]
		if line > 0 && line+1+len(w) > 60 {
			b = append(b, '\n')
			line = 0
		} else if line > 0 {
			b = append(b, ' ')
			line++
		}
		b = append(b, w...)
		line += len(w)
	}
	b = b[:size]
	b[size-1] = '\n'
	return b
}

func smallDir(d int) string  { return fmt.Sprintf("dir_%04d", d) }
func smallName(i int) string { return fmt.Sprintf("note_%06d.txt", i) }

// small writes n small files into DIR/dir_NNNN/note_NNNNNN.txt, smallPerDir
// per folder. DIR must not exist or be empty.
func small(dir string, n int) error {
	if ents, err := os.ReadDir(dir); err == nil && len(ents) > 0 {
		return fmt.Errorf("%s exists and is not empty", dir)
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	dirs := (n + smallPerDir - 1) / smallPerDir
	work := make(chan int)
	errc := make(chan error, dirs)
	var wg sync.WaitGroup
	var total int64
	var mu sync.Mutex
	for w := 0; w < max(1, 2*runtime.GOMAXPROCS(0)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 0, smallOpts.max+64)
			var sum int64
			for d := range work {
				errc <- func() error {
					sub := filepath.Join(dir, smallDir(d))
					if err := os.MkdirAll(sub, 0o755); err != nil {
						return err
					}
					for i := d * smallPerDir; i < min(n, (d+1)*smallPerDir); i++ {
						b := smallContent(i, buf)
						if err := os.WriteFile(filepath.Join(sub, smallName(i)), b, 0o644); err != nil {
							return err
						}
						sum += int64(len(b))
					}
					return nil
				}()
			}
			mu.Lock()
			total += sum
			mu.Unlock()
		}()
	}
	for d := 0; d < dirs; d++ {
		work <- d
	}
	close(work)
	wg.Wait()
	close(errc)
	var errs []error
	for e := range errc {
		if e != nil {
			errs = append(errs, e)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	fmt.Printf("gendata: %d small files (%.1f MiB, %d-%d bytes each, %d%% random) in %d folders in %s\n",
		n, float64(total)/mib, smallOpts.min, smallOpts.max, smallOpts.random, dirs, dir)
	return nil
}
