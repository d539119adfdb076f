package cli

import (
	"fmt"
	"os"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/lifeboat-backup/lifeboat/crypto"
)

// agekeygen FILE writes a new age identity to FILE (mode 0600) and
// prints its public key, as age-keygen does, for capture.
func cmdAgeKeygen(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: agekeygen FILE")
	}
	id, err := crypto.GenerateIdentity()
	ts.Check(err)
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), crypto.IdentityFile(id, "test"), 0o600))
	fmt.Fprintln(ts.Stdout(), id.Recipient())
}
