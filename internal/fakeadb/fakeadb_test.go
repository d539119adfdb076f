package fakeadb

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// fixture writes a small /sdcard: a DCIM tree with set mtimes and a
// binary file of 3 MiB (several WRTEs and sync DATA chunks).
func fixture(t *testing.T) (root string, files map[string][]byte) {
	root = t.TempDir()
	big := make([]byte, 3<<20+17)
	for i := range big {
		big[i] = byte(i*7 + i>>11)
	}
	files = map[string][]byte{
		"DCIM/Camera/IMG_0001.jpg":   big,
		"DCIM/Camera/IMG_0002.jpg":   []byte("\xff\xd8second\xff\xd9"),
		"DCIM/Screenshots/shot.png":  []byte("\x89PNG\r\n\x1a\n"),
		"DCIM/Camera/empty.jpg":      nil,
		"DCIM/Мой альбом/фото 1.jpg": []byte("non-Latin name"),
	}
	for i, name := range sortedKeys(files) {
		p := filepath.Join(root, filepath.FromSlash(name))
		must(t, os.MkdirAll(filepath.Dir(p), 0o755))
		must(t, os.WriteFile(p, files[name], 0o644))
		mt := time.Date(2021, 3, 4, 5, 6, 7+i, 0, time.UTC)
		must(t, os.Chtimes(p, mt, mt))
	}
	return root, files
}

func sortedKeys(m map[string][]byte) []string {
	var k []string
	for n := range m {
		k = append(k, n)
	}
	for i := range k {
		for j := i + 1; j < len(k); j++ {
			if k[j] < k[i] {
				k[i], k[j] = k[j], k[i]
			}
		}
	}
	return k
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// run runs adb -s SERIAL ARGS with stdout and stderr apart and returns
// the exit code.
func run(t *testing.T, p *Phone, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := p.Command(append([]string{"-s", p.Serial}, args...)...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return o.String(), e.String(), code
}

func TestRealADB(t *testing.T) {
	root, files := fixture(t)
	p := Start(t, Options{Root: root, Commands: map[string]Command{
		"both": func(p *Phone, e *Exec) int {
			fmt.Fprint(e.Stdout, "to stdout\n")
			fmt.Fprint(e.Stderr, "to stderr\n")
			return 5
		},
	}})

	t.Run("exit code over shell v2", func(t *testing.T) {
		for _, c := range []struct {
			cmd  string
			code int
		}{{"exit 3", 3}, {"exit 0", 0}, {"exit 255", 255}} {
			if _, _, code := run(t, p, "shell", c.cmd); code != c.code {
				t.Errorf("adb shell %q: exit code %d, want %d", c.cmd, code, c.code)
			}
		}
	})

	t.Run("stdout and stderr apart", func(t *testing.T) {
		o, e, code := run(t, p, "shell", "both")
		if o != "to stdout\n" || e != "to stderr\n" || code != 5 {
			t.Errorf("got stdout %q, stderr %q, code %d", o, e, code)
		}
	})

	t.Run("unknown command exits 127", func(t *testing.T) {
		o, e, code := run(t, p, "shell", "frobnicate", "--now")
		if code != 127 || o != "" || !strings.Contains(e, "frobnicate: inaccessible or not found") {
			t.Errorf("got stdout %q, stderr %q, code %d", o, e, code)
		}
	})

	t.Run("exec-out gives the bytes", func(t *testing.T) {
		name := "DCIM/Camera/IMG_0001.jpg"
		o, _, code := run(t, p, "exec-out", "cat /sdcard/"+name)
		if code != 0 || o != string(files[name]) {
			t.Errorf("exec-out cat: code %d, %d bytes, want %d identical", code, len(o), len(files[name]))
		}
	})

	t.Run("stdin over shell v2", func(t *testing.T) {
		cmd := p.Command("-s", p.Serial, "shell", "cat")
		cmd.Stdin = strings.NewReader("typed\nlines\n")
		out, err := cmd.Output()
		if err != nil || string(out) != "typed\nlines\n" {
			t.Errorf("adb shell cat < input: %v, %q", err, out)
		}
	})

	t.Run("pull of a missing file fails", func(t *testing.T) {
		o, e, code := run(t, p, "pull", "/sdcard/DCIM/nope.jpg", t.TempDir())
		if code == 0 || !strings.Contains(o+e, "failed to stat remote object '/sdcard/DCIM/nope.jpg': No such file or directory") {
			t.Errorf("adb pull of a missing file: code %d, output %q", code, o+e)
		}
	})

	t.Run("shell v2 carries a large binary stdout", func(t *testing.T) {
		name := "DCIM/Camera/IMG_0001.jpg"
		o, _, code := run(t, p, "shell", "cat /sdcard/"+name)
		if code != 0 || o != string(files[name]) {
			t.Errorf("shell cat: code %d, %d bytes, want %d identical", code, len(o), len(files[name]))
		}
	})

	t.Run("getprop and the history", func(t *testing.T) {
		if o, _, code := run(t, p, "shell", "getprop ro.build.version.sdk"); o != "34\n" || code != 0 {
			t.Errorf("getprop: %q, code %d", o, code)
		}
		o, _, _ := run(t, p, "shell", "getprop")
		if !strings.Contains(o, "[ro.product.model]: [Fake Phone]\n") {
			t.Errorf("getprop lists:\n%s", o)
		}
		if h := p.History(); len(h) < 2 || h[len(h)-2] != "getprop ro.build.version.sdk" || h[len(h)-1] != "getprop" {
			t.Errorf("history ends %q", h[max(0, len(h)-2):])
		}
	})

	t.Run("streams at once", func(t *testing.T) {
		var wg sync.WaitGroup
		name := "DCIM/Camera/IMG_0001.jpg"
		errs := make(chan string, 4)
		for i := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cmd := p.Command("-s", p.Serial, "exec-out", "cat", "/storage/emulated/0/"+name)
				out, err := cmd.Output()
				if err != nil || !bytes.Equal(out, files[name]) {
					errs <- fmt.Sprintf("stream %d: %v, %d bytes", i, err, len(out))
				}
			}()
		}
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Error(e)
		}
	})

	t.Run("pull -a keeps bytes and mtimes", func(t *testing.T) {
		dst := t.TempDir()
		if o, e, code := run(t, p, "pull", "-a", "/sdcard/DCIM", dst); code != 0 {
			t.Fatalf("adb pull: %d\n%s%s", code, o, e)
		}
		for name, want := range files {
			got, err := os.ReadFile(filepath.Join(dst, filepath.FromSlash(name)))
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("%s: %v, %d bytes, want %d", name, err, len(got), len(want))
				continue
			}
			src, _ := os.Stat(filepath.Join(root, filepath.FromSlash(name)))
			fi, _ := os.Stat(filepath.Join(dst, filepath.FromSlash(name)))
			if !fi.ModTime().Equal(src.ModTime()) {
				t.Errorf("%s: mtime %v, want %v", name, fi.ModTime(), src.ModTime())
			}
		}
	})

	t.Run("push keeps the mtime", func(t *testing.T) {
		src := filepath.Join(t.TempDir(), "new.jpg")
		must(t, os.WriteFile(src, []byte("pushed bytes"), 0o644))
		mt := time.Date(2019, 12, 31, 23, 59, 58, 0, time.UTC)
		must(t, os.Chtimes(src, mt, mt))
		if o, e, code := run(t, p, "push", src, "/sdcard/DCIM/Restored/new, 2.jpg"); code != 0 {
			t.Fatalf("adb push: %d\n%s%s", code, o, e)
		}
		got := filepath.Join(root, "DCIM", "Restored", "new, 2.jpg")
		b, err := os.ReadFile(got)
		if err != nil || string(b) != "pushed bytes" {
			t.Fatalf("pushed file: %v %q", err, b)
		}
		if fi, _ := os.Stat(got); !fi.ModTime().Equal(mt) {
			t.Errorf("pushed mtime %v, want %v", fi.ModTime(), mt)
		}
	})
}

func TestUnauthorized(t *testing.T) {
	p := Start(t, Options{Unauthorized: true})
	if st := p.State(); st != "unauthorized" {
		t.Fatalf("state %q, want unauthorized", st)
	}
	if _, e, code := run(t, p, "shell", "exit 0"); code == 0 || !strings.Contains(e, "unauthorized") {
		t.Errorf("shell on an unauthorized phone: code %d, stderr %q", code, e)
	}
}
