package fakeadb

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/internal/loopback"
)

// DefaultFeatures is what the fake advertises unless Options.Features says
// otherwise: the features adb 29 uses for shell v2 and sync v2.
var DefaultFeatures = []string{"shell_v2", "cmd", "stat_v2", "ls_v2", "fixed_push_mkdir", "fixed_push_symlink_timestamp"}

// Options describe the fake phone.
type Options struct {
	Root                   string   // host folder served as /sdcard and /storage/emulated/0 ("" for an empty one)
	Content                Provider // the rows `content query` answers from (nil for none)
	Commands               map[string]Command
	Product, Model, Device string            // banner properties (defaults "fake", "Fake Phone", "fake")
	Features               []string          // nil for DefaultFeatures
	Unauthorized           bool              // refuse AUTH: `adb devices` shows "unauthorized"
	Props                  map[string]string // what getprop prints; ro.build.version.sdk defaults to 34

	// Offline accepts the adb server's connection but never answers its
	// CNXN, so that `adb devices` lists the phone as "offline" (as a phone
	// whose adbd hangs, or a cable that carries power but no data, does).
	Offline bool
	// Locked is a phone that is on but whose user storage is locked
	// (after a restart, before the first unlock); see locked.go.
	Locked bool
	// Addr is where the phone listens ("" for a free loopback port), and
	// so its serial: a phone plugged back in after Unplug listens where
	// it did, to be the same phone to adb and to a backup's history.
	Addr string
	// BeforeRecv, when set, is called with the phone path before each
	// sync RECV is served, so a test can delete the file between the
	// listing and the pull, or Unplug the phone in the middle of a backup.
	// It runs on the phone's own goroutine: hand it the Phone through
	// something synchronized (an atomic.Pointer set after Start returns),
	// not a plain variable assigned from Start's result.
	BeforeRecv func(path string)
}

// Phone is a running fake phone and the adb server connected to it.
type Phone struct {
	Addr   string // the fake's 127.0.0.1:PORT, also its adb serial
	Serial string
	Port   int    // the isolated adb server's port (adb -P PORT)
	Home   string // HOME of the adb server
	opts   Options
	ln     net.Listener
	mu     sync.Mutex
	ins    []Insert
	ran    []string
	conns  map[net.Conn]bool
	wg     sync.WaitGroup
	tmp    string       // Root made by Serve, removed by Close
	recvd  atomic.Int64 // file bytes served by RECV
	gone   atomic.Bool  // unplugged
	scans  []string     // paths told to the media scanner
}

func unavailable(t testing.TB, what string) {
	t.Helper()
	if os.Getenv("LIFEBOAT_REQUIRE_INTEGRATION") == "1" {
		t.Fatalf("%s unavailable with LIFEBOAT_REQUIRE_INTEGRATION=1", what)
	}
	t.Skipf("%s unavailable; skipping", what)
}

// Start starts the fake phone, an adb server of its own on a free port
// with HOME in a temporary folder, connects the two and waits until
// `adb devices` lists the phone (as "unauthorized" when the options say
// so). Cleanup kills the adb server and stops the phone.
func Start(t testing.TB, o Options) *Phone {
	t.Helper()
	if _, err := exec.LookPath("adb"); err != nil {
		unavailable(t, "adb (Debian package adb)")
	}
	p := Listen(t, o)
	p.Port = loopback.FreePort(t)
	p.Home = t.TempDir()
	t.Cleanup(func() { p.ADB("kill-server") })
	if out, err := p.ADB("start-server"); err != nil {
		t.Fatalf("adb start-server: %v\n%s", err, out)
	}
	want := "device"
	switch {
	case o.Offline:
		want = "offline"
	case o.Unauthorized:
		want = "unauthorized"
	}
	if o.Offline {
		// adb connect waits 10 s for a CNXN that never comes; the server
		// lists the phone as offline at once, so do not wait for it.
		cmd := p.Command("connect", p.Addr)
		if err := cmd.Start(); err != nil {
			t.Fatalf("adb connect: %v", err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if !o.Offline {
			p.ADB("connect", p.Addr)
		}
		if p.State() == want {
			return p
		}
	}
	out, _ := p.ADB("devices")
	t.Fatalf("adb does not list the fake phone as %q:\n%s", want, out)
	return nil
}

// Listen starts only the fake phone, for tests that speak to it directly;
// cleanup stops it.
func Listen(t testing.TB, o Options) *Phone {
	t.Helper()
	if o.Root == "" {
		o.Root = t.TempDir()
	}
	p, err := Serve(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// Serve starts the fake phone on a free loopback port, without an adb
// server (connect one with `adb connect p.Addr`) and without a testing.TB,
// for programs such as cmd/fakephone. An empty Root is a new temporary
// folder that Close removes.
func Serve(o Options) (*Phone, error) {
	tmp := ""
	if o.Root == "" {
		var err error
		if tmp, err = os.MkdirTemp("", "fakeadb-"); err != nil {
			return nil, fmt.Errorf("fakeadb: %w", err)
		}
		o.Root = tmp
	}
	if o.Product == "" {
		o.Product, o.Model, o.Device = "fake", "Fake Phone", "fake"
	}
	if o.Features == nil {
		o.Features = DefaultFeatures
	}
	// A phone with file-based encryption; vold sets ce_available once the
	// user's credential-encrypted storage is unlocked (FsCrypt.cpp).
	props := map[string]string{"ro.build.version.sdk": "34", "ro.product.model": o.Model, "ro.crypto.type": "file"}
	if !o.Locked {
		props["sys.user.0.ce_available"] = "true"
	}
	for k, v := range o.Props {
		props[k] = v
	}
	o.Props = props
	addr := o.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		if tmp != "" {
			os.RemoveAll(tmp)
		}
		return nil, fmt.Errorf("fakeadb: listen: %w", err)
	}
	p := &Phone{Addr: ln.Addr().String(), Serial: ln.Addr().String(), opts: o, ln: ln, conns: map[net.Conn]bool{}, tmp: tmp}
	p.wg.Add(1)
	go p.accept()
	return p, nil
}

// Close stops the phone as Unplug does, waits for its connections to end
// and removes the Root that Serve made. It may be called more than once.
func (p *Phone) Close() error {
	p.Unplug()
	p.wg.Wait()
	if p.tmp != "" {
		return os.RemoveAll(p.tmp)
	}
	return nil
}

func (p *Phone) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		cn := &conn{p: p, c: c, streams: map[uint32]*stream{}, maxData: 4096}
		p.mu.Lock()
		p.conns[c] = true
		p.mu.Unlock()
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			cn.serve()
			p.mu.Lock()
			delete(p.conns, c)
			p.mu.Unlock()
		}()
	}
}

// ADB runs the real adb against this phone's server and returns its
// combined output.
func (p *Phone) ADB(args ...string) ([]byte, error) {
	cmd := p.Command(args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.Bytes(), err
}

// Command is `adb -P PORT ARGS...` with the phone's HOME, not yet started.
func (p *Phone) Command(args ...string) *exec.Cmd {
	cmd := exec.Command("adb", append([]string{"-P", strconv.Itoa(p.Port)}, args...)...)
	cmd.Env = append(os.Environ(), p.Env()...)
	return cmd
}

// Env is what a process needs in its environment to use this phone's adb
// server: HOME and ANDROID_ADB_SERVER_PORT.
func (p *Phone) Env() []string {
	return []string{"HOME=" + p.Home, "ANDROID_ADB_SERVER_PORT=" + strconv.Itoa(p.Port)}
}

// Unplug drops every connection to the phone and refuses new ones, as a
// pulled cable does, and then tells the phone's adb server (when Start made
// one) to forget it. adb removes a USB phone as soon as it is unplugged,
// but keeps a TCP one that dropped in the list as "offline" while it tries
// to reconnect, for up to a minute (ReconnectHandler in adb's
// transport.cpp: 6 attempts 10 s apart, 20 attempts 3 s apart in later
// versions), so without the disconnect the fake would linger as "offline"
// rather than vanish. A phone made by Serve has no adb server of its own:
// its Unplug only drops the connections.
func (p *Phone) Unplug() {
	p.gone.Store(true)
	p.ln.Close()
	p.mu.Lock()
	for c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	if p.Port != 0 {
		p.hostRequest("host:disconnect:" + p.Serial)
	}
}

// hostRequest sends one request to the adb server (OVERVIEW.TXT: four hex
// digits of length, then the request) and waits for its answer.
func (p *Phone) hostRequest(req string) {
	c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(p.Port), time.Second)
	if err != nil {
		return
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(2 * time.Second))
	fmt.Fprintf(c, "%04x%s", len(req), req)
	io.Copy(io.Discard, c)
}

// State is the phone's state in `adb devices` ("device", "unauthorized",
// ...), or "" when it is not listed.
func (p *Phone) State() string {
	out, _ := p.ADB("devices")
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) == 2 && f[0] == p.Serial {
			return f[1]
		}
	}
	return ""
}

// History returns every command line the phone was asked to run, in order.
func (p *Phone) History() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.ran...)
}

// Inserts returns what `content insert` was given so far, in order.
func (p *Phone) Inserts() []Insert {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Insert(nil), p.ins...)
}

// service returns the handler of an OPEN's service, or nil to refuse it.
func (p *Phone) service(name string) func(*stream) {
	switch {
	case name == "sync:":
		return p.sync
	case strings.HasPrefix(name, "shell,"): // shell,v2,TERM=xterm,raw:CMD
		opts, cmd, _ := strings.Cut(name, ":")
		if !slices.Contains(strings.Split(opts, ","), "v2") {
			return nil
		}
		return func(s *stream) { p.shellV2(s, cmd) }
	case strings.HasPrefix(name, "shell:"):
		return func(s *stream) { p.raw(s, strings.TrimPrefix(name, "shell:")) }
	case strings.HasPrefix(name, "exec:"):
		return func(s *stream) { p.raw(s, strings.TrimPrefix(name, "exec:")) }
	}
	return nil
}

// path maps a phone path under /sdcard or /storage/emulated/0 to the
// fixture folder.
func (p *Phone) path(phone string) (string, error) {
	for _, top := range []string{"/sdcard", "/storage/emulated/0"} {
		if phone == top || strings.HasPrefix(phone, top+"/") {
			rel := filepath.Clean("/" + strings.TrimPrefix(phone, top))
			return filepath.Join(p.opts.Root, filepath.FromSlash(rel)), nil
		}
	}
	return "", fmt.Errorf("%s: outside /sdcard", phone)
}
