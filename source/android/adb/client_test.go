package adb

import (
	"errors"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/internal/fakeadb"
	"github.com/lifeboat-backup/lifeboat/internal/loopback"
)

func TestDevices(t *testing.T) {
	feats := append(slices.Clone(fakeadb.DefaultFeatures), "lifeboat_unknown_feature")
	p, d := device(t, fakeadb.Options{Product: "p", Model: "Fake Phone 9", Device: "d", Features: feats})
	c, err := Dial(testCtx(t))
	must(t, err)
	ds, err := c.Devices(testCtx(t))
	must(t, err)
	if len(ds) != 1 || ds[0].Serial != p.Serial || ds[0].State != "device" || ds[0].Model != "Fake_Phone_9" {
		t.Errorf("Devices = %+v, want %s in state device, model Fake_Phone_9", ds, p.Serial)
	}
	if d.Serial != p.Serial {
		t.Errorf("Device serial %q, want %q", d.Serial, p.Serial)
	}
	for _, f := range []string{"shell_v2", "stat_v2", "ls_v2", "cmd"} {
		if !d.Features[f] {
			t.Errorf("feature %s missing from %v", f, d.Features)
		}
	}
	t.Logf("features relayed by adb: %v", d.Features)
}

func TestUnauthorized(t *testing.T) {
	p := fakeadb.Start(t, fakeadb.Options{Unauthorized: true})
	use(t, p)
	c, err := Dial(testCtx(t))
	must(t, err)
	ds, err := c.Devices(testCtx(t))
	must(t, err)
	if len(ds) != 1 || ds[0].State != "unauthorized" {
		t.Errorf("Devices = %+v, want one unauthorized", ds)
	}
	if _, err := c.Device(testCtx(t), ""); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("Device = %v, want ErrUnauthorized", err)
	}
	// Past Device, a request to an unauthorized transport is refused by
	// the server; that is not ErrGone.
	d := &Device{Serial: p.Serial, Features: map[string]bool{}, c: c}
	_, err = d.Shell(testCtx(t), "echo hi")
	var se *ServerError
	if !errors.As(err, &se) || errors.Is(err, ErrGone) {
		t.Errorf("Shell on an unauthorized phone = %v, want a server refusal", err)
	}
	t.Logf("adb says: %v", err)
}

func TestOffline(t *testing.T) {
	p := fakeadb.Start(t, fakeadb.Options{Offline: true})
	use(t, p)
	c, err := Dial(testCtx(t))
	must(t, err)
	_, err = c.Device(testCtx(t), "")
	if !errors.Is(err, ErrOffline) || !strings.Contains(err.Error(), p.Serial) {
		t.Errorf("Device = %v, want ErrOffline naming %s", err, p.Serial)
	}
	// Past Device, the server refuses the offline transport: ErrGone.
	d := &Device{Serial: p.Serial, Features: map[string]bool{}, c: c}
	if _, err := d.Sync(testCtx(t)); !errors.Is(err, ErrGone) {
		t.Errorf("Sync on an offline phone = %v, want ErrGone", err)
	}
}

func TestNoDevice(t *testing.T) {
	p, d := device(t, fakeadb.Options{})
	p.ADB("disconnect", p.Addr)
	for deadline := time.Now().Add(10 * time.Second); p.State() != "" && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
	}
	// A Device whose phone the server forgot: "device '...' not found".
	_, err := d.Shell(testCtx(t), "echo hi")
	if !errors.Is(err, ErrGone) {
		t.Errorf("Shell on a disconnected phone = %v, want ErrGone", err)
	}
	t.Logf("after adb disconnect: %v", err)
	c, err := Dial(testCtx(t))
	must(t, err)
	if _, err := c.Device(testCtx(t), ""); !errors.Is(err, ErrNoDevice) {
		t.Errorf("Device(\"\") = %v, want ErrNoDevice", err)
	}
	_, err = c.Device(testCtx(t), "R58N12345")
	if !errors.Is(err, ErrNoDevice) || !strings.Contains(err.Error(), "R58N12345") {
		t.Errorf("Device(R58N12345) = %v, want ErrNoDevice naming the serial", err)
	}
}

// TestDeviceWrongSerial: a serial no phone has, with another phone
// connected, names the phones that are (a typo, or the Wi-Fi serial of a
// phone on USB).
func TestDeviceWrongSerial(t *testing.T) {
	p, _ := device(t, fakeadb.Options{})
	c, err := Dial(testCtx(t))
	must(t, err)
	_, err = c.Device(testCtx(t), "R58N12345")
	if !errors.Is(err, ErrNoDevice) || !strings.Contains(err.Error(), "R58N12345") || !strings.Contains(err.Error(), p.Serial) {
		t.Errorf("Device(R58N12345) with %s connected = %v, want ErrNoDevice naming both", p.Serial, err)
	}
}

func TestManyDevices(t *testing.T) {
	p1 := fakeadb.Start(t, fakeadb.Options{})
	p2 := fakeadb.Listen(t, fakeadb.Options{Product: "second", Model: "Second", Device: "second"})
	use(t, p1)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		p1.ADB("connect", p2.Addr)
		if out, _ := p1.ADB("devices"); strings.Contains(string(out), p2.Serial+"\tdevice") {
			break
		}
	}
	c, err := Dial(testCtx(t))
	must(t, err)
	_, err = c.Device(testCtx(t), "")
	var many *ManyDevicesError
	if !errors.As(err, &many) {
		t.Fatalf("Device(\"\") = %v, want *ManyDevicesError", err)
	}
	want := []string{p1.Serial, p2.Serial}
	slices.Sort(want)
	if !slices.Equal(many.Serials, want) || err.Error() != "2 phones connected ("+want[0]+", "+want[1]+")" {
		t.Errorf("error %q with %v, want both of %v", err, many.Serials, want)
	}
	d, err := c.Device(testCtx(t), p2.Serial)
	must(t, err)
	res, err := d.Shell(testCtx(t), "getprop ro.product.model")
	must(t, err)
	if d.Serial != p2.Serial || string(res.Stdout) != "Second\n" {
		t.Errorf("Device(%s) is %s and runs on the phone with model %q", p2.Serial, d.Serial, res.Stdout)
	}
}

func TestNoADB(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	if _, err := Dial(testCtx(t)); !errors.Is(err, ErrNoADB) {
		t.Errorf("Dial = %v, want ErrNoADB", err)
	}
}

// TestDialStartsServer: with nothing on the port, Dial runs adb
// start-server with the caller's environment, as adb does.
func TestDialStartsServer(t *testing.T) {
	if _, err := exec.LookPath("adb"); err != nil {
		if os.Getenv("LIFEBOAT_REQUIRE_INTEGRATION") == "1" {
			t.Fatal("adb unavailable with LIFEBOAT_REQUIRE_INTEGRATION=1")
		}
		t.Skip("adb (Debian package adb) unavailable; skipping")
	}
	port := strconv.Itoa(loopback.FreePort(t))
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("ANDROID_ADB_SERVER_PORT", port)
	t.Cleanup(func() { exec.Command("adb", "-P", port, "kill-server").Run() })
	c, err := Dial(testCtx(t))
	must(t, err)
	ds, err := c.Devices(testCtx(t))
	if err != nil || len(ds) != 0 {
		t.Errorf("Devices of a new server = %v, %v; want none", ds, err)
	}
}

func TestParseDevices(t *testing.T) {
	in := "emulator-5554          device product:sdk model:Pixel_7 device:emu transport_id:3\n" +
		"R58N12345              unauthorized usb:1-1 transport_id:1\n" +
		"0123456789ABCDEF       no permissions (missing udev rules? user is in the plugdev group); see [http://developer.android.com/tools/device.html] usb:1-2\n" +
		"\n"
	got := parseDevices(in)
	want := []DeviceInfo{
		{"0123456789ABCDEF", "no permissions (missing udev rules? user is in the plugdev group); see [http://developer.android.com/tools/device.html]", ""},
		{"R58N12345", "unauthorized", ""},
		{"emulator-5554", "device", "Pixel_7"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("parseDevices =\n%q\nwant\n%q", got, want)
	}
}
