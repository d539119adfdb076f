package cli

import (
	"context"
	"os"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/lifeboat-backup/lifeboat/internal/forge"
	"github.com/lifeboat-backup/lifeboat/store"
)

// cmdForgeAttack runs one of internal/forge's attacks on a repository folder:
//
//	forge takeover REPO KEYDIR   a write key of the storage holder's own (see forge.TakeOver)
//	forge truncate FILE          cut a file to half its length
func cmdForgeAttack(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! forge")
	}
	if len(args) < 2 {
		ts.Fatalf("usage: forge ATTACK ARGS...")
	}
	switch {
	case args[0] == "takeover" && len(args) == 3:
		_, err := forge.TakeOver(context.Background(), store.NewLocal(ts.MkAbs(args[1])), ts.MkAbs(args[2]))
		ts.Check(err)
	case args[0] == "truncate" && len(args) == 2:
		fi, err := os.Stat(ts.MkAbs(args[1]))
		ts.Check(err)
		ts.Check(os.Truncate(ts.MkAbs(args[1]), fi.Size()/2))
	default:
		ts.Fatalf("forge: unknown attack or arguments %q", args)
	}
}
