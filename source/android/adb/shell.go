package adb

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// maxOutput bounds what Shell keeps of either stream.
const maxOutput = 256 << 20

// maxShellPacket bounds one shell v2 packet: adbd cuts them to its
// buffer, MAX_PAYLOAD (1 MiB) in shell_protocol.h.
const maxShellPacket = 1 << 20

// The shell protocol v2 packet ids (AOSP adb/shell_protocol.h).
const (
	shellStdin      = 0
	shellStdout     = 1
	shellStderr     = 2
	shellExit       = 3
	shellCloseStdin = 4
)

// Result is what a command printed and its exit code.
type Result struct {
	Stdout, Stderr []byte
	Exit           int
}

// Shell runs cmd with /system/bin/sh on the device and returns its output and exit code.
// With shell_v2 it uses "shell,v2,raw:" (stdout, stderr and exit apart); without it,
// "shell:" with stderr merged into stdout and the exit code recovered from a marker the
// command line prints after cmd. Output is bounded: more than
// 256 MiB on either stream is an error.
//
// The marker: without shell_v2 the command line is `sh -c 'CMD'
// </dev/null; echo lifeboat-exit-NONCE:$?` (CMD single-quoted, so that an
// exit, a trailing comment or backslash in it cannot skip the echo; stdin
// from /dev/null, as "shell:" cannot close it), with a random NONCE per
// call. The last
// occurrence of the marker, followed only by digits and a line end (LF,
// or CRLF from the pty of Android before 7), gives the exit code and is
// cut from the output. Its absence (the connection ended first) is ErrGone.
func (d *Device) Shell(ctx context.Context, cmd string) (Result, error) {
	run := d.shellV1
	if d.Features["shell_v2"] {
		run = d.shellV2
	}
	res, err := run(ctx, cmd)
	if err != nil && ctx.Err() != nil {
		return Result{}, ctx.Err()
	}
	return res, err
}

func (d *Device) shellV2(ctx context.Context, cmd string) (Result, error) {
	cn, err := d.service(ctx, "shell,v2,raw:"+cmd)
	if err != nil {
		return Result{}, err
	}
	defer cn.Close()
	// No stdin: say so at once, so that a command reading it sees EOF.
	if _, err := cn.Write([]byte{shellCloseStdin, 0, 0, 0, 0}); err != nil {
		return Result{}, fmt.Errorf("shell %s: %w", d.Serial, gone(err))
	}
	var res Result
	var out, errb bytes.Buffer
	for {
		id, data, err := readShellPacket(cn)
		if err != nil {
			return Result{}, fmt.Errorf("shell %s: %w", d.Serial, gone(err))
		}
		switch id {
		case shellStdout:
			if out.Len()+len(data) > maxOutput {
				return Result{}, fmt.Errorf("shell %s: stdout over %d MiB", d.Serial, maxOutput>>20)
			}
			out.Write(data)
		case shellStderr:
			if errb.Len()+len(data) > maxOutput {
				return Result{}, fmt.Errorf("shell %s: stderr over %d MiB", d.Serial, maxOutput>>20)
			}
			errb.Write(data)
		case shellExit:
			if len(data) != 1 {
				return Result{}, fmt.Errorf("shell %s: %w: exit packet of %d bytes", d.Serial, errProtocol, len(data))
			}
			res.Stdout, res.Stderr, res.Exit = out.Bytes(), errb.Bytes(), int(data[0])
			return res, nil
		}
	}
}

// readShellPacket reads one shell v2 packet: an id byte, a 32-bit
// little-endian length (at most maxShellPacket), the data.
func readShellPacket(r io.Reader) (byte, []byte, error) {
	var h [5]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return 0, nil, err
	}
	n := binary.LittleEndian.Uint32(h[1:])
	if n > maxShellPacket {
		return 0, nil, fmt.Errorf("%w: shell packet of %d bytes", errProtocol, n)
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return 0, nil, err
	}
	return h[0], b, nil
}

func (d *Device) shellV1(ctx context.Context, cmd string) (Result, error) {
	var nonce [8]byte
	rand.Read(nonce[:])
	marker := "lifeboat-exit-" + hex.EncodeToString(nonce[:]) + ":"
	cn, err := d.service(ctx, "shell:sh -c "+quote(cmd)+" </dev/null; echo "+marker+"$?")
	if err != nil {
		return Result{}, err
	}
	defer cn.Close()
	var out bytes.Buffer
	n, err := io.Copy(&out, io.LimitReader(cn, maxOutput+int64(len(marker))+8))
	if err != nil {
		return Result{}, fmt.Errorf("shell %s: %w", d.Serial, gone(err))
	}
	if n > maxOutput+int64(len(marker))+4 {
		return Result{}, fmt.Errorf("shell %s: output over %d MiB", d.Serial, maxOutput>>20)
	}
	b, code, ok := cutMarker(out.Bytes(), marker)
	if !ok {
		return Result{}, fmt.Errorf("shell %s: %w: the output ended before the exit code", d.Serial, ErrGone)
	}
	return Result{Stdout: b, Exit: code}, nil
}

// quote puts s in single quotes for sh, each ' as '\”.
func quote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// cutMarker finds "MARKER<digits>\n" (or \r\n) at the end of b and
// returns what precedes it and the digits' value.
func cutMarker(b []byte, marker string) ([]byte, int, bool) {
	i := bytes.LastIndex(b, []byte(marker))
	if i < 0 {
		return nil, 0, false
	}
	tail := b[i+len(marker):]
	tail = bytes.TrimSuffix(tail, []byte("\n"))
	tail = bytes.TrimSuffix(tail, []byte("\r"))
	code, err := strconv.Atoi(string(tail))
	if err != nil || code < 0 || code > 255 {
		return nil, 0, false
	}
	return b[:i], code, true
}

// Exec runs cmd with the exec: service (binary-clean stdout, stderr merged) and streams stdout.
// exec: carries no exit code, and a connection that ends is the end of
// the output: a phone unplugged mid-stream is seen only when the socket
// is reset. Close ends the command's connection.
func (d *Device) Exec(ctx context.Context, cmd string) (io.ReadCloser, error) {
	cn, err := d.service(ctx, "exec:"+cmd)
	if err != nil {
		return nil, err
	}
	return &execReader{cn: cn}, nil
}

type execReader struct{ cn *conn }

func (e *execReader) Read(b []byte) (int, error) {
	n, err := e.cn.Read(b)
	if err != nil && err != io.EOF {
		err = gone(err)
	}
	return n, err
}

func (e *execReader) Close() error { return e.cn.Close() }
