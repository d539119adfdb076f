package adb

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Client is a client of one adb server. It holds no connection: every
// request opens its own, as the adb command does.
type Client struct {
	addr string
}

// Dial returns a client of the user's adb server: ANDROID_ADB_SERVER_ADDRESS (default 127.0.0.1)
// and ANDROID_ADB_SERVER_PORT (default 5037). It needs the adb command (exec.LookPath("adb"),
// else ErrNoADB) and runs `adb start-server` when nothing listens (with the same environment),
// as adb itself does. It checks the server answers host:version.
func Dial(ctx context.Context) (*Client, error) {
	bin, err := exec.LookPath("adb")
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNoADB, err)
	}
	host := orDefault(os.Getenv("ANDROID_ADB_SERVER_ADDRESS"), "127.0.0.1")
	port := orDefault(os.Getenv("ANDROID_ADB_SERVER_PORT"), "5037")
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return nil, fmt.Errorf("ANDROID_ADB_SERVER_PORT %q is not a port number", port)
	}
	c := &Client{addr: net.JoinHostPort(host, port)}
	_, err = c.version(ctx)
	if errors.Is(err, syscall.ECONNREFUSED) {
		cmd := exec.CommandContext(ctx, bin, "start-server")
		cmd.Env = os.Environ()
		if out, serr := cmd.CombinedOutput(); serr != nil {
			return nil, fmt.Errorf("adb start-server: %w: %s", serr, strings.TrimSpace(string(out)))
		}
		_, err = c.version(ctx)
	}
	if err != nil {
		return nil, fmt.Errorf("adb server at %s: %w", c.addr, err)
	}
	return c, nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// version asks host:version: four hex digits (adb 29's server says 0029).
func (c *Client) version(ctx context.Context) (int, error) {
	b, err := c.query(ctx, "host:version")
	if err != nil {
		return 0, err
	}
	v, err := strconv.ParseUint(string(b), 16, 32)
	if err != nil {
		return 0, fmt.Errorf("%w: host:version answered %q", errProtocol, b)
	}
	return int(v), nil
}

// DeviceInfo is one line of `adb devices -l`.
type DeviceInfo struct{ Serial, State, Model string } // State as `adb devices` says: device, unauthorized, offline, ...

// Devices lists the devices the server knows (host:devices-l).
func (c *Client) Devices(ctx context.Context) ([]DeviceInfo, error) {
	b, err := c.query(ctx, "host:devices-l")
	if err != nil {
		return nil, err
	}
	return parseDevices(string(b)), nil
}

// listKeys are the KEY:VALUE words adb 29 appends to a devices-l line.
var listKeys = map[string]bool{"usb": true, "product": true, "model": true, "device": true, "transport_id": true}

// parseDevices reads host:devices-l. adb 29 prints "%-22s %s" (serial,
// state) then " product:P model:M device:D transport_id:N" for a device
// it is connected to, and only the transport_id for an unauthorized or
// offline one. A state can hold spaces ("no permissions (...)"), so the
// words after the serial up to the first KEY:VALUE are the state.
func parseDevices(s string) []DeviceInfo {
	var ds []DeviceInfo
	for _, line := range strings.Split(s, "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		d := DeviceInfo{Serial: f[0]}
		var state []string
		attrs := false
		for _, w := range f[1:] {
			k, v, ok := strings.Cut(w, ":")
			if ok && listKeys[k] && len(state) > 0 {
				attrs = true
				if k == "model" {
					d.Model = v
				}
				continue
			}
			if !attrs {
				state = append(state, w)
			}
		}
		d.State = strings.Join(state, " ")
		ds = append(ds, d)
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i].Serial < ds[j].Serial })
	return ds
}

// Device returns the device with this serial, or the only device when serial is "".
// Errors: ErrNoDevice (none, or no such serial: say which), *ManyDevicesError, ErrUnauthorized,
// ErrOffline (and other non-"device" states wrapped with their state). It reads the device's
// features (host-serial:SERIAL:features).
func (c *Client) Device(ctx context.Context, serial string) (*Device, error) {
	ds, err := c.Devices(ctx)
	if err != nil {
		return nil, err
	}
	var d *DeviceInfo
	switch {
	case serial != "":
		for i := range ds {
			if ds[i].Serial == serial {
				d = &ds[i]
			}
		}
		if d == nil && len(ds) > 0 {
			var serials []string
			for _, d := range ds {
				serials = append(serials, d.Serial)
			}
			return nil, fmt.Errorf("%w with serial %s (connected: %s)", ErrNoDevice, serial, strings.Join(serials, ", "))
		}
		if d == nil {
			return nil, fmt.Errorf("%w with serial %s", ErrNoDevice, serial)
		}
	case len(ds) == 0:
		return nil, ErrNoDevice
	case len(ds) > 1:
		e := &ManyDevicesError{}
		for _, d := range ds {
			e.Serials = append(e.Serials, d.Serial)
		}
		return nil, e
	default:
		d = &ds[0]
	}
	switch d.State {
	case "device":
	case "unauthorized":
		return nil, fmt.Errorf("%s: %w", d.Serial, ErrUnauthorized)
	case "offline":
		return nil, fmt.Errorf("%s: %w", d.Serial, ErrOffline)
	default:
		return nil, fmt.Errorf("%s: the phone is in state %q, not ready", d.Serial, d.State)
	}
	b, err := c.query(ctx, "host-serial:"+d.Serial+":features")
	if err != nil {
		return nil, fmt.Errorf("%s: features: %w", d.Serial, gone(err))
	}
	dev := &Device{Serial: d.Serial, Features: map[string]bool{}, c: c}
	for _, f := range strings.Split(strings.TrimSpace(string(b)), ",") {
		if f != "" {
			dev.Features[f] = true
		}
	}
	return dev, nil
}

// conn is one connection to the adb server, closed when its context is done.
type conn struct {
	nc   net.Conn
	r    *bufio.Reader
	ctx  context.Context
	stop func() bool
}

// open connects to the server; the connection closes when ctx is done.
func (c *Client) open(ctx context.Context) (*conn, error) {
	var d net.Dialer
	nc, err := d.DialContext(ctx, "tcp", c.addr)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, err
	}
	cn := &conn{nc: nc, r: bufio.NewReaderSize(nc, 64<<10), ctx: ctx}
	cn.stop = context.AfterFunc(ctx, func() { nc.SetDeadline(time.Unix(1, 0)); nc.Close() })
	return cn, nil
}

func (cn *conn) Close() error {
	cn.stop()
	return cn.nc.Close()
}

// err is ctx.Err() when the context closed the connection, else err.
func (cn *conn) err(err error) error {
	if err != nil && cn.ctx.Err() != nil {
		return cn.ctx.Err()
	}
	return err
}

func (cn *conn) Read(b []byte) (int, error) {
	n, err := cn.r.Read(b)
	return n, cn.err(err)
}

func (cn *conn) Write(b []byte) (int, error) {
	n, err := cn.nc.Write(b)
	return n, cn.err(err)
}

// request sends one host request (four hex digits of length, then the
// text) and reads OKAY, or FAIL and its message as a *ServerError.
func (cn *conn) request(req string) error {
	if len(req) > 0xffff {
		return fmt.Errorf("adb request of %d bytes is too long", len(req))
	}
	if _, err := fmt.Fprintf(cn, "%04x%s", len(req), req); err != nil {
		return err
	}
	var st [4]byte
	if _, err := io.ReadFull(cn, st[:]); err != nil {
		return err
	}
	switch string(st[:]) {
	case "OKAY":
		return nil
	case "FAIL":
		msg, err := readHex(cn)
		if err != nil {
			return err
		}
		return &ServerError{Request: req, Message: string(msg)}
	}
	return fmt.Errorf("%w: %q answered %q", errProtocol, req, st[:])
}

// readHex reads a host reply: four hex digits of length (so at most
// 64 KiB), then that many bytes.
func readHex(r io.Reader) ([]byte, error) {
	var h [4]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return nil, err
	}
	n, err := strconv.ParseUint(string(h[:]), 16, 16)
	if err != nil {
		return nil, fmt.Errorf("%w: length %q", errProtocol, h[:])
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, err
	}
	return b, nil
}

// query sends a host request whose answer is one hex-prefixed reply.
func (c *Client) query(ctx context.Context, req string) ([]byte, error) {
	cn, err := c.open(ctx)
	if err != nil {
		return nil, err
	}
	defer cn.Close()
	if err := cn.request(req); err != nil {
		return nil, err
	}
	return readHex(cn)
}

// Device is one phone ready for services.
type Device struct {
	Serial   string
	Features map[string]bool // shell_v2, stat_v2, ls_v2, ...
	c        *Client
}

// service opens a connection to a device service: host:transport:SERIAL,
// then the service's own request. A dropped connection or a FAIL naming a
// vanished device wraps ErrGone.
func (d *Device) service(ctx context.Context, svc string) (*conn, error) {
	cn, err := d.c.open(ctx)
	if err != nil {
		return nil, err
	}
	if err = cn.request("host:transport:" + d.Serial); err == nil {
		err = cn.request(svc)
	}
	if err != nil {
		cn.Close()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("%s: %w", d.Serial, gone(err))
	}
	return cn, nil
}
