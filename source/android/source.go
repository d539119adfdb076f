// Package android is the source of an Android phone on USB, read through
// the user's adb server with no app on the phone: contacts and calendars
// from the phone's content providers, rendered as vCard and iCalendar with
// the provider rows kept beside them, and photos and videos from the
// shared storage, pulled through the sync protocol straight into the
// backup. It also puts a snapshot back onto a phone (Put).
//
// An Android snapshot's tree:
//
//	contacts/<account>/<id>.vcf        one vCard 3.0 per raw contact
//	contacts/<account>/<id>.rows.json  the provider rows it was made from
//	contacts/groups.rows.json          the groups
//	calendars/<name>.ics               one iCalendar file per calendar
//	calendars/<name>.rows/calendar.json, <event _id>.json  its rows
//	DCIM/..., Pictures/..., Movies/... the media folders, as on /sdcard
//
// The rows are kept exactly as the phone printed them (a JSON object per
// row, the projection's columns in order, NULL as null), beside what was
// rendered from them, so that nothing the renderer does not understand is
// lost and a later version can render them again.
//
// Rendered files carry no date of their own: their mtime is the Unix
// epoch, and their FileInfo's Sys is a source.Versioned that changes with
// their bytes, so backup's file cache never mistakes an edited contact of
// the same size for the old one.
package android

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/lifeboat-backup/lifeboat/source/android/adb"
)

// Scheme starts every argument that names a phone.
const Scheme = "android://"

// ErrURL is an android:// argument that cannot be read.
var ErrURL = errors.New("not a phone address")

// ErrMedia is a media folder the configuration names that cannot be one.
var ErrMedia = errors.New("not a media folder")

// ErrGone is a phone that went away while it was read (a pulled cable):
// nothing of it may be committed.
var ErrGone = adb.ErrGone

// ErrLocked is a phone whose storage or providers cannot be read until
// its screen is unlocked (after a restart, Android keeps the user's data
// encrypted until the first unlock).
var ErrLocked = errors.New("the phone is locked")

// DefaultMedia are the folders under /sdcard backed up unless the
// configuration names others: the camera, pictures and videos, and the
// common messengers' media in their old and Android 11+ homes. Folders a
// phone does not have are passed over.
var DefaultMedia = []string{
	"DCIM", "Pictures", "Movies",
	"WhatsApp/Media", "Android/media/com.whatsapp/WhatsApp/Media",
	"Telegram", "Android/media/org.telegram.messenger/Telegram",
	"Viber/media", "Android/media/com.viber.voip/Viber",
}

// reserved are the top-level names of the rendered part of the tree: a
// media folder may not be one of them.
var reserved = map[string]bool{"contacts": true, "calendars": true}

// IsSource reports whether arg names a phone (android://...).
func IsSource(arg string) bool {
	return len(arg) >= len(Scheme) && strings.EqualFold(arg[:len(Scheme)], Scheme)
}

// ParseSerial returns the serial an android:// argument names, "" for
// the one phone connected. A serial may hold ':' (127.0.0.1:5555, a phone
// over Wi-Fi) but no '/', '?', '#' or blank.
func ParseSerial(arg string) (string, error) {
	if !IsSource(arg) {
		return "", fmt.Errorf("%q: %w: want android:// or android://SERIAL", arg, ErrURL)
	}
	s := arg[len(Scheme):]
	s = strings.TrimSuffix(s, "/")
	if u, err := url.PathUnescape(s); err == nil {
		s = u
	}
	if strings.ContainsAny(s, "/?#") || strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return "", fmt.Errorf("%q: %w: want android:// or android://SERIAL (the serial 'adb devices' lists)", arg, ErrURL)
	}
	return s, nil
}

// Options configure a phone source.
type Options struct {
	// Media are the folders under /sdcard to back up; nil means
	// DefaultMedia.
	Media []string
	// Note, if set, tells the user something once per run (what a phone
	// backup cannot capture).
	Note func(msg string)
	// Detail, if set, reports what opening did (-v).
	Detail func(msg string)
}

// Source is one phone.
type Source struct {
	arg, serial string
	name        string // android://SERIAL once opened
	opts        Options
	named       bool // the media folders were named, not the defaults
}

// New returns the source an android:// argument names; it does no I/O.
func New(arg string, opts Options) (*Source, error) {
	serial, err := ParseSerial(arg)
	if err != nil {
		return nil, err
	}
	media, err := cleanMedia(opts.Media)
	if err != nil {
		return nil, err
	}
	named := opts.Media != nil
	opts.Media = media
	s := &Source{arg: arg, serial: serial, opts: opts, name: Scheme + serial, named: named}
	return s, nil
}

// Name is android://SERIAL: with a bare android:// it is the serial of the
// phone Open found, so that each phone has its own history.
func (s *Source) Name() string { return s.name }

// Open connects to the phone, reads its providers and lists its media
// folders. The tree holds the rendered files in memory and pulls media
// files when they are opened; release closes its connections.
func (s *Source) Open(ctx context.Context) (*Tree, func(), error) {
	d, err := Connect(ctx, s.serial)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", s.arg, err)
	}
	s.name = Scheme + d.Serial
	t, err := read(ctx, d, s.opts, s.named)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", s.name, err)
	}
	return t, t.close, nil
}

// Connect finds the phone serial names through the user's adb server; ""
// is the one in ANDROID_SERIAL when that is set (as adb itself does), else
// the only phone connected.
func Connect(ctx context.Context, serial string) (*adb.Device, error) {
	if serial == "" {
		serial = os.Getenv("ANDROID_SERIAL")
	}
	c, err := adb.Dial(ctx)
	if err != nil {
		return nil, err
	}
	return c.Device(ctx, serial)
}

// storageNames are the paths of the shared storage of user 0.
var storageNames = []string{"sdcard", "storage/emulated/0", "storage/self/primary", "mnt/sdcard"}

// underStorage is m relative to the shared storage: "/sdcard/DCIM/",
// "sdcard/DCIM" and "DCIM" are all "DCIM" (the prefix only as whole
// folder names: "/sdcardDCIM" stays "sdcardDCIM").
func underStorage(m string) string {
	m = strings.Trim(m, "/")
	for _, s := range storageNames {
		if m == s {
			return ""
		}
		if strings.HasPrefix(m, s+"/") {
			return strings.Trim(m[len(s):], "/")
		}
	}
	return m
}

// cleanMedia checks the media folders: relative, clean, no "..", none
// of the rendered names, no duplicates, none inside another.
func cleanMedia(media []string) ([]string, error) {
	if media == nil {
		return DefaultMedia, nil
	}
	var out []string
	for _, m := range media {
		m = underStorage(m)
		top, _, _ := strings.Cut(m, "/")
		switch {
		case m == "" || strings.Contains(m, "\x00"):
			return nil, fmt.Errorf("media folder %q: %w: want a folder under /sdcard, such as DCIM", m, ErrMedia)
		case strings.Contains("/"+m+"/", "/../") || strings.Contains("/"+m+"/", "/./") || strings.Contains(m, "//"):
			return nil, fmt.Errorf("media folder %q: %w: want a plain path under /sdcard, with no . or ..", m, ErrMedia)
		case reserved[strings.ToLower(top)]:
			return nil, fmt.Errorf("media folder %q: %w: %s is where lifeboat puts the phone's rendered records", m, ErrMedia, top)
		}
		out = append(out, m)
	}
	for i, a := range out {
		for j, b := range out {
			if i != j && (a == b || strings.HasPrefix(b, a+"/")) {
				return nil, fmt.Errorf("media folder %q: %w: it is inside %q (or named twice): name each folder once", b, ErrMedia, a)
			}
		}
	}
	return out, nil
}
