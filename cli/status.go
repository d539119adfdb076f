package cli

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/lifeboat-backup/lifeboat/lock"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/store"
)

// statusReport is what 'lifeboat status' found, ready to print.
type statusReport struct {
	Sources    []sourceStatus `json:"sources"`
	Repository repoStatus     `json:"repository"`
	Mirror     *mirrorStatus  `json:"mirror"`
	Locks      []lockStatus   `json:"locks"`
	Warnings   []string       `json:"warnings"`
	Healthy    bool           `json:"healthy"`
}

// sourceStatus is the newest snapshot of one host's source.
type sourceStatus struct {
	Source   string    `json:"source"`
	Host     string    `json:"host"`
	Newest   string    `json:"newest"`
	Time     time.Time `json:"time"`
	Age      float64   `json:"age_seconds"`
	Contacts uint64    `json:"contacts"`
	Events   uint64    `json:"events"`
	Todos    uint64    `json:"todos"`
	Photos   uint64    `json:"photos"`
	Files    uint64    `json:"files"`
	Alarm    bool      `json:"alarm"`
	// Empty is an alarm for a source that holds no file while an earlier
	// snapshot had some; WithData names the newest such snapshot.
	Empty    bool   `json:"empty,omitempty"`
	WithData string `json:"with_data,omitempty"`
}

type repoStatus struct {
	Location  string `json:"location"`
	Bytes     uint64 `json:"bytes"`
	Snapshots int    `json:"snapshots"`
	// TempFiles and TempBytes are what killed runs left in tmp/.
	TempFiles int   `json:"temp_files"`
	TempBytes int64 `json:"temp_bytes"`
}

type mirrorStatus struct {
	Location  string `json:"location"`
	Reachable bool   `json:"reachable"`
	Error     string `json:"error,omitempty"`
	Missing   int    `json:"missing"`
	Extra     int    `json:"extra"`
}

type lockStatus struct {
	Kind    string    `json:"kind"`
	Command string    `json:"command"`
	Host    string    `json:"host"`
	PID     int       `json:"pid"`
	Since   time.Time `json:"since"`
}

// warnf adds a warning to the report.
func (s *statusReport) warnf(format string, args ...any) {
	s.Warnings = append(s.Warnings, fmt.Sprintf(format, args...))
}

// newestPerSource keeps the newest snapshot of each host and source,
// sorted by host and source.
func newestPerSource(all []repo.SnapshotInfo, now time.Time) []sourceStatus {
	newest := map[string]repo.SnapshotInfo{}
	for _, s := range all {
		key := s.Host + " " + s.Source
		if n, ok := newest[key]; !ok || repo.Older(n, s) {
			newest[key] = s
		}
	}
	out := make([]sourceStatus, 0, len(newest))
	for _, s := range newest {
		st := s.Stats
		ss := sourceStatus{Source: s.Source, Host: s.Host, Newest: s.ID.String(), Time: s.Time,
			Age: now.Sub(s.Time).Seconds(), Contacts: st.Contacts, Events: st.Events, Todos: st.Todos,
			Photos: st.Media, Files: st.Files, Alarm: s.Alarm != nil}
		if s.Alarm != nil && s.Alarm.Empty {
			ss.Empty, ss.WithData = true, s.Alarm.Previous.String()
		}
		out = append(out, ss)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Host != out[j].Host {
			return out[i].Host < out[j].Host
		}
		return out[i].Source < out[j].Source
	})
	return out
}

// repoBytes is the size of a repository's objects: packs, indexes,
// snapshots, keys and the config (not locks or unfinished writes).
func repoBytes(ctx context.Context, st store.Store) (uint64, error) {
	var total uint64
	for _, dir := range []string{"data", "index", "snapshots", "keys"} {
		err := st.List(ctx, dir, func(_ string, size int64) error {
			total += uint64(size)
			return nil
		})
		if err != nil {
			return 0, fmt.Errorf("list %s: %w", dir, err)
		}
	}
	size, err := st.Stat(ctx, "config")
	if err != nil {
		return 0, fmt.Errorf("config: %w", err)
	}
	return total + uint64(size), nil
}

// syncedDirs are the folders a mirror in sync holds the same objects in.
var syncedDirs = []string{"data", "index", "snapshots"}

// objectNames lists the names under syncedDirs.
func objectNames(ctx context.Context, st store.Store) (map[string]bool, error) {
	names := map[string]bool{}
	for _, dir := range syncedDirs {
		err := st.List(ctx, dir, func(name string, _ int64) error {
			names[name] = true
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("%s: list %s: %w", st.Location(), dir, err)
		}
	}
	return names, nil
}

// compareMirror counts the objects the mirror lacks and those only it
// has, by name. A mirror without a config holds no repository.
func compareMirror(ctx context.Context, primary, m store.Store) *mirrorStatus {
	ms := &mirrorStatus{Location: m.Location()}
	if _, err := m.Stat(ctx, "config"); errors.Is(err, store.ErrNotFound) {
		ms.Error = "it holds no repository (not plugged in?)"
		return ms
	} else if err != nil {
		ms.Error = err.Error()
		return ms
	}
	have, err := objectNames(ctx, primary)
	if err != nil {
		ms.Error = err.Error()
		return ms
	}
	mirrored, err := objectNames(ctx, m)
	if err != nil {
		ms.Error = err.Error()
		return ms
	}
	ms.Reachable = true
	for name := range have {
		if !mirrored[name] {
			ms.Missing++
		}
	}
	for name := range mirrored {
		if !have[name] {
			ms.Extra++
		}
	}
	return ms
}

// locksOf lists a store's locks, oldest first.
func locksOf(ctx context.Context, st store.Store) ([]lockStatus, error) {
	infos, err := lock.Locks(ctx, st)
	if err != nil {
		return nil, fmt.Errorf("list locks: %w", err)
	}
	out := make([]lockStatus, 0, len(infos))
	for _, l := range infos {
		out = append(out, lockStatus{Kind: string(l.Kind), Command: l.Command, Host: l.Host, PID: l.PID, Since: l.Created})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Since.Before(out[j].Since) })
	return out, nil
}

// ageString says how long ago d was, for people: "just now",
// "5 minutes ago", "3 hours ago", "2 days ago".
func ageString(d time.Duration) string {
	switch {
	case d < 0:
		return "in the future (check this machine's clock)"
	case d < time.Minute:
		return "just now"
	}
	return span(d) + " ago"
}

// span formats a length of time in its largest whole unit up to days:
// "1 minute", "3 hours", "2 days"; hours up to two days.
func span(d time.Duration) string {
	switch {
	case d < time.Minute:
		return plural(int(d/time.Second), "second")
	case d < time.Hour:
		return plural(int(d/time.Minute), "minute")
	case d < 48*time.Hour:
		return plural(int(d/time.Hour), "hour")
	default:
		return plural(int(d/(24*time.Hour)), "day")
	}
}
