package format

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// ErrUnknownVersion is returned for a structure of a version this code does
// not know.
var ErrUnknownVersion = errors.New("unknown format version")

// Config is the repository's plaintext `config` object. MAC authenticates
// every other field with the repository's write key (see crypto), so a
// storage holder cannot swap the recipients that backups encrypt to.
type Config struct {
	Version    int       `json:"version"`
	ID         string    `json:"id"`
	Created    time.Time `json:"created"`
	Recipients []string  `json:"recipients"`
	Chunker    Chunking  `json:"chunker"`
	// HasPassphraseIdentity says keys/identity.age exists.
	HasPassphraseIdentity bool   `json:"passphrase_identity"`
	MAC                   string `json:"mac,omitempty"`
}

// Chunking are the content-defined chunking parameters of file data.
type Chunking struct {
	Min int `json:"min"`
	Avg int `json:"avg"`
	Max int `json:"max"`
}

// EncodeConfig returns the JSON of c.
func EncodeConfig(c *Config) ([]byte, error) { return json.MarshalIndent(c, "", "  ") }

// ConfigMACInput returns the bytes the MAC covers: the config without MAC.
func ConfigMACInput(c *Config) []byte {
	cc := *c
	cc.MAC = ""
	b, _ := json.Marshal(&cc) // a struct of plain fields always marshals
	return b
}

// validRepoID reports whether id is 32 lowercase hex digits: it names
// local files, so nothing else may pass.
func validRepoID(id string) bool {
	if len(id) != 32 {
		return false
	}
	for _, c := range id {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// DecodeConfig parses a config and checks its version and limits.
func DecodeConfig(b []byte) (*Config, error) {
	var c Config
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("config: %w", ErrCorrupt)
	}
	if c.Version != Version {
		return nil, fmt.Errorf("repository version %d: %w", c.Version, ErrUnknownVersion)
	}
	c.Created = zeroOffsetUTC(c.Created)
	k := c.Chunker
	if k.Min < 1024 || k.Avg <= k.Min || k.Max <= k.Avg || k.Max > MaxBlobSize || k.Avg&(k.Avg-1) != 0 {
		return nil, corrupt("config chunker parameters")
	}
	if !validRepoID(c.ID) || len(c.Recipients) == 0 {
		return nil, corrupt("config without a valid id or recipients")
	}
	return &c, nil
}
