package dav

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

// TestLockStaging: a second run waits while the first holds the staging
// lock (and says so once), and gets it once the first lets go.
func TestLockStaging(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "account")
	release, err := lockStaging(context.Background(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	waited := 0
	if _, err := lockStaging(ctx, dir, func() { waited++ }); !errors.Is(err, context.DeadlineExceeded) || waited != 1 {
		t.Fatalf("while held: %v, waiting said %d times; want the deadline, once", err, waited)
	}
	release()
	again, err := lockStaging(context.Background(), dir, nil)
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	again()
}
