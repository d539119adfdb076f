package fakeadb

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
)

// The adb transport commands (OVERVIEW.TXT, AOSP adb/protocol.txt).
const (
	cmdCNXN = 0x4e584e43
	cmdAUTH = 0x48545541
	cmdOPEN = 0x4e45504f
	cmdOKAY = 0x59414b4f
	cmdWRTE = 0x45545257
	cmdCLSE = 0x45534c43

	version = 0x01000001
	maxData = 1 << 20

	authToken     = 1
	authSignature = 2
	authPublicKey = 3
)

type message struct {
	cmd, arg0, arg1 uint32
	data            []byte
}

func readMessage(r io.Reader) (message, error) {
	var h [24]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return message{}, err
	}
	le := binary.LittleEndian
	m := message{cmd: le.Uint32(h[0:]), arg0: le.Uint32(h[4:]), arg1: le.Uint32(h[8:])}
	if le.Uint32(h[20:]) != m.cmd^0xffffffff {
		return message{}, fmt.Errorf("bad magic for command %08x", m.cmd)
	}
	n := le.Uint32(h[12:])
	if n > maxData {
		return message{}, fmt.Errorf("payload of %d bytes over %d", n, maxData)
	}
	m.data = make([]byte, n)
	if _, err := io.ReadFull(r, m.data); err != nil {
		return message{}, err
	}
	return m, nil
}

// conn is one adb server's connection to the fake phone.
type conn struct {
	p       *Phone
	c       net.Conn
	wmu     sync.Mutex
	mu      sync.Mutex
	streams map[uint32]*stream
	nextID  uint32
	maxData int
}

func (c *conn) send(cmd, arg0, arg1 uint32, data []byte) error {
	var h [24]byte
	le := binary.LittleEndian
	le.PutUint32(h[0:], cmd)
	le.PutUint32(h[4:], arg0)
	le.PutUint32(h[8:], arg1)
	le.PutUint32(h[12:], uint32(len(data)))
	var sum uint32
	for _, b := range data {
		sum += uint32(b)
	}
	le.PutUint32(h[16:], sum)
	le.PutUint32(h[20:], cmd^0xffffffff)
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if _, err := c.c.Write(h[:]); err != nil {
		return err
	}
	_, err := c.c.Write(data)
	return err
}

func (c *conn) banner() []byte {
	o := c.p.opts
	return []byte(fmt.Sprintf("device::ro.product.name=%s;ro.product.model=%s;ro.product.device=%s;features=%s",
		o.Product, o.Model, o.Device, strings.Join(o.Features, ",")))
}

// serve reads messages until the server goes away.
func (c *conn) serve() {
	defer c.c.Close()
	defer c.closeAll()
	for {
		m, err := readMessage(c.c)
		if err != nil {
			return
		}
		switch m.cmd {
		case cmdCNXN:
			c.maxData = min(int(m.arg1), maxData)
			switch {
			case c.p.opts.Offline: // never answered: the server waits, "offline"
			case c.p.opts.Unauthorized:
				c.send(cmdAUTH, authToken, 0, make([]byte, 20))
			default:
				c.send(cmdCNXN, version, maxData, c.banner())
			}
		case cmdAUTH:
			// A refusing phone answers every signature with a new token
			// and never shows the public key's prompt.
			if m.arg0 == authSignature {
				c.send(cmdAUTH, authToken, 0, make([]byte, 20))
			}
		case cmdOPEN:
			if !c.p.opts.Unauthorized && !c.p.opts.Offline {
				c.open(m.arg0, strings.TrimRight(string(m.data), "\x00"))
			}
		case cmdOKAY:
			if s := c.stream(m.arg1); s != nil {
				s.credit()
			}
		case cmdWRTE:
			if s := c.stream(m.arg1); s != nil {
				select { // a server that ignores flow control waits here
				case s.in <- m.data:
				case <-s.done:
				}
			}
		case cmdCLSE:
			if s := c.stream(m.arg1); s != nil {
				s.remoteClosed()
			}
		}
	}
}

func (c *conn) stream(id uint32) *stream {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.streams[id]
}

func (c *conn) closeAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range c.streams {
		s.remoteClosed()
	}
}

func (c *conn) open(remote uint32, service string) {
	run := c.p.service(service)
	if run == nil {
		c.send(cmdCLSE, 0, remote, nil)
		return
	}
	c.mu.Lock()
	c.nextID++
	s := &stream{c: c, local: c.nextID, remote: remote, in: make(chan []byte, 1), okay: make(chan struct{}, 1), done: make(chan struct{})}
	c.streams[s.local] = s
	c.mu.Unlock()
	c.send(cmdOKAY, s.local, remote, nil)
	go func() {
		run(s)
		s.Close()
	}()
}

// stream is one service's end of an OPENed stream. Reads consume the
// server's WRTEs (each acknowledged once taken); writes are cut to the
// negotiated payload size with one WRTE in flight.
type stream struct {
	c             *conn
	local, remote uint32
	in            chan []byte
	okay          chan struct{}
	done          chan struct{}
	doneOnce      sync.Once
	closeOnce     sync.Once
	pending       []byte
}

var errClosed = errors.New("stream closed")

func (s *stream) credit() {
	select {
	case s.okay <- struct{}{}:
	default:
	}
}

func (s *stream) remoteClosed() { s.doneOnce.Do(func() { close(s.done) }) }

func (s *stream) Read(b []byte) (int, error) {
	if len(s.pending) == 0 {
		select {
		case d := <-s.in:
			s.pending = d
			s.c.send(cmdOKAY, s.local, s.remote, nil)
		case <-s.done:
			return 0, io.EOF
		}
	}
	n := copy(b, s.pending)
	s.pending = s.pending[n:]
	return n, nil
}

func (s *stream) Write(b []byte) (int, error) {
	written := 0
	for len(b) > 0 {
		n := min(len(b), s.c.maxData)
		if err := s.c.send(cmdWRTE, s.local, s.remote, b[:n]); err != nil {
			return written, err
		}
		select {
		case <-s.okay:
		case <-s.done:
			return written, errClosed
		}
		written += n
		b = b[n:]
	}
	return written, nil
}

// Close sends CLSE once and forgets the stream.
func (s *stream) Close() error {
	s.closeOnce.Do(func() {
		s.c.send(cmdCLSE, s.local, s.remote, nil)
		s.c.mu.Lock()
		delete(s.c.streams, s.local)
		s.c.mu.Unlock()
		s.remoteClosed()
	})
	return nil
}
