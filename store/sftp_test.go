package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/internal/sshtest"
	"github.com/lifeboat-backup/lifeboat/store"
	"github.com/lifeboat-backup/lifeboat/store/storetest"
)

// TestSFTPConformance runs the store suite against a real OpenSSH sshd.
func TestSFTPConformance(t *testing.T) {
	srv := sshtest.Start(t)
	opts := store.SFTPOptions{KnownHosts: srv.KnownHosts, KeyFiles: []string{srv.KeyFile}}
	storetest.Run(t, func(t *testing.T) store.Store {
		s, err := store.DialSFTP(context.Background(), srv.Location(filepath.Join(t.TempDir(), "repo")), opts)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

// TestSFTPUnknownHostKey: a server whose key is not in known_hosts is
// refused.
func TestSFTPUnknownHostKey(t *testing.T) {
	srv := sshtest.Start(t)
	empty := filepath.Join(t.TempDir(), "known_hosts")
	if err := writeFile(empty, ""); err != nil {
		t.Fatal(err)
	}
	_, err := store.DialSFTP(context.Background(), srv.Location(t.TempDir()),
		store.SFTPOptions{KnownHosts: empty, KeyFiles: []string{srv.KeyFile}})
	if err == nil {
		t.Fatal("connected to a server with an unknown host key")
	}
}

func writeFile(p, s string) error { return os.WriteFile(p, []byte(s), 0o600) }

// TestSFTPLostConnection: reads after the SSH connection is gone fail
// with ErrUnavailable, which restore and check do not take for damage.
func TestSFTPLostConnection(t *testing.T) {
	srv := sshtest.Start(t)
	ctx := context.Background()
	s, err := store.DialSFTP(ctx, srv.Location(filepath.Join(t.TempDir(), "repo")),
		store.SFTPOptions{KnownHosts: srv.KnownHosts, KeyFiles: []string{srv.KeyFile}})
	if err != nil {
		t.Fatal(err)
	}
	if err := store.MakeRoot(s); err != nil {
		t.Fatal(err)
	}
	name := "data/ab/" + strings.Repeat("ab", 32)
	if err := store.Save(ctx, s, name, []byte("some pack")); err != nil {
		t.Fatal(err)
	}
	o, err := s.Open(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	b := make([]byte, 4)
	if _, err := o.ReadAt(b, 0); !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("read after the connection closed: %v, want ErrUnavailable", err)
	}
	if _, err := s.Open(ctx, name); !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("open after the connection closed: %v, want ErrUnavailable", err)
	}
}
