// Package loopback helps tests start real servers on 127.0.0.1: a free
// port to give them, and a wait until they listen.
package loopback

import (
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"testing"
	"time"
)

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago,
// below the kernel's ephemeral range. A client's own port comes from that
// range, so a client that dials a port in it before its server listens
// can, once in many thousand tries, be given that very port and connect
// to itself (TCP simultaneous open), reading back what it sent: CI's adb
// once failed "protocol fault (status 30 30 30 63?!)", its own "000c" of
// "000chost:version". A port below the range also never collides with
// another process's port 0.
func FreePort(t testing.TB) int {
	t.Helper()
	lo := EphemeralLow()
	const first = 10000
	for range 200 {
		if lo <= first+1000 {
			break
		}
		port := first + rand.IntN(lo-first)
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			continue
		}
		l.Close()
		return port
	}
	// No room below the range: take one from it.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// EphemeralLow is the lowest port the kernel gives a socket of its own
// choosing: Linux's ip_local_port_range, else 32768 (Linux's default;
// macOS and Windows start at 49152).
func EphemeralLow() int {
	var lo, hi int
	if b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range"); err == nil {
		if n, _ := fmt.Sscan(string(b), &lo, &hi); n == 2 && lo > 0 {
			return lo
		}
	}
	return 32768
}

// Wait waits up to 10 s for a server (name, for the message) to accept
// connections at addr.
func Wait(t testing.TB, name, addr string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(25 * time.Millisecond) {
		if c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond); err == nil {
			c.Close()
			return
		}
	}
	t.Fatalf("%s did not listen on %s", name, addr)
}
