// Command fakephone serves a fake Android phone on loopback for benchmarks
// and manual tries: it prints the phone's 127.0.0.1:PORT on stdout and
// serves until killed (SIGINT or SIGTERM). Connect an adb server to it with
// `adb connect 127.0.0.1:PORT`.
//
//	go run ./internal/fakeadb/cmd/fakephone -root DIR [-data]
//
// -root is the folder served as /sdcard (a temporary one when empty);
// -data serves phonedata.Provider() to `content query`. `go run` leaves
// its child running when only the go command is killed: a benchmark
// builds the command first, or kills the process group.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/lifeboat-backup/lifeboat/internal/fakeadb"
	"github.com/lifeboat-backup/lifeboat/internal/fakeadb/phonedata"
)

func main() {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	if err := run(os.Args[1:], os.Stdout, sig); err != nil {
		fmt.Fprintln(os.Stderr, "fakephone:", err)
		os.Exit(1)
	}
}

// run serves the phone the flags describe, prints its address on out and
// returns when stop receives.
func run(args []string, out io.Writer, stop <-chan os.Signal) error {
	fs := flag.NewFlagSet("fakephone", flag.ContinueOnError)
	root := fs.String("root", "", "folder served as /sdcard (a temporary one when empty)")
	data := fs.Bool("data", false, "serve the contacts and calendar fixture rows (phonedata)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	o := fakeadb.Options{Root: *root}
	if *data {
		o.Content = phonedata.Provider()
	}
	p, err := fakeadb.Serve(o)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, p.Addr)
	<-stop
	return p.Close()
}
