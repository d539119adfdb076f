package android

import (
	"context"
	"fmt"
	"strings"

	"github.com/lifeboat-backup/lifeboat/source/android/adb"
)

// device is what a backup needs of a phone.
type device interface {
	shell
	syncer
}

// read makes the tree of one backup: the providers rendered, the media
// folders listed over one sync connection. A folder the phone does not
// have is said with -v; when named (the configuration chose the folders),
// in the run's note too, so that a misspelt folder is not passed over
// without a word.
func read(ctx context.Context, d device, opts Options, named bool) (*Tree, error) {
	if err := checkUnlocked(ctx, d); err != nil {
		return nil, err
	}
	r, err := readProviders(ctx, d)
	if err != nil {
		return nil, err
	}
	t := newTree(&pool{ctx: ctx, dev: d})
	for p, data := range r.files {
		t.addFile(p, data)
	}
	s, err := d.Sync(ctx)
	if err != nil {
		return nil, err
	}
	missing, err := listMedia(ctx, s, opts.Media, t)
	t.pool.put(s, err)
	if err != nil {
		t.close()
		return nil, err
	}
	t.done()
	say(opts.Detail, r.summary(missing))
	if named {
		r.missingMedia = missing
	}
	say(opts.Note, r.note())
	return t, nil
}

// checkUnlocked refuses a phone whose user storage is still locked: on a
// phone with file-based encryption (ro.crypto.type "file"), vold sets
// sys.user.0.ce_available to "true" once the user has unlocked it after a
// restart (system/vold FsCrypt.cpp). Until then the providers are not
// found and adbd lists the media folders as empty, which a backup must
// not take for a phone that lost everything.
func checkUnlocked(ctx context.Context, d shell) error {
	res, err := d.Shell(ctx, "getprop ro.crypto.type; getprop sys.user.0.ce_available")
	if err != nil {
		return err
	}
	lines := strings.Split(string(withoutLinkerWarnings(res).Stdout), "\n")
	if strings.TrimSpace(lines[0]) == "file" && (len(lines) < 2 || strings.TrimSpace(lines[1]) != "true") {
		return fmt.Errorf("%w: its storage stays encrypted until the screen is unlocked once after a restart", ErrLocked)
	}
	return nil
}

func say(f func(string), msg string) {
	if f != nil && msg != "" {
		f(msg)
	}
}

// summary is what -v says about the phone's providers and folders.
func (r *rendered) summary(missing []string) string {
	s := fmt.Sprintf("%d contacts, %d event rows (exceptions of a series included)", r.contacts, r.events)
	if len(r.dropped) > 0 {
		s += "; columns this Android does not have: " + strings.Join(r.dropped, ", ")
	}
	if len(missing) > 0 {
		s += "; no " + strings.Join(missing, ", ")
	}
	return s
}

// note is what a phone backup cannot capture, said once per run.
func (r *rendered) note() string {
	var parts []string
	if r.withPhoto > 0 {
		who := fmt.Sprintf("%d contacts have one", r.withPhoto)
		if r.withPhoto == 1 {
			who = "1 contact has one"
		}
		parts = append(parts, "contact photos ("+who+"; `content query` cannot read pictures: export contacts.vcf from the phone's Contacts app and back up that file to keep them)")
	}
	parts = append(parts, "to-do lists (Android keeps them in each app, not in the Calendar provider)")
	for _, p := range r.noProvider {
		parts = append(parts, p+" (the phone has no "+p+" provider)")
	}
	for _, m := range r.missingMedia {
		parts = append(parts, storage+"/"+m+" (the phone has no such folder)")
	}
	return "not captured from the phone: " + strings.Join(parts, "; ")
}

// compile-time check: a real phone is a device.
var _ device = (*adb.Device)(nil)
