// Package abvalue converts the values of an iPhone's address book that
// need more than copying: labels ("_$!<Mobile>!$_") to vCard TYPE words
// and dates (seconds since 2001) to days. It holds no SQLite, so that it
// can be fuzzed.
package abvalue

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Phone is ABMultiValue.property of a phone number; its labels map to
// other words than those of the other properties.
const Phone = 3

// phoneTypes maps the labels of phone numbers iOS writes (between _$!<
// and >!$_, or "iPhone" as is) to TYPE words, as iOS's export does.
var phoneTypes = map[string][]string{
	"Mobile": {"CELL"}, "iPhone": {"IPHONE", "CELL"}, "Home": {"HOME"}, "Work": {"WORK"},
	"Main": {"MAIN"}, "HomeFAX": {"HOME", "FAX"}, "WorkFAX": {"WORK", "FAX"},
	"OtherFAX": {"OTHER", "FAX"}, "Pager": {"PAGER"}, "Other": {"OTHER"},
	"AppleWatch": {"CELL"},
}

// commonTypes maps the labels of emails, addresses, URLs and IM.
var commonTypes = map[string][]string{
	"Home": {"HOME"}, "Work": {"WORK"}, "Other": {"OTHER"},
}

// appleLabel is the name inside iOS's "_$!<Name>!$_" form of a built-in
// label, and whether label had that form.
func appleLabel(label string) (string, bool) {
	if strings.HasPrefix(label, "_$!<") && strings.HasSuffix(label, ">!$_") && len(label) >= 8 {
		return label[4 : len(label)-4], true
	}
	return label, false
}

// Label gives the TYPE words of a label of property prop (3 phone,
// others use the common words), or, for a custom label or a built-in one
// vCard has no word for, the label to write as X-ABLabel: iOS's own
// "_$!<Name>!$_" form kept, as its export writes it, so that the phone
// reads it back as the built-in label.
func Label(prop int, label string) (types []string, xlabel string) {
	if label == "" {
		return nil, ""
	}
	name, builtin := appleLabel(label)
	table := commonTypes
	if prop == Phone {
		table = phoneTypes
	}
	if w, ok := table[name]; ok && (builtin || name == "iPhone") {
		return append([]string(nil), w...), ""
	}
	return nil, label
}

// noYear is the year iOS gives a date without one.
const noYear = 1604

// cocoaUnix is 2001-01-01 UTC, the zero of the address book's dates, in
// Unix seconds.
const cocoaUnix = 978307200

// maxSeconds bounds a date's seconds from 2001 (about ±3000 years), so
// that the conversion cannot overflow; the day must also fall in years 1
// to 9999.
const maxSeconds = 1e11

// Date converts a date as the address book stores it (seconds since
// 2001-01-01 UTC, as text or a number) to its calendar day in UTC:
// "YYYY-MM-DD", and whether its year is 1604, iOS's year for a date
// without one. Text that is no number, or a date outside years 1 to 9999,
// is an error.
func Date(s string) (day string, omitYear bool, err error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > maxSeconds {
		return "", false, fmt.Errorf("date %.40q is not seconds since 2001 in range", s)
	}
	t := time.Unix(cocoaUnix+int64(math.Floor(f)), 0).UTC()
	if t.Year() < 1 || t.Year() > 9999 {
		return "", false, fmt.Errorf("date %.40q is before year 1 or after 9999", s)
	}
	return t.Format("2006-01-02"), t.Year() == noYear, nil
}
