package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/lifeboat-backup/lifeboat/source/android"
	"github.com/lifeboat-backup/lifeboat/source/dav"
)

// configFlag is --config, on the app (lifeboat --config FILE backup) and
// on every command (lifeboat backup --config FILE). The app's carries the
// environment variable, so that a command's own --config wins over it.
func configFlag(env bool) cli.Flag {
	f := &cli.StringFlag{Name: "config", Usage: "read defaults for flags from `FILE` (default: $XDG_CONFIG_HOME/lifeboat/config.toml)"}
	if env {
		f.EnvVars = []string{"LIFEBOAT_CONFIG"}
	} else {
		f.Usage += " [$LIFEBOAT_CONFIG]"
	}
	return f
}

// configure gives every command --config and, where they make sense, the
// hook flags, and makes each command read the config file before its
// Action runs.
func configure(app *cli.App) {
	app.Flags = append(app.Flags, configFlag(true))
	dropEmptyEnv(app.Flags)
	for _, cmd := range app.Commands {
		configureCommand(cmd, true)
	}
}

// configureCommand does configure's work for one command and, so that
// `key list` reads the file as `snapshots` does, for its subcommands.
func configureCommand(cmd *cli.Command, top bool) {
	cmd.Flags = append(cmd.Flags, configFlag(false))
	if top && hookCommands[cmd.Name] {
		cmd.Flags = append(cmd.Flags, hookFlags()...)
	}
	dropEmptyEnv(cmd.Flags)
	before := cmd.Before
	cmd.Before = func(c *cli.Context) error {
		if c.Bool("json") {
			c.App.Metadata[jsonOutput] = true // errors too are printed as JSON
		}
		if err := applyConfig(c); err != nil {
			return err
		}
		if before != nil {
			return before(c)
		}
		return nil
	}
	for _, sub := range cmd.Subcommands {
		configureCommand(sub, false)
	}
}

// dropEmptyEnv makes an environment variable set to "" count as unset,
// as keysFrom does: the cli package would take "" as the flag's value
// and hide the config file's. (Unset ones stay, for --help.) The flags
// are this app's own, made for this run.
func dropEmptyEnv(flags []cli.Flag) {
	for _, f := range flags {
		v := reflect.ValueOf(f)
		if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
			continue
		}
		field := v.Elem().FieldByName("EnvVars")
		if !field.IsValid() || !field.CanSet() {
			continue
		}
		vars, _ := field.Interface().([]string)
		var kept []string
		for _, e := range vars {
			if val, set := os.LookupEnv(e); !set || val != "" {
				kept = append(kept, e)
			}
		}
		field.Set(reflect.ValueOf(kept))
	}
}

// applyConfig loads the config file and sets every flag of the command
// that neither the command line nor the environment set. The hooks are
// noted before and after: a broken config still runs a failure hook given
// by flag or environment.
func applyConfig(c *cli.Context) error {
	noteHooks(c)
	file, explicit := configFile(c)
	// init writes the file that --config names; elsewhere it must exist.
	cfg, err := loadConfig(file, explicit && c.Command.Name != "init")
	if err != nil {
		return err
	}
	if cfg == nil {
		return nil
	}
	if c.App.Metadata == nil {
		c.App.Metadata = map[string]any{}
	}
	c.App.Metadata["config"] = cfg
	if err := cfg.apply(c); err != nil {
		return err
	}
	noteHooks(c)
	return nil
}

// configFile is the command's --config, the app's (or LIFEBOAT_CONFIG),
// or the default file; and whether it was named.
func configFile(c *cli.Context) (string, bool) {
	for _, ctx := range c.Lineage() {
		if f := ctx.String("config"); f != "" {
			return f, true
		}
	}
	return defaultConfigFile(), false
}

// loadedConfig is the config the command read, or nil.
func loadedConfig(c *cli.Context) *config {
	cfg, _ := c.App.Metadata["config"].(*config)
	return cfg
}

// apply sets the flags the config has values for, unless the command
// line or the environment set them (c.IsSet is true for both).
func (cfg *config) apply(c *cli.Context) error {
	otherRepo := c.IsSet("repo") && !sameLocation(c.String("repo"), cfg.repository)
	for _, s := range cfg.settings {
		if s.flag == "" || (s.cmd != "" && s.cmd != c.Command.Name) || (s.perRepo && otherRepo) {
			continue
		}
		if !hasFlag(c.Command, s.flag) || c.IsSet(s.flag) {
			continue
		}
		for _, v := range s.values {
			if err := c.Set(s.flag, v); err != nil {
				return usageError{configError{cfg.file, s.line, fmt.Sprintf("%s: not a valid value for --%s", s.key, s.flag)}}
			}
		}
	}
	return nil
}

func hasFlag(cmd *cli.Command, name string) bool {
	for _, f := range cmd.Flags {
		for _, n := range f.Names() {
			if n == name {
				return true
			}
		}
	}
	return false
}

// sameLocation compares two repository locations, local paths as
// absolute paths.
func sameLocation(a, b string) bool {
	return absLocation(a) == absLocation(b)
}

// absLocation makes a local path absolute; URLs stay as they are.
func absLocation(loc string) string {
	if loc == "" || strings.Contains(loc, "://") {
		return loc
	}
	if abs, err := filepath.Abs(loc); err == nil {
		return abs
	}
	return loc
}

// backupSources are backup's arguments or, without any, the configured
// sources.
func backupSources(c *cli.Context) ([]string, error) {
	srcs := c.Args().Slice()
	if len(srcs) == 0 {
		if cfg := loadedConfig(c); cfg != nil {
			srcs = cfg.sources
		}
	}
	if len(srcs) == 0 {
		return nil, usagef("backup needs at least one SOURCE folder, or sources in the config file %s (see docs/config.md)", configFileName(c))
	}
	for _, s := range srcs {
		if dav.IsSource(s) {
			if _, err := dav.ParseSource(s); err != nil {
				return nil, usageError{err}
			}
		}
		if android.IsSource(s) {
			if _, err := android.ParseSerial(s); err != nil {
				return nil, usageError{err}
			}
		}
	}
	return srcs, nil
}

func configFileName(c *cli.Context) string {
	f, _ := configFile(c)
	return f
}
