package cli

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/urfave/cli/v2"
)

// closest returns the candidate nearest to s by edit distance, if it is
// near enough to be a typo (at most 2 edits, and fewer than half of s),
// or "".
func closest(s string, candidates []string) string {
	best, bestD := "", 3
	for _, c := range candidates {
		if d := editDistance(s, c); d < bestD && 2*d < len(s) {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance is the Damerau-Levenshtein distance (a swap of two
// neighbours is one edit) between a and b, by bytes.
func editDistance(a, b string) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// commandNames are the app's visible commands.
func commandNames(app *cli.App) []string {
	var out []string
	for _, c := range app.Commands {
		if !c.Hidden {
			out = append(out, c.Name)
		}
	}
	return out
}

var undefinedFlagRE = regexp.MustCompile(`^flag provided but not defined: -+(.+)$`)

// didYouMeanFlag adds the nearest flag of cmd to the cli package's
// "flag provided but not defined" error.
func didYouMeanFlag(cmd *cli.Command, err error) error {
	m := undefinedFlagRE.FindStringSubmatch(err.Error())
	if m == nil {
		return err
	}
	var names []string
	for _, f := range cmd.Flags {
		for _, n := range f.Names() {
			if len(n) > 1 {
				names = append(names, n)
			}
		}
	}
	if s := closest(m[1], names); s != "" {
		return fmt.Errorf("%w (did you mean --%s?)", err, s)
	}
	return err
}

// didYouMeanKey suggests the config key nearest to an unknown one.
func didYouMeanKey(name string) string {
	var keys []string
	for _, ck := range configKeys {
		keys = append(keys, ck.key)
	}
	if s := closest(name, keys); s != "" {
		return s
	}
	// A table key without its table, or under another: the leaf alone.
	leaf := name[strings.LastIndex(name, ".")+1:]
	for _, ck := range configKeys {
		if l := ck.key[strings.LastIndex(ck.key, ".")+1:]; editDistance(l, leaf) <= 1 && ck.key != name && len(leaf) > 3 {
			return ck.key
		}
	}
	return ""
}
