package sourcetest

import (
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/source"
)

var memTime = time.Date(2026, 3, 14, 9, 26, 53, 589793238, time.UTC)

// TestMemTree runs the suite against the in-memory source.
func TestMemTree(t *testing.T) {
	var m *MemTree
	Run(t, Harness{
		New: func(t *testing.T, files []File) source.Source {
			m = NewMemTree("mem:phone", memTime)
			for _, f := range files {
				m.File(f.Name, f.Data, 0o644, memTime)
			}
			return m.Source()
		},
		Remove: func(t *testing.T, name string) { m.Remove(name) },
		Change: func(t *testing.T, name string, data []byte) {
			m.File(name, data, 0o644, memTime.Add(time.Second))
		},
		Break:    func(t *testing.T, name string) { m.Break(name) },
		Large:    func(t *testing.T, name string, size int64) { m.Zeros(name, size, memTime) },
		RawNames: true,
	})
}
