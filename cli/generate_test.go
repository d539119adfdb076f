package cli

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var updateGolden = flag.Bool("update", false, "rewrite docs/lifeboat.1 and docs/completion/ from the command line's definition")

// generated are the files 'lifeboat generate' makes, kept in docs/ for
// packagers, with the shell that checks each one's syntax.
var generated = []struct {
	file  string
	args  []string
	shell string
}{
	{"../docs/lifeboat.1", []string{"man"}, ""},
	{"../docs/completion/lifeboat.bash", []string{"completion", "bash"}, "bash"},
	{"../docs/completion/_lifeboat", []string{"completion", "zsh"}, "zsh"},
	{"../docs/completion/lifeboat.fish", []string{"completion", "fish"}, "fish"},
}

func generate(t *testing.T, args ...string) []byte {
	t.Helper()
	var out, errb bytes.Buffer
	if code := Run(append([]string{"lifeboat", "generate"}, args...), &out, &errb); code != 0 {
		t.Fatalf("lifeboat generate %s: exit %d: %s", strings.Join(args, " "), code, errb.String())
	}
	return out.Bytes()
}

// TestGeneratedDocs: the man page and completions in docs/ are what the
// command line's definition gives now. After changing a command or a
// flag, run 'go test -run TestGeneratedDocs -update'.
func TestGeneratedDocs(t *testing.T) {
	for _, g := range generated {
		got := generate(t, g.args...)
		if *updateGolden {
			if err := os.MkdirAll(filepath.Dir(g.file), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(g.file, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(g.file)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s is stale (%v): run 'go test -run TestGeneratedDocs -update'", g.file, err)
		}
		if g.shell == "" {
			continue
		}
		if _, err := exec.LookPath(g.shell); err != nil {
			t.Logf("%s not installed: syntax of %s not checked", g.shell, g.file)
			continue
		}
		if out, err := exec.Command(g.shell, "-n", g.file).CombinedOutput(); err != nil {
			t.Errorf("%s -n %s: %v\n%s", g.shell, g.file, err, out)
		}
	}
}

// TestGeneratedContents: every visible command and flag reaches the man
// page and the completions; the hidden generate command reaches none, nor
// --help.
func TestGeneratedContents(t *testing.T) {
	man := string(generate(t, "man"))
	for _, s := range []string{".TH lifeboat 1", ".SH EXIT STATUS", "LIFEBOAT_REPO", ".SH FILES"} {
		if !strings.Contains(man, s) {
			t.Errorf("man page lacks %q", s)
		}
	}
	scripts := map[string]string{"man": man}
	for _, sh := range []string{"bash", "zsh", "fish"} {
		scripts[sh] = string(generate(t, "completion", sh))
	}
	for _, cmd := range visibleCommands(definition()) {
		for name, s := range scripts {
			if !strings.Contains(s, cmd.Name) {
				t.Errorf("%s: no command %s", name, cmd.Name)
			}
			for _, f := range cmd.VisibleFlags() {
				if !strings.Contains(s, f.Names()[0]) {
					t.Errorf("%s: no flag --%s of %s", name, f.Names()[0], cmd.Name)
				}
			}
		}
	}
	for name, s := range scripts {
		for _, hidden := range []string{"generate)", "'generate:", "'generate'", "SH generate"} {
			if strings.Contains(s, hidden) {
				t.Errorf("%s offers the hidden generate command (%q)", name, hidden)
			}
		}
	}
	var out, errb bytes.Buffer
	Run([]string{"lifeboat", "--help"}, &out, &errb)
	if strings.Contains(out.String(), "generate") {
		t.Errorf("--help shows the hidden generate command")
	}
	if code := Run([]string{"lifeboat", "generate", "completion", "tcsh"}, &out, &errb); code != exitUsage {
		t.Errorf("generate completion tcsh: exit %d, want %d", code, exitUsage)
	}
}

// TestBashCompletion runs the bash script as bash would on Tab.
func TestBashCompletion(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	script := filepath.Join(t.TempDir(), "lifeboat.bash")
	if err := os.WriteFile(script, generate(t, "completion", "bash"), 0o644); err != nil {
		t.Fatal(err)
	}
	for line, want := range map[string]string{
		"lifeboat ba":                    "backup",
		"lifeboat backup --mi":           "--mirror --mirror-timeout",
		"lifeboat -q restore latest --o": "--overwrite",
		"lifeboat gen":                   "",
	} {
		words := strings.Fields(line)
		prog := `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _lifeboat; echo "${COMPREPLY[*]}"`
		out, err := exec.Command("bash", append([]string{"-c", prog, "bash", script}, words...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v: %s", line, err, out)
		}
		if got := strings.TrimSpace(string(out)); got != want {
			t.Errorf("%q<Tab>: %q, want %q", line, got, want)
		}
	}
}
