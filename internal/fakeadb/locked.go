package fakeadb

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"syscall"
)

// What Options.Locked does, and what it is based on. None of it was checked
// on a phone: it is read from AOSP sources and may differ by version.
//
// With file-based encryption, a phone restarted and not yet unlocked keeps
// its user's credential-encrypted storage locked, and adbd (which runs
// anyway) cannot read /sdcard. adbd's sync service (AOSP
// adb/daemon/file_sync_service.cpp) then answers:
//   - STAT (v1): lstat fails and it sends zeros (mode 0, as for a missing
//     path; adb pull says "remote object ... does not exist");
//   - STA2/LST2: the errno in the error field, here EACCES (13);
//   - LIST/LIS2: opendir fails and it sends DONE at once, an empty folder
//     and no FAIL (a reader must not take this for "all photos deleted");
//   - RECV: FAIL "open failed: Permission denied" (SendSyncFailErrno).
//
// The Contacts and Calendar providers are not direct-boot aware, and while
// the user is locked the package manager resolves no such provider
// (PackageManager's MATCH_DIRECT_BOOT_AUTO), so ActivityManager hands
// Content.java no provider and it throws IllegalStateException "Could not
// find provider". The fake adds a second stderr line naming the lock, so a
// test can tell this case from a missing provider; a real phone may print
// only the first (and its stack trace).

// lockedAuthorities are the providers that are unavailable while locked.
var lockedAuthorities = map[string]bool{"com.android.contacts": true, "com.android.calendar": true}

// lockedQuery prints what a locked phone answers to `content` on a
// credential-encrypted provider, and reports whether it did.
func (p *Phone) lockedQuery(stderr io.Writer, uri string) bool {
	auth := authority(uri)
	if !p.opts.Locked || !lockedAuthorities[auth] {
		return false
	}
	fmt.Fprintf(stderr, "Error while accessing provider:%s\njava.lang.IllegalStateException: Could not find provider: %s\n", auth, auth)
	fmt.Fprintf(stderr, "fakeadb: user 0 is locked (credential-encrypted storage not unlocked since boot)\n")
	return true
}

// strerror is bionic's strerror text for the errno in err ("Permission
// denied"), or err's own text when it holds none.
func strerror(err error) string {
	var e syscall.Errno
	if !errors.As(err, &e) {
		return err.Error()
	}
	s := e.Error()
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
