package adb

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/internal/fakeadb"
)

// both prints its first argument to stdout, its second to stderr (no
// newline after either) and exits with its third.
func both(p *fakeadb.Phone, e *fakeadb.Exec) int {
	fmt.Fprint(e.Stdout, e.Args[1])
	fmt.Fprint(e.Stderr, e.Args[2])
	n, _ := strconv.Atoi(e.Args[3])
	return n
}

func TestShell(t *testing.T) {
	for _, tc := range []struct {
		name  string
		feats []string
	}{{"v2", nil}, {"v1", without("shell_v2")}} {
		t.Run(tc.name, func(t *testing.T) {
			_, d := device(t, fakeadb.Options{Features: tc.feats, Commands: map[string]fakeadb.Command{"both": both}})
			if d.Features["shell_v2"] != (tc.name == "v2") {
				t.Fatalf("features %v", d.Features)
			}
			for _, c := range []struct {
				cmd, out, err string
				exit          int
			}{
				{"both 'out line\n' 'err line\n' 3", "out line\n", "err line\n", 3},
				{"both 'no newline' '' 0", "no newline", "", 0},
				{"both '' 'only err' 255", "", "only err", 255},
				{"exit 42", "", "", 42},
				{`echo "it's" 'a \ b'`, "it's a \\ b\n", "", 0},
				{"echo lifeboat-exit-0000:7", "lifeboat-exit-0000:7\n", "", 0}, // a marker of another call is output
			} {
				res, err := d.Shell(testCtx(t), c.cmd)
				must(t, err)
				wantOut, wantErr := c.out, c.err
				if tc.name == "v1" { // stderr joins stdout
					wantOut, wantErr = c.out+c.err, ""
				}
				if string(res.Stdout) != wantOut || string(res.Stderr) != wantErr || res.Exit != c.exit {
					t.Errorf("Shell(%q) = %q, %q, exit %d; want %q, %q, exit %d",
						c.cmd, res.Stdout, res.Stderr, res.Exit, wantOut, wantErr, c.exit)
				}
			}
		})
	}
}

// TestShellStdinClosed: a v2 command that reads stdin sees EOF at once.
func TestShellStdinClosed(t *testing.T) {
	_, d := device(t, fakeadb.Options{})
	res, err := d.Shell(testCtx(t), "cat")
	must(t, err)
	if len(res.Stdout) != 0 || res.Exit != 0 {
		t.Errorf("cat with no stdin = %q, exit %d", res.Stdout, res.Exit)
	}
}

func TestExec(t *testing.T) {
	root := t.TempDir()
	var bin []byte
	for i := range 3 << 16 {
		bin = append(bin, byte(i*7), '\r', '\n', 0)
	}
	must(t, os.WriteFile(filepath.Join(root, "blob.bin"), bin, 0o644))
	_, d := device(t, fakeadb.Options{Root: root})
	rc, err := d.Exec(testCtx(t), "cat /sdcard/blob.bin")
	must(t, err)
	got, err := io.ReadAll(rc)
	rc.Close()
	must(t, err)
	if !bytes.Equal(got, bin) {
		t.Errorf("exec cat gave %d bytes, want the %d of the file, byte for byte", len(got), len(bin))
	}
}

// TestShellCanceled: a command that never ends returns ctx's error
// promptly once ctx is done.
func TestShellCanceled(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	_, d := device(t, fakeadb.Options{Commands: map[string]fakeadb.Command{
		"hang": func(p *fakeadb.Phone, e *fakeadb.Exec) int { <-release; return 0 },
	}})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := d.Shell(ctx, "hang"); err != context.DeadlineExceeded || time.Since(start) > 5*time.Second {
		t.Errorf("Shell of a hanging command = %v after %v, want context.DeadlineExceeded at once", err, time.Since(start))
	}
}
