package iosgen

import (
	"fmt"
	"time"
)

// Want is what a reader of a Standard backup must find in it.
type Want struct {
	Contacts []Contact
	Calendar CalendarData
	Media    []WantMedia
}

// Standard is a whole phone for tests, as Options.Files: the address book
// of GeneratedContacts(contacts), the calendars and reminders of
// DefaultCalendarData, CameraRoll(media, 1) and DefaultFiles' files
// outside the camera roll; Want says what they hold.
func Standard(contacts, media int) ([]File, Want, error) {
	w := Want{Contacts: GeneratedContacts(contacts), Calendar: DefaultCalendarData()}
	ab, err := AddressBookFiles(w.Contacts)
	if err != nil {
		return nil, Want{}, fmt.Errorf("address book: %w", err)
	}
	cal, err := CalendarFiles(w.Calendar)
	if err != nil {
		return nil, Want{}, fmt.Errorf("calendars: %w", err)
	}
	roll, wm := CameraRoll(media, 1)
	w.Media = wm
	var files []File
	for _, f := range DefaultFiles() {
		if f.Domain != CameraRollDomain {
			files = append(files, f)
		}
	}
	files = append(append(append(files, ab...), cal...), roll...)
	return files, w, nil
}

// EditedAt is when EditContact's edit was made.
var EditedAt = time.Date(2026, 12, 1, 9, 41, 0, 0, time.UTC)

// EditContact is contacts with contact i edited as the Contacts app
// edits one: its first phone number replaced by another (one is added
// when it has none), a line added to its note, and its Modified set to
// EditedAt. contacts itself is left as it was.
func EditContact(contacts []Contact, i int) []Contact {
	out := append([]Contact(nil), contacts...)
	c := out[i]
	c.Phones = append([]Labelled(nil), c.Phones...)
	number := fmt.Sprintf("+1 555 %03d %04d", (i+500)%1000, 9000+i%1000)
	if len(c.Phones) == 0 {
		c.Phones = []Labelled{{Label: "_$!<Mobile>!$_", Value: number}}
	} else {
		c.Phones[0].Value = number
	}
	if c.Note != "" {
		c.Note += "\n"
	}
	c.Note += "New number since December."
	c.Modified = EditedAt
	out[i] = c
	return out
}
