package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/lifeboat-backup/lifeboat/repo"
)

// The config file ($XDG_CONFIG_HOME/lifeboat/config.toml, or --config /
// LIFEBOAT_CONFIG) holds defaults for flags: a flag on the command line
// wins, then its environment variable, then the file (SPEC §2). The keys
// are in configKeys; docs/config.md describes them.

// valueKind is what a config key holds.
type valueKind int

const (
	kindString   valueKind = iota
	kindPath               // an absolute path, ~/path, or a location URL
	kindPaths              // a list of kindPath
	kindList               // a list of strings
	kindCount              // a whole number, 0 or more
	kindPercent            // a number from 0 to 100
	kindDuration           // a Go duration: 90s, 10m, 48h
	kindSpan               // a period such as 30d or 1y6m; the command parses it
)

// configKey maps one key of the file to the flag it sets.
type configKey struct {
	key  string    // dotted TOML key
	flag string    // the flag it sets; "" when a command reads it itself
	kind valueKind // what it holds
	cmd  string    // the one command it applies to; "" for every command with the flag
	// perRepo keys describe the configured repository: they are not used
	// when --repo or LIFEBOAT_REPO names another one.
	perRepo bool
}

// configKeys is the one table of config keys.
var configKeys = []configKey{
	{key: "repository", flag: "repo", kind: kindPath},
	{key: "mirror", flag: "mirror", kind: kindPath, perRepo: true},
	{key: "mirror_timeout", flag: "mirror-timeout", kind: kindDuration},
	{key: "identity", flag: "identity", kind: kindPath, perRepo: true},
	{key: "passphrase_file", flag: "passphrase-file", kind: kindPath, perRepo: true},
	{key: "sources", kind: kindPaths},
	{key: "dav.password_file", flag: "dav-password-file", kind: kindPath},
	{key: "ios.password_file", flag: "ios-password-file", kind: kindPath, cmd: "backup"},
	{key: "android.media", flag: "android-media", kind: kindList, cmd: "backup"},
	{key: "backup.host", flag: "host", kind: kindString, cmd: "backup"},
	{key: "backup.tags", flag: "tag", kind: kindList, cmd: "backup"},
	{key: "backup.alarm_threshold", flag: "alarm-threshold", kind: kindPercent, cmd: "backup"},
	{key: "backup.alarm_min", flag: "alarm-min", kind: kindCount, cmd: "backup"},
	{key: "backup.accept_empty", kind: kindPaths, cmd: "backup"}, // sources that may be empty; backup reads it
	{key: "forget.keep_last", flag: "keep-last", kind: kindCount, cmd: "forget"},
	{key: "forget.keep_hourly", flag: "keep-hourly", kind: kindCount, cmd: "forget"},
	{key: "forget.keep_daily", flag: "keep-daily", kind: kindCount, cmd: "forget"},
	{key: "forget.keep_weekly", flag: "keep-weekly", kind: kindCount, cmd: "forget"},
	{key: "forget.keep_monthly", flag: "keep-monthly", kind: kindCount, cmd: "forget"},
	{key: "forget.keep_yearly", flag: "keep-yearly", kind: kindCount, cmd: "forget"},
	{key: "forget.keep_within", flag: "keep-within", kind: kindSpan, cmd: "forget"},
	{key: "forget.keep_tag", flag: "keep-tag", kind: kindList, cmd: "forget"},
	{key: "status.max_age", flag: "max-age", kind: kindSpan, cmd: "status"},
	{key: "hooks.success", flag: "hook-success", kind: kindString},
	{key: "hooks.failure", flag: "hook-failure", kind: kindString},
}

// configSections are the tables of the file.
var configSections = map[string]bool{"dav": true, "ios": true, "android": true, "backup": true, "forget": true, "status": true, "hooks": true}

// setting is one key found in the file, checked, as flag values.
type setting struct {
	configKey
	values []string
	line   int
}

// config is a loaded config file.
type config struct {
	file       string
	settings   []setting
	repository string   // the repository key, expanded; "" without one
	sources    []string // the sources key, expanded
}

// configError is a problem at a line of the config file (0: unknown).
type configError struct {
	file string
	line int
	msg  string
}

func (e configError) Error() string {
	if e.line == 0 {
		return fmt.Sprintf("%s: %s", e.file, e.msg)
	}
	return fmt.Sprintf("%s:%d: %s", e.file, e.line, e.msg)
}

// defaultConfigFile is where init writes the config and commands look
// for it without --config.
func defaultConfigFile() string { return filepath.Join(repo.ConfigDir(), "config.toml") }

// loadConfig reads and checks a config file. A missing file is no
// config, unless mustExist.
func loadConfig(file string, mustExist bool) (*config, error) {
	fi, err := os.Stat(file)
	if errors.Is(err, fs.ErrNotExist) {
		if mustExist {
			return nil, usagef("config file %s does not exist", file)
		}
		return nil, nil
	}
	if err != nil {
		return nil, usagef("config file: %w", err)
	}
	if err := checkConfigOwner(file, fi); err != nil {
		return nil, err
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, usagef("config file: %w", err)
	}
	cfg, err := parseConfig(file, string(b))
	if err != nil {
		return nil, usageError{err}
	}
	return cfg, nil
}

// checkConfigOwner refuses a config file that others could change: its
// hooks are commands lifeboat runs (ssh refuses such a config too).
func checkConfigOwner(file string, fi fs.FileInfo) error {
	if fi.Mode().Perm()&0o022 != 0 {
		return usagef("config file %s is writable by group or others, and its hooks run commands (fix: chmod go-w %s)", file, file)
	}
	if ownedByOther(fi) {
		return usagef("config file %s belongs to another user, and its hooks run commands", file)
	}
	return nil
}

// parseConfig checks every key of a TOML text, in file order, and stops
// at the first problem.
func parseConfig(file, text string) (*config, error) {
	var raw map[string]any
	md, err := toml.Decode(text, &raw)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, configError{file, pe.Position.Line, "not valid TOML: " + quietMessage(pe.Message)}
		}
		return nil, configError{file, 0, "not valid TOML"}
	}
	lines := keyLines(text)
	cfg := &config{file: file}
	for _, k := range md.Keys() {
		name := k.String()
		line := lineOf(lines, name)
		bad := func(format string, args ...any) error {
			return configError{file, line, fmt.Sprintf("%s: ", name) + fmt.Sprintf(format, args...)}
		}
		if configSections[name] {
			if md.Type(k...) != "Hash" {
				return nil, bad("want a table: [%s]", name)
			}
			continue
		}
		ck, ok := lookupConfigKey(name)
		if !ok {
			return nil, configError{file, line, unknownKey(name)}
		}
		values, err := checkValue(ck.kind, valueAt(raw, k))
		if err != nil {
			return nil, bad("%v", err)
		}
		cfg.add(setting{configKey: ck, values: values, line: line})
	}
	return cfg, nil
}

func (cfg *config) add(s setting) {
	switch s.key {
	case "repository":
		cfg.repository = s.values[0]
	case "sources":
		cfg.sources = s.values
	}
	cfg.settings = append(cfg.settings, s)
}

func lookupConfigKey(name string) (configKey, bool) {
	for _, ck := range configKeys {
		if ck.key == name {
			return ck, true
		}
	}
	return configKey{}, false
}

// unknownKey says a key is unknown, and what was probably meant.
func unknownKey(name string) string {
	leaf := name[strings.LastIndex(name, ".")+1:]
	switch leaf {
	case "passphrase", "password", "secret":
		return fmt.Sprintf("unknown key %q: the config file holds no secrets; name a file with passphrase_file, [dav] password_file or [ios] password_file", name)
	}
	for _, ck := range configKeys {
		if ck.key != name && ck.key[strings.LastIndex(ck.key, ".")+1:] == leaf {
			return fmt.Sprintf("unknown key %q (did you mean %s?)", name, ck.key)
		}
	}
	if s := didYouMeanKey(name); s != "" {
		return fmt.Sprintf("unknown key %q (did you mean %s?)", name, s)
	}
	return fmt.Sprintf("unknown key %q (the keys are listed in docs/config.md)", name)
}

func valueAt(raw map[string]any, k toml.Key) any {
	var v any = raw
	for _, part := range k {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[part]
	}
	return v
}

var spanRE = regexp.MustCompile(`^([0-9]+[a-z]+)+$`)

// checkValue checks a value against its kind and returns it as flag
// values. Messages never repeat the value.
func checkValue(kind valueKind, v any) ([]string, error) {
	switch kind {
	case kindString:
		if s, ok := v.(string); ok {
			return []string{s}, nil
		}
		return nil, fmt.Errorf("want a string")
	case kindPath:
		s, ok := v.(string)
		if !ok || s == "" {
			return nil, fmt.Errorf("want a path (a string)")
		}
		p, err := expandPath(s)
		return []string{p}, err
	case kindPaths, kindList:
		return checkList(kind, v)
	case kindCount:
		if n, ok := v.(int64); ok && n >= 0 {
			return []string{strconv.FormatInt(n, 10)}, nil
		}
		return nil, fmt.Errorf("want a whole number, 0 or more")
	case kindPercent:
		f, ok := v.(float64)
		if n, isInt := v.(int64); isInt {
			f, ok = float64(n), true
		}
		if !ok || f < 0 || f > 100 {
			return nil, fmt.Errorf("want a percentage from 0 to 100")
		}
		return []string{strconv.FormatFloat(f, 'g', -1, 64)}, nil
	case kindDuration:
		s, ok := v.(string)
		if d, err := time.ParseDuration(s); !ok || err != nil || d < 0 {
			return nil, fmt.Errorf("want a duration such as \"90s\", \"10m\" or \"48h\"")
		}
		return []string{s}, nil
	case kindSpan:
		if s, ok := v.(string); ok && spanRE.MatchString(s) {
			return []string{s}, nil
		}
		return nil, fmt.Errorf("want a period such as \"48h\", \"30d\" or \"1y6m\"")
	}
	return nil, fmt.Errorf("unknown kind %d", kind)
}

// checkList accepts a list of strings, or one string as a list of one.
func checkList(kind valueKind, v any) ([]string, error) {
	items, ok := v.([]any)
	if s, isString := v.(string); isString {
		items, ok = []any{s}, true
	}
	if !ok {
		return nil, fmt.Errorf("want a list of strings")
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		s, ok := it.(string)
		if !ok {
			return nil, fmt.Errorf("want a list of strings")
		}
		if kind == kindPaths {
			p, err := expandPath(s)
			if err != nil {
				return nil, err
			}
			s = p
		}
		out = append(out, s)
	}
	return out, nil
}

// expandPath expands a leading ~ and refuses relative paths: cron runs
// in another folder than the shell that wrote the file.
func expandPath(p string) (string, error) {
	if strings.Contains(p, "://") {
		return p, nil
	}
	if p == "~" || strings.HasPrefix(p, "~/") {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("cannot expand ~: %w", err)
		}
		return filepath.Join(home, p[1:]), nil
	}
	if !filepath.IsAbs(p) {
		return "", fmt.Errorf("want an absolute path, or one starting with ~/")
	}
	return filepath.Clean(p), nil
}

var quotedRE = regexp.MustCompile(`"(?:[^"\\]|\\.)*"|'[^']*'`)

// quietMessage drops what a TOML syntax error quotes from the file: a
// passphrase typed into the file by mistake must not reach the logs.
func quietMessage(msg string) string {
	return oneLine(strings.TrimSuffix(quotedRE.ReplaceAllString(msg, "…"), "."))
}
