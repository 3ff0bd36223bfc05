// Command qbank authors, validates and releases certification-exam
// question banks. This package only wires the command line; the work is
// done in the internal packages.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	"github.com/urfave/cli/v2"
)

// version is the tool version; release builds set it with
// -ldflags "-X main.version=v1.2.3".
var version = "0.1.0-dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args, os.Stdout, os.Stderr))
}

// run runs the CLI and returns the exit status: 0 success, 1 findings or a
// failed check, 2 the command could not run.
func run(ctx context.Context, args []string, stdout, stderr *os.File) int {
	app := newApp(stdout, stderr)
	if err := app.RunContext(ctx, args); err != nil {
		if ec, ok := err.(cli.ExitCoder); ok {
			if msg := ec.Error(); msg != "" {
				fmt.Fprintln(stderr, "qbank: "+msg)
			}
			return ec.ExitCode()
		}
		fmt.Fprintln(stderr, "qbank: "+err.Error())
		return 2
	}
	return 0
}

func newApp(stdout, stderr *os.File) *cli.App {
	return &cli.App{
		Name:    "qbank",
		Usage:   "author, validate and release certification-exam question banks",
		Version: version,
		Description: "qbank works on a bank directory (default ./bank) holding exam.yaml, items/, forms/ and stats.yaml.\n" +
			"Exit status: 0 no errors, 1 at least one error (or a failed check), 2 the command could not run.",
		Writer:         stdout,
		ErrWriter:      stderr,
		ExitErrHandler: func(*cli.Context, error) {},
		OnUsageError: func(c *cli.Context, err error, isSubcommand bool) error {
			return cli.Exit(err.Error(), 2)
		},
		Commands: []*cli.Command{
			lintCommand(),
			rulesCommand(),
			schemaCommand(),
			checkCommand(),
			assembleCommand(),
			fmtCommand(),
			newCommand(),
			showCommand(),
			statsCommand(),
			bundleCommand(), keygenCommand(), verifyCommand(), diffCommand(),
			analyzeCommand(), promoteCommand(), simulateCommand(),
		},
	}
}
