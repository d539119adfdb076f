package cli

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"

	"github.com/urfave/cli/v2"
)

// addProfileFlags gives the app the hidden --cpuprofile and --memprofile
// flags (before the command: 'lifeboat --cpuprofile F restore ...'), for
// measuring; they are not in the help.
func addProfileFlags(app *cli.App) {
	app.Flags = append(app.Flags,
		&cli.StringFlag{Name: "cpuprofile", Hidden: true},
		&cli.StringFlag{Name: "memprofile", Hidden: true})
	var cpu *os.File
	app.Before = func(c *cli.Context) error {
		name := c.String("cpuprofile")
		if name == "" {
			return nil
		}
		f, err := os.Create(name)
		if err != nil {
			return fmt.Errorf("--cpuprofile: %w", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return fmt.Errorf("--cpuprofile: %w", err)
		}
		cpu = f
		return nil
	}
	app.After = func(c *cli.Context) error {
		if cpu != nil {
			pprof.StopCPUProfile()
			cpu.Close()
			cpu = nil
		}
		if name := c.String("memprofile"); name != "" {
			f, err := os.Create(name)
			if err != nil {
				return fmt.Errorf("--memprofile: %w", err)
			}
			defer f.Close()
			runtime.GC()
			return pprof.Lookup("allocs").WriteTo(f, 0)
		}
		return nil
	}
}
