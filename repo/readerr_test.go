package repo

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"testing"

	"github.com/lifeboat-backup/lifeboat/store"
)

// TestReadError: only what says something about the data is damage. A
// dropped connection during a restore from S3 or SFTP must not send the
// user off to repair a repository that is fine.
func TestReadError(t *testing.T) {
	reset := &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
	for _, tc := range []struct {
		name    string
		err     error
		damaged bool
		says    string
	}{
		// age wraps a store's read error with %w, and a failed tag in text.
		{"connection reset", fmt.Errorf("failed to read chunk at offset 0: %w", reset), false, "connection reset"},
		{"canceled", fmt.Errorf("failed to read chunk at offset 65536: %w", context.Canceled), false, "canceled"},
		{"timeout", context.DeadlineExceeded, false, "deadline"},
		{"ssh lost", fmt.Errorf("failed to read chunk at offset 0: %w", fmt.Errorf("%w: connection lost", store.ErrUnavailable)), false, "connection lost"},
		{"s3 refused", fmt.Errorf("data/ab/abc: %w", store.ErrAccessDenied), false, "refused the credentials"},
		{"tag mismatch", errors.New("failed to decrypt and authenticate chunk at offset 0: chacha20poly1305: message authentication failed"), true, "does not decrypt (damaged or tampered with)"},
		{"missing", fmt.Errorf("data/ab/abc: %w", store.ErrNotFound), true, "data/ab/abc is missing"},
		{"short", fmt.Errorf("failed to read chunk at offset 0: %w", errors.New("unexpected EOF")), true, "unexpected EOF"},
	} {
		err := readError("data/ab/abc", tc.err)
		if errors.Is(err, ErrDamaged) != tc.damaged || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%s: %v (damaged %v, want %v, saying %q)", tc.name, err, errors.Is(err, ErrDamaged), tc.damaged, tc.says)
		}
		if strings.Contains(err.Error(), "chacha20poly1305") {
			t.Errorf("%s: %v: names the cipher's internals", tc.name, err)
		}
	}
}
