package fakeadb

import (
	"fmt"
	"net/url"
	"strings"
)

// am is the part of Android's `am` (ActivityManagerShellCommand) that a
// restore uses: `am broadcast -a ACTION [-d URI]`. It prints what am
// prints, "Broadcasting: Intent { act=A dat=D flg=0x400000 }" (am adds
// FLAG_RECEIVER_FROM_SHELL, 0x400000; a file: URI is printed whole by
// Uri.toSafeString) and "Broadcast completed: result=0", and records the
// path of each MEDIA_SCANNER_SCAN_FILE with a file: URI (Phone.Scanned).
// Other am commands and flags are refused with am's usage error.
func am(p *Phone, e *Exec) int {
	args := e.Args[1:]
	if len(args) == 0 || args[0] != "broadcast" {
		fmt.Fprintf(e.Stderr, "Error: unknown command '%s'\n", strings.Join(args, " "))
		return 255
	}
	var action, data string
	for i := 1; i < len(args); i++ {
		if i+1 >= len(args) || args[i] != "-a" && args[i] != "-d" {
			fmt.Fprintf(e.Stderr, "Error: Unknown option: %s\n", args[i])
			return 255
		}
		if args[i] == "-a" {
			action = args[i+1]
		} else {
			data = args[i+1]
		}
		i++
	}
	var desc []string
	if action != "" {
		desc = append(desc, "act="+action)
	}
	if data != "" {
		desc = append(desc, "dat="+data)
	}
	desc = append(desc, "flg=0x400000")
	fmt.Fprintf(e.Stdout, "Broadcasting: Intent { %s }\n", strings.Join(desc, " "))
	if action == "android.intent.action.MEDIA_SCANNER_SCAN_FILE" {
		if u, err := url.Parse(data); err == nil && u.Scheme == "file" {
			p.mu.Lock()
			p.scans = append(p.scans, u.Path)
			p.mu.Unlock()
		}
	}
	fmt.Fprintln(e.Stdout, "Broadcast completed: result=0")
	return 0
}

// Scanned returns the paths the media scanner was told of with
// `am broadcast -a android.intent.action.MEDIA_SCANNER_SCAN_FILE -d
// file:///sdcard/...`, in order.
func (p *Phone) Scanned() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.scans...)
}

// Recvs is the count of file bytes served by sync RECV so far, so a test
// can assert that an unchanged re-run pulled no content.
func (p *Phone) Recvs() int64 { return p.recvd.Load() }
