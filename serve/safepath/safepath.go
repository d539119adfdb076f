// Package safepath checks a request's URL path before a router cleans or
// decodes it: lifeboat serve maps paths onto a snapshot's tree, and a path
// that could step out of where it points is refused whole. It imports
// nothing of lifeboat's, so that its fuzz target links nothing heavy.
package safepath

import (
	"net/url"
	"strings"
)

// Safe refuses a URL path that could leave where it points: a "." or
// ".." segment (plain or percent-encoded), an encoded slash or backslash,
// a NUL or control character, an empty segment (an absolute path after a
// prefix, "//"), before the mux would clean or redirect it.
func Safe(u *url.URL) bool {
	raw := u.EscapedPath()
	low := strings.ToLower(raw)
	if strings.Contains(low, "%2f") || strings.Contains(low, "%5c") || strings.Contains(raw, `\`) {
		return false
	}
	segs := strings.Split(strings.TrimPrefix(raw, "/"), "/")
	for i, seg := range segs {
		dec, err := url.PathUnescape(seg)
		if err != nil || dec == "." || dec == ".." {
			return false
		}
		if dec == "" && i != len(segs)-1 {
			return false
		}
		for _, r := range dec {
			if r < 0x20 || r == 0x7f {
				return false
			}
		}
	}
	return true
}
