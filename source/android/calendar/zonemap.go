package calendar

import (
	"sort"
	"strings"
	"sync/atomic"
	"time"
)

// Time zones of a file being restored. The provider wants an IANA name in
// eventTimezone. A TZID is resolved, in turn: as an IANA name Go knows;
// by its last path segments ("/freeassociation.sourceforge.net/Europe/Berlin",
// "/mozilla.org/20050126_1/America/New_York", as Evolution and older
// Thunderbird write) or its VTIMEZONE's X-LIC-LOCATION; as a Windows zone
// name (Outlook, Exchange; a short table from CLDR's windowsZones.xml); by
// its VTIMEZONE's offsets, matched against a list of common zones in the
// year of the value; as a fixed offset without daylight time ("Etc/GMT-1").
// Otherwise the value is read with the offset its VTIMEZONE gives it (the
// standard offset when the observances repeat, so the instant is near) and
// the event is put in UTC, which Skipped says as "TZID".

// windowsZones maps common Windows zone names to IANA names (CLDR
// windowsZones.xml, territory 001).
var windowsZones = map[string]string{
	"W. Europe Standard Time": "Europe/Berlin", "Central Europe Standard Time": "Europe/Budapest",
	"Romance Standard Time": "Europe/Paris", "Central European Standard Time": "Europe/Warsaw",
	"GMT Standard Time": "Europe/London", "Greenwich Standard Time": "Atlantic/Reykjavik",
	"E. Europe Standard Time": "Europe/Chisinau", "FLE Standard Time": "Europe/Kiev",
	"GTB Standard Time": "Europe/Bucharest", "Russian Standard Time": "Europe/Moscow",
	"Eastern Standard Time": "America/New_York", "Central Standard Time": "America/Chicago",
	"Mountain Standard Time": "America/Denver", "Pacific Standard Time": "America/Los_Angeles",
	"US Mountain Standard Time": "America/Phoenix", "Alaskan Standard Time": "America/Anchorage",
	"Hawaiian Standard Time": "Pacific/Honolulu", "Atlantic Standard Time": "America/Halifax",
	"E. South America Standard Time": "America/Sao_Paulo", "India Standard Time": "Asia/Kolkata",
	"China Standard Time": "Asia/Shanghai", "Tokyo Standard Time": "Asia/Tokyo",
	"Korea Standard Time": "Asia/Seoul", "Singapore Standard Time": "Asia/Singapore",
	"AUS Eastern Standard Time": "Australia/Sydney", "New Zealand Standard Time": "Pacific/Auckland",
	"South Africa Standard Time": "Africa/Johannesburg", "Arabian Standard Time": "Asia/Dubai",
	"Israel Standard Time": "Asia/Jerusalem", "Turkey Standard Time": "Europe/Istanbul",
	"UTC": "UTC", "Coordinated Universal Time": "UTC",
}

// offsetCandidates are tried, in order, when only a VTIMEZONE's offsets are known.
var offsetCandidates = []string{
	"Europe/London", "Europe/Berlin", "Europe/Helsinki", "Europe/Moscow", "America/New_York",
	"America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles", "America/Anchorage",
	"Pacific/Honolulu", "America/Halifax", "America/Sao_Paulo", "America/Argentina/Buenos_Aires",
	"Asia/Dubai", "Asia/Kolkata", "Asia/Shanghai", "Asia/Tokyo", "Asia/Seoul", "Australia/Sydney",
	"Australia/Brisbane", "Australia/Adelaide", "Australia/Perth", "Pacific/Auckland", "Africa/Johannesburg",
	"Africa/Lagos", "Asia/Jerusalem", "Asia/Karachi", "Asia/Bangkok", "Asia/Jakarta",
}

// maxFileZones bounds the TZIDs one file resolves; values in further ones
// are read as UTC (and Skipped says "TZID").
const maxFileZones = 100

// zoneRes is a resolved TZID.
type zoneRes struct {
	name  string         // IANA name for eventTimezone, "UTC" when unresolved
	loc   *time.Location // the zone values are read in
	exact bool           // false: read with a fixed offset, event put in UTC
	// onsets of the VTIMEZONE when it is unresolved (exact false) and has
	// no repeating observance: the offset of a value is the one in force
	// then, as the VTIMEZONE says.
	onsets []onset
}

// resolver resolves the TZIDs of one file, each once.
type resolver struct {
	vtz  map[string]*icsComp
	seen map[string]zoneRes
}

func newResolver(root *icsComp) *resolver {
	r := &resolver{vtz: map[string]*icsComp{}, seen: map[string]zoneRes{}}
	var walk func(c *icsComp)
	walk = func(c *icsComp) {
		for _, ch := range c.children {
			if ch.name == "VTIMEZONE" {
				if p, ok := ch.first("TZID"); ok {
					r.vtz[strings.TrimSpace(p.value)] = ch
				}
				continue
			}
			walk(ch)
		}
	}
	walk(root)
	return r
}

// ianaZone loads an IANA name, refusing "Local" and "".
func ianaZone(name string) (*time.Location, bool) {
	name = strings.TrimSpace(name)
	if name == "" || name == "Local" || strings.ContainsAny(name, "\\\x00") || len(name) > 100 {
		return nil, false
	}
	if v, ok := locations.Load(name); ok { // shared with zoneOf
		loc := v.(*time.Location)
		return loc, loc != nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		loc = nil
	}
	if n := zoneCacheSize.Add(1); n <= maxCachedZones {
		locations.Store(name, loc)
	}
	return loc, loc != nil
}

// maxCachedZones bounds the names ianaZone caches (a hostile file can name
// many); zoneCacheSize counts them.
const maxCachedZones = 1000

var zoneCacheSize atomic.Int64

// resolve resolves tzid for a value in year.
func (r *resolver) resolve(tzid string, year int) zoneRes {
	tzid = strings.TrimSpace(tzid)
	if z, ok := r.seen[tzid]; ok {
		return z
	}
	if len(r.seen) >= maxFileZones {
		return zoneRes{name: "UTC", loc: time.UTC}
	}
	z := r.lookup(tzid, year)
	r.seen[tzid] = z
	return z
}

func (r *resolver) lookup(tzid string, year int) zoneRes {
	vtz := r.vtz[tzid]
	names := []string{tzid, windowsZones[tzid]}
	segs := strings.Split(strings.Trim(tzid, "/"), "/")
	for n := 3; n >= 1; n-- {
		if len(segs) > n {
			names = append(names, strings.Join(segs[len(segs)-n:], "/"))
		}
	}
	if vtz != nil {
		if p, ok := vtz.first("X-LIC-LOCATION"); ok {
			names = append(names, p.value)
		}
	}
	for _, n := range names {
		if loc, ok := ianaZone(n); ok {
			return zoneRes{name: loc.String(), loc: loc, exact: true}
		}
	}
	std, dst, ok := vtzOffsets(vtz)
	if !ok {
		return zoneRes{name: "UTC", loc: time.UTC}
	}
	for _, n := range offsetCandidates {
		loc, ok := ianaZone(n)
		if !ok {
			continue
		}
		_, jan := time.Date(year, 1, 15, 12, 0, 0, 0, loc).Zone()
		_, jul := time.Date(year, 7, 15, 12, 0, 0, 0, loc).Zone()
		if (jan == std && jul == dst) || (jul == std && jan == dst) {
			return zoneRes{name: n, loc: loc, exact: true}
		}
	}
	if std == dst && std%3600 == 0 && std/3600 >= -12 && std/3600 <= 14 {
		name := "Etc/GMT"
		if h := -std / 3600; h > 0 {
			name += "+" + itoa(h)
		} else if h < 0 {
			name += itoa(h)
		}
		if loc, ok := ianaZone(name); ok {
			return zoneRes{name: name, loc: loc, exact: true}
		}
	}
	return zoneRes{name: "UTC", loc: time.FixedZone(tzid, std), onsets: onsets(vtz)}
}

// onset is one observance of a VTIMEZONE without RRULE: from its local
// DTSTART on, offset is in force.
type onset struct {
	start  string // local, as written (YYYYMMDDThhmmss)
	offset int
}

// onsets lists a VTIMEZONE's observances in DTSTART order, or none when
// one repeats (RRULE, RDATE): then the standard offset stands for all.
func onsets(vtz *icsComp) []onset {
	var out []onset
	for _, ob := range vtz.children {
		_, r1 := ob.first("RRULE")
		_, r2 := ob.first("RDATE")
		if r1 || r2 {
			return nil
		}
		st, ok1 := ob.first("DTSTART")
		to, ok2 := ob.first("TZOFFSETTO")
		off, ok3 := parseOffset(to.value)
		if ok1 && ok2 && ok3 && validSetValue(strings.TrimSpace(st.value)) {
			out = append(out, onset{start: strings.TrimSpace(st.value), offset: off})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].start < out[j].start })
	return out
}

// at returns the zone a local value v is read in: the offset of the last
// onset at or before v, else the standard offset.
func (z zoneRes) at(v string) *time.Location {
	var loc *time.Location
	for _, o := range z.onsets {
		if o.start <= v {
			loc = time.FixedZone("", o.offset)
		}
	}
	if loc == nil {
		return z.loc
	}
	return loc
}

// vtzOffsets returns the TZOFFSETTO of a VTIMEZONE's last STANDARD and
// last DAYLIGHT observance (dst = std when there is none).
func vtzOffsets(vtz *icsComp) (std, dst int, ok bool) {
	if vtz == nil {
		return 0, 0, false
	}
	var haveStd, haveDst bool
	for _, ob := range vtz.children {
		p, found := ob.first("TZOFFSETTO")
		if !found {
			continue
		}
		off, good := parseOffset(p.value)
		if !good {
			continue
		}
		switch ob.name {
		case "STANDARD":
			std, haveStd = off, true
		case "DAYLIGHT":
			dst, haveDst = off, true
		}
	}
	switch {
	case haveStd && !haveDst:
		dst = std
	case haveDst && !haveStd:
		std = dst
	case !haveStd:
		return 0, 0, false
	}
	return std, dst, true
}

// parseOffset reads +hhmm or +hhmmss as seconds east of UTC.
func parseOffset(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if len(s) != 5 && len(s) != 7 || (s[0] != '+' && s[0] != '-') {
		return 0, false
	}
	n := 0
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n = atoi2(s[1:3])*3600 + atoi2(s[3:5])*60
	if len(s) == 7 {
		n += atoi2(s[5:7])
	}
	if s[0] == '-' {
		n = -n
	}
	return n, true
}

func atoi2(s string) int { return int(s[0]-'0')*10 + int(s[1]-'0') }

func itoa(n int) string {
	if n < 0 {
		return "-" + itoa(-n)
	}
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
