package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/internal/s3test"
)

// TestS3Mirror: a mirror in a bucket of a real S3 server (versitygw).
// Backups update it; with the server stopped the backup commits and exits
// 3; a server that accepts and never answers is given up after
// --mirror-timeout; once the server is back, the next backup catches up;
// a damaged object in the bucket is found by check and healed by sync; and
// the recovery drill restores from the bucket with an empty HOME.
func TestS3Mirror(t *testing.T) {
	srv := s3test.Start(t)
	dir := t.TempDir()
	homeEnv(t, filepath.Join(dir, "home"))
	t.Setenv("LIFEBOAT_TEST_SCRYPT_WORK_FACTOR", "10")
	pass := filepath.Join(dir, "pass.txt")
	os.WriteFile(pass, []byte("correct horse\n"), 0o600)
	repo, phone := filepath.Join(dir, "repo"), filepath.Join("..", "testdata", "phone")
	mirror := srv.Location("lifeboat", "laptop")

	if code, e := lb(t, "init", "--repo", repo, "--mirror", mirror, "--passphrase-file", pass); code != 0 {
		t.Fatalf("init: %d %s", code, e)
	}
	t.Setenv("LIFEBOAT_MIRROR", mirror)
	t.Setenv("LIFEBOAT_PASSPHRASE_FILE", pass)
	if code, e := lb(t, "backup", "--repo", repo, "--quiet", phone); code != 0 {
		t.Fatalf("backup: %d %s", code, e)
	}
	if code, e := lb(t, "check", "--repo", repo); code != 0 {
		t.Fatalf("check after backup: %d %s", code, e)
	}

	srv.Stop()
	start := time.Now()
	code, e := lb(t, "backup", "--repo", repo, phone)
	if code != exitPartial || !strings.Contains(e, "not updated") || !strings.Contains(e, mirror) {
		t.Fatalf("backup with the server down: %d %s", code, e)
	}
	t.Logf("backup with the S3 server down: %v", time.Since(start))
	// check says once, in one line, that the mirror cannot be reached,
	// without net/http's method and URL.
	code, e = lb(t, "check", "--repo", repo)
	if code != exitFatal || strings.Count(e, "lifeboat: error:") != 1 || strings.Count(e, mirror) != 1 || strings.Contains(e, "\"http://") {
		t.Fatalf("check with the server down: %d %s", code, e)
	}

	silent := silentListener(t)
	hang := "s3+http://" + silent + "/lifeboat/laptop"
	start = time.Now()
	code, e = lb(t, "backup", "--repo", repo, "--mirror", hang, "--mirror-timeout", "2s", phone)
	if code != exitPartial || time.Since(start) > 15*time.Second || !strings.Contains(e, "no answer within 2s") {
		t.Fatalf("backup with a hanging mirror: %d after %v: %s", code, time.Since(start), e)
	}

	srv.Restart(t)
	if code, e := lb(t, "backup", "--repo", repo, "--quiet", phone); code != 0 {
		t.Fatalf("backup after the server is back: %d %s", code, e)
	}
	if code, e := lb(t, "check", "--repo", repo); code != 0 {
		t.Fatalf("check after catching up: %d %s", code, e)
	}

	// Damage in the bucket: check names it, sync heals it from the primary.
	victim := largestUnder(t, filepath.Join(srv.Dir, "lifeboat", "laptop", "data"))
	b, _ := os.ReadFile(victim)
	b[len(b)/2] ^= 1
	os.WriteFile(victim, b, 0o600)
	name := filepath.Base(victim)
	if code, e := lb(t, "check", "--repo", repo); code != exitDamaged || !strings.Contains(e, name) {
		t.Fatalf("check with a damaged object in the bucket: %d %s", code, e)
	}
	if code, e := lb(t, "sync", "--repo", repo); code != 0 {
		t.Fatalf("sync: %d %s", code, e)
	}
	if code, e := lb(t, "check", "--repo", repo, "--read-data"); code != 0 {
		t.Fatalf("check after sync: %d %s", code, e)
	}

	// The drill: nothing but the passphrase, the bucket's address and its
	// credentials.
	homeEnv(t, filepath.Join(dir, "newhome"))
	t.Setenv("LIFEBOAT_MIRROR", "")
	out := filepath.Join(dir, "drill")
	if code, e := lb(t, "restore", "latest", "--repo", mirror, "--to", out); code != 0 {
		t.Fatalf("restore from the S3 mirror: %d %s", code, e)
	}
	a, _ := os.ReadFile(filepath.Join(phone, "Contacts", "contacts.vcf"))
	r, _ := os.ReadFile(filepath.Join(out, "Contacts", "contacts.vcf"))
	if !bytes.Equal(a, r) || len(a) == 0 {
		t.Fatal("restored contacts differ")
	}
}

// largestUnder returns the largest regular file under dir.
func largestUnder(t *testing.T, dir string) string {
	t.Helper()
	var best string
	var size int64 = -1
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && fi.Mode().IsRegular() && fi.Size() > size {
			best, size = p, fi.Size()
		}
		return nil
	})
	if best == "" {
		t.Fatalf("no files under %s", dir)
	}
	return best
}
