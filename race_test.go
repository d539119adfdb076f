package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
