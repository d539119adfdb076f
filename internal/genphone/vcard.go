package main

import (
	"encoding/base64"
	"fmt"
	"image/color"
	"strings"
)

// card21 is one contact as the Android contacts app exports it (vCard 2.1).
type card21 struct {
	family, given, middle, prefix, suffix string
	fn                                    string // display name
	nickname                              string
	tels                                  [][2]string // {type params, number}
	emails                                [][2]string
	adrs                                  []adr21
	org, title, url                       string
	note                                  string
	photo                                 []byte
	bday                                  string
}

type adr21 struct {
	typ                                     string
	street, city, region, postcode, country string
}

// androidContacts returns Contacts/contacts.vcf: 12 contacts in the exact
// shape of Android's VCardComposer output (vCard 2.1, bare TYPE params,
// byte-wise QUOTED-PRINTABLE for non-ASCII or multi-line values, base64
// PHOTO followed by an empty line, CRLF line endings).
func androidContacts() ([]byte, error) {
	zebPhoto, err := avatar(40, color.RGBA{0x4f, 0x86, 0xc6, 255}, color.RGBA{0xf2, 0xd4, 0xb8, 255}, 1)
	if err != nil {
		return nil, err
	}
	cards := []card21{{
		family: "Quokkaworth", given: "Zebedee", fn: "Zebedee Quokkaworth",
		tels:   [][2]string{{"CELL", "+44 7700 900461"}, {"HOME;VOICE", "+44 117 496 0731"}},
		emails: [][2]string{{"HOME", "zebedee.quokkaworth@example.com"}},
		adrs:   []adr21{{"HOME", "7 Wombat Lane", "Bristol", "", "BS1 4DJ", "United Kingdom"}},
		photo:  zebPhoto,
		bday:   "1987-11-03",
	}, {
		family: "Hartley-Brennan", given: "Zoë", fn: "Zoë Hartley-Brennan",
		tels:   [][2]string{{"CELL", "+44 7700 900218"}},
		emails: [][2]string{{"HOME", "zoe.hb@example.org"}},
	}, {
		family: "Müller-Lüdenscheidt", given: "Jürgen", fn: "Jürgen Müller-Lüdenscheidt",
		tels:   [][2]string{{"CELL", "+49 170 2312 5417"}, {"HOME;VOICE", "+49 30 23125 417"}},
		emails: [][2]string{{"HOME", "juergen.mueller@example.de"}},
		adrs:   []adr21{{"HOME", "Schönhauser Allee 112", "Berlin", "", "10439", "Deutschland"}},
		bday:   "1974-02-28",
	}, {
		family: "李", given: "雷", fn: "李雷",
		tels:   [][2]string{{"CELL", "+86 138 0013 8000"}},
		emails: [][2]string{{"WORK", "li.lei@example.net"}},
	}, {
		family: "Okonkwo", given: "Amara", fn: "Amara Okonkwo",
		tels:   [][2]string{{"CELL", "+1 206-555-0147"}},
		emails: [][2]string{{"HOME", "amara.okonkwo@example.com"}},
	}, {
		family: "Raghunathan", given: "Priya", fn: "Priya Raghunathan",
		tels:   [][2]string{{"CELL", "+1 415-555-0199"}, {"WORK", "+1 415-555-0100"}},
		emails: [][2]string{{"WORK", "priya@northwind.example"}, {"HOME", "priya.r@example.com"}},
		org:    "Northwind Analytics", title: "Staff Data Engineer",
	}, {
		family: "Wiśniewski", given: "Tomasz", fn: "Tomasz Wiśniewski",
		tels: [][2]string{{"CELL", "+48 600 555 013"}},
	}, {
		family: "O'Sullivan", given: "Margaret", fn: "Margaret O'Sullivan", nickname: "Peggy",
		tels: [][2]string{{"HOME;VOICE", "+353 1 555 0163"}},
		bday: "1962-08-30",
	}, {
		family: "Achterberg", given: "Samuel", prefix: "Dr.", fn: "Dr. Samuel Achterberg",
		tels: [][2]string{{"WORK", "+49 30 23125 600"}, {"WORK;FAX", "+49 30 23125 601"}},
		org:  "Hausarztpraxis Achterberg", title: "General Practitioner",
		url:  "https://praxis-achterberg.example.de/",
		adrs: []adr21{{"WORK", "Torstraße 48", "Berlin", "", "10119", "Deutschland"}},
	}, {
		family: "Dubois-Marchetti", given: "Hélène", fn: "Hélène Dubois-Marchetti",
		tels:   [][2]string{{"CELL", "+33 6 55 50 12 34"}},
		emails: [][2]string{{"HOME", "helene.dm@example.fr"}},
		note:   "Rencontrée à Lyon, congrès 2023.\nAllergique aux noix – ne pas oublier pour le dîner !",
	}, {
		family: "Mendoza", given: "Carlos", fn: "Carlos Mendoza",
		tels: [][2]string{{"CELL", "+1 512-555-0172"}},
		adrs: []adr21{{"WORK", "1200 Barton Springs Rd", "Austin", "TX", "78704", "USA"}},
		org:  "Mendoza Plumbing",
		note: "Gate code 4417#\nAsk for the blue van.",
	}, {
		given: "Pizzeria Napoli", fn: "Pizzeria Napoli",
		tels: [][2]string{{"WORK", "+49 30 23125 999"}},
	}}
	var b strings.Builder
	for _, c := range cards {
		c.write(&b)
	}
	return []byte(b.String()), nil
}

func (c card21) write(b *strings.Builder) {
	b.WriteString("BEGIN:VCARD\r\nVERSION:2.1\r\n")
	prop21(b, "N", c.family, c.given, c.middle, c.prefix, c.suffix)
	prop21(b, "FN", c.fn)
	if c.nickname != "" {
		// Android stores nicknames in a private MIME-type row.
		prop21(b, "X-ANDROID-CUSTOM", "vnd.android.cursor.item/nickname", c.nickname,
			"1", "", "", "", "", "", "", "", "", "", "", "", "", "")
	}
	for _, t := range c.tels {
		prop21(b, "TEL;"+t[0], t[1])
	}
	for _, e := range c.emails {
		prop21(b, "EMAIL;"+e[0], e[1])
	}
	for _, a := range c.adrs {
		prop21(b, "ADR;"+a.typ, "", "", a.street, a.city, a.region, a.postcode, a.country)
	}
	if c.org != "" {
		prop21(b, "ORG", c.org)
	}
	if c.title != "" {
		prop21(b, "TITLE", c.title)
	}
	if c.url != "" {
		prop21(b, "URL", c.url)
	}
	if c.photo != nil {
		// Android folds the base64 at 75 columns and, for 2.1, terminates
		// the value with an empty line.
		b.WriteString(fold("PHOTO;ENCODING=BASE64;JPEG:"+base64.StdEncoding.EncodeToString(c.photo), 75))
		b.WriteString("\r\n")
	}
	if c.note != "" {
		prop21(b, "NOTE", strings.ReplaceAll(c.note, "\n", "\r\n"))
	}
	if c.bday != "" {
		prop21(b, "BDAY", c.bday)
	}
	b.WriteString("END:VCARD\r\n")
}

// prop21 writes a vCard 2.1 property whose structured value is the given
// components. Like Android, values that are not plain printable ASCII are
// written as QUOTED-PRINTABLE (with CHARSET=UTF-8 when non-ASCII is present).
func prop21(b *strings.Builder, name string, comps ...string) {
	all := strings.Join(comps, "")
	if printableASCII(all) {
		for i := range comps {
			comps[i] = strings.ReplaceAll(comps[i], ";", `\;`)
		}
		fmt.Fprintf(b, "%s:%s\r\n", name, strings.Join(comps, ";"))
		return
	}
	b.WriteString(name)
	if !isASCII(all) {
		b.WriteString(";CHARSET=UTF-8")
	}
	b.WriteString(";ENCODING=QUOTED-PRINTABLE:")
	for i := range comps {
		comps[i] = androidQP(comps[i])
	}
	b.WriteString(strings.Join(comps, ";"))
	b.WriteString("\r\n")
}

// androidQP mirrors VCardBuilder.encodeQuotedPrintable: every byte becomes
// =XX and a soft line break "=\r\n" is inserted once a line holds 67 or more
// encoded characters, after the last byte too: a value of 23, 46, ... bytes
// ends in "=" and the property's CRLF then makes a blank line.
func androidQP(s string) string {
	var b strings.Builder
	n := 0
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, "=%02X", s[i])
		n += 3
		if n >= 67 {
			b.WriteString("=\r\n")
			n = 0
		}
	}
	return b.String()
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7E {
			return false
		}
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] > 0x7F {
			return false
		}
	}
	return true
}

// iosFamily returns Contacts/family.vcf: three contacts as exported by the
// iPhone Contacts app (vCard 3.0, raw UTF-8, item grouping with
// X-ABLabel, PHOTO;ENCODING=b, lines folded at 75 octets, CRLF).
func iosFamily() ([]byte, error) {
	mina, err := avatar(40, color.RGBA{0xb0, 0x7c, 0xc6, 255}, color.RGBA{0xee, 0xe0, 0xd0, 255}, 2)
	if err != nil {
		return nil, err
	}
	teddy, err := avatar(32, color.RGBA{0xf6, 0xbf, 0x26, 255}, color.RGBA{0x8d, 0x5a, 0x3b, 255}, 3)
	if err != nil {
		return nil, err
	}
	cards := [][]string{{
		"N:Thistlewaite;Wilhelmina;;;",
		"FN:Wilhelmina Thistlewaite",
		"NICKNAME:Oma Mina",
		"item1.EMAIL;type=INTERNET;type=pref:mina.thistlewaite@example.org",
		"item1.X-ABLabel:_$!<Other>!$_",
		"TEL;type=CELL;type=VOICE;type=pref:+44 7700 900123",
		"TEL;type=HOME;type=VOICE:+44 1632 960512",
		"item2.ADR;type=HOME;type=pref:;;12 Rowan Close;Harrogate;North Yorkshire;HG1 2AB;United Kingdom",
		"item2.X-ABADR:gb",
		"BDAY:1949-03-22",
		"item3.X-ABRELATEDNAMES;type=pref:Søren Lindqvist",
		"item3.X-ABLabel:_$!<Spouse>!$_",
		"PHOTO;ENCODING=b;TYPE=JPEG:" + base64.StdEncoding.EncodeToString(mina),
		"UID:5B1F0C2E-8D47-4C6A-9E3B-2A7F61D0C9E4",
	}, {
		"N:Lindqvist;Søren;;;",
		"FN:Søren Lindqvist",
		"item1.EMAIL;type=INTERNET;type=pref:soren.lindqvist@example.org",
		"item1.X-ABLabel:_$!<Home>!$_",
		"item2.TEL;type=pref:+44 7700 900124",
		"item2.X-ABLabel:Grandpa’s allotment shed",
		"item3.ADR;type=HOME;type=pref:;;12 Rowan Close;Harrogate;North Yorkshire;HG1 2AB;United Kingdom",
		"item3.X-ABADR:gb",
		"BDAY:1946-12-01",
		"NOTE:Hearing aid batteries: size 312.\\nPrefers a call after 10\\, never before.",
		"UID:A2C9E7F1-3B58-4D0E-8F6A-71C4B2D9E053",
	}, {
		"N:Thistlewaite;Theodora;;;",
		"FN:Theodora Thistlewaite",
		"NICKNAME:Teddy",
		"item1.EMAIL;type=INTERNET;type=pref:teddy.t@example.net",
		"item1.X-ABLabel:school",
		"TEL;type=CELL;type=VOICE;type=pref:+44 7700 900987",
		"BDAY:2012-09-09",
		"PHOTO;ENCODING=b;TYPE=JPEG:" + base64.StdEncoding.EncodeToString(teddy),
		"UID:E48D1A6B-0C7F-4A93-B25E-9F3D6C81A7B0",
	}}
	var b strings.Builder
	for _, props := range cards {
		b.WriteString("BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//iPhone OS 17.5.1//EN\r\n")
		for _, p := range props {
			b.WriteString(fold(p, 75))
		}
		b.WriteString("END:VCARD\r\n")
	}
	return []byte(b.String()), nil
}
