package cli

import "runtime/debug"

// Version is what a release build stamps (main sets it from its own
// -ldflags "-X main.version=..."); otherwise versionString reads what the
// go command stamped.
var Version string

// versionString is the version --version prints: the release's, or the
// module version and VCS revision the go command stamped into the binary
// (go build in a checkout, go install ...@version), or "dev".
func versionString() string {
	bi, _ := debug.ReadBuildInfo()
	return versionFrom(Version, bi)
}

func versionFrom(stamped string, bi *debug.BuildInfo) string {
	if stamped != "" {
		return stamped
	}
	if bi == nil {
		return "dev"
	}
	var rev, when string
	dirty := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	v := bi.Main.Version
	if v == "" || v == "(devel)" {
		v = "dev"
	}
	if rev == "" {
		return v
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	out := v + " (" + rev
	if dirty {
		out += ", modified"
	}
	if when != "" {
		out += ", " + when
	}
	return out + ")"
}
