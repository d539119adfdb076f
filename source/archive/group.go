package archive

import (
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// partName is a part of a split export: PREFIX-NNN.EXT, as Google Takeout
// names them (takeout-20240102T030405Z-001.zip).
var partName = regexp.MustCompile(`(?i)^(.+)-([0-9]{3,})\.(zip|tgz|tar\.gz|tar)$`)

// part says whether path names one part of a split export, and gives a
// key that the export's parts share (folder, prefix, extension) and the
// part's number.
func part(path string) (key string, n int, ok bool) {
	m := partName.FindStringSubmatch(filepath.Base(path))
	if m == nil {
		return "", 0, false
	}
	n, err := strconv.Atoi(m[2])
	if err != nil {
		return "", 0, false
	}
	return filepath.Join(filepath.Dir(path), m[1]) + "\x00" + strings.ToLower(m[3]), n, true
}

// Group groups backup's arguments: two or more parts of one export (the
// same prefix before -NNN, the same folder, the same extension) become
// one group, sorted by part number, standing where its first part stood;
// every other argument is a group of its own. Prefix names a group.
func Group(args []string) [][]string {
	type group struct {
		key   string
		parts []string
		nums  []int
	}
	var out []*group
	byKey := map[string]*group{}
	for _, a := range args {
		key, n, ok := part(a)
		if ok {
			if abs, err := filepath.Abs(a); err == nil {
				key, _, _ = part(abs)
			}
			if g := byKey[key]; g != nil {
				if slices.Contains(g.nums, n) {
					continue // the same part given twice
				}
				g.parts, g.nums = append(g.parts, a), append(g.nums, n)
				continue
			}
		}
		g := &group{parts: []string{a}, nums: []int{n}}
		if ok {
			byKey[key] = g
		}
		out = append(out, g)
	}
	res := make([][]string, 0, len(out))
	for _, g := range out {
		idx := make([]int, len(g.parts))
		for i := range idx {
			idx[i] = i
		}
		slices.SortStableFunc(idx, func(a, b int) int { return g.nums[a] - g.nums[b] })
		parts := make([]string, len(idx))
		for i, j := range idx {
			parts[i] = g.parts[j]
		}
		res = append(res, parts)
	}
	return res
}

// Prefix is the name of a group of parts: the absolute path of the first
// part without its -NNN.EXT (/abs/dir/takeout-20240102T030405Z). A group
// of one is the absolute path of its argument.
func Prefix(parts []string) string {
	abs, err := filepath.Abs(parts[0])
	if err != nil {
		abs = parts[0]
	}
	if len(parts) == 1 {
		return abs
	}
	key, _, ok := part(abs)
	if !ok {
		return abs
	}
	p, _, _ := strings.Cut(key, "\x00")
	return p
}
