package cli

import (
	"context"
	"io"
	"net"
	"os/exec"
	"runtime"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/retention"
	"github.com/lifeboat-backup/lifeboat/serve"
	"github.com/lifeboat-backup/lifeboat/status"
	"github.com/lifeboat-backup/lifeboat/store"
)

func serveCommand() *cli.Command {
	return &cli.Command{
		Name:  "serve",
		Usage: "look through every snapshot in a local web page (read-only)",
		Description: "Starts a web server on 127.0.0.1 (a free port unless --listen ADDR) and prints one URL\n" +
			"that carries a random token: open it in a browser on this computer. Requests without the\n" +
			"token, or naming another host, are refused. It needs the identity or the passphrase, as\n" +
			"restore does, and changes nothing in the repository. Ctrl-C stops it; it then exits 0.",
		Flags: append(append(outputFlags(), keyFlags()...), mirrorFlag(),
			&cli.StringFlag{Name: "listen", Usage: "listen on `ADDR` (host:port; default 127.0.0.1 on a free port); an address other machines reach is warned about"},
			&cli.BoolFlag{Name: "open", Usage: "open the page in the default browser"},
			&cli.StringFlag{Name: "max-age", EnvVars: []string{"LIFEBOAT_MAX_AGE"}, Value: "48h",
				Usage: "the overview warns about a source with no snapshot for longer than `DURATION`, as status does"},
		),
		Action: runServe,
	}
}

// runServe serves until Ctrl-C (or SIGTERM). Stopping it so is how it is
// meant to end, not a failure, so it exits 0 then, not 130.
func runServe(c *cli.Context) error {
	if c.NArg() > 0 {
		return usagef("serve takes no arguments")
	}
	maxAge, err := retention.ParseDuration(c.String("max-age"))
	if err != nil {
		return usagef("--max-age: %v", err)
	}
	listen := c.String("listen")
	p := newPrinter(c)
	if listen != "" {
		host, _, err := net.SplitHostPort(listen)
		if err != nil {
			return usagef("--listen %s: %v (give host:port, say 127.0.0.1:8080)", listen, err)
		}
		if ip := net.ParseIP(host); (ip == nil && host != "localhost") || (ip != nil && !ip.IsLoopback()) {
			p.warn("--listen %s: other machines may reach this server; the token is all that keeps them out, and the page travels unencrypted", listen)
		}
	}
	r, err := openRepo(c, repo.AccessRead)
	if err != nil {
		return err
	}
	defer r.Close()
	closeMirror := readFromMirror(c, p, r)
	defer closeMirror()
	st, err := openStore(c)
	if err != nil {
		return err
	}
	mirror, closeStatusMirror := statusMirror(c)
	defer closeStatusMirror()
	opts := serve.Options{
		Listen: listen,
		Status: func(ctx context.Context) (*status.Report, error) {
			return status.Gather(ctx, r, st, status.Options{MaxAge: maxAge, MaxAgeText: c.String("max-age"), Mirror: mirror(ctx, st)})
		},
		Ready: func(url string) {
			p.object(map[string]any{"url": url})
			if !p.json {
				// The URL is the one thing serve must print, --quiet or not.
				io.WriteString(p.w, "lifeboat: serving the repository at\n\n    "+url+"\n\nlifeboat: press Ctrl-C to stop\n")
			}
			if c.Bool("open") {
				openBrowser(url)
			}
		},
	}
	err = serve.Run(c.Context, r, opts)
	if err == nil {
		p.note("lifeboat: stopped")
	}
	return err
}

// statusMirror returns what the overview says of the second location
// (--mirror): compared anew each time, within ten seconds, or nil without
// one. The second function closes it.
func statusMirror(c *cli.Context) (func(context.Context, store.Store) *status.Mirror, func()) {
	loc := c.String("mirror")
	if loc == "" {
		return func(context.Context, store.Store) *status.Mirror { return nil }, func() {}
	}
	m, err := openMirror(c)
	if err != nil {
		return func(context.Context, store.Store) *status.Mirror {
			return &status.Mirror{Location: loc, Error: err.Error()}
		}, func() {}
	}
	closer := func() {
		if cl, ok := m.(io.Closer); ok {
			cl.Close()
		}
	}
	return func(ctx context.Context, st store.Store) *status.Mirror {
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		return status.CompareMirror(ctx, st, m)
	}, closer
}

// openBrowser opens url in the desktop's browser, without waiting.
func openBrowser(url string) {
	name := "xdg-open"
	switch runtime.GOOS {
	case "darwin":
		name = "open"
	case "windows":
		name = "explorer"
	}
	cmd := exec.Command(name, url)
	if cmd.Start() == nil {
		go cmd.Wait()
	}
}
