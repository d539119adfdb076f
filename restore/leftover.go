package restore

import (
	"path"
	"strings"
)

// tempPrefix starts the name a file is written under until it is complete
// and verified; tempName adds 16 random hex digits.
const tempPrefix = ".lifeboat-restore-"

func tempName() string { return tempPrefix + randomSuffix() }

// isTempName reports whether name is one of restore's temporary names.
func isTempName(name string) bool {
	s, ok := strings.CutPrefix(name, tempPrefix)
	if !ok || len(s) != 16 {
		return false
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// sweep removes the temporary files a restore killed in the middle (power
// cut, kill -9) left in the folder rel: a restore with --overwrite into the
// same target would otherwise leave them for good. Only regular files
// with restore's exact temporary names go; they were never complete files.
func (w *writer) sweep(rel string) {
	d, err := w.root.Open(rel)
	if err != nil {
		return
	}
	entries, _ := d.ReadDir(-1)
	d.Close()
	for _, e := range entries {
		if e.Type().IsRegular() && isTempName(e.Name()) {
			w.root.Remove(path.Join(rel, e.Name()))
		}
	}
}
