package format

import "time"

// Time is a modification time as the filesystem gives it: seconds since
// the Unix epoch, any 64-bit value, and nanoseconds (0 to 999999999).
// Unix nanoseconds in an int64 only reach 1677-2262; a file dated 2300
// is kept as it is.
type Time struct {
	Sec  int64
	Nsec uint32
}

// TimeOf returns t as a Time.
func TimeOf(t time.Time) Time { return Time{Sec: t.Unix(), Nsec: uint32(t.Nanosecond())} }

// NanoTime returns the Time of ns Unix nanoseconds.
func NanoTime(ns int64) Time {
	sec, nsec := ns/1e9, ns%1e9
	if nsec < 0 {
		sec, nsec = sec-1, nsec+1e9
	}
	return Time{Sec: sec, Nsec: uint32(nsec)}
}

// Time returns t as a time.Time (exact for the years time.Time holds).
func (t Time) Time() time.Time { return time.Unix(t.Sec, int64(t.Nsec)) }

// nano returns t in Unix nanoseconds, and whether they hold it.
func (t Time) nano() (int64, bool) {
	const lo, hi = -9223372036, 9223372035 // whole seconds within int64 ns
	if t.Sec < lo || t.Sec > hi {
		return 0, false
	}
	return t.Sec*1e9 + int64(t.Nsec), true
}

func (e *encoder) time(t Time) {
	e.varint(t.Sec)
	e.uvarint(uint64(t.Nsec))
}

func (d *decoder) time() Time {
	sec := d.varint()
	nsec := d.uvarint()
	if nsec >= 1e9 {
		d.fail("nanoseconds out of range")
		return Time{}
	}
	return Time{Sec: sec, Nsec: uint32(nsec)}
}

// zeroOffsetUTC returns t in UTC if its offset is zero. JSON writes such a
// time as "Z", which reads back as UTC; "+00:00" reads as the local zone
// (or a nameless one), so without this a decoded snapshot written by
// another tool would not equal itself encoded and decoded again.
func zeroOffsetUTC(t time.Time) time.Time {
	if _, off := t.Zone(); off == 0 {
		return t.UTC()
	}
	return t
}
