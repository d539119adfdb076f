package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestPutProgress: without a terminal, a restore into a server prints a
// line every 30 seconds (none for the last record: the summary follows);
// on a terminal one line redrawn in place, wiped at the end; nothing with
// --quiet or --json.
func TestPutProgress(t *testing.T) {
	var out bytes.Buffer
	pp := newPutProgress(&printer{}, &out, "carddav+https://me@host/book/", 100)
	clock := pp.start
	pp.now = func() time.Time { return clock }
	for n := 1; n <= 100; n++ {
		clock = clock.Add(time.Second) // one record a second: 100 s
		pp.callback()(n)
	}
	pp.stop()
	want := "carddav+https://me@host/book/: 30 of 100 records, 1.0 per second\n" +
		"carddav+https://me@host/book/: 60 of 100 records, 1.0 per second\n" +
		"carddav+https://me@host/book/: 90 of 100 records, 1.0 per second\n"
	if out.String() != want {
		t.Errorf("without a terminal:\n%s\nwant:\n%s", out.String(), want)
	}

	tty := openPTY(t)
	pp = newPutProgress(&printer{}, tty, "book", 3)
	if !pp.tty || pp.every >= time.Second {
		t.Fatalf("on a terminal: tty %v, every %v", pp.tty, pp.every)
	}
	var drawn bytes.Buffer
	pp.w = &drawn
	pp.done(3)
	pp.stop()
	if got := drawn.String(); !strings.HasPrefix(got, "\r\x1b[Kbook: 3 of 3 records") || !strings.HasSuffix(got, "\r\x1b[K") {
		t.Errorf("on a terminal: %q", got)
	}

	for _, p := range []*printer{{quiet: true}, {json: true}} {
		if pp := newPutProgress(p, &out, "book", 3); pp != nil || pp.callback() != nil {
			t.Errorf("progress with %+v", p)
		}
		newPutProgress(p, &out, "book", 3).stop()
	}
}
