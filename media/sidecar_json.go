package media

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// MaxSidecar is the largest sidecar ParseSidecar reads. Real ones are under
// 2 KiB; anything over 1 MiB is not a Takeout sidecar.
const MaxSidecar = 1 << 20

// Bounds for a believable capture time: Google stores a photo's date as
// seconds since 1970 and accepts dates back to scanned 19th-century prints.
var (
	earliest = time.Date(1826, 1, 1, 0, 0, 0, 0, time.UTC) // the first photograph
	latest   = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
)

// ParseSidecar reads the capture time from a Google Takeout JSON sidecar:
// photoTakenTime.timestamp, else creationTime.timestamp (the upload time).
// Google writes the timestamp as a string of seconds since 1970 UTC
// ("1258375918"); a number is accepted too, as ente writes one. A zero,
// unparsable or unbelievable timestamp counts as absent. Sidecars over
// MaxSidecar bytes, and anything that is not a JSON object, give false.
func ParseSidecar(data []byte) (taken time.Time, ok bool) {
	if len(data) > MaxSidecar {
		return time.Time{}, false
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(data, &doc); err != nil {
		return time.Time{}, false
	}
	// Each field on its own: a malformed photoTakenTime leaves creationTime.
	for _, field := range []string{"photoTakenTime", "creationTime"} {
		var s stamp
		if json.Unmarshal(doc[field], &s) != nil {
			continue
		}
		if t, ok := s.time(); ok {
			return t, true
		}
	}
	return time.Time{}, false
}

// stamp is Takeout's {"timestamp": "...", "formatted": "..."}.
type stamp struct {
	Timestamp json.RawMessage `json:"timestamp"`
}

func (s *stamp) time() (time.Time, bool) {
	if len(s.Timestamp) == 0 {
		return time.Time{}, false
	}
	raw := bytes.TrimSpace(s.Timestamp)
	var text string
	if len(raw) > 0 && raw[0] == '"' {
		if err := json.Unmarshal(raw, &text); err != nil {
			return time.Time{}, false
		}
	} else {
		text = string(raw)
	}
	text = strings.TrimSpace(text)
	sec, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		// A number written as 1.6e9 or 1600000000.0.
		f, ferr := strconv.ParseFloat(text, 64)
		if ferr != nil || f != f || f > 1e13 || f < -1e13 {
			return time.Time{}, false
		}
		sec = int64(f)
	}
	if sec == 0 {
		return time.Time{}, false
	}
	t := time.Unix(sec, 0).UTC()
	if t.Before(earliest) || !t.Before(latest) {
		return time.Time{}, false
	}
	return t, true
}
