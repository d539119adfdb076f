package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRaceFirstBackups (issue 11, item 1): three first backups started
// together on a fresh HOME all use one default repository: one of them
// creates it, the others use it, each exits 0 or 11, and every snapshot
// one of them reported restores. Before, two inits could both succeed in
// one folder and leave a repository that no restore could open.
func TestRaceFirstBackups(t *testing.T) {
	for round := range 6 {
		dir := t.TempDir()
		homeEnv(t, filepath.Join(dir, "home"))
		src := filepath.Join(dir, "src")
		bigSource(t, src, 2, 64<<10)
		var ps []*proc
		for range 3 {
			ps = append(ps, startLB(t, nil, "backup", "--no-cache", src))
		}
		ok := 0
		for _, p := range ps {
			p.wait()
			switch p.code {
			case 0:
				ok++
			case exitLocked:
			default:
				t.Fatalf("round %d: a first backup exited %d: %s", round, p.code, p.stderr.String())
			}
		}
		if ok == 0 {
			t.Fatalf("round %d: no backup committed", round)
		}
		if code, e := lb(t, "check", "--read-data"); code != 0 {
			t.Fatalf("round %d: check: %d %s", round, code, e)
		}
		if code, e := lb(t, "snapshots", "--quiet"); code != 0 {
			t.Fatalf("round %d: snapshots: %d %s", round, code, e)
		}
		out := filepath.Join(dir, "restored")
		if code, e := lb(t, "restore", "latest", "--to", out); code != 0 {
			t.Fatalf("round %d: restore: %d %s", round, code, e)
		}
		if n := countFiles(filepath.Join(dir, "home", "data", "lifeboat", "repo", "snapshots")); n != ok {
			t.Errorf("round %d: %d snapshots for %d backups that exited 0", round, n, ok)
		}
	}
}

// TestRaceTwoInits (issue 11, item 1): two 'init --repo X' started
// together, from two homes (two machines on a shared folder) and from one:
// exactly one succeeds, the other says a repository exists (exit 1), and
// the winner's backups restore. Before, both could succeed in one folder
// and the repository held one's config and the other's write key.
func TestRaceTwoInits(t *testing.T) {
	for round := range 16 {
		dir := t.TempDir()
		homes := []string{filepath.Join(dir, "home-a"), filepath.Join(dir, "home-b")}
		if round%2 == 1 {
			homes[1] = homes[0]
		}
		repo := filepath.Join(dir, "repo")
		var ps []*proc
		for _, h := range homes {
			ps = append(ps, startLB(t, homeVars(h), "init", "--repo", repo))
		}
		ps[0].wait()
		ps[1].wait()
		codes := fmt.Sprint(ps[0].code, ps[1].code)
		if codes != "0 1" && codes != "1 0" {
			t.Fatalf("round %d: exit codes %s, want one 0 and one 1\n%s\n%s", round, codes, ps[0].stderr.String(), ps[1].stderr.String())
		}
		win, lose := 0, 1
		if ps[0].code != 0 {
			win, lose = 1, 0
		}
		if msg := ps[lose].stderr.String(); !strings.Contains(msg, "already exists") {
			t.Errorf("round %d: the losing init says: %s", round, msg)
		}
		homeEnv(t, homes[win])
		src := filepath.Join(dir, "src")
		bigSource(t, src, 1, 4<<10)
		if code, e := lb(t, "backup", "--repo", repo, "--quiet", src); code != 0 {
			t.Fatalf("round %d: backup: %d %s", round, code, e)
		}
		if code, e := lb(t, "restore", "latest", "--repo", repo, "--to", filepath.Join(dir, "out")); code != 0 {
			t.Fatalf("round %d: restore: %d %s", round, code, e)
		}
		os.RemoveAll(dir)
	}
}

// homeVars is homeEnv's variables for one child process.
func homeVars(dir string) []string {
	return []string{"HOME=" + dir, "XDG_CONFIG_HOME=" + dir + "/config", "XDG_CACHE_HOME=" + dir + "/cache",
		"XDG_DATA_HOME=" + dir + "/data", "XDG_STATE_HOME=" + dir + "/state"}
}

// TestConcurrentBackups (issue 11, "also run"): two, then five backups of
// one repository started together, for several rounds: each exits 0 or
// 11 (one writer at a time; the others refuse within a second), exactly
// the ones that exited 0 added a snapshot, and check --read-data passes.
func TestConcurrentBackups(t *testing.T) {
	dir, repo, _ := lockSetup(t)
	src := filepath.Join(dir, "small")
	bigSource(t, src, 3, 256<<10)
	want := 0
	for _, n := range []int{2, 2, 2, 2, 5, 5, 5, 5} {
		os.WriteFile(filepath.Join(src, "round.txt"), []byte(fmt.Sprint(want)), 0o600)
		var ps []*proc
		for range n {
			ps = append(ps, startLB(t, nil, "backup", "--repo", repo, "--quiet", src))
		}
		committed := 0
		for _, p := range ps {
			p.wait()
			switch p.code {
			case 0:
				committed++
			case exitLocked:
				if p.took > 2*time.Second {
					t.Errorf("a refused backup took %v", p.took)
				}
			default:
				t.Fatalf("a backup of %d together exited %d: %s", n, p.code, p.stderr.String())
			}
		}
		t.Logf("%d together: %d committed, %d exit 11", n, committed, n-committed)
		want += committed
		if got := countFiles(filepath.Join(repo, "snapshots")); got != want {
			t.Fatalf("%d snapshots after %d backups exited 0", got, want)
		}
	}
	if code, e := lb(t, "check", "--repo", repo, "--read-data"); code != 0 {
		t.Fatalf("check: %d %s", code, e)
	}
}

// TestBackupBesideOthers (issue 11, "also run"): a backup started together
// with a prune, a sync and a forget: each exits 0 or 11, and afterwards
// check --read-data passes on both locations and the newest snapshot
// restores.
func TestBackupBesideOthers(t *testing.T) {
	dir := t.TempDir()
	homeEnv(t, filepath.Join(dir, "home"))
	repo, usb := filepath.Join(dir, "repo"), filepath.Join(dir, "usb")
	if code, e := lb(t, "init", "--repo", repo, "--mirror", usb); code != 0 {
		t.Fatalf("init: %d %s", code, e)
	}
	src := filepath.Join(dir, "src")
	bigSource(t, src, 4, 1<<20)
	for i := range 3 {
		os.WriteFile(filepath.Join(src, "n.txt"), []byte(fmt.Sprint(i)), 0o600)
		if code, e := lb(t, "backup", "--repo", repo, "--quiet", src); code != 0 {
			t.Fatalf("backup: %d %s", code, e)
		}
	}
	for round, other := range [][]string{
		{"prune", "--repo", repo},
		{"sync", "--repo", repo, "--mirror", usb},
		{"forget", "--repo", repo, "--keep-last", "2", "--prune"},
		{"forget", "--repo", repo, "--keep-last", "2"},
	} {
		os.WriteFile(filepath.Join(src, "n.txt"), []byte(fmt.Sprint("round", round)), 0o600)
		b := startLB(t, nil, "backup", "--repo", repo, "--quiet", src)
		o := startLB(t, nil, other...)
		b.wait()
		o.wait()
		for _, p := range []*proc{b, o} {
			if p.code != 0 && p.code != exitLocked {
				t.Fatalf("%s beside backup: exit %d: %s", strings.Join(p.cmd.Args[1:2], ""), p.code, p.stderr.String())
			}
		}
		if code, e := lb(t, "check", "--repo", repo, "--read-data"); code != 0 {
			t.Fatalf("check after backup beside %s: %d %s", other[0], code, e)
		}
	}
	if code, e := lb(t, "sync", "--repo", repo, "--mirror", usb); code != 0 {
		t.Fatalf("sync: %d %s", code, e)
	}
	if code, e := lb(t, "check", "--repo", usb, "--read-data"); code != 0 {
		t.Fatalf("check of the mirror: %d %s", code, e)
	}
	if code, e := lb(t, "restore", "latest", "--repo", repo, "--to", filepath.Join(dir, "out")); code != 0 {
		t.Fatalf("restore: %d %s", code, e)
	}
}
