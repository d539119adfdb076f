package main

import (
	"os"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/lifeboat-backup/lifeboat/lock"
	"github.com/lifeboat-backup/lifeboat/store"
)

// lockRepo takes a lock of kind on the primary location for the running
// command. A conflicting live lock gives an error wrapping lock.ErrLocked
// (exit 11).
func lockRepo(c *cli.Context, kind lock.Kind) (*lock.Lock, error) {
	st, err := openStore(c)
	if err != nil {
		return nil, err
	}
	return lockStore(c, st, kind)
}

// lockStore takes a lock of kind on st (a mirror, say).
func lockStore(c *cli.Context, st store.Store, kind lock.Kind) (*lock.Lock, error) {
	// For tests of expiry (a stopped process); not a user setting.
	if d, err := time.ParseDuration(os.Getenv("LIFEBOAT_TEST_LOCK_EXPIRY")); err == nil && d > 0 {
		lock.Expiry = d
	}
	return lock.Acquire(c.Context, st, kind, c.Command.Name)
}
