package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/urfave/cli/v2"
)

// printer writes a command's output: human lines, or JSON lines with
// --json, and nothing but errors with --quiet; detail lines with -v.
type printer struct {
	w       io.Writer
	ew      io.Writer
	json    bool
	quiet   bool
	verbose bool
}

func newPrinter(c *cli.Context) *printer {
	return &printer{w: c.App.Writer, ew: c.App.ErrWriter, json: c.Bool("json"), quiet: c.Bool("quiet"),
		verbose: c.Bool("verbose") && !c.Bool("quiet")}
}

// detail prints a line for people with -v, unless --json or --quiet.
func (p *printer) detail(format string, args ...any) {
	if p.verbose {
		p.human(format, args...)
	}
}

// detailObject prints one JSON line with -v and --json.
func (p *printer) detailObject(v any) {
	if p.verbose {
		p.object(v)
	}
}

// human prints a line for people, unless --json or --quiet.
func (p *printer) human(format string, args ...any) {
	if !p.json && !p.quiet {
		fmt.Fprintf(p.w, format+"\n", cleanArgs(args)...)
	}
}

// cleanArgs escapes control characters (a newline or a terminal escape in
// a file or contact name) in the string and error arguments of a line for
// people, so that one entry stays one line and cannot drive the terminal.
func cleanArgs(args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case string:
			out[i] = clean(v)
		case error:
			out[i] = clean(v.Error())
		default:
			out[i] = a
		}
	}
	return out
}

// clean writes each control character of s as its Go escape (\n, \x1b).
func clean(s string) string {
	if !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// object prints one JSON line with --json.
func (p *printer) object(v any) {
	if p.json {
		b, _ := json.Marshal(v)
		fmt.Fprintf(p.w, "%s\n", b)
	}
}

// warn prints a warning on stderr, even with --quiet: cron mails it.
func (p *printer) warn(format string, args ...any) {
	fmt.Fprintf(p.ew, "lifeboat: warning: "+format+"\n", cleanArgs(args)...)
}

// note prints a notice on stderr unless --quiet.
func (p *printer) note(format string, args ...any) {
	if !p.quiet {
		fmt.Fprintf(p.ew, format+"\n", cleanArgs(args)...)
	}
}

// plural formats a count with its noun.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// bytesHuman formats a byte count for people.
func bytesHuman(n uint64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := uint64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// nonNil makes a nil list print as [] in JSON.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// alarm prints a mass-deletion alarm on stderr, even with --quiet.
func (p *printer) alarm(format string, args ...any) {
	fmt.Fprintf(p.ew, "lifeboat: alarm: "+format+"\n", cleanArgs(args)...)
}
