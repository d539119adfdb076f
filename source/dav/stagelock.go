package dav

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"
)

// errHeld is tryLock's answer when another process holds the lock.
var errHeld = errors.New("held by another process")

// lockStaging takes an exclusive lock on an account's staging folder
// (flock on dir + ".lock"), waiting while another run holds it. Two runs
// that back up the same account (two cron lines, two repositories) would
// otherwise rewrite the folder at once, and one could back up the other's
// half-updated copy. The lock goes with the process, so a killed run
// never leaves it held.
func lockStaging(ctx context.Context, dir string, waiting func()) (release func(), err error) {
	f, err := os.OpenFile(dir+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	for {
		release, err := tryLock(f)
		if err == nil {
			return release, nil
		}
		if !errors.Is(err, errHeld) {
			f.Close()
			return nil, fmt.Errorf("lock the staging folder: %w", err)
		}
		if waiting != nil {
			waiting()
			waiting = nil
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}
