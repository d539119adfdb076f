package abvalue

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestLabel(t *testing.T) {
	for _, c := range []struct {
		prop   int
		label  string
		types  []string
		xlabel string
	}{
		{3, "_$!<Mobile>!$_", []string{"CELL"}, ""},
		{3, "iPhone", []string{"IPHONE", "CELL"}, ""},
		{3, "_$!<HomeFAX>!$_", []string{"HOME", "FAX"}, ""},
		{3, "_$!<Home>!$_", []string{"HOME"}, ""},
		{4, "_$!<Work>!$_", []string{"WORK"}, ""},
		{4, "_$!<HomeFAX>!$_", nil, "_$!<HomeFAX>!$_"}, // a phone's label on an email
		{22, "_$!<HomePage>!$_", nil, "_$!<HomePage>!$_"},
		{3, "Home", nil, "Home"}, // a custom label spelled as a built-in one
		{3, "Boat", nil, "Boat"},
		{3, "", nil, ""},
		{3, "_$!<>!$_", nil, "_$!<>!$_"},
	} {
		types, xlabel := Label(c.prop, c.label)
		if !slices.Equal(types, c.types) || xlabel != c.xlabel {
			t.Errorf("Label(%d, %q) = %q, %q; want %q, %q", c.prop, c.label, types, xlabel, c.types, c.xlabel)
		}
	}
	types, _ := Label(3, "_$!<Mobile>!$_")
	types[0] = "CHANGED"
	if again, _ := Label(3, "_$!<Mobile>!$_"); again[0] != "CELL" {
		t.Error("Label gives its table's own slice")
	}
}

func TestDate(t *testing.T) {
	for _, c := range []struct {
		in   string
		day  string
		omit bool
		ok   bool
	}{
		{"0", "2001-01-01", false, true},
		{"-31622400.0", "2000-01-01", false, true},
		{" 43200.5 ", "2001-01-01", false, true},
		{"-86400.5", "2000-12-30", false, true},
		{"-12500000000", "1604-11-22", true, true},
		{"abc", "", false, false},
		{"", "", false, false},
		{"NaN", "", false, false},
		{"Inf", "", false, false},
		{"1e300", "", false, false},
		{"-1e11", "", false, false},
	} {
		day, omit, err := Date(c.in)
		if day != c.day || omit != c.omit || (err == nil) != c.ok {
			t.Errorf("Date(%q) = %q, %v, %v; want %q, %v, ok %v", c.in, day, omit, err, c.day, c.omit, c.ok)
		}
	}
}

// FuzzDate: any text gives a day in years 1 to 9999 of the form
// YYYY-MM-DD, or an error; never a panic.
func FuzzDate(f *testing.F) {
	for _, s := range []string{"0", "-12500000000.0", "1e11", "-1e11", "NaN", "0x10", "7e-400", "  5 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		day, omit, err := Date(s)
		if err != nil {
			if day != "" || omit {
				t.Fatalf("Date(%q) gave %q with an error", s, day)
			}
			return
		}
		d, perr := time.Parse("2006-01-02", day)
		if perr != nil || d.Year() < 1 || d.Year() > 9999 {
			t.Fatalf("Date(%q) = %q, not a day in years 1 to 9999", s, day)
		}
		if omit != (d.Year() == noYear) {
			t.Fatalf("Date(%q) = %q, omitYear %v", s, day, omit)
		}
	})
}

// FuzzLabel: a label gives TYPE words or itself as X-ABLabel, never both,
// and the words are vCard TYPE words of capitals only.
func FuzzLabel(f *testing.F) {
	for _, s := range []string{"_$!<Mobile>!$_", "iPhone", "_$!<Other>!$_", "x", "", "_$!<"} {
		f.Add(3, s)
		f.Add(4, s)
	}
	f.Fuzz(func(t *testing.T, prop int, label string) {
		types, xlabel := Label(prop, label)
		if len(types) > 0 && xlabel != "" || len(types) == 0 && xlabel != label {
			t.Fatalf("Label(%d, %q) = %q, %q", prop, label, types, xlabel)
		}
		for _, w := range types {
			if w == "" || strings.Trim(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
				t.Fatalf("Label(%d, %q) gives TYPE word %q", prop, label, w)
			}
		}
	})
}
