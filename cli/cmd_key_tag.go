package cli

import (
	"errors"

	"github.com/urfave/cli/v2"

	"github.com/lifeboat-backup/lifeboat/repo"
)

func keyTagCommand() *cli.Command {
	return &cli.Command{
		Name:  "tag",
		Usage: "vouch for the write key with this machine's identity, so that a new machine with it trusts the repository",
		Description: "Adds the tag of the identity (--identity, else the default one) to keys/write.tag, for the\n" +
			"write key this machine holds. A repository made with --recipient, or a key added with\n" +
			"'key add', has no tag for that identity: without one, a machine that holds only the identity\n" +
			"cannot tell the repository's write key from one a storage holder put in, and refuses it.",
		Flags:  append(append(outputFlags(), keyFlags()...), mirrorFlag()),
		Action: runKeyTag,
	}
}

func runKeyTag(c *cli.Context) error {
	if c.NArg() > 0 {
		return usagef("key tag takes no arguments")
	}
	st, err := openKeyStores(c)
	if err != nil {
		return err
	}
	ed, err := repo.EditKeys(c.Context, st, keysFrom(c))
	if err != nil {
		return err
	}
	set, tagged, err := ed.TagWriteKey(c.Context)
	if errors.Is(err, repo.ErrNothingToTag) {
		return usageError{err}
	}
	if err != nil {
		return err
	}
	p := newPrinter(c)
	p.object(map[string]any{"tagged": tagged})
	for _, r := range tagged {
		p.human("tagged the write key for %s", r)
	}
	return putMirrorKeys(c, p, set)
}
