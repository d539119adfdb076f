package media

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// FuzzSidecars: any folder listing pairs without panicking, every pair is
// a listed media name with a listed .json name, and the pairing does not
// depend on the order of the listing.
func FuzzSidecars(f *testing.F) {
	f.Add("IMG_1234(1).jpg\x00IMG_1234.jpg.supplemental-metadata(1).json\x00IMG_1234-edited.jpg")
	f.Add("PXL_1.MP\x00PXL_1.MP.jpg\x00PXL_1.MP.jpg.json\x00😀😃😄😁😆😅😂🤣🥲☺️😊😇🙂🙃😉😌😍🥰😘😗😙😚😋😛.jpg")
	f.Add("a\x00a.json\x00.json\x00(1)\x00(1).json\x00x.(2)\x00.\x00..json")
	f.Fuzz(func(t *testing.T, list string) {
		names := strings.Split(list, "\x00")
		if len(names) > 200 {
			names = names[:200]
		}
		listed := map[string]bool{}
		for _, n := range names {
			listed[n] = true
		}
		got := Sidecars(names)
		for m, s := range got {
			if !listed[m] || !listed[s] {
				t.Fatalf("pair %q -> %q not from the listing", m, s)
			}
			if strings.HasSuffix(strings.ToLower(m), ".json") || !strings.HasSuffix(strings.ToLower(s), ".json") {
				t.Fatalf("pair %q -> %q has the wrong kinds", m, s)
			}
		}
		rev := make([]string, len(names))
		for i, n := range names {
			rev[len(names)-1-i] = n
		}
		again := Sidecars(rev)
		if len(again) != len(got) {
			t.Fatalf("reversed listing: %d pairs, want %d", len(again), len(got))
		}
		for m, s := range got {
			if again[m] != s {
				t.Fatalf("reversed listing: %q -> %q, want %q", m, again[m], s)
			}
		}
	})
}

// FuzzVideoTime: any bytes give a time in bounds or false, never a panic.
func FuzzVideoTime(f *testing.F) {
	when := time.Date(2019, 2, 15, 19, 35, 1, 0, time.UTC)
	f.Add(append(append([]byte{}, ftyp...), mp4box("moov", mvhdV0(when))...))
	f.Add(append(append([]byte{}, ftyp...), largeBox("moov", mvhdV1(uint64(when.Unix()-mac1904)))...))
	f.Add(append(append([]byte{}, ftyp...), mp4box("moov", mvhdV1(0),
		mp4box("udta", mp4box("\xa9day", []byte{0, 20, 0, 0}, []byte("2019-02-15T19:35:01Z"))))...))
	u32 := func(v uint32) []byte { return []byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)} }
	f.Add(append(append([]byte{}, ftyp...), mp4box("moov", mp4box("meta", mp4box("hdlr", make([]byte, 25)),
		mp4box("keys", u32(0), u32(1), mp4box("mdta", []byte(appleKey))),
		mp4box("ilst", mp4box(string(u32(1)), mp4box("data", u32(1), u32(0), []byte("2019-02-15T20:35:01+0100"))))))...))
	f.Fuzz(func(t *testing.T, b []byte) {
		r := &countingReader{r: bytes.NewReader(b)}
		got, ok := VideoTime(r, int64(len(b)))
		if ok && (got.Before(earliest) || !got.Before(latest)) {
			t.Fatalf("time %v out of bounds", got)
		}
		if r.reads > 3*maxBoxes+16 {
			t.Fatalf("%d reads: the walk is not bounded", r.reads)
		}
	})
}

// FuzzParseSidecar: any bytes parse without a panic to a bounded time.
func FuzzParseSidecar(f *testing.F) {
	f.Add([]byte(`{"photoTakenTime":{"timestamp":"1258375918"}}`))
	f.Add([]byte(`{"creationTime":{"timestamp":1.6e9}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, ok := ParseSidecar(b); ok && (got.Before(earliest) || !got.Before(latest)) {
			t.Fatalf("time %v out of bounds", got)
		}
	})
}

// FuzzParsePhotoDetails: any bytes parse without panicking, every name
// comes from the input, and no more rows come back than the input has
// lines.
func FuzzParsePhotoDetails(f *testing.F) {
	f.Add("imgName,fileChecksum,favorite,hidden,deleted,originalCreationDate,viewCount,importDate\n" +
		`IMG_0001.HEIC,AaBb,no,no,no,"Monday October 4,2021 8:15 PM GMT",3,"Tuesday October 5,2021 9:00 AM GMT"` + "\n")
	f.Add("originalCreationDate,imgName\r\n\"2021-10-04T22:15:00+02:00\",\"a,b\"\r\n\"\"\"\n")
	f.Add("imgName,originalCreationDate\n\"x\ny\",\"Monday October 4,2021 8:15 PM GMT\"\n")
	f.Fuzz(func(t *testing.T, text string) {
		got, err := ParsePhotoDetails(strings.NewReader(text))
		if err != nil {
			if got != nil {
				t.Fatalf("error %v with a result", err)
			}
			return
		}
		if len(got) > strings.Count(text, "\n")+1 {
			t.Fatalf("%d rows from %d lines", len(got), strings.Count(text, "\n")+1)
		}
		for name, tm := range got {
			if name == "" || !strings.Contains(text, strings.ReplaceAll(name, `"`, `""`)) && !strings.Contains(text, name) {
				t.Fatalf("name %q not from the input", name)
			}
			if tm.Location() != time.UTC {
				t.Fatalf("%q: %v not UTC", name, tm)
			}
		}
	})
}
