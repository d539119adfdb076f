package adb

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"strings"
	"syscall"
)

// The errors a caller tells apart with errors.Is.
var (
	ErrNoADB        = errors.New("the adb command is not installed")
	ErrNoDevice     = errors.New("no phone connected")
	ErrUnauthorized = errors.New("the phone has not authorized this computer")
	ErrOffline      = errors.New("the phone is offline")
	ErrGone         = errors.New("the phone was disconnected")
)

// errProtocol marks bytes from the server or device that break the protocol.
var errProtocol = errors.New("adb protocol error")

// errBroken is what a Sync answers once a call has abandoned its connection.
var errBroken = errors.New("adb sync connection abandoned by an earlier call; open another")

// ManyDevicesError is more than one device and no serial chosen.
type ManyDevicesError struct{ Serials []string }

// Error says how many phones there are and names them.
func (e *ManyDevicesError) Error() string {
	return fmt.Sprintf("%d phones connected (%s)", len(e.Serials), strings.Join(e.Serials, ", "))
}

// ServerError is a FAIL reply of the adb server (or of adbd relayed by it).
type ServerError struct {
	Request string // what was asked, without the device's serial prefix
	Message string
}

// Error quotes the request and the server's message.
func (e *ServerError) Error() string {
	return fmt.Sprintf("adb server refused %q: %s", e.Request, e.Message)
}

// goneMessage reports whether a FAIL text is adb 29's way of saying the
// device it was asked for is no longer there: "device offline",
// "device 'SERIAL' not found", "device not found", "no devices/emulators found".
func goneMessage(msg string) bool {
	m := strings.ToLower(msg)
	return strings.HasPrefix(m, "device offline") ||
		(strings.HasPrefix(m, "device ") && strings.Contains(m, "not found")) ||
		strings.HasPrefix(m, "no devices")
}

// gone wraps err with ErrGone when it is a connection that dropped
// (EOF, reset, a broken pipe) or a FAIL naming a vanished device.
func gone(err error) error {
	if err == nil || errors.Is(err, ErrGone) {
		return err
	}
	var se *ServerError
	if errors.As(err, &se) && goneMessage(se.Message) {
		return fmt.Errorf("%w: %w", ErrGone, err)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, syscall.ECONNABORTED) || errors.Is(err, net.ErrClosed) {
		return fmt.Errorf("%w: %w", ErrGone, err)
	}
	return err
}

// failError turns a sync FAIL message into an error that wraps
// fs.ErrNotExist or fs.ErrPermission where its text says so (adbd sends
// strerror: "open failed: No such file or directory").
func failError(op, path, msg string) error {
	var kind error
	switch {
	case strings.Contains(msg, "No such file"), strings.Contains(msg, "Not a directory"):
		kind = fs.ErrNotExist
	case strings.Contains(msg, "Permission denied"), strings.Contains(msg, "Operation not permitted"):
		kind = fs.ErrPermission
	}
	if kind == nil {
		return &fs.PathError{Op: op, Path: path, Err: errors.New(msg)}
	}
	return &fs.PathError{Op: op, Path: path, Err: fmt.Errorf("%s: %w", msg, kind)}
}

// errnoError maps a Linux errno from a stat_v2 answer.
func errnoError(op, path string, errno uint32) error {
	var err error
	switch errno {
	case 2, 20: // ENOENT, ENOTDIR
		err = fs.ErrNotExist
	case 1, 13: // EPERM, EACCES
		err = fs.ErrPermission
	default:
		err = fmt.Errorf("errno %d", errno)
	}
	return &fs.PathError{Op: op, Path: path, Err: err}
}
