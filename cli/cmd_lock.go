package cli

import (
	"errors"
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
	lk, err := lock.Acquire(c.Context, st, kind, c.Command.Name)
	if err != nil {
		return nil, err
	}
	if tc, ok := st.(store.TempCleaner); ok && kind != lock.Read {
		// Under a write or prune lock no other run writes here, and
		// none that was stopped can commit after Expiry: what is older is
		// a killed run's. Best effort: the next run tries again.
		tc.RemoveLeftovers(c.Context, lock.Expiry)
	}
	// Released by the command, or at the latest by run, before the stores
	// close.
	if c.App.Metadata == nil {
		c.App.Metadata = map[string]any{}
	}
	locks, _ := c.App.Metadata["locks"].([]*lock.Lock)
	c.App.Metadata["locks"] = append(locks, lk)
	return lk, nil
}

// releaseLocks releases every lock a run still holds.
func releaseLocks(app *cli.App) {
	locks, _ := app.Metadata["locks"].([]*lock.Lock)
	for _, lk := range locks {
		lk.Release()
	}
	delete(app.Metadata, "locks")
}

// leftoverNote says what becomes of tmp/ leftovers.
const leftoverNote = "backup, prune and sync remove those older than the lock expiry (30 minutes)"

// readLock keeps prune away while a long read (restore, export) runs. A
// prune in progress gives exit 11. A lock that cannot be written (a
// read-only disk, read-only credentials) does not stop the read: it is
// only noted.
func readLock(c *cli.Context, p *printer) error {
	st, err := openStore(c)
	if err != nil {
		return err
	}
	_, err = lockStore(c, st, lock.Read)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, lock.ErrLocked), c.Context.Err() != nil:
		return err
	}
	p.note("lifeboat: note: %v; reading without a lock (a prune started meanwhile could remove what this run reads)", err)
	return nil
}
