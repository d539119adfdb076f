package repo

import (
	"context"
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/lifeboat-backup/lifeboat/crypto"
	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/store"
)

// SnapshotInfo is a snapshot with its id.
type SnapshotInfo struct {
	ID format.ID
	*format.Snapshot
}

func (r *Repository) saveSnapshot(ctx context.Context, snap *format.Snapshot, s *Session) (format.ID, error) {
	if !r.seqKnown {
		if _, _, err := r.Snapshots(ctx); err != nil && !errors.Is(err, ErrRollback) {
			return format.ID{}, err
		}
	}
	snap.Seq = r.maxSeq + 1
	snap.Stats.BytesAdded = uint64(s.Added())
	pt, err := format.EncodeSnapshot(snap)
	if err != nil {
		return format.ID{}, err
	}
	// The snapshot's own size is estimated into BytesAdded before sealing.
	snap.Stats.BytesAdded += uint64(len(pt) + crypto.SealOverhead + 16)
	if pt, err = format.EncodeSnapshot(snap); err != nil {
		return format.ID{}, err
	}
	sealed := r.keys.Seal(crypto.LabelSnapshot, pt)
	id := format.ID(crypto.ObjectHash(sealed))
	if err := store.Save(ctx, r.st, "snapshots/"+id.String(), sealed); err != nil {
		return format.ID{}, fmt.Errorf("save snapshot: %w", err)
	}
	if err := r.verifySaved(ctx, id); err != nil {
		return format.ID{}, err
	}
	r.maxSeq = snap.Seq
	r.catalogErr = r.catalogAfterCommit(ctx, id, snap)
	return id, nil
}

// verifySaved reads back a snapshot just stored, and the config, and checks
// both against this run's write key: a snapshot that a reader of the
// repository would reject (the config was replaced under the run, a store
// that lost the write) is an error, never a success.
func (r *Repository) verifySaved(ctx context.Context, id format.ID) error {
	if _, err := r.LoadSnapshot(ctx, id); err != nil {
		return fmt.Errorf("snapshot %s does not read back: %w", id.Short(), err)
	}
	cfg, err := loadConfig(ctx, r.st)
	if err != nil {
		return fmt.Errorf("config after snapshot %s: %w", id.Short(), err)
	}
	if cfg.ID != r.cfg.ID || !r.keys.VerifyConfigMAC(format.ConfigMACInput(cfg), cfg.MAC) {
		return fmt.Errorf("the repository's config changed while snapshot %s was written; it does not match this run's write key: %w",
			id.Short(), ErrDamaged)
	}
	return nil
}

// LoadSnapshot reads and authenticates one snapshot.
func (r *Repository) LoadSnapshot(ctx context.Context, id format.ID) (*format.Snapshot, error) {
	s, err := r.loadSnapshot(ctx, id)
	if err != nil && r.fallback != nil && errors.Is(err, ErrDamaged) {
		return r.fallback.loadSnapshot(ctx, id, err)
	}
	return s, err
}

func (r *Repository) loadSnapshot(ctx context.Context, id format.ID) (*format.Snapshot, error) {
	name := "snapshots/" + id.String()
	b, err := loadSmall(ctx, r.st, name, maxSnapshotObject)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if format.ID(crypto.ObjectHash(b)) != id {
		return nil, fmt.Errorf("%s does not match its name: %w", name, ErrDamaged)
	}
	pt, err := r.keys.Open(crypto.LabelSnapshot, b)
	if err != nil {
		return nil, fmt.Errorf("%s fails authentication (damaged or forged): %w", name, ErrDamaged)
	}
	s, err := format.DecodeSnapshot(pt)
	if err != nil {
		return nil, fmt.Errorf("%s: %v: %w", name, err, ErrDamaged)
	}
	return s, nil
}

// Snapshots lists every snapshot that opens, oldest first, and the
// errors of those that do not (damaged or forged). It fails with a
// GoneError (ErrRollback) when snapshots that the newest catalog lists
// or that this machine saw are gone, or the catalog is older than one
// this machine saw.
func (r *Repository) Snapshots(ctx context.Context) ([]SnapshotInfo, []error, error) {
	ids, err := r.snapshotIDs(ctx)
	if err != nil {
		return nil, nil, err
	}
	out := make([]SnapshotInfo, 0, len(ids))
	var damaged []error
	for _, id := range ids {
		s, err := r.LoadSnapshot(ctx, id)
		if err != nil {
			damaged = append(damaged, err)
			continue
		}
		out = append(out, SnapshotInfo{ID: id, Snapshot: s})
	}
	sort.Slice(out, func(i, j int) bool { return Older(out[i], out[j]) })
	r.maxSeq, r.seqKnown = 0, true
	for _, s := range out {
		r.maxSeq = max(r.maxSeq, s.Seq)
	}
	if err := r.checkHistory(ctx, ids, out); err != nil {
		return out, damaged, err
	}
	return out, damaged, nil
}

// Older reports whether a was committed before b: by commit sequence
// (format.Snapshot.Seq), so that a snapshot made with a clock far ahead
// does not pass later ones; snapshots from before the sequence (0) come
// first, by time; then by time and id.
func Older(a, b SnapshotInfo) bool {
	if a.Seq != b.Seq {
		return a.Seq < b.Seq
	}
	if !a.Time.Equal(b.Time) {
		return a.Time.Before(b.Time)
	}
	return a.ID.String() < b.ID.String()
}

func (r *Repository) snapshotIDs(ctx context.Context) ([]format.ID, error) {
	if r.keys == nil {
		return nil, ErrNoWriteKey
	}
	var ids []format.ID
	err := r.st.List(ctx, "snapshots", func(name string, _ int64) error {
		if id, ok := ParseObjectName(name); ok && strings.HasPrefix(name, "snapshots/") {
			ids = append(ids, id)
		}
		return nil
	})
	return ids, err
}

// FindSnapshot resolves a full id, a unique id prefix, "latest", or
// "latest:SOURCE" (SOURCE matched exactly or by base name). A damaged
// snapshot named by id gives ErrDamaged; "latest" skips damaged ones.
func (r *Repository) FindSnapshot(ctx context.Context, spec string) (SnapshotInfo, error) {
	if spec == "latest" || strings.HasPrefix(spec, "latest:") {
		all, damaged, err := r.Snapshots(ctx)
		if err != nil {
			return SnapshotInfo{}, err
		}
		s, err := latestOf(all, spec)
		return s, noneReadable(spec, err, damaged)
	}
	ids, err := r.snapshotIDs(ctx)
	if err != nil {
		return SnapshotInfo{}, err
	}
	var found []format.ID
	for _, id := range ids {
		if spec != "" && strings.HasPrefix(id.String(), strings.ToLower(spec)) {
			found = append(found, id)
		}
	}
	switch len(found) {
	case 0:
		return SnapshotInfo{}, fmt.Errorf("%s: %w", spec, ErrNoSnapshot)
	case 1:
		s, err := r.LoadSnapshot(ctx, found[0])
		return SnapshotInfo{ID: found[0], Snapshot: s}, err
	default:
		return SnapshotInfo{}, ambiguousError{spec, found}
	}
}

func latestOf(all []SnapshotInfo, spec string) (SnapshotInfo, error) {
	src := strings.TrimPrefix(strings.TrimPrefix(spec, "latest"), ":")
	if src != "" {
		name, err := oneSourceNamed(all, spec, src)
		if err != nil {
			return SnapshotInfo{}, err
		}
		src = name
	}
	for i := len(all) - 1; i >= 0; i-- {
		s := all[i]
		if src == "" || s.Source == src {
			return s, nil
		}
	}
	return SnapshotInfo{}, fmt.Errorf("%s: %w", spec, ErrNoSnapshot)
}

// noneReadable turns "no snapshot matches" into damage when snapshots
// that do not read are there: the one asked for may be among them (a
// damaged snapshot's source cannot be read either), so it is not a
// mistyped name.
func noneReadable(spec string, err error, damaged []error) error {
	if len(damaged) == 0 || !errors.Is(err, ErrNoSnapshot) || errors.Is(err, ErrAmbiguousSource) {
		return err
	}
	n := "1 snapshot does"
	if len(damaged) > 1 {
		n = fmt.Sprintf("%d snapshots do", len(damaged))
	}
	return fmt.Errorf("%s matches no snapshot that reads; %s not read and may be the one: %w", spec, n, damaged[0])
}

// ErrAmbiguousSource: latest:NAME names several sources by their base
// name (two folders called phone). The error that says so is also
// ErrNoSnapshot.
var ErrAmbiguousSource = errors.New("several sources have that name")

type ambiguousSourceError struct{ msg string }

func (e ambiguousSourceError) Error() string { return e.msg }

func (e ambiguousSourceError) Is(target error) bool {
	return target == ErrAmbiguousSource || target == ErrNoSnapshot
}

// oneSourceNamed is the one recorded source that given names: the source
// it spells out (with or without trailing slashes) or, when none does,
// the one source of that base name; two of that base name are
// ErrAmbiguousSource, never the newer of them.
func oneSourceNamed(all []SnapshotInfo, spec, given string) (string, error) {
	var byName []string
	seen := map[string]bool{}
	for _, s := range all {
		if seen[s.Source] || !MatchSource(s.Source, given) {
			continue
		}
		seen[s.Source] = true
		if base := norm.NFC.String(path.Base(s.Source)); base != norm.NFC.String(given) || base == norm.NFC.String(s.Source) {
			return s.Source, nil // spelled out: no other can be meant
		}
		byName = append(byName, s.Source)
	}
	switch len(byName) {
	case 0:
		return given, nil
	case 1:
		return byName[0], nil
	}
	sort.Strings(byName)
	return "", ambiguousSourceError{fmt.Sprintf("%s names %d sources (%s); give the whole path", spec, len(byName), strings.Join(byName, ", "))}
}

// LatestReadable resolves "latest" (the newest snapshot of each source,
// as Latest) or "latest:SOURCE" (one), and returns with them the errors
// of the snapshots that do not read: any of those may be newer than what
// was picked, so a caller must say so (restore exits 3).
func (r *Repository) LatestReadable(ctx context.Context, spec string) ([]SnapshotInfo, []error, error) {
	all, damaged, err := r.Snapshots(ctx)
	if err != nil {
		return nil, nil, err
	}
	if spec == "latest" {
		if len(all) == 0 {
			return nil, nil, noneReadable(spec, fmt.Errorf("%s: %w", spec, ErrNoSnapshot), damaged)
		}
		return newestOfEach(all), damaged, nil
	}
	s, err := latestOf(all, spec)
	if err != nil {
		return nil, nil, noneReadable(spec, err, damaged)
	}
	return []SnapshotInfo{s}, damaged, nil
}

// ambiguousError is an id prefix that several snapshots share. It is
// ErrNoSnapshot, without saying so: "7 matches 2 snapshots (7a1b2c3d,
// 7f00aa11); give more of the id".
type ambiguousError struct {
	spec  string
	found []format.ID
}

func (e ambiguousError) Error() string {
	var ids []string
	for i, id := range e.found {
		if i == 5 {
			ids = append(ids, "...")
			break
		}
		ids = append(ids, id.Short())
	}
	return fmt.Sprintf("%s matches %d snapshots (%s); give more of the id", e.spec, len(e.found), strings.Join(ids, ", "))
}

func (e ambiguousError) Is(target error) bool { return target == ErrNoSnapshot }

// MatchSource reports whether a source named by the user (in latest:SOURCE
// or --source) names the source a snapshot recorded: the same string, the
// same but for trailing slashes (a DAV account is recorded with its path,
// at least "/"), or its base name (the folder's name, the account's host).
// Both are compared under Unicode normalisation (NFC): a folder a Mac
// named in NFD matches the name as a person types it.
func MatchSource(recorded, given string) bool {
	if given == "" {
		return false
	}
	recorded, given = norm.NFC.String(recorded), norm.NFC.String(given)
	trim := func(s string) string {
		if t := strings.TrimRight(s, "/"); t != "" || s == "" {
			return t
		}
		return "/"
	}
	return recorded == given || trim(recorded) == trim(given) || path.Base(recorded) == given
}

// Latest returns the newest readable snapshot of each source (a host and
// a source path or account), ordered by host, then source.
func (r *Repository) Latest(ctx context.Context) ([]SnapshotInfo, error) {
	all, _, err := r.Snapshots(ctx)
	if err != nil {
		return nil, err
	}
	return newestOfEach(all), nil
}

func newestOfEach(all []SnapshotInfo) []SnapshotInfo {
	newest := map[[2]string]SnapshotInfo{}
	for _, s := range all {
		k := [2]string{s.Host, s.Source}
		if n, ok := newest[k]; !ok || Older(n, s) {
			newest[k] = s
		}
	}
	out := make([]SnapshotInfo, 0, len(newest))
	for _, s := range newest {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Host != out[j].Host {
			return out[i].Host < out[j].Host
		}
		return out[i].Source < out[j].Source
	})
	return out
}
