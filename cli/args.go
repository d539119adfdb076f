package cli

import (
	"strings"

	"github.com/urfave/cli/v2"
)

// interspersed moves a command's flags before its positional arguments,
// so that 'lifeboat restore latest --to DIR' works: urfave/cli v2 stops
// parsing flags at the first positional argument. Arguments after "--"
// stay positional.
func interspersed(app *cli.App, args []string) []string {
	if len(args) < 3 {
		return args
	}
	cmd := app.Command(args[1])
	if cmd == nil {
		return args
	}
	head, rest := args[:2:2], args[2:]
	// A command group ('lifeboat key add ...'): the subcommand's flags.
	for len(rest) > 0 && cmd.Command(rest[0]) != nil {
		cmd, head, rest = cmd.Command(rest[0]), append(head, rest[0]), rest[1:]
	}
	var flags, pos []string
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		if a == "--" {
			pos = append(pos, rest[i:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			pos = append(pos, a)
			continue
		}
		flags = append(flags, a)
		if !strings.Contains(a, "=") && takesValue(cmd, strings.TrimLeft(a, "-")) && i+1 < len(rest) {
			flags = append(flags, rest[i+1])
			i++
		}
	}
	out := append(head, flags...)
	return append(out, pos...)
}

// takesValue reports whether a command's flag needs a value.
func takesValue(cmd *cli.Command, name string) bool {
	for _, f := range cmd.Flags {
		for _, n := range f.Names() {
			if n == name {
				_, isBool := f.(*cli.BoolFlag)
				return !isBool
			}
		}
	}
	return false
}
