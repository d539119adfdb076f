package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/BurntSushi/toml"
	"github.com/urfave/cli/v2"

	"github.com/lifeboat-backup/lifeboat/repo"
)

// initConfig is what init writes to a new config file.
type initConfig struct {
	Repository string `toml:"repository"`
	Mirror     string `toml:"mirror,omitempty"`
	Identity   string `toml:"identity,omitempty"`
}

const initConfigHead = `# lifeboat's config file, written by 'lifeboat init'. Flags and LIFEBOAT_*
# environment variables win over it; every key is in docs/config.md.
# It names files that hold secrets, never a secret itself.

`

const initConfigTail = `
# The folders a bare 'lifeboat backup' backs up, one snapshot each:
# sources = ["~/Phone/Export", "~/Phone/DCIM"]

# [backup]
# alarm_threshold = 20   # exit 4 when contacts, events or photos drop by more (percent)
# alarm_min = 50         # ... and by more than this many items

# [hooks]                # after backup, check, sync and the other cron commands
# failure = "curl -fsS -m 10 https://hc-ping.com/YOUR-UUID/fail"
# success = "curl -fsS -m 10 https://hc-ping.com/YOUR-UUID"
`

// writeInitConfig writes a config file naming the repository init made,
// unless the file exists. It returns the file and the keys it wrote, or
// "" and none.
func writeInitConfig(c *cli.Context, p *printer, loc string, res *repo.InitResult) (string, []string) {
	file, _ := configFile(c)
	if cfg := loadedConfig(c); cfg != nil {
		if cfg.repository != "" && !sameLocation(cfg.repository, loc) {
			p.note("lifeboat: note: the config file %s names another repository, %s; it was left unchanged",
				file, safeLocation(cfg.repository))
		}
		return "", nil
	}
	ic := initConfig{Repository: absLocation(loc), Mirror: absLocation(c.String("mirror")), Identity: res.IdentityFile}
	var b bytes.Buffer
	b.WriteString(initConfigHead)
	if err := toml.NewEncoder(&b).Encode(ic); err != nil {
		p.warn("config file %s not written: %v", file, err)
		return "", nil
	}
	if f := c.String("passphrase-file"); f != "" {
		// Commented out: a passphrase file kept on the machine lets it
		// decrypt the backups, which backups never need (SPEC §3).
		var line bytes.Buffer
		toml.NewEncoder(&line).Encode(struct {
			F string `toml:"passphrase_file"`
		}{absLocation(f)})
		b.WriteString("\n# To decrypt (restore, diff, find...) without typing the passphrase:\n# " + line.String())
	}
	b.WriteString(initConfigTail)
	if err := writeNewFile(file, b.Bytes()); err != nil {
		p.warn("config file %s not written: %v", file, err)
		return "", nil
	}
	keys := []string{"repository"}
	for _, kv := range [][2]string{{"mirror", ic.Mirror}, {"identity", ic.Identity}} {
		if kv[1] != "" {
			keys = append(keys, kv[0])
		}
	}
	return file, keys
}

// writeNewFile writes a private file that must not exist yet, in a
// private folder.
func writeNewFile(file string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(file)
		return fmt.Errorf("write: %w", err)
	}
	return nil
}
