// Package fakeadb is a fake Android phone on loopback that Debian's real
// adb accepts, with an isolated adb server per test; its limits follow.
package fakeadb

// What the fake is, and its limits.
//
// The fake speaks the adb transport (CNXN with version 0x01000001 and a
// 1 MiB payload, OPEN/OKAY/WRTE/CLSE with one WRTE in flight per stream,
// several streams at once) and these services: shell,v2 (stdout, stderr
// and the exit code apart), shell: and exec: (stderr joined to stdout, no
// exit code), and sync: (STAT, STA2, LST2, LIST, LIS2, RECV, SEND with
// mtime, QUIT) over Options.Root, seen as /sdcard and /storage/emulated/0.
//
// Options add failures a user meets: Unauthorized (AUTH always refused),
// Offline (CNXN never answered), Locked (storage locked before the first
// unlock, see locked.go), BeforeRecv (a hook before each RECV, to delete a
// file or Unplug mid-pull); Phone.Recvs counts the file bytes served and
// Phone.Scanned the media scans asked for with `am broadcast`.
//
// Limits: AUTH is either skipped or always refused (no key is ever
// accepted); the shell is no shell: a line is cut into commands at each
// ';' and newline outside quotes, each split into words (quotes and
// backslashes undone, no pipes, redirections, variables or globs, but $?
// anywhere in a word becomes the previous command's exit code, and exit
// ends the line), and a command's first word picks a Command
// (Options.Commands, then exit, echo, cat, getprop, am, content and sh -c
// SCRIPT); anything else exits 127. `content query` takes --uri (a query
// string after '?' is dropped to find the table), --projection, --where
// of COL=V and COL IN (V, ...) joined by AND (anything else is an error on
// stderr), and --sort "COL [ASC|DESC]"; it ignores --user. `content
// insert` records its binds (Phone.Inserts) and appends a row. Its messages follow
// Content.java but print only the usage's first line and no stack trace,
// and numbers print as Go prints them. `am` knows only `broadcast -a A
// [-d URI]`. No pty, no SND2/RCV2, no delayed acks, no symlink targets
// over sync, and sync requests are limited to paths of 4 KiB. As adbd
// does, the sync service ends (the stream closes) after it sends a FAIL.
