package fakeadb

import (
	"bufio"
	"bytes"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// client is the adb server's side of the transport, for what the real
// adb does not show: flow control and the banner.
type client struct {
	t *testing.T
	c net.Conn
	r *bufio.Reader
	x conn // for send
}

func dialPhone(t *testing.T, p *Phone) *client {
	c, err := net.Dial("tcp", p.Addr)
	must(t, err)
	t.Cleanup(func() { c.Close() })
	cl := &client{t: t, c: c, r: bufio.NewReader(c), x: conn{c: c}}
	cl.send(cmdCNXN, version, 4096, []byte("host::\x00"))
	if m := cl.read(); m.cmd != cmdCNXN || m.arg0 != version || m.arg1 != maxData {
		t.Fatalf("CNXN answer %08x %x %x", m.cmd, m.arg0, m.arg1)
	} else if b := string(m.data); !strings.HasPrefix(b, "device::ro.product.name=fake;ro.product.model=Fake Phone;ro.product.device=fake;features=") ||
		!strings.Contains(b, "shell_v2") || !strings.Contains(b, "stat_v2") || !strings.Contains(b, "ls_v2") {
		t.Errorf("banner %q", b)
	}
	return cl
}

func (cl *client) send(cmd, a0, a1 uint32, data []byte) {
	cl.t.Helper()
	must(cl.t, cl.x.send(cmd, a0, a1, data))
}

func (cl *client) read() message {
	cl.t.Helper()
	cl.c.SetReadDeadline(time.Now().Add(10 * time.Second))
	m, err := readMessage(cl.r)
	must(cl.t, err)
	return m
}

// quiet reports whether nothing arrives for a moment. A correct phone is
// never caught out by it; a wrong one is caught most of the time.
func (cl *client) quiet() bool {
	cl.c.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	_, err := cl.r.Peek(1)
	return err != nil
}

func TestOneWriteInFlightPerStream(t *testing.T) {
	root := t.TempDir()
	a := bytes.Repeat([]byte("a"), 3*4096+5) // four WRTEs of at most 4096
	b := bytes.Repeat([]byte("b"), 2*4096)
	must(t, os.WriteFile(filepath.Join(root, "a"), a, 0o644))
	must(t, os.WriteFile(filepath.Join(root, "b"), b, 0o644))
	cl := dialPhone(t, Listen(t, Options{Root: root}))

	cl.send(cmdOPEN, 101, 0, []byte("exec:cat /sdcard/a\x00"))
	cl.send(cmdOPEN, 202, 0, []byte("exec:cat /sdcard/b\x00"))
	local := map[uint32]uint32{}
	got := map[uint32][]byte{}
	closed := map[uint32]bool{}
	for len(closed) < 2 {
		// Take everything the phone sends until it falls silent: at most
		// one WRTE per stream, since none is acknowledged yet.
		var unacked []message
		for {
			m := cl.read()
			switch m.cmd {
			case cmdOKAY:
				local[m.arg1] = m.arg0
			case cmdWRTE:
				for _, u := range unacked {
					if u.arg1 == m.arg1 {
						t.Fatalf("a second WRTE on stream %d before the first was acknowledged", m.arg1)
					}
				}
				if len(m.data) > 4096 {
					t.Errorf("WRTE of %d bytes over the server's 4096", len(m.data))
				}
				got[m.arg1] = append(got[m.arg1], m.data...)
				unacked = append(unacked, m)
			case cmdCLSE:
				closed[m.arg1] = true
				cl.send(cmdCLSE, m.arg1, local[m.arg1], nil)
			default:
				t.Fatalf("unexpected %08x", m.cmd)
			}
			if len(closed) == 2 || cl.quiet() {
				break
			}
		}
		for _, m := range unacked {
			cl.send(cmdOKAY, m.arg1, local[m.arg1], nil)
		}
	}
	if local[101] == 0 || local[202] == 0 || local[101] == local[202] {
		t.Errorf("local ids %v: want two different ones", local)
	}
	if !bytes.Equal(got[101], a) || !bytes.Equal(got[202], b) {
		t.Errorf("streams gave %d and %d bytes, want %d and %d", len(got[101]), len(got[202]), len(a), len(b))
	}
}

func TestUnknownServiceIsRefused(t *testing.T) {
	cl := dialPhone(t, Listen(t, Options{}))
	cl.send(cmdOPEN, 7, 0, []byte("reboot:\x00"))
	if m := cl.read(); m.cmd != cmdCLSE || m.arg1 != 7 {
		t.Errorf("OPEN reboot: answer %08x to %d, want CLSE to 7", m.cmd, m.arg1)
	}
}
