package main

import (
	"context"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/lifeboat-backup/lifeboat/internal/forge"
	"github.com/lifeboat-backup/lifeboat/store"
)

// cmdForge runs one of internal/forge's attacks on a repository folder:
//
//	forge takeover REPO KEYDIR   a write key of the storage holder's own (see forge.TakeOver)
func cmdForge(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! forge")
	}
	if len(args) < 2 {
		ts.Fatalf("usage: forge ATTACK REPO [ARGS...]")
	}
	ctx := context.Background()
	st := store.NewLocal(ts.MkAbs(args[1]))
	switch {
	case args[0] == "takeover" && len(args) == 3:
		_, err := forge.TakeOver(ctx, st, ts.MkAbs(args[2]))
		ts.Check(err)
	default:
		ts.Fatalf("forge: unknown attack or arguments %q", args)
	}
}
