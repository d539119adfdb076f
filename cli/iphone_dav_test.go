package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/internal/davtest"
)

// TestIPhoneRestoreIntoServer: an iPhone snapshot's contacts and events
// go into a CardDAV/CalDAV server (Radicale) as records, and only they:
// the backup's own files (one is an address book database) and the
// photos are not put.
func TestIPhoneRestoreIntoServer(t *testing.T) {
	rad := davtest.Radicale(t)
	dir := t.TempDir()
	homeEnv(t, filepath.Join(dir, "home"))
	repoDir := filepath.Join(dir, "repo")
	if code, e := lb(t, "init", "--repo", repoDir); code != 0 {
		t.Fatalf("init: %d %s", code, e)
	}
	pw := []byte("sesame")
	pf := filepath.Join(dir, "pw")
	os.WriteFile(pf, pw, 0o600)
	b := smokeBackup(t, filepath.Join(dir, "MobileSync"), pw)
	backupJSON(t, 0, "--repo", repoDir, "--ios-password-file", pf, b.Dir)

	host := strings.TrimPrefix(rad.Base, "http://")
	books := "carddav+http://" + rad.User + "@" + host + "/" + rad.User + "/iphone-contacts/"
	cals := "caldav+http://" + rad.User + "@" + host + "/" + rad.User + "/iphone-home/"
	code, out, e := lbOut(t, "restore", "--repo", repoDir, "latest:"+b.Dir, "--to", books, "--dav-password-file", rad.PasswordFile)
	if code != 0 || !strings.Contains(out, "20 put") {
		t.Errorf("restore contacts into Radicale: %d %s %s", code, out, e)
	}
	if got := davResources(t, rad, "/"+rad.User+"/iphone-contacts/"); len(got) != 20 {
		t.Errorf("Radicale holds %d contacts, want 20", len(got))
	}
	code, out, e = lbOut(t, "restore", "--repo", repoDir, "latest:"+b.Dir, "--to", cals, "--include", "calendars/Home.ics", "--dav-password-file", rad.PasswordFile)
	if code != 0 || !strings.Contains(out, "3 put") {
		t.Errorf("restore the Home calendar into Radicale: %d %s %s", code, out, e)
	}
}
