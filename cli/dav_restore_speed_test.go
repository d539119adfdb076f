package cli

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/internal/davtest"
)

// countingProxy forwards to a server and counts requests by method and
// the TCP connections clients open to it.
type countingProxy struct {
	url   string
	conns atomic.Int32
	mu    sync.Mutex
	reqs  map[string]int
	// firstPut and lastPut are when the first PUT came and the last
	// was answered.
	firstPut, lastPut time.Time
}

func newCountingProxy(t *testing.T, to string) *countingProxy {
	t.Helper()
	target, err := url.Parse(to)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &countingProxy{url: "http://" + ln.Addr().String(), reqs: map[string]int{}}
	rp := httputil.NewSingleHostReverseProxy(target)
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			p.mu.Lock()
			p.reqs[r.Method]++
			if r.Method == "PUT" && p.firstPut.IsZero() {
				p.firstPut = time.Now()
			}
			p.mu.Unlock()
			rp.ServeHTTP(w, r)
			if r.Method == "PUT" {
				p.mu.Lock()
				p.lastPut = time.Now()
				p.mu.Unlock()
			}
		}),
		ConnState: func(_ net.Conn, s http.ConnState) {
			if s == http.StateNew {
				p.conns.Add(1)
			}
		},
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return p
}

// take returns the counts so far and the time from the first PUT to
// the last answer to one, and starts again from zero.
func (p *countingProxy) take() (map[string]int, int, time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	reqs, puts := p.reqs, p.lastPut.Sub(p.firstPut)
	p.reqs, p.firstPut, p.lastPut = map[string]int{}, time.Time{}, time.Time{}
	return reqs, int(p.conns.Swap(0)), puts
}

// TestDAVRestoreRequests: a restore into a new collection sends one PUT
// per record over one connection, and one PROPFIND before and after: no
// request a plain loop of PUTs would not send. A rerun reads what is
// there with multiget REPORTs of 100 records, not a GET per record. The
// rates of both and of a plain loop are logged.
func TestDAVRestoreRequests(t *testing.T) {
	xan := davtest.Xandikos(t)
	const n = 120
	var export strings.Builder
	for i := 0; i < n; i++ {
		export.WriteString(androidCard(i, nil))
	}
	repoDir, src := phoneRepo(t, map[string]string{"contacts.vcf": export.String()})
	proxy := newCountingProxy(t, xan.Base)
	host := strings.TrimPrefix(proxy.url, "http://")
	to := "carddav+http://" + xan.User + "@" + host + "/user/contacts/speed/"

	start := time.Now()
	if code, out, e := lbOut(t, "restore", "--repo", repoDir, "latest:"+src, "--to", to); code != 0 || !strings.Contains(out, fmt.Sprintf(": %d put,", n)) {
		t.Fatalf("restore: %d %s %s", code, out, e)
	}
	took := time.Since(start)
	reqs, conns, puts := proxy.take()
	if want := map[string]int{"PROPFIND": 2, "MKCOL": 1, "PUT": n}; fmt.Sprint(reqs) != fmt.Sprint(want) || conns != 1 {
		t.Errorf("restore: requests %v over %d connections, want %v over 1", reqs, conns, want)
	}

	start = time.Now()
	if code, out, e := lbOut(t, "restore", "--repo", repoDir, "latest:"+src, "--to", to); code != 0 || !strings.Contains(out, fmt.Sprintf("0 put, 0 replaced, %d already there", n)) {
		t.Fatalf("rerun: %d %s %s", code, out, e)
	}
	rerun := time.Since(start)
	reqs, conns, _ = proxy.take()
	if want := map[string]int{"PROPFIND": 1, "REPORT": 2}; fmt.Sprint(reqs) != fmt.Sprint(want) || conns != 1 {
		t.Errorf("rerun: requests %v over %d connections, want %v over 1", reqs, conns, want)
	}

	// A plain loop of PUTs, the same records, into another collection.
	mk, _, err := xan.Do("MKCOL", "/user/contacts/loop/", nil, nil)
	if err != nil || mk.StatusCode != 201 {
		t.Fatalf("MKCOL: %v %v", mk, err)
	}
	for i := 0; i < n; i++ {
		card := strings.Replace(androidCard(i, nil), "END:VCARD", fmt.Sprintf("UID:loop-%d\r\nEND:VCARD", i), 1)
		req, _ := http.NewRequest("PUT", fmt.Sprintf("%s/user/contacts/loop/loop-%d.vcf", proxy.url, i), bytes.NewReader([]byte(card)))
		req.Header.Set("Content-Type", "text/vcard")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	_, _, loop := proxy.take()
	t.Logf("%d records: restore %.1f/s (its PUTs %.1f/s), rerun %.1f/s, a plain loop of PUTs %.1f/s",
		n, n/took.Seconds(), n/puts.Seconds(), n/rerun.Seconds(), n/loop.Seconds())
}
