// Command fakephone serves a fake Android phone on loopback for benchmarks
// and manual tries: it prints the phone's 127.0.0.1:PORT on stdout and
// serves until killed. Connect an adb server to it with
// `adb connect 127.0.0.1:PORT`.
//
//	go run ./internal/fakeadb/cmd/fakephone -root DIR [-data]
//
// -root is the folder served as /sdcard; -data serves phonedata.Provider()
// to `content query`.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/lifeboat-backup/lifeboat/internal/fakeadb"
	"github.com/lifeboat-backup/lifeboat/internal/fakeadb/phonedata"
)

func main() {
	root := flag.String("root", "", "folder served as /sdcard (a temporary one when empty)")
	data := flag.Bool("data", false, "serve the contacts and calendar fixture rows")
	flag.Parse()
	o := fakeadb.Options{Root: *root}
	if *data {
		o.Content = phonedata.Provider()
	}
	p, err := fakeadb.Serve(o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fakephone:", err)
		os.Exit(1)
	}
	fmt.Println(p.Addr)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
	p.Close()
}
