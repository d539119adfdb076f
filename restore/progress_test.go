package restore_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/restore"
)

// TestProgress: Progress is called once per restored file, from several
// workers, and its sizes add up to what the restore wrote.
func TestProgress(t *testing.T) {
	e := testrepo.New(t)
	src := filepath.Join(t.TempDir(), "src")
	for i := range 30 {
		p := filepath.Join(src, fmt.Sprintf("d%d", i%3), fmt.Sprintf("f%d", i))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, make([]byte, 1000*i), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res := e.Backup(t, src)
	var files, bytes atomic.Int64
	r := e.Open(t, repo.AccessRead)
	got, err := restore.Run(context.Background(), r, res.Snapshot, restore.Options{
		Target: filepath.Join(t.TempDir(), "out"), Workers: 4,
		Progress: func(size int64) { files.Add(1); bytes.Add(size) }})
	if err != nil {
		t.Fatal(err)
	}
	if files.Load() != int64(got.Files) || bytes.Load() != got.Bytes || got.Files != 30 || got.Bytes != int64(res.Snapshot.Stats.Bytes) {
		t.Errorf("progress: %d files, %d bytes; restore: %d files, %d bytes; snapshot: %d bytes",
			files.Load(), bytes.Load(), got.Files, got.Bytes, res.Snapshot.Stats.Bytes)
	}
}
