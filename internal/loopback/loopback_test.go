package loopback

import (
	"fmt"
	"net"
	"testing"
)

// A port FreePort gives is below the ephemeral range (so no client can be
// given it as its own port and connect to itself) and can be listened on.
func TestFreePortBelowEphemeral(t *testing.T) {
	lo := EphemeralLow()
	if lo <= 11000 {
		t.Skipf("ephemeral range starts at %d: no room below it", lo)
	}
	seen := map[int]bool{}
	for range 20 {
		p := FreePort(t)
		if p < 10000 || p >= lo {
			t.Fatalf("FreePort = %d; want in [10000, %d)", p, lo)
		}
		seen[p] = true
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
		if err != nil {
			t.Fatalf("listen on the free port %d: %v", p, err)
		}
		l.Close()
	}
	if len(seen) < 10 {
		t.Errorf("20 calls gave only %d ports: %v", len(seen), seen)
	}
}
