package format

import (
	"strings"
	"testing"
)

// TestNameOverNameMax: a forged tree entry named with more than NAME_MAX
// (255) bytes is damage at decode (a 4096-byte name was accepted and
// gave 8 KB error lines); 255 bytes is a name, and a symlink's target
// may be as long as a path.
func TestNameOverNameMax(t *testing.T) {
	for _, c := range []struct {
		node Node
		ok   bool
	}{
		{Node{Name: strings.Repeat("n", 255), Type: NodeFile}, true},
		{Node{Name: strings.Repeat("n", 256), Type: NodeFile}, false},
		{Node{Name: strings.Repeat("n", 4096), Type: NodeFile}, false},
		{Node{Name: strings.Repeat("é", 128), Type: NodeFile}, false}, // 256 bytes
		{Node{Name: "l", Type: NodeSymlink, Target: strings.Repeat("t/", 2048)}, true},
	} {
		_, err := DecodeTree(EncodeTree([]Node{c.node}))
		if (err == nil) != c.ok {
			t.Errorf("name of %d bytes, target of %d: %v", len(c.node.Name), len(c.node.Target), err)
		}
		if err != nil && len(err.Error()) > 100 {
			t.Errorf("error of %d bytes: %.100s", len(err.Error()), err)
		}
	}
}

func TestShortName(t *testing.T) {
	if got := ShortName("short"); got != "short" {
		t.Errorf("ShortName(short) = %q", got)
	}
	got := ShortName(strings.Repeat("é", 2048))
	if len(got) > 100 || !strings.HasSuffix(got, "... (4096 bytes)") || !strings.HasPrefix(got, "éé") {
		t.Errorf("ShortName = %q", got)
	}
}
