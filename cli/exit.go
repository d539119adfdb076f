package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"syscall"

	"github.com/lifeboat-backup/lifeboat/backup"
	"github.com/lifeboat-backup/lifeboat/check"
	"github.com/lifeboat-backup/lifeboat/crypto"
	"github.com/lifeboat-backup/lifeboat/internal/target"
	"github.com/lifeboat-backup/lifeboat/lock"
	"github.com/lifeboat-backup/lifeboat/mirror"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/restore"
	"github.com/lifeboat-backup/lifeboat/retention"
	"github.com/lifeboat-backup/lifeboat/source/android"
	"github.com/lifeboat-backup/lifeboat/source/android/adb"
	"github.com/lifeboat-backup/lifeboat/source/dav"
	"github.com/lifeboat-backup/lifeboat/source/iphone"
	"github.com/lifeboat-backup/lifeboat/store"
)

// Exit codes, SPEC §2 (restic's where the meaning is the same).
const (
	exitOK        = 0
	exitFatal     = 1
	exitUsage     = 2
	exitPartial   = 3
	exitAlarm     = 4
	exitNoRepo    = 10
	exitLocked    = 11
	exitWrongKey  = 12
	exitDamaged   = 13
	exitInterrupt = 130
)

// usageError is a bad command line or configuration.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// partialError is a run that committed its snapshots but left something
// out; the details were already printed.
type partialError struct{ msg string }

func (e partialError) Error() string { return e.msg }

// alarmError is a backup that committed its snapshots but found a mass
// deletion; the details were already printed.
type alarmError struct{ msg string }

func (e alarmError) Error() string { return e.msg }

// exitCode is the one table from errors to exit codes.
func exitCode(err error) int {
	var ue usageError
	var pe partialError
	var ae alarmError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ae):
		return exitAlarm
	case errors.Is(err, context.Canceled):
		return exitInterrupt
	case errors.As(err, &ue), errors.Is(err, crypto.ErrInsecureFile), errors.Is(err, repo.ErrKeyFile),
		errors.Is(err, adb.ErrNoADB), errors.As(err, new(*adb.ManyDevicesError)):
		return exitUsage
	case errors.As(err, &pe):
		return exitPartial
	case errors.Is(err, repo.ErrNoRepo):
		return exitNoRepo
	case errors.Is(err, lock.ErrLocked):
		return exitLocked
	case errors.Is(err, repo.ErrWrongKey), errors.Is(err, repo.ErrNoIdentity),
		errors.Is(err, repo.ErrNoWriteKey), errors.Is(err, crypto.ErrWrongKey), errors.Is(err, crypto.ErrBadIdentityFile),
		iphone.IsPasswordError(err):
		return exitWrongKey
	case errors.Is(err, repo.ErrDamaged):
		return exitDamaged
	default:
		return exitFatal
	}
}

// hint returns advice for an error, or "".
func hint(err error) string {
	switch {
	case errors.Is(err, errUnknownCommand):
		return "run 'lifeboat --help' for the commands"
	case errors.Is(err, errFlagFirst):
		return "put the flags after the command, as in 'lifeboat backup -v', or run 'lifeboat --version' alone"
	case errors.Is(err, repo.ErrRollback):
		return "someone removed snapshots or restored an older copy of the repository: 'lifeboat check' lists what is gone, 'lifeboat sync' brings back what the other location holds, and the next backup ends the alarm"
	case errors.Is(err, lock.ErrLocked):
		return "wait for that run to finish; a lock whose process died, or that was not refreshed for 30 minutes, is taken over automatically"
	case errors.Is(err, lock.ErrLost):
		return "run the command again; a run stopped for longer than its lock lasts never commits"
	case errors.Is(err, repo.ErrNoRepo):
		return "create one with 'lifeboat init --repo DIR', or check --repo / LIFEBOAT_REPO"
	case errors.Is(err, repo.ErrNoIdentity):
		return "this command decrypts: pass --identity FILE (or LIFEBOAT_IDENTITY), or --passphrase-file FILE for the identity stored in the repository"
	case errors.Is(err, crypto.ErrBadIdentityFile):
		return "an identity file holds the AGE-SECRET-KEY-1... line that 'lifeboat init' (or age-keygen) wrote; give the right file with --identity"
	case errors.Is(err, repo.ErrWrongKey), errors.Is(err, crypto.ErrWrongKey):
		return "check that the identity or passphrase belongs to this repository"
	case errors.Is(err, repo.ErrNoWriteKey):
		return "run 'lifeboat snapshots --identity FILE' (or --passphrase-file FILE) once on this machine to install the repository's write key"
	case errors.Is(err, crypto.ErrInsecureFile):
		return "make the file private with 'chmod 600 FILE'"
	case errors.As(err, new(exportTargetError)):
		return "export into a new or empty folder"
	case errors.Is(err, restore.ErrNotEmpty):
		return "restore into an empty or new folder, or pass --overwrite"
	case errors.Is(err, restore.ErrNoMatch):
		return "'lifeboat ls SNAPSHOT' lists the paths; matching is case-sensitive"
	case errors.Is(err, target.ErrNotFolder):
		return "restore into a new or empty folder"
	case errors.Is(err, mirror.ErrKeysUnrecoverable):
		return "neither location has an intact copy; put back config and keys/ from another copy of the repository folder, if you have one"
	case errors.Is(err, mirror.ErrUnrecoverable):
		return "the warnings above name them; everything else was repaired, and restore recovers every file that does not need them"
	case errors.As(err, new(locationsError)):
		return "run 'lifeboat sync' to repair each location from the other"
	case errors.Is(err, repo.ErrUnvouched):
		return "a write key nothing vouches for proves no snapshot genuine; if the repository was made with --recipient or your key was added later, " +
			"run 'lifeboat key tag --identity FILE' once on a machine that backs it up, or copy its write key file (lifeboat/keys/ID.key in the config folder) here; else treat the repository as tampered with"
	case errors.Is(err, check.ErrProblems):
		return "the lines above name each object; with a second location, 'lifeboat sync --mirror MIRROR' repairs it from there"
	case errors.Is(err, repo.ErrDamaged):
		return "run 'lifeboat check' to see what is damaged; with a second location, 'lifeboat sync --mirror MIRROR' repairs it from there"
	case errors.Is(err, dav.ErrAuth):
		return "check the user name and the password file (--dav-password-file or LIFEBOAT_DAV_PASSWORD)"
	case errors.Is(err, dav.ErrNotCollection):
		return "point --to at an address book (calendar) of the account, or at a new path to create one (say .../restored/)"
	case errors.Is(err, adb.ErrNoADB):
		return "install Android's adb: 'sudo apt install adb' (Debian, Ubuntu), 'sudo dnf install android-tools' (Fedora), 'brew install android-platform-tools' (macOS); lifeboat uses it to reach the phone"
	case errors.As(err, new(*adb.ManyDevicesError)):
		return "name one phone as android://SERIAL, with a serial 'adb devices' lists"
	case errors.Is(err, adb.ErrUnauthorized):
		return "unlock the phone and accept 'Allow USB debugging?' for this computer (tick 'Always allow'), then run again"
	case errors.Is(err, adb.ErrOffline):
		return "unplug the phone and plug it in again (or run 'adb kill-server'), unlock it, then run again"
	case errors.Is(err, adb.ErrNoDevice):
		return "plug the phone in by USB with USB debugging on (Settings > About phone: tap Build number 7 times; then Developer options > USB debugging); 'adb devices' must list it as 'device'"
	case errors.Is(err, android.ErrLocked):
		return "unlock the phone's screen and run again: after a restart Android keeps its data encrypted until the first unlock"
	case errors.Is(err, android.ErrAccount):
		return "give --account one of the names listed (as the phone's Settings > Accounts shows them), or leave --account out to put everything into the phone's own account"
	case errors.As(err, new(putGoneError)):
		return "plug the phone back in and run the same restore again: it finds what this one put there and adds only the rest"
	case errors.Is(err, android.ErrGone):
		return "plug the phone back in and run again: nothing was committed for it, and the next run completes"
	case errors.Is(err, iphone.ErrPasswordRequired):
		return "the iPhone backup is encrypted: put its password in a file only you can read (chmod 600 FILE) and pass --ios-password-file FILE (or LIFEBOAT_IOS_PASSWORD_FILE)"
	case errors.Is(err, iphone.ErrWrongPassword):
		return "the backup password is the one set when 'Encrypt local backup' was turned on (Finder, iTunes, or 'idevicebackup2 encryption on'), not the phone's passcode or the Apple ID password; check the file given with --ios-password-file"
	case errors.Is(err, backup.ErrSource):
		return "check that the folder exists and is readable (or that the server is reachable)"
	case errors.Is(err, store.ErrHostKey):
		return "the server's host key must be in ~/.ssh/known_hosts (or LIFEBOAT_SFTP_KNOWN_HOSTS): connect once with 'ssh -p PORT USER@HOST' and compare the fingerprint with the server's; a key that changed may mean someone is in between"
	case errors.Is(err, repo.ErrNoSnapshot):
		return "'lifeboat snapshots' lists the snapshots; give an id (or enough of its first digits to name one), latest, or latest:SOURCE"
	case errors.Is(err, repo.ErrExists):
		return "use that repository, or choose another --repo"
	case errors.Is(err, retention.ErrFuture):
		return "a clock was wrong when it was made: forget it by id ('lifeboat forget ID'), or keep by --keep-last and --keep-within only, which go by commit order and now"
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT):
		return "the disk named above is full: free space there, then run again; nothing partial was kept under a final name"
	case errors.Is(err, fs.ErrPermission):
		return "this user cannot write the path named above: fix its owner or mode (ls -ld PATH), then run again"
	}
	return ""
}

// printError prints err as lifeboat: error: ..., lowercase, one line.
func printError(w io.Writer, err error) {
	var pe partialError
	var ae alarmError
	if errors.As(err, &pe) || errors.As(err, &ae) {
		fmt.Fprintf(w, "lifeboat: %s\n", oneLine(err.Error()))
		return
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(w, "lifeboat: error: interrupted; nothing was committed")
		return
	}
	fmt.Fprintf(w, "lifeboat: error: %s\n", oneLine(err.Error()))
	if h := hint(err); h != "" {
		fmt.Fprintf(w, "lifeboat: hint: %s\n", h)
	}
}

// jsonOutput is the app's Metadata key set when the command runs with
// --json (or LIFEBOAT_JSON).
const jsonOutput = "json"

// printErrorJSON ends a failed command's JSON lines with one object that
// says how it ended, so a script reading stdout alone sees every outcome:
// {"error": "...", "hint": "...", "exit_code": N}. Partial runs and alarms
// (exit 3, 4) end with it too, after their summary.
func printErrorJSON(w io.Writer, err error, code int) {
	msg := oneLine(err.Error())
	if errors.Is(err, context.Canceled) {
		msg = "interrupted; nothing was committed"
	}
	out := map[string]any{"error": strings.TrimPrefix(msg, "warning: "), "exit_code": code}
	if h := hint(err); h != "" {
		out["hint"] = h
	}
	b, _ := json.Marshal(out)
	fmt.Fprintf(w, "%s\n", b)
}

func oneLine(s string) string {
	s = clean(strings.ReplaceAll(s, "\n", " "))
	if s != "" {
		s = strings.ToLower(s[:1]) + s[1:]
	}
	return s
}
