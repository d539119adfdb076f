package iosgen

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"sort"
	"testing"
)

// python is Debian's python3 when it has the cryptography package, or a
// skip (a failure under LIFEBOAT_REQUIRE_INTEGRATION=1).
func python(t *testing.T) string {
	t.Helper()
	const py = "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import cryptography.hazmat.primitives.keywrap, sqlite3, plistlib").Run(); err != nil {
		if os.Getenv("LIFEBOAT_REQUIRE_INTEGRATION") == "1" {
			t.Fatalf("%s with python3-cryptography unavailable with LIFEBOAT_REQUIRE_INTEGRATION=1: %v", py, err)
		}
		t.Skipf("%s with python3-cryptography unavailable (%v); skipping", py, err)
	}
	return py
}

// decrypted is what testdata/decrypt.py prints.
type decrypted struct {
	Error          string  `json:"error"`
	ProductVersion string  `json:"product_version"`
	Rows           [][]any `json:"rows"`
	Files          map[string]struct {
		SHA256       string `json:"sha256"`
		RelativePath string `json:"relativePath"`
		MTime        int64  `json:"mtime"`
		Class        uint32 `json:"class"`
	} `json:"files"`
}

// runDecryptor runs testdata/decrypt.py on the backup in dir; outDir, when
// given, is the folder it writes the decrypted files to.
func runDecryptor(t *testing.T, py, dir string, password []byte, outDir ...string) decrypted {
	t.Helper()
	cmd := exec.Command(py, append([]string{"testdata/decrypt.py", dir}, outDir...)...)
	cmd.Stdin = bytes.NewReader(password)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("decrypt.py: %v\n%s", err, stderr.Bytes())
	}
	var d decrypted
	if err := json.Unmarshal(out, &d); err != nil {
		t.Fatalf("decrypt.py printed %q: %v", out, err)
	}
	return d
}

// TestPythonDecrypts checks an encrypted backup against a second,
// independent implementation of the published format: a Python decryptor
// with python3-cryptography unwraps the keybag, decrypts Manifest.db,
// reads Files with sqlite3 and decrypts every file; each file's SHA-256
// must be that of the bytes the generator was given.
func TestPythonDecrypts(t *testing.T) {
	py := python(t)
	files := DefaultFiles()
	files = append(files, File{Domain: "CameraRollDomain", RelativePath: "Media/DCIM/101APPLE/IMG_0101.HEIC", Data: bytes.Repeat([]byte("heic"), 4099), ProtectionClass: 1})
	password := []byte("p\u00e4ssw\u00f6rd 123")
	for _, legacy := range []bool{false, true} {
		b, err := Write(t.TempDir(), Options{Password: password, Files: files, Legacy: legacy, ProductVersion: "16.7.2"})
		if err != nil {
			t.Fatal(err)
		}
		d := runDecryptor(t, py, b.Dir, password)
		if d.Error != "" {
			t.Fatalf("legacy %v: decrypt.py: %s", legacy, d.Error)
		}
		if d.ProductVersion != "16.7.2" {
			t.Errorf("ProductVersion %q", d.ProductVersion)
		}
		if want := len(b.Files) + len(b.Dirs); len(d.Rows) != want {
			t.Errorf("legacy %v: Files has %d rows, want %d", legacy, len(d.Rows), want)
		}
		if len(d.Files) != len(files) {
			t.Errorf("legacy %v: decrypted %d files, want %d", legacy, len(d.Files), len(files))
		}
		for _, w := range b.Files {
			got, ok := d.Files[w.ID]
			sum := sha256.Sum256(w.Data)
			if !ok || got.SHA256 != hex.EncodeToString(sum[:]) || got.RelativePath != w.RelativePath || got.MTime != w.ModTime.Unix() || got.Class != w.ProtectionClass {
				t.Errorf("legacy %v: %s: Python read %+v, want sha256 %x", legacy, w.RelativePath, got, sum)
			}
		}
		var dirs []string
		for _, r := range d.Rows {
			if r[3].(float64) == 2 {
				dirs = append(dirs, r[1].(string)+"-"+r[2].(string))
			}
			if id := FileID(r[1].(string), r[2].(string)); id != r[0] {
				t.Errorf("row %v: fileID is not SHA1(domain-path) %s", r, id)
			}
		}
		sort.Strings(dirs)
		if len(dirs) == 0 || len(dirs) != len(b.Dirs) {
			t.Errorf("folder rows %v, want %v", dirs, b.Dirs)
		}
	}
	b, err := Write(t.TempDir(), Options{Password: password, Files: files[:1]})
	if err != nil {
		t.Fatal(err)
	}
	if d := runDecryptor(t, py, b.Dir, []byte("wrong")); d.Error != "wrong password" {
		t.Errorf("a wrong password gave %+v", d)
	}
}
