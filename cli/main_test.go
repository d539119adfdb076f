package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/lifeboat-backup/lifeboat/internal/forge"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/store"
)

// TestMain lets the test binary act as the lifeboat command inside the
// scripts: testscript puts a copy of it named "lifeboat" on $PATH, so the
// whole suite needs one build.
func TestMain(m *testing.M) {
	// A child process of the tests that start lifeboat as a process of its
	// own (to kill or stop it).
	if os.Getenv("LIFEBOAT_TEST_MAIN") == "1" {
		os.Exit(Run(append([]string{"lifeboat"}, os.Args[1:]...), os.Stdout, os.Stderr))
	}
	testscript.Main(m, map[string]func(){
		"lifeboat": func() { os.Exit(Run(os.Args, os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the CLI scenarios in testdata/script, one per file.
//
// Every script starts with an empty home, config, cache and data
// directory under $WORK, a cheap scrypt work factor, and $WORK/phone: a
// copy of testdata/phone with fixed, sub-second modification times.
func TestScripts(t *testing.T) {
	phone, err := filepath.Abs(filepath.Join("..", "testdata", "phone"))
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("..", "testdata", "script"),
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Setup: func(env *testscript.Env) error {
			return setupScript(env, phone)
		},
		Condition: func(cond string) (bool, error) {
			switch cond {
			case "root":
				return os.Geteuid() == 0, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"lbexit":      cmdLbexit,
			"flipbyte":    cmdFlipbyte,
			"largestfile": cmdLargestFile,
			"grepr":       cmdGrepr,
			"samefiles":   cmdSamefiles,
			"cpdir":       cmdCpdir,
			"mkfifo":      cmdMkfifo,
			"mkcontacts":  cmdMkcontacts,
			"filemode":    cmdFilemode,
			"capture":     cmdCapture,
			"tree":        cmdTree,
			"jsonlines":   cmdJSONLines,
			"agekeygen":   cmdAgeKeygen,
			"forge":       cmdForge,
			"mkarchive":   cmdMkarchive,
		},
	})
}

// phoneEpoch is the modification time of the first file of the sample
// phone; later files and folders are a little over an hour apart, with
// nanoseconds, so that restoring times is tested to the nanosecond.
var phoneEpoch = time.Date(2025, 6, 14, 10, 15, 0, 123456789, time.UTC)

func setupScript(env *testscript.Env, phone string) error {
	w := env.WorkDir
	for k, v := range map[string]string{
		"HOME":                             filepath.Join(w, "home"),
		"XDG_CONFIG_HOME":                  filepath.Join(w, "home", ".config"),
		"XDG_CACHE_HOME":                   filepath.Join(w, "home", ".cache"),
		"XDG_DATA_HOME":                    filepath.Join(w, "home", ".local", "share"),
		"LIFEBOAT_TEST_SCRYPT_WORK_FACTOR": "10",
	} {
		env.Setenv(k, v)
		if k != "LIFEBOAT_TEST_SCRYPT_WORK_FACTOR" {
			if err := os.MkdirAll(v, 0o700); err != nil {
				return err
			}
		}
	}
	dst := filepath.Join(w, "phone")
	if err := copyTree(phone, dst); err != nil {
		return err
	}
	// Fixed times, children before parents so folder times stick.
	var paths []string
	err := filepath.WalkDir(dst, func(p string, d fs.DirEntry, err error) error {
		paths = append(paths, p)
		return err
	})
	if err != nil {
		return err
	}
	sort.Strings(paths)
	for i := len(paths) - 1; i >= 0; i-- {
		mt := phoneEpoch.Add(time.Duration(i) * (time.Hour + 7*time.Minute + 1234567*time.Nanosecond))
		if err := os.Chtimes(paths[i], mt, mt); err != nil {
			return err
		}
	}
	return nil
}

// copyTree copies a folder of regular files, folders and symlinks,
// keeping permission bits and modification times.
func copyTree(src, dst string) error {
	var dirs []string
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		fi, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			dirs = append(dirs, p)
			return os.MkdirAll(target, 0o700)
		case fi.Mode()&fs.ModeSymlink != 0:
			link, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		case fi.Mode().IsRegular():
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			if err := os.WriteFile(target, b, fi.Mode().Perm()); err != nil {
				return err
			}
			if err := os.Chmod(target, fi.Mode().Perm()); err != nil {
				return err
			}
			return os.Chtimes(target, fi.ModTime(), fi.ModTime())
		default:
			return fmt.Errorf("%s: cannot copy %s", p, fi.Mode().Type())
		}
	})
	if err != nil {
		return err
	}
	for i := len(dirs) - 1; i >= 0; i-- {
		fi, err := os.Stat(dirs[i])
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, dirs[i])
		target := filepath.Join(dst, rel)
		if err := os.Chmod(target, fi.Mode().Perm()); err != nil {
			return err
		}
		if err := os.Chtimes(target, fi.ModTime(), fi.ModTime()); err != nil {
			return err
		}
	}
	return nil
}

// lbexit N ARGS... runs lifeboat ARGS (as a process, with the script's
// environment and folder), keeps its stdout and stderr for the stdout and
// stderr commands, and fails unless it exits with code N. It also checks
// what every lifeboat run must do on stderr (SPEC §2): no stack trace,
// every line prefixed "lifeboat: ", at most one error line, lowercase.
func cmdLbexit(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! lbexit (give the exit code instead)")
	}
	if len(args) < 1 {
		ts.Fatalf("usage: lbexit CODE [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("lbexit: bad exit code %q", args[0])
	}
	got := 0
	if err := ts.Exec("lifeboat", args[1:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("lbexit: cannot run lifeboat: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("lifeboat %s: exit code %d, want %d", strings.Join(args[1:], " "), got, want)
	}
	checkStderr(ts, ts.ReadFile("stderr"))
}

func checkStderr(ts *testscript.TestScript, stderr string) {
	if strings.Contains(stderr, "goroutine ") || strings.Contains(stderr, "panic:") {
		ts.Fatalf("stack trace on stderr")
	}
	errLines := 0
	for _, line := range strings.Split(strings.TrimSuffix(stderr, "\n"), "\n") {
		if line == "" {
			continue
		}
		if !strings.HasPrefix(line, "lifeboat: ") {
			ts.Fatalf("stderr line without the lifeboat: prefix: %q", line)
		}
		if msg, ok := strings.CutPrefix(line, "lifeboat: error: "); ok {
			errLines++
			if msg == "" || strings.ToLower(msg[:1]) != msg[:1] {
				ts.Fatalf("error message not lowercase: %q", line)
			}
		}
	}
	if errLines > 1 {
		ts.Fatalf("%d error lines on stderr, want at most one", errLines)
	}
}

// flipbyte FILE OFFSET inverts one byte of FILE; OFFSET is a byte offset,
// negative to count from the end, or "mid".
func cmdFlipbyte(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: flipbyte FILE OFFSET|mid")
	}
	name := ts.MkAbs(args[0])
	b, err := os.ReadFile(name)
	ts.Check(err)
	if len(b) == 0 {
		ts.Fatalf("flipbyte: %s is empty", args[0])
	}
	var off int
	if args[1] == "mid" {
		off = len(b) / 2
	} else {
		off, err = strconv.Atoi(args[1])
		ts.Check(err)
		if off < 0 {
			off += len(b)
		}
	}
	if off < 0 || off >= len(b) {
		ts.Fatalf("flipbyte: offset %s outside %s (%d bytes)", args[1], args[0], len(b))
	}
	b[off] ^= 0xff
	fi, err := os.Stat(name)
	ts.Check(err)
	// Objects are stored read-only; write through a fresh file.
	ts.Check(os.Remove(name))
	ts.Check(os.WriteFile(name, b, fi.Mode().Perm()))
}

// largestfile VAR DIR GLOB sets VAR to the path, relative to DIR, of the
// largest regular file matching DIR/GLOB.
func cmdLargestFile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: largestfile VAR DIR GLOB")
	}
	dir := ts.MkAbs(args[1])
	matches, err := filepath.Glob(filepath.Join(dir, args[2]))
	ts.Check(err)
	best, size := "", int64(-1)
	for _, m := range matches {
		fi, err := os.Stat(m)
		if err != nil || !fi.Mode().IsRegular() {
			continue
		}
		if fi.Size() > size {
			best, size = m, fi.Size()
		}
	}
	if best == "" {
		ts.Fatalf("largestfile: no file matches %s", filepath.Join(args[1], args[2]))
	}
	rel, err := filepath.Rel(dir, best)
	ts.Check(err)
	ts.Setenv(args[0], filepath.ToSlash(rel))
	ts.Logf("%s=%s (%d bytes)", args[0], rel, size)
}

// grepr STRING DIR succeeds if a file under DIR holds the bytes STRING;
// with !, it fails naming every file that does.
func cmdGrepr(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: [!] grepr STRING DIR")
	}
	needle := []byte(args[0])
	var hits []string
	err := filepath.WalkDir(ts.MkAbs(args[1]), func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if bytes.Contains(b, needle) {
			hits = append(hits, p)
		}
		return nil
	})
	ts.Check(err)
	switch {
	case neg && len(hits) > 0:
		ts.Fatalf("%q found in %s", args[0], strings.Join(hits, ", "))
	case !neg && len(hits) == 0:
		ts.Fatalf("%q found in no file under %s", args[0], args[1])
	}
}

// samefiles [-subset] [-nodirtimes] DIR1 DIR2 compares two trees, roots
// included: the same names, types, permission bits, bytes, symlink
// targets and modification times (to the nanosecond). With -subset, DIR2
// may hold more: everything below DIR1 must be in DIR2 and equal. With
// -nodirtimes, folder times are not compared (for a source folder that
// changed after its backup).
func cmdSamefiles(ts *testscript.TestScript, neg bool, args []string) {
	subset, dirTimes := false, true
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		switch args[0] {
		case "-subset":
			subset = true
		case "-nodirtimes":
			dirTimes = false
		default:
			ts.Fatalf("samefiles: unknown option %s", args[0])
		}
		args = args[1:]
	}
	if len(args) != 2 {
		ts.Fatalf("usage: [!] samefiles [-subset] [-nodirtimes] DIR1 DIR2")
	}
	a, b := ts.MkAbs(args[0]), ts.MkAbs(args[1])
	diffs := compareTrees(a, b, dirTimes)
	if !subset {
		// The roots too: a restore into a new folder gives it the
		// source folder's mode and time.
		if d := compareEntry(a, b, dirTimes); d != "" {
			diffs = append(diffs, ".: "+d)
		}
		for _, d := range compareTrees(b, a, dirTimes) {
			if strings.HasSuffix(d, ": missing") {
				diffs = append(diffs, strings.TrimSuffix(d, ": missing")+": extra in "+args[1])
			}
		}
	}
	switch {
	case neg && len(diffs) == 0:
		ts.Fatalf("%s and %s are the same", args[0], args[1])
	case !neg && len(diffs) > 0:
		ts.Fatalf("%s and %s differ:\n\t%s", args[0], args[1], strings.Join(diffs, "\n\t"))
	}
}

// compareTrees lists how each entry below a differs from its twin in b.
func compareTrees(a, b string, dirTimes bool) []string {
	var diffs []string
	err := filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == a {
			return nil
		}
		rel, _ := filepath.Rel(a, p)
		if d := compareEntry(p, filepath.Join(b, rel), dirTimes); d != "" {
			diffs = append(diffs, rel+": "+d)
		}
		return nil
	})
	if err != nil {
		diffs = append(diffs, err.Error())
	}
	return diffs
}

func compareEntry(pa, pb string, dirTimes bool) string {
	fa, err := os.Lstat(pa)
	if err != nil {
		return err.Error()
	}
	fb, err := os.Lstat(pb)
	if errors.Is(err, fs.ErrNotExist) {
		return "missing"
	}
	if err != nil {
		return err.Error()
	}
	switch {
	case fa.Mode().Type() != fb.Mode().Type():
		return fmt.Sprintf("type %v, other %v", fa.Mode().Type(), fb.Mode().Type())
	case fa.Mode()&fs.ModeSymlink != 0:
		ta, _ := os.Readlink(pa)
		tb, _ := os.Readlink(pb)
		if ta != tb {
			return fmt.Sprintf("symlink to %q, other to %q", ta, tb)
		}
		if !fa.ModTime().Equal(fb.ModTime()) {
			return fmt.Sprintf("symlink mtime %s, other %s", fa.ModTime().Format(time.RFC3339Nano),
				fb.ModTime().Format(time.RFC3339Nano))
		}
		return ""
	case fa.Mode().Perm() != fb.Mode().Perm():
		return fmt.Sprintf("mode %v, other %v", fa.Mode().Perm(), fb.Mode().Perm())
	case !fa.ModTime().Equal(fb.ModTime()) && (dirTimes || !fa.IsDir()):
		return fmt.Sprintf("mtime %s, other %s", fa.ModTime().Format(time.RFC3339Nano),
			fb.ModTime().Format(time.RFC3339Nano))
	}
	if fa.Mode().IsRegular() {
		ba, err := os.ReadFile(pa)
		if err != nil {
			return err.Error()
		}
		bb, err := os.ReadFile(pb)
		if err != nil {
			return err.Error()
		}
		if !bytes.Equal(ba, bb) {
			return fmt.Sprintf("content differs (%d and %d bytes)", len(ba), len(bb))
		}
	}
	return ""
}

// cpdir SRC DST copies a folder, keeping modes and modification times.
func cmdCpdir(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: cpdir SRC DST")
	}
	ts.Check(copyTree(ts.MkAbs(args[0]), ts.MkAbs(args[1])))
}

// mkfifo PATH makes a named pipe: a source item backup cannot read.
func cmdMkfifo(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: mkfifo PATH")
	}
	ts.Check(syscall.Mkfifo(ts.MkAbs(args[0]), 0o644))
}

// mkcontacts FILE N writes a vCard file of N contacts, numbered 0..N-1,
// so that a smaller N deletes contacts and keeps the others unchanged.
func cmdMkcontacts(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: mkcontacts FILE N")
	}
	n, err := strconv.Atoi(args[1])
	ts.Check(err)
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:contact-%d\r\nFN:Person %d\r\nTEL:+1 555 %07d\r\nEND:VCARD\r\n", i, i, i)
	}
	p := ts.MkAbs(args[0])
	ts.Check(os.MkdirAll(filepath.Dir(p), 0o755))
	ts.Check(os.WriteFile(p, []byte(b.String()), 0o644))
}

// filemode MODE FILE... checks the permission bits (octal) of files.
func cmdFilemode(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 2 {
		ts.Fatalf("usage: [!] filemode MODE FILE...")
	}
	want, err := strconv.ParseUint(args[0], 8, 32)
	ts.Check(err)
	for _, f := range args[1:] {
		fi, err := os.Stat(ts.MkAbs(f))
		ts.Check(err)
		got := fi.Mode().Perm()
		if (got == fs.FileMode(want)) == neg {
			ts.Fatalf("%s: mode %04o, want %s%04o", f, got, map[bool]string{true: "not ", false: ""}[neg], want)
		}
	}
}

// capture VAR REGEXP sets VAR to the first group of REGEXP's first match
// in the last command's stdout.
func cmdCapture(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: capture VAR REGEXP")
	}
	re, err := regexp.Compile(`(?m)` + args[1])
	ts.Check(err)
	m := re.FindStringSubmatch(ts.ReadFile("stdout"))
	if len(m) < 2 {
		ts.Fatalf("capture: no match for %q in stdout", args[1])
	}
	ts.Setenv(args[0], m[1])
	ts.Logf("%s=%s", args[0], m[1])
}

// tree DIR prints every path below DIR, sorted, folders with a trailing
// slash, for cmp or stdout to check.
func cmdTree(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: tree DIR")
	}
	root := ts.MkAbs(args[0])
	var lines []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == root {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() {
			rel += "/"
		}
		lines = append(lines, filepath.ToSlash(rel))
		return nil
	})
	ts.Check(err)
	sort.Strings(lines)
	for _, l := range lines {
		fmt.Fprintln(ts.Stdout(), l)
	}
	if len(lines) == 0 {
		ts.Stdout() // an empty tree still replaces the last stdout
	}
}

// jsonlines N [KEY...] checks that the last stdout is exactly N lines,
// each a JSON object holding every KEY.
func cmdJSONLines(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 {
		ts.Fatalf("usage: jsonlines N [KEY...]")
	}
	n, err := strconv.Atoi(args[0])
	ts.Check(err)
	out := ts.ReadFile("stdout")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if out == "" {
		lines = nil
	}
	if len(lines) != n {
		ts.Fatalf("stdout has %d lines, want %d JSON lines", len(lines), n)
	}
	for i, l := range lines {
		var obj map[string]any
		if err := json.Unmarshal([]byte(l), &obj); err != nil {
			ts.Fatalf("stdout line %d is not a JSON object: %v: %q", i+1, err, l)
		}
		for _, k := range args[1:] {
			if _, ok := obj[k]; !ok {
				ts.Fatalf("stdout line %d has no %q: %s", i+1, k, l)
			}
		}
	}
}

// forge KIND commits a hostile snapshot (internal/forge: shared, bigsize,
// longname) into $LIFEBOAT_REPO with this machine's write key alone, as
// a backup host's attacker would, and prints its id.
// With more arguments it is one of cmdForgeAttack's attacks.
func cmdForge(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) > 1 {
		cmdForgeAttack(ts, neg, args)
		return
	}
	if neg || len(args) != 1 {
		ts.Fatalf("usage: forge KIND")
	}
	keys := repo.Keys{KeyDir: filepath.Join(ts.Getenv("XDG_CONFIG_HOME"), "lifeboat", "keys"),
		StateDir: filepath.Join(ts.Getenv("HOME"), ".local", "state", "lifeboat")}
	ctx := context.Background()
	r, err := repo.Open(ctx, store.NewLocal(ts.Getenv("LIFEBOAT_REPO")), keys, repo.AccessWrite)
	ts.Check(err)
	defer r.Close()
	id, err := forge.Forge(ctx, r, args[0])
	ts.Check(err)
	fmt.Fprintln(ts.Stdout(), id)
}
