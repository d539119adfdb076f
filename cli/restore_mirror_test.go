package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/internal/s3test"
	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
)

// TestRestoreFromS3Mirror: with the mirror in a bucket of a real S3
// server (versitygw), restore reads a pack damaged in the repository
// from the bucket, says so, and restores every file byte for byte (issue
// 12, item 11; was exit 13).
func TestRestoreFromS3Mirror(t *testing.T) {
	srv := s3test.Start(t)
	dir := t.TempDir()
	homeEnv(t, filepath.Join(dir, "home"))
	t.Setenv("LIFEBOAT_TEST_SCRYPT_WORK_FACTOR", "10")
	repo, phone := filepath.Join(dir, "repo"), filepath.Join("..", "testdata", "phone")
	mirror := srv.Location("lifeboat", "phone")
	if code, e := lb(t, "init", "--repo", repo, "--mirror", mirror); code != 0 {
		t.Fatalf("init: %d %s", code, e)
	}
	if code, e := lb(t, "backup", "--quiet", phone); code != 0 {
		t.Fatalf("backup: %d %s", code, e)
	}
	victim := largestUnder(t, filepath.Join(repo, "data"))
	b, err := os.ReadFile(victim)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 1
	if err := os.WriteFile(victim, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	code, e := lb(t, "restore", "latest", "--to", out)
	if code != 0 || !strings.Contains(e, filepath.Base(victim)+" is damaged or missing in ") || !strings.Contains(e, "read it from the mirror "+mirror) {
		t.Fatalf("restore with a damaged pack and the mirror in S3: %d %s", code, e)
	}
	if n := testrepo.SameBytes(t, phone, out); n == 0 {
		t.Fatal("nothing restored")
	}
}
