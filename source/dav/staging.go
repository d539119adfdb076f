package dav

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// StateFile is the file in each collection folder that describes it.
const StateFile = "lifeboat-collection.json"

// CollectionState is <staging>/<slug>/lifeboat-collection.json: what the
// folder mirrors and, per resource file, its href and ETag. Restore reads
// it from snapshots.
type CollectionState struct {
	Href        string              `json:"href"`
	Type        string              `json:"type"` // "addressbook" or "calendar"
	DisplayName string              `json:"displayname"`
	SyncToken   string              `json:"sync_token"`
	Resources   map[string]Resource `json:"resources"`
}

// Resource is one resource file of a collection folder.
type Resource struct {
	Href string `json:"href"`
	ETag string `json:"etag"`
}

// ReadState reads a collection folder's state file.
func ReadState(dir string) (*CollectionState, error) {
	b, err := os.ReadFile(filepath.Join(dir, StateFile))
	if err != nil {
		return nil, err
	}
	var st CollectionState
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, StateFile), err)
	}
	if st.Resources == nil {
		st.Resources = map[string]Resource{}
	}
	return &st, nil
}

func writeState(dir string, st *CollectionState) error {
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	_, err = writeIfChanged(filepath.Join(dir, StateFile), append(b, '\n'))
	return err
}

// existing reads the collection folders of the staging folder, by href.
func existing(staging string) (map[string]string, error) {
	ents, err := os.ReadDir(staging)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, e := range ents {
		if !e.IsDir() {
			continue
		}
		st, err := ReadState(filepath.Join(staging, e.Name()))
		if err != nil || st.Href == "" {
			continue
		}
		out[st.Href] = e.Name()
	}
	return out, nil
}

// safeName makes s a safe single file name: letters, digits and ._@+-
// only, not starting with a dot, not too long.
func safeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune("._@+-", r):
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	name := strings.TrimLeft(b.String(), ".")
	if len(name) > 120 {
		name = name[:120]
	}
	if name == "" {
		name = "item"
	}
	return name
}

// lastSegment is the last path segment of an href.
func lastSegment(href string) string {
	return path.Base(strings.TrimSuffix(href, "/"))
}

// unique returns name, or name-2, name-3... (before ext) so that it is not
// in taken (compared without case, for case-insensitive file systems),
// and marks it taken.
func unique(name, ext string, taken map[string]bool) string {
	stem := strings.TrimSuffix(name, ext)
	cand := name
	for i := 2; taken[strings.ToLower(cand)] || strings.EqualFold(cand, StateFile); i++ {
		cand = fmt.Sprintf("%s-%d%s", stem, i, ext)
	}
	taken[strings.ToLower(cand)] = true
	return cand
}

// resourceFile names a new resource's file: its href's last segment,
// ending in ext.
func resourceFile(href, ext string, taken map[string]bool) string {
	name := safeName(lastSegment(href))
	if !strings.HasSuffix(strings.ToLower(name), ext) {
		name += ext
	}
	return unique(name, ext, taken)
}

// writeIfChanged writes data to file atomically (temporary file, then
// rename), mode 0600, unless the file already holds exactly data.
func writeIfChanged(file string, data []byte) (bool, error) {
	if old, err := os.ReadFile(file); err == nil && bytes.Equal(old, data) {
		return false, nil
	}
	return true, writeFileAtomic(file, data)
}

func writeFileAtomic(file string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(file), ".lifeboat-tmp-*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), file)
	}
	if err != nil {
		os.Remove(f.Name())
		return err
	}
	return nil
}

// removeTemps deletes temporary files an interrupted run left.
func removeTemps(dir string) {
	matches, _ := filepath.Glob(filepath.Join(dir, ".lifeboat-tmp-*"))
	for _, m := range matches {
		os.Remove(m)
	}
}

func removeFile(file string) error {
	if err := os.Remove(file); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}
