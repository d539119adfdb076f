// Package adb is a client of the adb server's host protocol: devices, shell v2, exec and sync (v1 and v2).
//
// It speaks to the user's adb server (the one `adb` starts on
// 127.0.0.1:5037), never to the phone's adbd directly, so the server's
// keys, USB access and authorization prompts stay adb's business. Every
// request opens its own TCP connection: four hex digits of length, the
// request, then OKAY or FAIL with a message (OVERVIEW.TXT, SERVICES.TXT).
// A device service is host:transport:SERIAL followed by the service's
// request on the same connection: "shell,v2,raw:CMD", "shell:CMD",
// "exec:CMD" or "sync:" (SYNC.TXT, AOSP adb/file_sync_protocol.h and
// adb/shell_protocol.h).
//
// What adb 29.0.6 (Debian) does, seen against internal/fakeadb, and what
// this package relies on:
//
//   - host:version answers "0029" (hex: protocol 41).
//   - host:devices-l gives one line per device, "%-22s %s" of serial and
//     state, then " product:P model:M device:D transport_id:N" for a
//     device it is connected to (spaces in the model become '_'), only
//     " transport_id:N" for an unauthorized or offline one.
//   - host-serial:SERIAL:features relays the features of the device's
//     CNXN banner as they are, ones adb itself does not know included
//     (shell_v2, cmd, stat_v2, ls_v2, fixed_push_mkdir, ...). So the
//     package decides on shell v2 and sync v2 from this list.
//   - An unauthorized phone: host:transport FAILs "device unauthorized.\n
//     This adb server's $ADB_VENDOR_KEYS is not set\n...".
//   - A phone that vanishes: a stream in progress (a RECV, a shell)
//     simply ends, the server closing the socket with no FAIL, so an EOF
//     inside a message is ErrGone. A phone reached over TCP (`adb
//     connect`) then stays listed as "offline" while adb retries, and
//     new requests FAIL "device offline"; one the server forgot (adb
//     disconnect, a USB phone unplugged) FAILs "device 'SERIAL' not
//     found"; with no device at all, "no devices/emulators found". All
//     of these wrap ErrGone once a Device was found.
//   - adbd answers a folder it cannot open with an empty listing in LIST
//     and LIS2 alike, and v1 STAT of a missing path with all zeros; the
//     package tells these apart with a stat (see Sync.List).
package adb
