package serve

import (
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/format"
)

// TestDirCacheBounded: the directory cache stays under its byte bound,
// drops the least recently used first, and keeps one just looked at.
func TestDirCacheBounded(t *testing.T) {
	dir := func(name string) []format.Node {
		return []format.Node{{Name: strings.Repeat(name, 100), Type: format.NodeFile}}
	}
	one := nodesSize(dir("a"))
	c := newDirCache(3 * one)
	for _, k := range []string{"a", "b", "c"} {
		c.put(k, dir(k))
	}
	c.mu.Lock()
	c.order.MoveToFront(c.byKey["a"]) // a looked at again
	c.mu.Unlock()
	c.put("d", dir("d"))
	if c.bytes > c.max {
		t.Errorf("cache holds %d bytes, bound %d", c.bytes, c.max)
	}
	for k, want := range map[string]bool{"a": true, "b": false, "c": true, "d": true} {
		if _, ok := c.byKey[k]; ok != want {
			t.Errorf("%s cached: %v, want %v", k, ok, want)
		}
	}
	c.put("huge", make([]format.Node, 100))
	if _, ok := c.byKey["huge"]; ok || c.order.Len() != 3 {
		t.Errorf("a directory larger than the bound was cached (or pushed others out): %d entries", c.order.Len())
	}
}
