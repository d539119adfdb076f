package cli

import (
	"bytes"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// TestWantBar: a progress bar only on a terminal, and never with --quiet
// or --json; decided from the writer alone, without a terminal here.
func TestWantBar(t *testing.T) {
	file, err := os.Create(t.TempDir() + "/stderr")
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	defer pw.Close()
	devnull, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer devnull.Close()
	for name, w := range map[string]io.Writer{"buffer": &bytes.Buffer{}, "file": file, "pipe": pw, "/dev/null": devnull} {
		if wantBar(&printer{}, w) {
			t.Errorf("%s: a bar on something that is not a terminal", name)
		}
	}
	tty := openPTY(t)
	if !wantBar(&printer{}, tty) {
		t.Errorf("terminal: no bar")
	}
	if wantBar(&printer{quiet: true}, tty) || wantBar(&printer{json: true}, tty) {
		t.Errorf("terminal: a bar with --quiet or --json")
	}
}

// openPTY returns the terminal end of a new pseudo-terminal, or skips.
func openPTY(t *testing.T) *os.File {
	t.Helper()
	ptmx, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { ptmx.Close() })
	if err := unix.IoctlSetPointerInt(int(ptmx.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Skipf("unlockpt: %v", err)
	}
	n, err := unix.IoctlGetInt(int(ptmx.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Skipf("ptsname: %v", err)
	}
	tty, err := os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("open the terminal end: %v", err)
	}
	t.Cleanup(func() { tty.Close() })
	return tty
}

// TestFileBar: the bar counts files and bytes of the totals, lines
// printed above it wipe it first, and stop leaves a blank line.
func TestFileBar(t *testing.T) {
	var out bytes.Buffer
	b := startBar(&out, "phone:", 0, 0)
	b.add(1, 2048)
	b.bar.Write()
	if s := out.String(); !strings.Contains(s, "phone: 1 files, 2.00 KiB") || strings.Contains(s, "ETA") {
		t.Errorf("before the totals: %q", s)
	}
	b.setTotal(5, 10240)
	b.add(1, 1024)
	out.Reset()
	b.bar.Write()
	if s := out.String(); !strings.Contains(s, "2/5 files, 3.00 KiB / 10.00 KiB [") || !strings.Contains(s, "ETA") {
		t.Errorf("with the totals: %q", s)
	}
	out.Reset()
	b.above(func() { out.WriteString("line\n") })
	if s := out.String(); s != "\r\x1b[Kline\n" {
		t.Errorf("a line above the bar: %q", s)
	}
	out.Reset()
	b.stop()
	if s := out.String(); strings.Trim(s, " \r\x1b[0m") != "" || !strings.HasPrefix(s, "\r") {
		t.Errorf("stop leaves %q, want a wiped line", s)
	}
	var nilBar *fileBar
	nilBar.add(1, 1)
	nilBar.setTotal(1, 1)
	nilBar.stop()
	ran := false
	nilBar.above(func() { ran = true })
	if !ran {
		t.Errorf("a nil bar does not print lines")
	}
}
