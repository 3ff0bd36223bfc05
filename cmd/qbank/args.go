package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"
)

// positionalArgs returns the command's positional arguments and applies
// any flags written after them. urfave/cli stops parsing flags at the first
// positional argument, but the documented usages put flags last
// ("qbank show ID --key", "qbank stats bank --format json"), so the
// commands call this instead of reading c.Args() directly. A "--" ends
// the flags; "-h"/"--help" shows the command's help.
func positionalArgs(c *cli.Context) ([]string, error) {
	var pos []string
	args := c.Args().Slice()
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			pos = append(pos, a)
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if name == "h" || name == "help" {
			return nil, cli.ShowSubcommandHelp(c)
		}
		f := lookupFlag(c.Command.Flags, name)
		if f == nil {
			return nil, fmt.Errorf("flag provided but not defined: %s (flags go before or after the arguments; see qbank %s --help)", a, c.Command.Name)
		}
		if _, isBool := f.(*cli.BoolFlag); isBool {
			if !hasValue {
				value = "true"
			}
		} else if !hasValue {
			if i+1 >= len(args) {
				return nil, fmt.Errorf("flag needs an argument: %s", a)
			}
			i++
			value = args[i]
		}
		if err := c.Set(f.Names()[0], value); err != nil {
			return nil, fmt.Errorf("invalid value %q for flag %s: %v", value, a, err)
		}
	}
	return pos, nil
}

func lookupFlag(flags []cli.Flag, name string) cli.Flag {
	for _, f := range flags {
		for _, n := range f.Names() {
			if n == name {
				return f
			}
		}
	}
	return nil
}

// bankFromArgs returns the bank directory from positional arguments that
// hold at most one (the default bank when none).
func bankFromArgs(c *cli.Context, pos []string) (string, error) {
	switch len(pos) {
	case 0:
		return defaultBank, nil
	case 1:
		return pos[0], nil
	}
	return "", fmt.Errorf("%s takes at most one bank directory; got %d arguments", c.Command.Name, len(pos))
}
