package cli

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdMkarchive is "mkarchive ARCHIVE DIR": it writes DIR's files into a
// .zip or a .tgz named ARCHIVE, by their paths below DIR, with their
// modification times.
func cmdMkarchive(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: mkarchive ARCHIVE.zip|ARCHIVE.tgz DIR")
	}
	out, dir := ts.MkAbs(args[0]), ts.MkAbs(args[1])
	f, err := os.Create(out)
	ts.Check(err)
	defer f.Close()
	var zw *zip.Writer
	var gw *gzip.Writer
	var tw *tar.Writer
	if strings.HasSuffix(out, ".zip") {
		zw = zip.NewWriter(f)
	} else {
		gw = gzip.NewWriter(f)
		tw = tar.NewWriter(gw)
	}
	ts.Check(filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		fi, err := d.Info()
		if err != nil {
			return err
		}
		var w io.Writer
		if zw != nil {
			fh, err := zip.FileInfoHeader(fi)
			if err != nil {
				return err
			}
			fh.Name, fh.Method = filepath.ToSlash(rel), zip.Deflate
			w, err = zw.CreateHeader(fh)
			if err != nil {
				return err
			}
		} else {
			h, err := tar.FileInfoHeader(fi, "")
			if err != nil {
				return err
			}
			h.Name, h.Format = filepath.ToSlash(rel), tar.FormatPAX
			if err := tw.WriteHeader(h); err != nil {
				return err
			}
			w = tw
		}
		src, err := os.Open(p)
		if err != nil {
			return err
		}
		defer src.Close()
		_, err = io.Copy(w, src)
		return err
	}))
	if zw != nil {
		ts.Check(zw.Close())
		return
	}
	ts.Check(tw.Close())
	ts.Check(gw.Close())
}
