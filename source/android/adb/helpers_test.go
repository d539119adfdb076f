package adb

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/internal/fakeadb"
)

// use points this process's adb environment at p's server.
func use(t *testing.T, p *fakeadb.Phone) {
	t.Helper()
	for _, kv := range p.Env() {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	t.Setenv("ANDROID_ADB_SERVER_ADDRESS", "") // restored after the test
	os.Unsetenv("ANDROID_ADB_SERVER_ADDRESS")  // adb 29 takes "" for an address
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// device starts a fake phone with o and returns it and its Device.
func device(t *testing.T, o fakeadb.Options) (*fakeadb.Phone, *Device) {
	t.Helper()
	p := fakeadb.Start(t, o)
	use(t, p)
	c, err := Dial(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	d, err := c.Device(testCtx(t), "")
	if err != nil {
		t.Fatal(err)
	}
	return p, d
}

// without returns the default features minus some.
func without(drop ...string) []string {
	var fs []string
	for _, f := range fakeadb.DefaultFeatures {
		keep := true
		for _, d := range drop {
			keep = keep && f != d
		}
		if keep {
			fs = append(fs, f)
		}
	}
	return fs
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
