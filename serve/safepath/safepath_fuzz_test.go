package safepath

import (
	"net/url"
	"path"
	"strings"
	"testing"
)

// FuzzSafe: a path Safe lets through is already clean (cleaning it, as
// the mux would, changes nothing but a trailing slash), holds no NUL,
// control character or backslash, and its segments, as the handlers get
// them, hold no slash.
func FuzzSafe(f *testing.F) {
	for _, s := range []string{"/", "/s/ab/files/a/b.txt", "/s/ab/files/../x", "/%2e%2e/x", "/a%2fb", "//etc", "/a/./b",
		"/a/%00", "/a%5cb", "/café/%E2%80%AE", "/a/b/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := url.Parse("http://127.0.0.1:1" + raw)
		if err != nil || u.Host != "127.0.0.1:1" || !Safe(u) {
			return
		}
		p := u.Path
		if p == "" {
			p = "/"
		}
		clean := path.Clean(p)
		if clean != p && clean+"/" != p {
			t.Fatalf("safe path %q (raw %q) cleans to %q", p, raw, clean)
		}
		if strings.ContainsAny(p, "\x00\\") || strings.ContainsFunc(p, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			t.Fatalf("safe path %q holds a NUL, control character or backslash", p)
		}
		for _, seg := range strings.Split(strings.TrimPrefix(u.EscapedPath(), "/"), "/") {
			dec, err := url.PathUnescape(seg)
			if err != nil || strings.Contains(dec, "/") {
				t.Fatalf("segment %q of safe path %q decodes to %q (%v)", seg, p, dec, err)
			}
		}
	})
}

// TestSafe: the paths that try to leave are refused, plain ones pass.
func TestSafe(t *testing.T) {
	for raw, want := range map[string]bool{"/": true, "/s/ab/files/a/b.txt": true, "/s/ab/files/": true, "/caf%C3%A9": true,
		"/a/../b": false, "/%2e%2e/x": false, "/%2E/x": false, "/a%2fb": false, "/a%5Cb": false, `/a\b`: false,
		"//etc/passwd": false, "/a//b": false, "/a/%00": false, "/a/./b": false, "/a/%0a": false} {
		u, err := url.Parse("http://127.0.0.1:1" + raw)
		if err != nil {
			t.Fatal(err)
		}
		if got := Safe(u); got != want {
			t.Errorf("Safe(%q) = %v, want %v", raw, got, want)
		}
	}
}
