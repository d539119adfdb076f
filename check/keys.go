package check

import "github.com/lifeboat-backup/lifeboat/repo"

// keyObjects checks the config and keys/ (repo.KeySet.Problems): without
// a key against keys/manifest and their form, with the write key their
// MACs too.
func (c *checker) keyObjects() error {
	probs, err := repo.CheckKeys(c.ctx, c.r.Store(), c.r.Keys())
	if err != nil {
		return err
	}
	for _, p := range probs {
		c.problem("%s", p)
	}
	return nil
}
