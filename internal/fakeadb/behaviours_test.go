package fakeadb

import (
	"encoding/binary"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestServeAndClose(t *testing.T) {
	p, err := Serve(Options{})
	if err != nil {
		t.Fatal(err)
	}
	root := p.opts.Root
	if fi, err := os.Stat(root); err != nil || !fi.IsDir() {
		t.Fatalf("Serve's own root %q: %v", root, err)
	}
	cl := dialPhone(t, p) // a CNXN answered with the banner
	cl.c.Close()
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(root); !os.IsNotExist(err) {
		t.Errorf("root %q after Close: %v, want it removed", root, err)
	}
	if c, err := net.DialTimeout("tcp", p.Addr, time.Second); err == nil {
		c.Close()
		t.Errorf("%s still accepts connections after Close", p.Addr)
	}
	if err := p.Close(); err != nil {
		t.Errorf("a second Close: %v", err)
	}
}

func TestQueryStringAndInsertIDs(t *testing.T) {
	const cals = "content://com.android.calendar/calendars"
	p := Start(t, Options{Content: Provider{cals: {
		Columns: []string{"_id", "name"},
		Rows:    [][]any{{7, "seven"}, {2, "two"}},
	}}})
	uri := cals + "?caller_is_syncadapter=true&account_name=lifeboat&account_type=LOCAL"
	if o, e, _ := run(t, p, "shell", "content query --uri '"+uri+"' --projection _id --where _id=7"); o != "Row: 0 _id=7\n" || e != "" {
		t.Errorf("query with a query string: stdout %q, stderr %q", o, e)
	}
	for range 2 {
		if o, e, _ := run(t, p, "shell", "content insert --uri '"+uri+"' --bind name:s:new"); o != "" || e != "" {
			t.Fatalf("insert: stdout %q, stderr %q", o, e)
		}
	}
	o, _, _ := run(t, p, "shell", "content query --uri "+cals+" --projection _id:name --sort '_id ASC'")
	if want := "Row: 0 _id=2, name=two\nRow: 1 _id=7, name=seven\nRow: 2 _id=8, name=new\nRow: 3 _id=9, name=new\n"; o != want {
		t.Errorf("after two inserts:\n%s\nwant\n%s", o, want)
	}
	if in := p.Inserts(); len(in) != 2 || in[0].URI != uri {
		t.Errorf("inserts %+v, want two to %s", in, uri)
	}
}

func TestLocked(t *testing.T) {
	root, _ := fixture(t)
	p := Start(t, Options{Root: root, Locked: true, Content: contacts()})
	o, e, code := run(t, p, "pull", "/sdcard/DCIM/Camera/IMG_0002.jpg", t.TempDir())
	if code == 0 || !strings.Contains(o+e, "Permission denied") {
		t.Errorf("adb pull on a locked phone: code %d, %q", code, o+e)
	}
	o, e, _ = run(t, p, "shell", "content query --uri "+rawContacts)
	if o != "" || !strings.Contains(e, "Could not find provider: com.android.contacts") || !strings.Contains(e, "locked") {
		t.Errorf("content query on a locked phone: stdout %q, stderr %q", o, e)
	}
	if _, e, code := run(t, p, "shell", "cat /sdcard/DCIM/Camera/IMG_0002.jpg"); code != 1 || !strings.Contains(e, "Permission denied") {
		t.Errorf("cat on a locked phone: code %d, stderr %q", code, e)
	}

	c := hostSync(t, p)
	syncRequest(t, c, "STA2", "/sdcard/DCIM")
	if st := parseStat2(readN(t, c, 72)); st.errno != 13 {
		t.Errorf("STA2 on a locked phone: errno %d, want EACCES (13)", st.errno)
	}
	syncRequest(t, c, "LIS2", "/sdcard/DCIM")
	if d := readN(t, c, 76); string(d[:4]) != "DONE" {
		t.Errorf("LIS2 on a locked phone: %q, want DONE at once as adbd sends", d[:4])
	}
	syncRequest(t, c, "RECV", "/sdcard/DCIM/Camera/IMG_0002.jpg")
	h := readN(t, c, 8)
	msg := readN(t, c, int(binary.LittleEndian.Uint32(h[4:])))
	if string(h[:4]) != "FAIL" || string(msg) != "open failed: Permission denied" {
		t.Errorf("RECV on a locked phone: %q %q", h[:4], msg)
	}
}

func TestOffline(t *testing.T) {
	p := Start(t, Options{Offline: true})
	if st := p.State(); st != "offline" {
		t.Fatalf("state %q, want offline", st)
	}
	if _, e, code := run(t, p, "shell", "exit 0"); code == 0 || !strings.Contains(e, "offline") {
		t.Errorf("shell on an offline phone: code %d, stderr %q", code, e)
	}
}

func TestBeforeRecv(t *testing.T) {
	root, files := fixture(t)
	var mu sync.Mutex
	var told []string
	gone := "/sdcard/DCIM/Camera/IMG_0002.jpg"
	p := Start(t, Options{Root: root, BeforeRecv: func(path string) {
		mu.Lock()
		defer mu.Unlock()
		told = append(told, path)
		if path == gone {
			os.Remove(filepath.Join(root, "DCIM", "Camera", "IMG_0002.jpg"))
		}
	}})
	dst := t.TempDir()
	o, e, code := run(t, p, "pull", "-a", "/sdcard/DCIM/Camera", dst)
	if code == 0 || !strings.Contains(o+e, "No such file or directory") {
		t.Errorf("pull of a folder whose file vanished: code %d, %q", code, o+e)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(told) == 0 || told[0] != "/sdcard/DCIM/Camera/IMG_0001.jpg" {
		t.Errorf("BeforeRecv was told %q", told)
	}
	if n := p.Recvs(); n != int64(len(files["DCIM/Camera/IMG_0001.jpg"])) {
		t.Errorf("Recvs %d, want the %d bytes of IMG_0001.jpg", n, len(files["DCIM/Camera/IMG_0001.jpg"]))
	}
}

func TestUnplugMidPull(t *testing.T) {
	root, _ := fixture(t)
	var phone atomic.Pointer[Phone] // set after Start returns, read on the phone's goroutine
	p := Start(t, Options{Root: root, BeforeRecv: func(string) { phone.Load().Unplug() }})
	phone.Store(p)
	if _, _, code := run(t, p, "pull", "-a", "/sdcard/DCIM", t.TempDir()); code == 0 {
		t.Error("adb pull went through an unplugged cable")
	}
	start := time.Now()
	for st := p.State(); st != ""; st = p.State() {
		if time.Since(start) > 5*time.Second {
			t.Fatalf("adb still lists the phone as %q 5 s after Unplug", st)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if p.Recvs() != 0 {
		t.Errorf("%d bytes served after the cable was pulled", p.Recvs())
	}
}

func TestMediaScan(t *testing.T) {
	p := Start(t, Options{})
	o, e, code := run(t, p, "shell", "am broadcast -a android.intent.action.MEDIA_SCANNER_SCAN_FILE -d 'file:///sdcard/DCIM/Camera/IMG_20240101_120000_123.jpg'")
	want := "Broadcasting: Intent { act=android.intent.action.MEDIA_SCANNER_SCAN_FILE dat=file:///sdcard/DCIM/Camera/IMG_20240101_120000_123.jpg flg=0x400000 }\nBroadcast completed: result=0\n"
	if o != want || e != "" || code != 0 {
		t.Errorf("am broadcast: stdout %q, stderr %q, code %d\nwant %q", o, e, code, want)
	}
	run(t, p, "shell", "am broadcast -a android.intent.action.MEDIA_SCANNER_SCAN_FILE -d file:///sdcard/Pictures/a%20b.jpg")
	run(t, p, "shell", "am broadcast -a some.other.ACTION -d file:///sdcard/x.jpg")
	if got := p.Scanned(); !reflect.DeepEqual(got, []string{"/sdcard/DCIM/Camera/IMG_20240101_120000_123.jpg", "/sdcard/Pictures/a b.jpg"}) {
		t.Errorf("Scanned %q", got)
	}
	if _, e, code := run(t, p, "shell", "am start -n x/y"); code != 255 || e == "" {
		t.Errorf("am start: code %d, stderr %q; want refused", code, e)
	}
}
