package cli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/urfave/cli/v2"
)

// TestParseConfig: every problem names its line and key, and never
// repeats the value.
func TestParseConfig(t *testing.T) {
	t.Setenv("HOME", "/home/me")
	for _, tc := range []struct {
		name, text, want string // want: the error, or "" for none
	}{
		{"empty", "", ""},
		{"comments only", "# nothing\n\n", ""},
		{"full", "repository = \"~/r\"\nmirror = \"sftp://me@nas/lb\"\nmirror_timeout = \"5m\"\n" +
			"[backup]\nalarm_threshold = 20\nalarm_min = 5\n[forget]\nkeep_within = \"1y6m\"\n", ""},
		{"inline table", "forget = { keep_daily = 3 }\n", ""},
		{"dotted key", "forget.keep_daily = 3\n", ""},
		{"unknown top", "repository = \"/r\"\ncolour = 1\n", `c.toml:2: unknown key "colour" (the keys are listed in docs/config.md)`},
		{"unknown in table", "[forget]\n\nkeep_dialy = 3\n", `c.toml:3: unknown key "forget.keep_dialy"`},
		{"unknown table", "[colours]\nred = 1\n", `c.toml:1: unknown key "colours"`},
		{"misplaced", "\n[backup]\nkeep_daily = 3\n", `c.toml:3: unknown key "backup.keep_daily" (did you mean forget.keep_daily?)`},
		{"inline unknown", "forget = { keep_dialy = 3 }\n", `c.toml:1: unknown key "forget.keep_dialy"`},
		{"section not table", "hooks = \"x\"\n", `c.toml:1: hooks: want a table: [hooks]`},
		{"bad count", "[forget]\nkeep_daily = \"x\"\n", `c.toml:2: forget.keep_daily: want a whole number, 0 or more`},
		{"negative count", "[forget]\nkeep_last = -1\n", `c.toml:2: forget.keep_last: want a whole number`},
		{"percent range", "[backup]\nalarm_threshold = 120\n", `c.toml:2: backup.alarm_threshold: want a percentage`},
		{"bad duration", "mirror_timeout = \"ten\"\n", `c.toml:1: mirror_timeout: want a duration`},
		{"bad span", "[status]\nmax_age = 48\n", `c.toml:2: status.max_age: want a period`},
		{"relative path", "identity = \"id.txt\"\n", `c.toml:1: identity: want an absolute path`},
		{"list of non-strings", "sources = [1, 2]\n", `c.toml:1: sources: want a list of strings`},
		{"multi-line array", "sources = [\n  \"/a\",\n  \"b\",\n]\n", `c.toml:1: sources: want an absolute path`},
		{"secret", "[dav]\npassword = \"x\"\n", `c.toml:2: unknown key "dav.password": the config file holds no secrets`},
		{"syntax", "repository = \"/r\"\npassphrase = hunter2\n", `c.toml:2: not valid TOML: expected value but found … instead`},
		{"duplicate", "mirror = \"/a\"\nmirror = \"/b\"\n", `c.toml:2: not valid TOML: key … has already been defined`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseConfig("c.toml", tc.text)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.want != "" && (err == nil || !strings.HasPrefix(oneLine(err.Error()), oneLine(tc.want))):
				t.Fatalf("error %v, want %s...", err, tc.want)
			case err != nil && strings.Contains(err.Error(), "hunter2"):
				t.Fatalf("the error repeats the file: %v", err)
			}
		})
	}
}

// TestParseConfigValues: values become flag values, paths expanded.
func TestParseConfigValues(t *testing.T) {
	t.Setenv("HOME", "/home/me")
	cfg, err := parseConfig("c.toml", "repository = \"~/r\"\nsources = \"~/Phone\"\n"+
		"[backup]\ntags = [\"a\", \"b\"]\nalarm_threshold = 12.5\n[forget]\nkeep_daily = 7\n")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, s := range cfg.settings {
		got[s.key] = s.values
	}
	want := map[string][]string{"repository": {"/home/me/r"}, "sources": {"/home/me/Phone"},
		"backup.tags": {"a", "b"}, "backup.alarm_threshold": {"12.5"}, "forget.keep_daily": {"7"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("settings %v, want %v", got, want)
	}
	if cfg.repository != "/home/me/r" || !reflect.DeepEqual(cfg.sources, []string{"/home/me/Phone"}) {
		t.Errorf("repository %q, sources %q", cfg.repository, cfg.sources)
	}
}

// TestConfigSectionsHoldEveryKey: the table of every key in a table is
// one the file may have, so that no documented key is refused as
// unknown; [ios] password_file reads as a path.
func TestConfigSectionsHoldEveryKey(t *testing.T) {
	for _, ck := range configKeys {
		if sec, _, ok := strings.Cut(ck.key, "."); ok && !configSections[sec] {
			t.Errorf("key %s: its table [%s] is not one the file may have", ck.key, sec)
		}
	}
	t.Setenv("HOME", "/home/me")
	cfg, err := parseConfig("c.toml", "[ios]\npassword_file = \"~/.iphone-backup-pass\"\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.settings) != 1 || cfg.settings[0].key != "ios.password_file" ||
		!reflect.DeepEqual(cfg.settings[0].values, []string{"/home/me/.iphone-backup-pass"}) {
		t.Errorf("[ios] password_file gave %+v", cfg.settings)
	}
}

// TestConfigKeysMapToFlags: every key that sets a flag names one that a
// command of the app has (or one of the commands still to come).
func TestConfigKeysMapToFlags(t *testing.T) {
	app := newApp(&bytes.Buffer{}, &bytes.Buffer{})
	coming := map[string]bool{"forget": true, "status": true, "dav-password-file": true}
	for _, ck := range configKeys {
		if ck.flag == "" {
			continue
		}
		found := false
		for _, cmd := range app.Commands {
			if (ck.cmd == "" || ck.cmd == cmd.Name) && hasFlag(cmd, ck.flag) {
				found = true
			}
		}
		if !found && !coming[ck.cmd] && !coming[ck.flag] {
			t.Errorf("%s sets --%s, which no command has", ck.key, ck.flag)
		}
	}
}

// TestConfigAppliesByFlagName: a command gets the keys of its own flags,
// file < environment < command line, with the forget and status flags the
// lead's commands will have.
func TestConfigAppliesByFlagName(t *testing.T) {
	dir := t.TempDir()
	homeEnv(t, dir)
	file := filepath.Join(dir, "c.toml")
	os.WriteFile(file, []byte("[forget]\nkeep_daily = 7\nkeep_weekly = 4\nkeep_monthly = 6\n"+
		"keep_within = \"72h\"\nkeep_tag = [\"a\", \"b\"]\n[status]\nmax_age = \"48h\"\n"+
		"[backup]\nhost = \"not-for-forget\"\n"), 0o600)
	t.Setenv("LIFEBOAT_KEEP_WEEKLY", "9")
	t.Setenv("LIFEBOAT_KEEP_MONTHLY", "") // set but empty: unset
	var got map[string]any
	forget := &cli.Command{Name: "forget", Flags: []cli.Flag{
		&cli.IntFlag{Name: "keep-daily"}, &cli.IntFlag{Name: "keep-weekly", EnvVars: []string{"LIFEBOAT_KEEP_WEEKLY"}},
		&cli.IntFlag{Name: "keep-monthly", EnvVars: []string{"LIFEBOAT_KEEP_MONTHLY"}}, &cli.IntFlag{Name: "keep-yearly", Value: 1},
		&cli.DurationFlag{Name: "keep-within"}, &cli.StringSliceFlag{Name: "keep-tag"}, &cli.StringFlag{Name: "host"}},
		Action: func(c *cli.Context) error {
			got = map[string]any{"daily": c.Int("keep-daily"), "weekly": c.Int("keep-weekly"), "monthly": c.Int("keep-monthly"),
				"yearly": c.Int("keep-yearly"), "within": c.Duration("keep-within"), "tags": c.StringSlice("keep-tag"), "host": c.String("host")}
			return nil
		}}
	status := &cli.Command{Name: "status", Flags: []cli.Flag{&cli.DurationFlag{Name: "max-age"}},
		Action: func(c *cli.Context) error { got = map[string]any{"max-age": c.Duration("max-age")}; return nil }}
	app := &cli.App{Commands: []*cli.Command{forget, status}, Writer: &bytes.Buffer{}, ErrWriter: &bytes.Buffer{}}
	configure(app)
	if err := app.RunContext(context.Background(), []string{"lifeboat", "forget", "--config", file, "--keep-daily", "2"}); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"daily": 2, "weekly": 9, "monthly": 6, "yearly": 1, "within": 72 * time.Hour,
		"tags": []string{"a", "b"}, "host": ""}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("forget got %v, want %v", got, want)
	}
	if err := app.RunContext(context.Background(), []string{"lifeboat", "--config", file, "status"}); err != nil {
		t.Fatal(err)
	}
	if got["max-age"] != 48*time.Hour {
		t.Errorf("status got %v, want max-age 48h", got)
	}
}

// TestConfigValueTheFlagRefuses: a value the command's flag cannot take
// is a usage error naming the line.
func TestConfigValueTheFlagRefuses(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "c.toml")
	os.WriteFile(file, []byte("\n[forget]\nkeep_within = \"30d\"\n"), 0o600)
	forget := &cli.Command{Name: "forget", Flags: []cli.Flag{&cli.DurationFlag{Name: "keep-within"}},
		Action: func(*cli.Context) error { return nil }}
	app := &cli.App{Commands: []*cli.Command{forget}, Writer: &bytes.Buffer{}, ErrWriter: &bytes.Buffer{}}
	configure(app)
	err := app.RunContext(context.Background(), []string{"lifeboat", "forget", "--config", file})
	var ue usageError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "c.toml:3: forget.keep_within: not a valid value for --keep-within") {
		t.Fatalf("error %v, want a usage error at line 3", err)
	}
}

// TestPerRepoKeys: the config's mirror belongs to its repository: with
// --repo naming another, it is not used.
func TestPerRepoKeys(t *testing.T) {
	dir := t.TempDir()
	homeEnv(t, dir)
	file := filepath.Join(dir, "c.toml")
	os.WriteFile(file, []byte("repository = \""+dir+"/a\"\nmirror = \""+dir+"/m\"\n"), 0o600)
	var mirror string
	for _, tc := range []struct {
		repo, want string
	}{{"", dir + "/m"}, {dir + "/a", dir + "/m"}, {dir + "/b", ""}} {
		cmd := &cli.Command{Name: "sync", Flags: append(outputFlags(), mirrorFlag()),
			Action: func(c *cli.Context) error { mirror = c.String("mirror"); return nil }}
		app := &cli.App{Commands: []*cli.Command{cmd}, Writer: &bytes.Buffer{}, ErrWriter: &bytes.Buffer{}}
		configure(app)
		args := []string{"lifeboat", "sync", "--config", file}
		if tc.repo != "" {
			args = append(args, "--repo", tc.repo)
		}
		mirror = "unset"
		if err := app.RunContext(context.Background(), args); err != nil {
			t.Fatal(err)
		}
		if mirror != tc.want {
			t.Errorf("--repo %q: mirror %q, want %q", tc.repo, mirror, tc.want)
		}
	}
}

func TestKeyLines(t *testing.T) {
	text := "a = 1\n# b = 2\ns = \"\"\"\nx = 3\n\"\"\"\n[t]\n  \"q\" = 1\n[t.u]\nv.w = 2\n"
	want := map[string]int{"a": 1, "s": 3, "t": 6, "t.q": 7, "t.u": 8, "t.u.v.w": 9}
	if got := keyLines(text); !reflect.DeepEqual(got, want) {
		t.Errorf("keyLines = %v, want %v", got, want)
	}
	if n := lineOf(want, "t.u.v.z"); n != 8 {
		t.Errorf("lineOf a key inside [t.u] = %d, want 8", n)
	}
}

// TestDocsExample: the example in docs/config.md is a valid config.
func TestDocsExample(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "docs", "config.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), "```toml\n")
	example, _, _ := strings.Cut(rest, "```")
	if !ok || example == "" {
		t.Fatal("no ```toml example in docs/config.md")
	}
	cfg, err := parseConfig("config.md", example)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.sources) != 2 || len(cfg.settings) < 15 {
		t.Errorf("the example has %d sources and %d keys", len(cfg.sources), len(cfg.settings))
	}
}
