package media

import (
	"strings"
	"testing"
	"time"
)

func TestParseSidecar(t *testing.T) {
	tests := []struct {
		name string
		json string
		want int64 // Unix seconds; 0 for none
	}{
		// open-noodle/gallery issue #404: a 2025 sidecar, string timestamps.
		{"takeout string", `{"title":"IMG_3397.JPG","creationTime":{"timestamp":"1258549448","formatted":"18 Nov 2009, 13:04:08 UTC"},` +
			`"photoTakenTime":{"timestamp":"1258375918","formatted":"16 Nov 2009, 12:51:58 UTC"}}`, 1258375918},
		{"number timestamp (ente export)", `{"photoTakenTime":{"timestamp":1599078832}}`, 1599078832},
		{"creationTime only", `{"creationTime":{"timestamp":"1666942303"}}`, 1666942303},
		{"zero taken falls back", `{"photoTakenTime":{"timestamp":"0"},"creationTime":{"timestamp":"1683074444"}}`, 1683074444},
		{"malformed taken falls back", `{"photoTakenTime":"yesterday","creationTime":{"timestamp":"1683074444"}}`, 1683074444},
		{"before 1970", `{"photoTakenTime":{"timestamp":"-631152000"}}`, -631152000},
		{"spaces", `{"photoTakenTime":{"timestamp":" 1683074444 "}}`, 1683074444},
		{"float", `{"photoTakenTime":{"timestamp":1.6e9}}`, 1600000000},
		{"no dates", `{"title":"x.jpg","geoData":{"latitude":0}}`, 0},
		{"garbage timestamp", `{"photoTakenTime":{"timestamp":"16 Nov 2009"}}`, 0},
		{"year 30000", `{"photoTakenTime":{"timestamp":"884541340800"}}`, 0},
		{"huge float", `{"photoTakenTime":{"timestamp":1e300}}`, 0},
		{"array", `[{"photoTakenTime":{"timestamp":"1683074444"}}]`, 0},
		{"null", `null`, 0},
		{"truncated", `{"photoTakenTime":{"timestamp":"168307`, 0},
		{"not json", "\xff\xfe{", 0},
		{"deep nesting", strings.Repeat("[", 100000) + strings.Repeat("]", 100000), 0},
		{"empty", ``, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseSidecar([]byte(tt.json))
			if tt.want == 0 {
				if ok {
					t.Fatalf("got %v, want none", got)
				}
				return
			}
			if !ok || !got.Equal(time.Unix(tt.want, 0)) || got.Location() != time.UTC {
				t.Fatalf("got %v %v, want %v UTC", got, ok, time.Unix(tt.want, 0).UTC())
			}
		})
	}
}

// TestParseSidecarBound refuses a sidecar over MaxSidecar even when its
// date is valid, and takes the same sidecar at the limit.
func TestParseSidecarBound(t *testing.T) {
	head := `{"photoTakenTime":{"timestamp":"1683074444"},"pad":"`
	tail := `"}`
	atLimit := head + strings.Repeat("x", MaxSidecar-len(head)-len(tail)) + tail
	if _, ok := ParseSidecar([]byte(atLimit)); !ok {
		t.Fatal("sidecar of exactly MaxSidecar bytes refused")
	}
	over := head + strings.Repeat("x", MaxSidecar-len(head)-len(tail)+1) + tail
	if _, ok := ParseSidecar([]byte(over)); ok {
		t.Fatal("sidecar over MaxSidecar accepted")
	}
}
