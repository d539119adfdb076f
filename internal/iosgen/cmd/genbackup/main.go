// Command genbackup writes a synthetic iPhone backup (internal/iosgen's
// Standard set) for trials and benchmarks:
//
//	go run ./internal/iosgen/cmd/genbackup -dir /tmp/Backup -contacts 300 -media 200 [-password-file FILE]
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/lifeboat-backup/lifeboat/internal/iosgen"
)

func main() {
	dir := flag.String("dir", "", "folder to write the device folder into (required)")
	contacts := flag.Int("contacts", 300, "contacts in the address book")
	media := flag.Int("media", 200, "photos and videos in the camera roll")
	pwFile := flag.String("password-file", "", "encrypt the backup with the password in this file")
	flag.Parse()
	if *dir == "" {
		flag.Usage()
		os.Exit(2)
	}
	files, _, err := iosgen.Standard(*contacts, *media)
	if err != nil {
		fmt.Fprintln(os.Stderr, "genbackup:", err)
		os.Exit(1)
	}
	o := iosgen.Options{Files: files}
	if *pwFile != "" {
		b, err := os.ReadFile(*pwFile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "genbackup:", err)
			os.Exit(1)
		}
		o.Password = []byte(strings.TrimRight(string(b), "\r\n"))
	}
	b, err := iosgen.Write(*dir, o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "genbackup:", err)
		os.Exit(1)
	}
	fmt.Println(b.Dir)
}
