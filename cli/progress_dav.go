package cli

import (
	"fmt"
	"io"
	"time"
)

// putEvery is how often a restore into a server says how far it is
// when stderr is not a terminal (cron, a pipe, a log file).
const putEvery = 30 * time.Second

// putProgress tells how a restore into a CardDAV/CalDAV server advances:
// on a terminal one line redrawn in place, else a line every putEvery.
// Its methods do nothing on a nil *putProgress (--quiet, --json).
type putProgress struct {
	w      io.Writer
	tty    bool
	target string
	total  int
	every  time.Duration
	now    func() time.Time
	start  time.Time
	last   time.Time
	drawn  bool
}

func newPutProgress(p *printer, w io.Writer, target string, total int) *putProgress {
	if p.quiet || p.json {
		return nil
	}
	tty := wantBar(p, w)
	every := putEvery
	if tty {
		every = 200 * time.Millisecond
	}
	now := time.Now()
	return &putProgress{w: w, tty: tty, target: clean(target), total: total, every: every, now: time.Now, start: now, last: now}
}

// callback is the dav.PutOptions Progress: nil without progress.
func (pp *putProgress) callback() func(int) {
	if pp == nil {
		return nil
	}
	return pp.done
}

// done is called with the number of records done so far.
func (pp *putProgress) done(n int) {
	t := pp.now()
	if t.Sub(pp.last) < pp.every && n < pp.total {
		return
	}
	if !pp.tty && n == pp.total {
		return // the summary follows
	}
	pp.last = t
	rate := ""
	if s := t.Sub(pp.start).Seconds(); s > 0 {
		rate = fmt.Sprintf(", %.1f per second", float64(n)/s)
	}
	line := fmt.Sprintf("%s: %d of %d records%s", pp.target, n, pp.total, rate)
	if pp.tty {
		fmt.Fprintf(pp.w, "\r\x1b[K%s", line)
		pp.drawn = true
		return
	}
	fmt.Fprintln(pp.w, line)
}

// stop wipes the terminal's line, before the summary.
func (pp *putProgress) stop() {
	if pp != nil && pp.drawn {
		fmt.Fprint(pp.w, "\r\x1b[K")
	}
}
