package cli

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"

	"github.com/urfave/cli/v2"
)

// profileFlags are hidden top-level flags for performance work:
// 'lifeboat --cpuprofile=F --memprofile=G backup ...' writes pprof
// profiles of the whole command.
func profileFlags(app *cli.App) {
	app.Flags = append(app.Flags,
		&cli.StringFlag{Name: "cpuprofile", Hidden: true},
		&cli.StringFlag{Name: "memprofile", Hidden: true})
	var cpu *os.File
	app.Before = func(c *cli.Context) error {
		if c.String("memprofile") != "" {
			runtime.MemProfileRate = 64 << 10
		}
		name := c.String("cpuprofile")
		if name == "" {
			return nil
		}
		f, err := os.Create(name)
		if err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		cpu = f
		return pprof.StartCPUProfile(f)
	}
	app.After = func(c *cli.Context) error {
		if cpu != nil {
			pprof.StopCPUProfile()
			cpu.Close()
		}
		name := c.String("memprofile")
		if name == "" {
			return nil
		}
		f, err := os.Create(name)
		if err != nil {
			return fmt.Errorf("memory profile: %w", err)
		}
		defer f.Close()
		return pprof.Lookup("allocs").WriteTo(f, 0)
	}
}
