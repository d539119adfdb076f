package iosgen

import "fmt"

// ContactPhoto is the picture GeneratedContacts gives its first contact: a
// small JPEG's bytes (SOI, APP0, filler, EOI).
var ContactPhoto = contactPhoto(0)

// contactPhoto is the picture of contact i: a small JPEG whose filler
// differs from one contact to the next.
func contactPhoto(i int) []byte {
	fill := make([]byte, 600+i)
	for j := range fill {
		fill[j] = byte(i * j)
	}
	return append(append([]byte{0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0}, fill...), 0xff, 0xd9)
}

// GeneratedContacts is a set of n contacts for tests (n of at least 300
// is what the address book's tests use): several phones, emails and
// addresses, custom labels, non-Latin names, notes with line breaks,
// birthdays with and without a year, organizations, and a picture on the
// first and every 25th. The same n gives the same contacts.
func GeneratedContacts(n int) []Contact {
	firsts := []string{"Anna", "Björn", "Chloé", "Dmitri", "Eva", "Farid", "Greta", "Hiro", "Ines", "José"}
	lasts := []string{"Adams", "Berg", "Castillo", "Dubois", "Eriksen", "Fischer", "García", "Hansen", "Ivanova", "Jensen", "Kowalski"}
	nonLatin := [][2]string{{"Иван", "Петров"}, {"太郎", "山田"}, {"Σοφία", "Παπαδοπούλου"}, {"محمد", "العلي"}, {"민준", "김"}, {"שרה", "כהן"}}
	phoneLabels := []string{"_$!<Mobile>!$_", "iPhone", "_$!<Home>!$_", "_$!<Work>!$_", "_$!<Main>!$_", "_$!<HomeFAX>!$_", "_$!<WorkFAX>!$_", "_$!<Pager>!$_", "_$!<Other>!$_", "Boat phone", ""}
	emailLabels := []string{"_$!<Home>!$_", "_$!<Work>!$_", "_$!<Other>!$_", "iCloud", "Old school; list", ""}
	out := make([]Contact, 0, n)
	for i := 0; i < n; i++ {
		c := Contact{RowID: int64(i + 1), GUID: fmt.Sprintf("%08X-0000-4000-8000-%012X:ABPerson", i+1, i*7919)}
		switch {
		case i%17 == 5:
			c.Kind = 1
			c.Organization = fmt.Sprintf("Firma %d GmbH", i)
			c.Department = "Sales, Europe"
		case i%11 == 3:
			nl := nonLatin[i%len(nonLatin)]
			c.First, c.Last = nl[0], nl[1]
		default:
			c.First = firsts[i%len(firsts)]
			c.Last = lasts[i%len(lasts)]
			if i%13 == 0 {
				c.Last += fmt.Sprintf("-%d", i)
			}
		}
		if i%9 == 2 {
			c.Middle = "Q."
		}
		if i%23 == 4 {
			c.Prefix, c.Suffix = "Dr.", "Jr."
		}
		if i%7 == 1 {
			c.Nickname = "Nick " + fmt.Sprint(i)
		}
		if i%5 == 0 && c.Kind == 0 {
			c.Organization, c.JobTitle = "Acme; Inc.", "Engineer"
		}
		if i%11 == 3 && i%2 == 0 {
			c.FirstPhonetic, c.LastPhonetic = "Taro", "Yamada"
		}
		if i%4 == 1 {
			c.Note = fmt.Sprintf("Line one of %d\nline two, with; specials \\ and é\r\nthird", i)
		}
		switch i % 6 {
		case 0:
			c.Birthday = fmt.Sprintf("%04d-%02d-%02d", 1950+i%60, 1+i%12, 1+i%28)
		case 3:
			c.Birthday = fmt.Sprintf("--%02d-%02d", 1+i%12, 1+(i*3)%28)
		}
		for j := 0; j <= i%4; j++ {
			c.Phones = append(c.Phones, Labelled{Label: phoneLabels[(i+j*3)%len(phoneLabels)], Value: fmt.Sprintf("+1 555 %03d %04d", i%1000, j*1111)})
		}
		for j := 0; j < i%3; j++ {
			c.Emails = append(c.Emails, Labelled{Label: emailLabels[(i+j)%len(emailLabels)], Value: fmt.Sprintf("person%d.%d@example.com", i, j)})
		}
		if i%3 == 1 {
			c.Addresses = append(c.Addresses, Address{Label: "_$!<Home>!$_", Street: fmt.Sprintf("%d Main St\nApt %d", i, i%10), City: "Springfield", State: "IL", ZIP: fmt.Sprintf("%05d", 60000+i), Country: "United States", CountryCode: "us"})
		}
		if i%10 == 4 {
			c.Addresses = append(c.Addresses, Address{Label: "Summer house", Street: "Strandvägen 1", City: "Stockholm", ZIP: "114 56", Country: "Sweden", CountryCode: "se"})
		}
		if i%8 == 2 {
			c.URLs = append(c.URLs, Labelled{Label: "_$!<HomePage>!$_", Value: fmt.Sprintf("https://example.com/~p%d?a=1,b=2", i)})
		}
		if i%12 == 6 {
			c.Related = append(c.Related, Labelled{Label: "_$!<Mother>!$_", Value: "Maria " + c.Last})
			c.Dates = append(c.Dates, Labelled{Label: "_$!<Anniversary>!$_", Value: "2015-06-20"})
		}
		if i%15 == 7 {
			c.IM = append(c.IM, Labelled{Label: "_$!<Home>!$_", Value: "Jabber:user" + fmt.Sprint(i) + "@jabber.org"})
		}
		if i%25 == 0 {
			c.Photo = contactPhoto(i)
		}
		out = append(out, c)
	}
	return out
}
