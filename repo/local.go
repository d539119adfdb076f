package repo

import (
	"os"
	"path/filepath"
)

// The local directories, per the XDG base directory spec.

// ConfigDir is where lifeboat keeps its config, identity and write keys.
func ConfigDir() string { return xdg("XDG_CONFIG_HOME", ".config") }

// CacheDir is where lifeboat keeps data that only saves time.
func CacheDir() string { return xdg("XDG_CACHE_HOME", ".cache") }

// StateDir holds what this machine remembers about repositories (the
// snapshots seen in each location, for deletion and rollback detection).
func StateDir() string { return xdg("XDG_STATE_HOME", ".local/state") }

// DataDir holds the default repository.
func DataDir() string { return xdg("XDG_DATA_HOME", ".local/share") }

func xdg(env, fallback string) string {
	if d := os.Getenv(env); filepath.IsAbs(d) {
		return filepath.Join(d, "lifeboat")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		home = "."
	}
	return filepath.Join(home, fallback, "lifeboat")
}

// DefaultIdentityFile is the identity init creates without flags.
func DefaultIdentityFile() string { return filepath.Join(ConfigDir(), "identity.txt") }

// DefaultRepo is the repository used when none is given.
func DefaultRepo() string { return filepath.Join(DataDir(), "repo") }

// writeKeyFile is where this machine keeps a repository's write key.
func writeKeyFile(keyDir, repoID string) string {
	return filepath.Join(keyDir, repoID+".key")
}

// DefaultKeyDir holds write keys.
func DefaultKeyDir() string { return filepath.Join(ConfigDir(), "keys") }
