package serve

import "github.com/lifeboat-backup/lifeboat/repo"

// snapView is the snapshot a page of one snapshot shows.
type snapView struct {
	repo.SnapshotInfo
}

// view is the layout's data for a page of this snapshot.
func (sv *snapView) view(title, tab string, body any) view {
	info := sv.SnapshotInfo
	return view{Title: title, Host: sv.Host, Source: sv.Source, Snap: &info, Tab: tab, Body: body}
}
