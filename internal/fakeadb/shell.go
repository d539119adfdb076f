package fakeadb

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
)

// Exec is one command the phone runs: its words, after the shell's
// quoting is undone, and where its output goes.
type Exec struct {
	Args           []string
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

// Command answers one command; it returns the exit code.
type Command func(p *Phone, e *Exec) int

// The shell protocol v2 packet ids (AOSP adb/shell_protocol.h).
const (
	idStdin      = 0
	idStdout     = 1
	idStderr     = 2
	idExit       = 3
	idCloseStdin = 4
)

// packetWriter writes shell v2 packets of one id, each of at most
// 64 KiB of data.
type packetWriter struct {
	s  *stream
	id byte
}

func (w packetWriter) Write(b []byte) (int, error) {
	written := 0
	for len(b) > 0 {
		n := min(len(b), 64<<10)
		h := make([]byte, 5, 5+n)
		h[0] = w.id
		binary.LittleEndian.PutUint32(h[1:], uint32(n))
		if _, err := w.s.Write(append(h, b[:n]...)); err != nil {
			return written, err
		}
		written += n
		b = b[n:]
	}
	return written, nil
}

// stderrWriter sends what stdout holds before each stderr packet, so
// the two keep their order.
type stderrWriter struct {
	out *bufio.Writer
	err packetWriter
}

func (w stderrWriter) Write(b []byte) (int, error) {
	if err := w.out.Flush(); err != nil {
		return 0, err
	}
	return w.err.Write(b)
}

// stdinReader takes the stdin packets out of a shell v2 stream.
type stdinReader struct {
	s    *stream
	left uint32
	eof  bool
}

func (r *stdinReader) Read(b []byte) (int, error) {
	for r.left == 0 {
		if r.eof {
			return 0, io.EOF
		}
		var h [5]byte
		if _, err := io.ReadFull(r.s, h[:]); err != nil {
			return 0, io.EOF
		}
		n := binary.LittleEndian.Uint32(h[1:])
		switch h[0] {
		case idStdin:
			r.left = n
		case idCloseStdin:
			r.eof = true
			io.CopyN(io.Discard, r.s, int64(n))
		default:
			io.CopyN(io.Discard, r.s, int64(n))
		}
	}
	n, err := r.s.Read(b[:min(len(b), int(r.left))])
	r.left -= uint32(n)
	return n, err
}

// shellV2 runs cmd with stdout and stderr apart and sends its exit code.
func (p *Phone) shellV2(s *stream, cmd string) {
	out := bufio.NewWriterSize(packetWriter{s, idStdout}, 64<<10)
	code := p.run(cmd, &stdinReader{s: s}, out, stderrWriter{out, packetWriter{s, idStderr}})
	out.Flush()
	packetWriter{s, idExit}.Write([]byte{byte(code)})
}

// raw runs cmd for shell v1 and exec: stderr joins stdout, the exit code
// is lost, as on a phone.
func (p *Phone) raw(s *stream, cmd string) {
	out := bufio.NewWriterSize(s, maxData)
	p.run(cmd, s, out, out)
	out.Flush()
}

func (p *Phone) run(line string, stdin io.Reader, stdout, stderr io.Writer) int {
	p.mu.Lock()
	p.ran = append(p.ran, line)
	p.mu.Unlock()
	return p.script(line, stdin, stdout, stderr)
}

func init() { builtins["sh"] = shC }

// shC is `sh -c SCRIPT`: it runs SCRIPT as a line of its own, so an exit
// in it ends only SCRIPT.
func shC(p *Phone, e *Exec) int {
	if len(e.Args) < 3 || e.Args[1] != "-c" {
		fmt.Fprintln(e.Stderr, "sh: only sh -c SCRIPT is supported")
		return 2
	}
	return p.script(e.Args[2], e.Stdin, e.Stdout, e.Stderr)
}

// script runs the commands of a line.
func (p *Phone) script(line string, stdin io.Reader, stdout, stderr io.Writer) int {
	code := 0
	for _, part := range splitCommands(line) {
		args, err := splitWords(part)
		if err != nil {
			fmt.Fprintf(stderr, "sh: %v\n", err)
			return 2
		}
		if len(args) == 0 {
			continue
		}
		for i := range args {
			args[i] = strings.ReplaceAll(args[i], "$?", strconv.Itoa(code))
		}
		code = p.run1(args, stdin, stdout, stderr)
		if args[0] == "exit" {
			break
		}
	}
	return code
}

// splitCommands cuts a line at each ';' and newline outside quotes.
func splitCommands(s string) []string {
	var parts []string
	quote, start := byte(0), 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else if c == '\\' && quote == '"' {
				i++
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '\\':
			i++
		case c == ';' || c == '\n':
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}

func (p *Phone) run1(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &Exec{Args: args, Stdin: stdin, Stdout: stdout, Stderr: stderr}
	if c, ok := p.opts.Commands[args[0]]; ok {
		return c(p, e)
	}
	if c, ok := builtins[args[0]]; ok {
		return c(p, e)
	}
	fmt.Fprintf(stderr, "/system/bin/sh: %s: inaccessible or not found\n", args[0])
	return 127
}

var builtins = map[string]Command{
	"exit": func(p *Phone, e *Exec) int {
		if len(e.Args) < 2 {
			return 0
		}
		n, _ := strconv.Atoi(e.Args[1])
		return n & 0xff
	},
	"echo": func(p *Phone, e *Exec) int {
		fmt.Fprintln(e.Stdout, strings.Join(e.Args[1:], " "))
		return 0
	},
	"cat": func(p *Phone, e *Exec) int {
		if len(e.Args) == 1 {
			io.Copy(e.Stdout, e.Stdin)
			return 0
		}
		code := 0
		for _, a := range e.Args[1:] {
			if err := p.cat(a, e.Stdout); err != nil {
				fmt.Fprintf(e.Stderr, "cat: %s: %s\n", a, strerror(err))
				code = 1
			}
		}
		return code
	},
	"content": content,
	"am":      am,
	"getprop": func(p *Phone, e *Exec) int {
		if len(e.Args) > 1 {
			fmt.Fprintln(e.Stdout, p.opts.Props[e.Args[1]])
			return 0
		}
		for _, k := range slices.Sorted(maps.Keys(p.opts.Props)) {
			fmt.Fprintf(e.Stdout, "[%s]: [%s]\n", k, p.opts.Props[k])
		}
		return 0
	},
}

func (p *Phone) cat(phone string, w io.Writer) error {
	host, err := p.path(phone)
	if err != nil {
		return syscall.ENOENT
	}
	if p.opts.Locked {
		return syscall.EACCES
	}
	f, err := os.Open(host)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

// splitWords undoes sh quoting: single quotes, double quotes with
// backslash escapes, and backslashes outside quotes. No expansions.
func splitWords(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	in, quote := false, byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote == '\'':
			if c == '\'' {
				quote = 0
			} else {
				cur.WriteByte(c)
			}
		case quote == '"':
			if c == '"' {
				quote = 0
			} else if c == '\\' && i+1 < len(s) && strings.IndexByte("\"\\$`", s[i+1]) >= 0 {
				i++
				cur.WriteByte(s[i])
			} else {
				cur.WriteByte(c)
			}
		case c == '\'' || c == '"':
			quote, in = c, true
		case c == '\\' && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
			in = true
		case c == ' ' || c == '\t' || c == '\n':
			if in {
				words = append(words, cur.String())
				cur.Reset()
				in = false
			}
		default:
			cur.WriteByte(c)
			in = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("unterminated %c quote", quote)
	}
	if in {
		words = append(words, cur.String())
	}
	return words, nil
}
