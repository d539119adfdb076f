package backup_test

import (
	"bufio"
	"context"
	"io"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/repo"
)

// TestCorpusRoundTrip backs up every corpus file, the sample phone export,
// empty files, awkward names and a 100 MiB file, restores them, and checks
// bytes, times and the record count of every corpus file.
func TestCorpusRoundTrip(t *testing.T) {
	corpus := testrepo.CorpusDir(t)
	src := filepath.Join(t.TempDir(), "src")
	copyTree(t, corpus, filepath.Join(src, "corpus"))
	copyTree(t, filepath.Join(testrepo.ModuleRoot(t), "testdata", "phone"), filepath.Join(src, "phone"))
	for _, name := range []string{"empty.vcf", "empty.ics", "empty", "name with spaces.txt",
		"ünïcødé 日本語.vcf", "new\nline.txt", "tab\tname", " leading space", "-dash"} {
		write(t, filepath.Join(src, "odd", name), "")
	}
	write(t, filepath.Join(src, "odd", "ünïcødé 日本語.vcf"), card(1, tel(1)))
	big := make([]byte, 100<<20)
	rand.NewChaCha8([32]byte{2}).Read(big)
	write(t, filepath.Join(src, "DCIM", "VID_big.mp4"), string(big))
	if err := os.Symlink("../phone/Contacts", filepath.Join(src, "odd", "link")); err != nil {
		t.Fatal(err)
	}

	e := testrepo.New(t)
	res := e.Backup(t, src)
	if len(res.Errors) > 0 {
		t.Fatalf("backup reported item errors: %v", res.Errors)
	}
	testrepo.SameTree(t, src, e.Restore(t, res.ID))

	counts := nodeCounts(t, e.Open(t, repo.AccessRead), res.Snapshot.Root.Content, "")
	checked := 0
	for _, row := range manifest(t, corpus) {
		c, ok := counts[path.Join("corpus", row.path)]
		if !ok {
			t.Errorf("%s: not in the snapshot", row.path)
			continue
		}
		got := int(c.Contacts)
		if row.format == "ical" {
			got = int(c.Events + c.Todos + c.Journals + c.FreeBusy)
		}
		if got != row.records {
			t.Errorf("%s: backup counted %d records, MANIFEST says %d", row.path, got, row.records)
		}
		checked++
	}
	if checked < 300 {
		t.Errorf("only %d corpus files checked", checked)
	}
}

type manifestRow struct {
	path, format string
	records      int
}

func manifest(t *testing.T, corpus string) []manifestRow {
	t.Helper()
	f, err := os.Open(filepath.Join(corpus, "MANIFEST.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []manifestRow
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for first := true; sc.Scan(); first = false {
		cols := strings.Split(sc.Text(), "\t")
		if first || len(cols) < 6 {
			continue
		}
		n, err := strconv.Atoi(cols[5])
		if err != nil {
			t.Fatalf("MANIFEST: %q: %v", sc.Text(), err)
		}
		rows = append(rows, manifestRow{path: cols[0], format: cols[1], records: n})
	}
	return rows
}

// nodeCounts maps every file's path in a snapshot to its record counts.
func nodeCounts(t *testing.T, r *repo.Repository, ref format.Ref, rel string) map[string]format.Counts {
	t.Helper()
	nodes, err := r.LoadDir(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]format.Counts{}
	for _, n := range nodes {
		p := path.Join(rel, n.Name)
		switch n.Type {
		case format.NodeDir:
			for k, v := range nodeCounts(t, r, n.Content, p) {
				out[k] = v
			}
		case format.NodeFile:
			out[p] = n.Counts
		}
	}
	return out
}

// copyTree copies regular files and folders, keeping modification times.
func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
	if err != nil {
		t.Fatal(err)
	}
}
