package media

import "strings"

// IsThumbnailCache reports whether path (slash- or backslash-separated,
// relative or absolute) lies in a place that holds no photos of the
// user's own, by Android's MediaStore conventions and the common trash
// folders:
//
//   - a ".thumbnails" folder: MediaStore's generated thumbnails
//     (DCIM/.thumbnails with its .thumbdata files; Pictures/.thumbnails
//     and Movies/.thumbnails since Android 10);
//   - a ".trashed-<expiry>-<name>" or ".pending-<expiry>-<name>" entry:
//     MediaStore's trash and unfinished writes (MediaProvider FileUtils
//     PATTERN_EXPIRES_FILE, "(?i)^\.(pending|trashed)-(\d+)-([^/]+)$"),
//     and its ".trash-storage" folder;
//   - ".Trash", ".Trash-<uid>" (freedesktop trash on a card or USB stick)
//     and ".Trashes" (macOS).
//
// A folder marked with ".nomedia" is not a cache: the marker only hides it
// from the gallery, and messengers (WhatsApp's Sent folders) and private
// vault folders keep real photos behind one. Nor is every hidden folder.
func IsThumbnailCache(path string) bool {
	parts := strings.FieldsFunc(path, func(r rune) bool { return r == '/' || r == '\\' })
	for _, p := range parts {
		l := strings.ToLower(p)
		switch {
		case l == ".thumbnails", l == ".trash-storage", l == ".trashes":
			return true
		case p == ".Trash" || strings.HasPrefix(p, ".Trash-"):
			return true
		case expiring(l, ".trashed-"), expiring(l, ".pending-"):
			return true
		}
	}
	return false
}

// expiring matches MediaStore's "<prefix><digits>-<name>".
func expiring(l, prefix string) bool {
	rest, ok := strings.CutPrefix(l, prefix)
	if !ok {
		return false
	}
	i := 0
	for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
		i++
	}
	return i > 0 && i < len(rest)-1 && rest[i] == '-'
}
