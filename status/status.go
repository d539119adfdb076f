// Package status is what 'lifeboat status' finds: the newest snapshot of
// each source, the repository's size, the second location's state, the
// locks held, and the warnings that make a repository not healthy. The
// command layer prints it; lifeboat serve shows it on its overview.
package status

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/lifeboat-backup/lifeboat/lock"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/store"
)

// Report is what 'lifeboat status' found, ready to print.
type Report struct {
	Sources    []Source   `json:"sources"`
	Repository Repository `json:"repository"`
	Mirror     *Mirror    `json:"mirror"`
	Locks      []Lock     `json:"locks"`
	Warnings   []string   `json:"warnings"`
	Healthy    bool       `json:"healthy"`
}

// Source is the newest snapshot of one host's source.
type Source struct {
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

// Repository is the repository's location, size and leftovers.
type Repository struct {
	Location  string `json:"location"`
	Bytes     uint64 `json:"bytes"`
	Snapshots int    `json:"snapshots"`
	// TempFiles and TempBytes are what killed runs left in tmp/.
	TempFiles int   `json:"temp_files"`
	TempBytes int64 `json:"temp_bytes"`
}

// Mirror is the second location compared with the repository.
type Mirror struct {
	Location  string `json:"location"`
	Reachable bool   `json:"reachable"`
	Error     string `json:"error,omitempty"`
	Missing   int    `json:"missing"`
	Extra     int    `json:"extra"`
}

// Lock is one lock held on the repository.
type Lock struct {
	Kind    string    `json:"kind"`
	Command string    `json:"command"`
	Host    string    `json:"host"`
	PID     int       `json:"pid"`
	Since   time.Time `json:"since"`
}

// warnf adds a warning to the report.
func (s *Report) warnf(format string, args ...any) {
	s.Warnings = append(s.Warnings, fmt.Sprintf(format, args...))
}

// NewestPerSource keeps the newest snapshot of each host and source,
// sorted by host and source.
func NewestPerSource(all []repo.SnapshotInfo, now time.Time) []Source {
	newest := map[string]repo.SnapshotInfo{}
	for _, s := range all {
		key := s.Host + " " + s.Source
		if n, ok := newest[key]; !ok || repo.Older(n, s) {
			newest[key] = s
		}
	}
	out := make([]Source, 0, len(newest))
	for _, s := range newest {
		st := s.Stats
		ss := Source{Source: s.Source, Host: s.Host, Newest: s.ID.String(), Time: s.Time,
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

// RepoBytes is the size of a repository's objects: packs, indexes,
// snapshots, keys and the config (not locks or unfinished writes).
func RepoBytes(ctx context.Context, st store.Store) (uint64, error) {
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

// CompareMirror counts the objects the mirror lacks and those only it
// has, by name. A mirror without a config holds no repository.
func CompareMirror(ctx context.Context, primary, m store.Store) *Mirror {
	ms := &Mirror{Location: m.Location()}
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

// Locks lists a store's locks, oldest first.
func Locks(ctx context.Context, st store.Store) ([]Lock, error) {
	infos, err := lock.Locks(ctx, st)
	if err != nil {
		return nil, fmt.Errorf("list locks: %w", err)
	}
	out := make([]Lock, 0, len(infos))
	for _, l := range infos {
		out = append(out, Lock{Kind: string(l.Kind), Command: l.Command, Host: l.Host, PID: l.PID, Since: l.Created})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Since.Before(out[j].Since) })
	return out, nil
}

// AgeString says how long ago d was, for people: "just now",
// "5 minutes ago", "3 hours ago", "2 days ago".
func AgeString(d time.Duration) string {
	switch {
	case d < 0:
		return "in the future (check this machine's clock)"
	case d < time.Minute:
		return "just now"
	}
	return Span(d) + " ago"
}

// Span formats a length of time in its largest whole unit up to days:
// "1 minute", "3 hours", "2 days"; hours up to two days.
func Span(d time.Duration) string {
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

// plural is "1 noun" or "N nouns".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// Options say what Gather compares against.
type Options struct {
	// MaxAge is how old a source's newest snapshot may be before it is
	// warned about; MaxAgeText is how the user wrote it.
	MaxAge     time.Duration
	MaxAgeText string
	// Mirror is the second location's state (CompareMirror), nil when
	// there is none.
	Mirror *Mirror
	// Now is the time ages count from (zero: time.Now()).
	Now time.Time
}

// Gather builds the report for the repository r stored in st: it lists
// the snapshots, sizes the repository, lists the locks and adds the
// warnings.
func Gather(ctx context.Context, r *repo.Repository, st store.Store, opts Options) (*Report, error) {
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	all, damaged, err := r.Snapshots(ctx)
	if err != nil {
		return nil, err
	}
	rep := &Report{Sources: NewestPerSource(all, now), Warnings: []string{}, Mirror: opts.Mirror}
	rep.Repository = Repository{Location: st.Location(), Snapshots: len(all)}
	if rep.Repository.Bytes, err = RepoBytes(ctx, st); err != nil {
		return nil, err
	}
	if tc, ok := st.(store.TempCleaner); ok {
		if lo, err := tc.Leftovers(ctx, 0); err == nil {
			rep.Repository.TempFiles, rep.Repository.TempBytes = lo.Files, lo.Bytes
		}
	}
	if rep.Locks, err = Locks(ctx, st); err != nil {
		return nil, err
	}
	rep.warnings(opts.MaxAge, opts.MaxAgeText, damaged)
	return rep, nil
}

// warnings fills in the report's warnings and whether it is healthy.
func (s *Report) warnings(maxAge time.Duration, maxAgeText string, damaged []error) {
	if s.Repository.Snapshots == 0 {
		s.warnf("the repository %s holds no snapshots", s.Repository.Location)
	}
	for _, src := range s.Sources {
		if age := time.Duration(src.Age * float64(time.Second)); age > maxAge {
			s.warnf("%s on %s: no snapshot for %s (more than --max-age %s)", src.Source, src.Host,
				Span(age), maxAgeText)
		}
		if src.Empty {
			s.warnf("%s on %s: the source is empty: its newest snapshot %s holds no file, and %s did (is the phone or disk mounted? if it is meant to be empty, run 'lifeboat backup --accept-empty')",
				src.Source, src.Host, src.Newest[:8], src.WithData[:8])
		} else if src.Alarm {
			s.warnf("%s on %s: mass-deletion alarm pending: the newest snapshot %s found a drop (see 'lifeboat snapshots')",
				src.Source, src.Host, src.Newest[:8])
		}
	}
	for _, d := range damaged {
		s.warnf("%v", d)
	}
	if m := s.Mirror; m != nil {
		switch {
		case !m.Reachable:
			s.warnf("mirror %s unreachable: %s", m.Location, strings.TrimPrefix(m.Error, m.Location+": "))
		case m.Missing > 0:
			s.warnf("mirror %s is behind: %s missing (run 'lifeboat sync')", m.Location, plural(m.Missing, "object"))
		}
	}
	s.Healthy = len(s.Warnings) == 0
}
