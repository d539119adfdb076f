package thumb

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestCacheSingleflight: 100 requests for one photo decode it once.
func TestCacheSingleflight(t *testing.T) {
	data := encJPEG(t, quad(1200, 900))
	c := NewCache(0)
	var fills atomic.Int32
	var wg sync.WaitGroup
	got := make([]Thumb, 100)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			th, err := c.Get(context.Background(), "photo", func() (Thumb, error) {
				fills.Add(1)
				time.Sleep(20 * time.Millisecond) // let the others arrive
				return Thumbnail(bytes.NewReader(data), int64(len(data)), "p.jpg", 128), nil
			})
			if err != nil {
				t.Error(err)
			}
			got[i] = th
		}()
	}
	wg.Wait()
	if n := fills.Load(); n != 1 {
		t.Errorf("decoded %d times, want once", n)
	}
	for i, th := range got {
		if th.Type != "image/jpeg" || !bytes.Equal(th.Data, got[0].Data) {
			t.Fatalf("request %d got %s of %d bytes", i, th.Type, len(th.Data))
		}
	}
	if n, _, fills := c.Stats(); n != 1 || fills != 1 {
		t.Errorf("cache holds %d, filled %d times", n, fills)
	}
}

// TestCacheBound: the least recently used go once the bytes pass the
// bound; errors are not kept.
func TestCacheBound(t *testing.T) {
	const each = 1000
	c := NewCache(10 * (each + 64 + 2))
	fill := func(b byte) func() (Thumb, error) {
		return func() (Thumb, error) { return Thumb{Data: bytes.Repeat([]byte{b}, each), Type: "x"}, nil }
	}
	ctx := context.Background()
	for i := 0; i < 10; i++ {
		c.Get(ctx, fmt.Sprintf("k%d", i), fill(byte(i)))
	}
	c.Get(ctx, "k0", fill(99)) // k0 is now the most recent
	c.Get(ctx, "kA", fill(10)) // drops k1
	n, used, _ := c.Stats()
	if n != 10 || used > 10*(each+64+2) {
		t.Errorf("holds %d thumbnails of %d bytes, want 10 within the bound", n, used)
	}
	if th, _ := c.Get(ctx, "k0", fill(99)); th.Data[0] != 0 {
		t.Error("k0 was dropped though recently used")
	}
	refilled := false
	c.Get(ctx, "k1", func() (Thumb, error) { refilled = true; return fill(1)() })
	if !refilled {
		t.Error("k1 was kept past the bound")
	}
	boom := errors.New("boom")
	if _, err := c.Get(ctx, "e", func() (Thumb, error) { return Thumb{}, boom }); !errors.Is(err, boom) {
		t.Errorf("error %v, want boom", err)
	}
	if th, err := c.Get(ctx, "e", fill(7)); err != nil || th.Data[0] != 7 {
		t.Error("an error was cached")
	}
	// A waiter whose context ends stops waiting.
	release := make(chan struct{})
	go c.Get(ctx, "slow", func() (Thumb, error) { <-release; return fill(1)() })
	time.Sleep(10 * time.Millisecond)
	cctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if _, err := c.Get(cctx, "slow", fill(2)); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("waiter: %v, want its deadline", err)
	}
	close(release)
}
