package format

import "testing"

// TestContentKey: nodes with the same size and blobs share a key, whatever
// their names and times; another size, another blob, another level, a
// blob moved from the content to the patch, or a seal key gives another
// key.
func TestContentKey(t *testing.T) {
	a, b := ID{1}, ID{2}
	base := Node{Name: "a.jpg", Size: 10, Content: Ref{IDs: []ID{a, b}}}
	same := base
	same.Name, same.MTime = "b.jpg", Time{Sec: 5}
	if base.ContentKey() != same.ContentKey() {
		t.Error("a copy under another name and time has another key")
	}
	for name, n := range map[string]Node{
		"size":          {Size: 11, Content: Ref{IDs: []ID{a, b}}},
		"blob":          {Size: 10, Content: Ref{IDs: []ID{a, {3}}}},
		"order":         {Size: 10, Content: Ref{IDs: []ID{b, a}}},
		"level":         {Size: 10, Content: Ref{Level: 1, IDs: []ID{a, b}}},
		"patch":         {Size: 10, Content: Ref{IDs: []ID{a}}, Patch: Ref{IDs: []ID{b}}},
		"one blob less": {Size: 10, Content: Ref{IDs: []ID{a}}},
		"sealed":        {Size: 10, Content: Ref{IDs: []ID{a, b}}, Seal: make([]byte, 32)},
	} {
		if n.ContentKey() == base.ContentKey() {
			t.Errorf("%s: the same key", name)
		}
	}
}
