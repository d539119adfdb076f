package cli

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/cheggaaa/pb/v3"
	"golang.org/x/term"

	"github.com/lifeboat-backup/lifeboat/backup"
)

// wantBar reports whether a command draws a progress bar on w (its
// stderr): only when w is a terminal, so never under cron, in a pipe or
// into a test's buffer, and never with --quiet or --json.
func wantBar(p *printer, w io.Writer) bool {
	if p.quiet || p.json {
		return false
	}
	f, ok := w.(interface{ Fd() uintptr })
	return ok && term.IsTerminal(int(f.Fd()))
}

// barTemplate shows files and bytes done, of the total once it is known,
// then the bar, the rate and the time left.
const barTemplate = `{{with string . "prefix"}}{{.}} {{end}}{{string . "files"}}, ` +
	`{{counters . "%s / %s" "%s"}}{{if gt .Total 0}} {{bar . "[" "=" ">" " " "]"}}{{end}} ` +
	`{{speed . "%s/s" "-"}}{{if gt .Total 0}} {{rtime . "ETA %s" "%.0s" "ETA ?"}}{{end}}`

// fileBar shows how a long command advances on a terminal. Its methods are
// safe for concurrent use, and do nothing on a nil *fileBar, so commands
// call them whether or not a bar is shown.
type fileBar struct {
	bar *pb.ProgressBar
	out *lockedWriter

	mu                sync.Mutex
	files, totalFiles int64
}

// startBar draws a bar on w; a total of 0 is not known yet.
func startBar(w io.Writer, prefix string, totalFiles, totalBytes int64) *fileBar {
	b := &fileBar{out: &lockedWriter{w: w}, totalFiles: totalFiles}
	b.bar = pb.New64(totalBytes).SetTemplateString(barTemplate).SetWriter(b.out).
		SetRefreshRate(200*time.Millisecond).SetWidth(barWidth(w)).
		Set(pb.Bytes, true).Set(pb.Terminal, true).Set(pb.ReturnSymbol, "\r").Set(pb.Color, false).Set(pb.CleanOnFinish, true).
		Set("prefix", prefix)
	b.setFiles()
	b.bar.Start()
	return b
}

// barWidth is one column less than the terminal's, so that the bar's line
// never wraps, and at most 120.
func barWidth(w io.Writer) int {
	width := 80
	if f, ok := w.(interface{ Fd() uintptr }); ok {
		if cols, _, err := term.GetSize(int(f.Fd())); err == nil && cols > 20 {
			width = cols
		}
	}
	return min(width-1, 120)
}

// setTotal sets the totals once they are known.
func (b *fileBar) setTotal(files, bytes int64) {
	if b == nil {
		return
	}
	b.mu.Lock()
	b.totalFiles = files
	b.setFiles()
	b.mu.Unlock()
	b.bar.SetTotal(bytes)
}

// add counts files and bytes done.
func (b *fileBar) add(files, bytes int64) {
	if b == nil {
		return
	}
	b.mu.Lock()
	b.files += files
	b.setFiles()
	b.mu.Unlock()
	b.bar.Add64(bytes)
}

// setFiles updates the files counter; the caller holds mu.
func (b *fileBar) setFiles() {
	s := fmt.Sprintf("%d files", b.files)
	if b.totalFiles > 0 {
		s = fmt.Sprintf("%d/%d files", b.files, b.totalFiles)
	}
	b.bar.Set("files", s)
}

// above runs print, which writes whole lines elsewhere on the same
// terminal, with the bar's line wiped first; the bar comes back below.
func (b *fileBar) above(print func()) {
	if b == nil {
		print()
		return
	}
	b.out.mu.Lock()
	defer b.out.mu.Unlock()
	io.WriteString(b.out.w, "\r\x1b[K")
	print()
}

// stop wipes the bar, before the command's summary lines.
func (b *fileBar) stop() {
	if b != nil {
		b.bar.Finish()
	}
}

// lockedWriter lets the bar's own redraws and the lines printed above it
// take turns.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

// backupProgress is backup's Progress on the command line: it moves the
// bar and, with -v, names each new or changed file.
type backupProgress struct {
	p   *printer
	bar *fileBar
	mu  sync.Mutex // one detail line at a time
}

// newBackupProgress returns the Progress of one source's backup, or nil
// when there is neither a bar nor -v, so that backup does not count the
// source for nothing.
func newBackupProgress(p *printer, stderr io.Writer, src string) *backupProgress {
	var bar *fileBar
	if wantBar(p, stderr) {
		bar = startBar(stderr, baseName(src)+":", 0, 0)
	}
	if bar == nil && !p.verbose {
		return nil
	}
	return &backupProgress{p: p, bar: bar}
}

var _ backup.Progress = (*backupProgress)(nil)

func (b *backupProgress) Total(files, bytes int64) { b.bar.setTotal(files, bytes) }

func (b *backupProgress) File(e backup.FileEvent) {
	b.bar.add(1, e.Size)
	if !b.p.verbose || (e.Status != backup.FileNew && e.Status != backup.FileChanged) {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.bar.above(func() {
		b.p.detailObject(map[string]any{"file": e.Path, "status": e.Status.String(), "size": e.Size})
		b.p.detail("%-7s %s", e.Status, e.Path)
	})
}

// options returns the Progress for backup.Options: a nil interface when
// there is none.
func (b *backupProgress) options() backup.Progress {
	if b == nil {
		return nil
	}
	return b
}

// stop wipes the bar.
func (b *backupProgress) stop() {
	if b != nil {
		b.bar.stop()
	}
}
