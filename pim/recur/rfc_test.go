package recur

import (
	"strings"
	"testing"
	"time"
)

// rfcCase is one example of RFC 5545 §3.8.5.3: DTSTART in New York, a
// rule, and the first instances the RFC lists (local wall clocks).
type rfcCase struct {
	name, start, rule string
	exdate            string
	want              []string // "19970902T090000", local
	elided            bool     // want skips instances (the RFC's "...")
	total             int      // when > 0: the set has exactly this many instances
}

var rfcCases = []rfcCase{
	{name: "daily for 10", start: "19970902T090000", rule: "FREQ=DAILY;COUNT=10",
		want: days("199709", 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), total: 10},
	{name: "daily until Dec 24 across the end of summer time", elided: true, start: "19970902T090000", rule: "FREQ=DAILY;UNTIL=19971224T000000Z",
		want: []string{"19970902T090000", "19970903T090000", "19971025T090000", "19971026T090000", "19971027T090000", "19971223T090000"}, total: 113},
	{name: "every 10 days, 5", start: "19970902T090000", rule: "FREQ=DAILY;INTERVAL=10;COUNT=5",
		want: []string{"19970902T090000", "19970912T090000", "19970922T090000", "19971002T090000", "19971012T090000"}, total: 5},
	{name: "every day in January for 3 years (yearly)", elided: true, start: "19980101T090000",
		rule: "FREQ=YEARLY;UNTIL=20000131T140000Z;BYMONTH=1;BYDAY=SU,MO,TU,WE,TH,FR,SA",
		want: []string{"19980101T090000", "19980131T090000", "19990101T090000"}, total: 93},
	{name: "every day in January for 3 years (daily)", elided: true, start: "19980101T090000", rule: "FREQ=DAILY;UNTIL=20000131T140000Z;BYMONTH=1",
		want: []string{"19980101T090000", "19980131T090000", "19990101T090000"}, total: 93},
	{name: "weekly for 10", start: "19970902T090000", rule: "FREQ=WEEKLY;COUNT=10",
		want: []string{"19970902T090000", "19970909T090000", "19970916T090000", "19970923T090000", "19970930T090000",
			"19971007T090000", "19971014T090000", "19971021T090000", "19971028T090000", "19971104T090000"}, total: 10},
	{name: "Tuesday and Thursday for five weeks", start: "19970902T090000", rule: "FREQ=WEEKLY;UNTIL=19971007T000000Z;WKST=SU;BYDAY=TU,TH",
		want: append(days("199709", 2, 4, 9, 11, 16, 18, 23, 25, 30), "19971002T090000"), total: 10},
	{name: "every other week MO,WE,FR until Dec 24", start: "19970901T090000",
		rule: "FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR",
		want: append(append(append(days("199709", 1, 3, 5, 15, 17, 19, 29), days("199710", 1, 3, 13, 15, 17, 27, 29, 31)...),
			days("199711", 10, 12, 14, 24, 26, 28)...), days("199712", 8, 10, 12, 22)...), total: 25},
	{name: "first Friday for 10", start: "19970905T090000", rule: "FREQ=MONTHLY;COUNT=10;BYDAY=1FR",
		want: []string{"19970905T090000", "19971003T090000", "19971107T090000", "19971205T090000", "19980102T090000",
			"19980206T090000", "19980306T090000", "19980403T090000", "19980501T090000", "19980605T090000"}, total: 10},
	{name: "every other month first and last Sunday", start: "19970907T090000", rule: "FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU",
		want: []string{"19970907T090000", "19970928T090000", "19971102T090000", "19971130T090000", "19980104T090000",
			"19980125T090000", "19980301T090000", "19980329T090000", "19980503T090000", "19980531T090000"}, total: 10},
	{name: "second-to-last Monday for 6 months", start: "19970922T090000", rule: "FREQ=MONTHLY;COUNT=6;BYDAY=-2MO",
		want: []string{"19970922T090000", "19971020T090000", "19971117T090000", "19971222T090000", "19980119T090000", "19980216T090000"}, total: 6},
	{name: "third-to-last day of the month", start: "19970928T090000", rule: "FREQ=MONTHLY;BYMONTHDAY=-3",
		want: []string{"19970928T090000", "19971029T090000", "19971128T090000", "19971229T090000", "19980129T090000", "19980226T090000"}},
	{name: "first and last day of the month", start: "19970930T090000", rule: "FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1",
		want: []string{"19970930T090000", "19971001T090000", "19971031T090000", "19971101T090000", "19971130T090000",
			"19971201T090000", "19971231T090000", "19980101T090000", "19980131T090000", "19980201T090000"}, total: 10},
	{name: "every 18 months on the 10th to 15th", start: "19970910T090000", rule: "FREQ=MONTHLY;INTERVAL=18;COUNT=10;BYMONTHDAY=10,11,12,13,14,15",
		want: append(days("199709", 10, 11, 12, 13, 14, 15), days("199903", 10, 11, 12, 13)...), total: 10},
	{name: "yearly in June and July", start: "19970610T090000", rule: "FREQ=YEARLY;COUNT=10;BYMONTH=6,7",
		want: []string{"19970610T090000", "19970710T090000", "19980610T090000", "19980710T090000", "19990610T090000",
			"19990710T090000", "20000610T090000", "20000710T090000", "20010610T090000", "20010710T090000"}, total: 10},
	{name: "every other year in January to March", start: "19970310T090000", rule: "FREQ=YEARLY;INTERVAL=2;COUNT=10;BYMONTH=1,2,3",
		want: []string{"19970310T090000", "19990110T090000", "19990210T090000", "19990310T090000", "20010110T090000",
			"20010210T090000", "20010310T090000", "20030110T090000", "20030210T090000", "20030310T090000"}, total: 10},
	{name: "every third year on days 1, 100, 200", start: "19970101T090000", rule: "FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200",
		want: []string{"19970101T090000", "19970410T090000", "19970719T090000", "20000101T090000", "20000409T090000",
			"20000718T090000", "20030101T090000", "20030410T090000", "20030719T090000", "20060101T090000"}, total: 10},
	{name: "every 20th Monday of the year", start: "19970519T090000", rule: "FREQ=YEARLY;BYDAY=20MO",
		want: []string{"19970519T090000", "19980518T090000", "19990517T090000"}},
	{name: "Monday of week 20", start: "19970512T090000", rule: "FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO",
		want: []string{"19970512T090000", "19980511T090000", "19990517T090000"}},
	{name: "every Thursday in March", start: "19970313T090000", rule: "FREQ=YEARLY;BYMONTH=3;BYDAY=TH",
		want: []string{"19970313T090000", "19970320T090000", "19970327T090000", "19980305T090000", "19980312T090000",
			"19980319T090000", "19980326T090000", "19990304T090000", "19990311T090000", "19990318T090000", "19990325T090000"}},
	{name: "every Friday the 13th, DTSTART excluded", start: "19970902T090000", rule: "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13",
		exdate: "19970902T090000", want: []string{"19980213T090000", "19980313T090000", "19981113T090000", "19990813T090000", "20001013T090000"}},
	{name: "first Saturday after the first Sunday", start: "19970913T090000", rule: "FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13",
		want: []string{"19970913T090000", "19971011T090000", "19971108T090000", "19971213T090000", "19980110T090000",
			"19980207T090000", "19980307T090000", "19980411T090000", "19980509T090000", "19980613T090000"}},
	{name: "US presidential election day", start: "19961105T090000", rule: "FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8",
		want: []string{"19961105T090000", "20001107T090000", "20041102T090000"}},
	{name: "third of TU/WE/TH for 3 months", start: "19970904T090000", rule: "FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3",
		want: []string{"19970904T090000", "19971007T090000", "19971106T090000"}, total: 3},
	{name: "second-to-last weekday of the month", start: "19970929T090000", rule: "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2",
		want: []string{"19970929T090000", "19971030T090000", "19971127T090000", "19971230T090000", "19980129T090000",
			"19980226T090000", "19980330T090000"}},
	{name: "every 15 minutes for 6", start: "19970902T090000", rule: "FREQ=MINUTELY;INTERVAL=15;COUNT=6",
		want: []string{"19970902T090000", "19970902T091500", "19970902T093000", "19970902T094500", "19970902T100000", "19970902T101500"}, total: 6},
	{name: "every hour and a half for 4", start: "19970902T090000", rule: "FREQ=MINUTELY;INTERVAL=90;COUNT=4",
		want: []string{"19970902T090000", "19970902T103000", "19970902T120000", "19970902T133000"}, total: 4},
	{name: "every 20 minutes 9:00 to 16:40", elided: true, start: "19970902T090000", rule: "FREQ=DAILY;BYHOUR=9,10,11,12,13,14,15,16;BYMINUTE=0,20,40",
		want: []string{"19970902T090000", "19970902T092000", "19970902T094000", "19970902T100000", "19970902T164000", "19970903T090000"}},
	{name: "WKST=MO", start: "19970805T090000", rule: "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO",
		want: days("199708", 5, 10, 19, 24), total: 4},
	{name: "WKST=SU", start: "19970805T090000", rule: "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU",
		want: days("199708", 5, 17, 19, 31), total: 4},
	{name: "invalid dates skipped", start: "20070115T090000", rule: "FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5",
		want: []string{"20070115T090000", "20070130T090000", "20070215T090000", "20070315T090000", "20070330T090000"}, total: 5},
}

// days writes 09:00 on the given days of a month "YYYYMM".
func days(month string, ds ...int) []string {
	var out []string
	for _, d := range ds {
		out = append(out, month+twoDigits(d)+"T090000")
	}
	return out
}

func twoDigits(d int) string { return string([]byte{byte('0' + d/10), byte('0' + d%10)}) }

// subsequence reports whether want appears in got in order (the RFC lists
// some instances and elides the rest with "...").
func subsequence(got, want []string) bool {
	i := 0
	for _, g := range got {
		if i < len(want) && g == want[i] {
			i++
		}
	}
	return i == len(want)
}

// TestRFC5545Examples expands the examples of RFC 5545 §3.8.5.3 in
// America/New_York and checks the instances the RFC lists, in order (the
// listed ones as the leading run, or in order where the RFC elides some),
// and the size of each finite set. The 09:00 wall clock
// staying 09:00 on both sides of 26 October 1997 is the DST check.
func TestRFC5545Examples(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	for _, c := range rfcCases {
		t.Run(c.name, func(t *testing.T) {
			st, err := ParseTime(c.start, "America/New_York", nil)
			if err != nil {
				t.Fatal(err)
			}
			r, err := ParseRule(c.rule)
			if err != nil {
				t.Fatal(err)
			}
			s := Set{Start: st.T, Rules: []Rule{r}}
			if c.exdate != "" {
				ex, err := ParseTime(c.exdate, "America/New_York", nil)
				if err != nil {
					t.Fatal(err)
				}
				s.ExDates = []Value{ex}
			}
			from := st.T.AddDate(0, 0, -1)
			to := time.Date(2008, 1, 1, 0, 0, 0, 0, ny)
			inst := s.Between(from, to, 2000)
			var got []string
			for _, in := range inst {
				got = append(got, in.Start.In(ny).Format("20060102T150405"))
			}
			if len(got) == 0 || got[0] != c.want[0] {
				t.Fatalf("first instance %v, want %s", head(got), c.want[0])
			}
			if c.total > 0 && len(got) != c.total {
				t.Errorf("%d instances, want %d: %v", len(got), c.total, head(got))
			}
			if !c.elided {
				if len(got) < len(c.want) || strings.Join(got[:len(c.want)], ",") != strings.Join(c.want, ",") {
					t.Errorf("got %v, want %v", head(got), c.want)
				}
			} else if !subsequence(got, c.want) {
				t.Errorf("got %v, want in order %v", head(got), c.want)
			}
		})
	}
}

func head(s []string) []string {
	if len(s) > 30 {
		return s[:30]
	}
	return s
}

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Skipf("no zone %s: %v", name, err)
	}
	return loc
}
