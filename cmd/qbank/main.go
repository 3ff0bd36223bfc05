// Command qbank authors, validates and releases certification-exam
// question banks. This package only wires the command line; the work is
// done in the internal packages.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"

	"github.com/urfave/cli/v2"
)

// version is the tool version; release builds set it with
// -ldflags "-X main.version=v1.2.3".
var version = "0.1.0-dev"

func main() {
	tuneGC(os.Args)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args, os.Stdin, os.Stdout, os.Stderr))
}

// memoryLimit is the heap qbank lets itself grow to (GOMEMLIMIT) unless
// the environment sets GOMEMLIMIT.
const memoryLimit = 448 << 20

// tuneGC sets the garbage collector for the command args run, unless the
// environment sets GOGC or GOMEMLIMIT:
//
//   - The heap may grow to five times the live data (GOGC=400) but not
//     past 448 MiB: loading a bank allocates about 30 KB of short-lived
//     parse trees per file and keeps a few KB, so the default (GOGC=100)
//     spent a sixth of the CPU of a 100,000-item lint collecting garbage.
//   - qbank lint, which reads the bank once and exits, collects only near
//     that limit (GOGC=off). On 10,000 items it then collects nothing: on
//     2 CPUs its one collection cost 28 ms of a 0.30 s run (medians of 12
//     alternating runs; one CPU lost nothing measurable), and the 2-core
//     speed-up rose from 1.68-1.83x to 1.86-1.91x in four rounds of
//     scripts/bench each. At 100,000 items it collects once instead of
//     three times, 5-7 % faster, with a peak of 440-451 MiB instead of
//     389-425 (issue 13).
//
// With GOMEMLIMIT set and GOGC not, GOGC is 400: the limit given may be
// far away, or off.
func tuneGC(args []string) {
	gogc, limit := os.Getenv("GOGC") != "", os.Getenv("GOMEMLIMIT") != ""
	if !limit {
		debug.SetMemoryLimit(memoryLimit)
	}
	switch {
	case gogc:
	case !limit && len(args) > 1 && args[1] == "lint":
		debug.SetGCPercent(-1)
	default:
		debug.SetGCPercent(400)
	}
}

// failure is the error of a command that ran and found something wrong:
// findings with errors, a refusal, a failed check or verification. It
// means exit status 1. Every other error means the command could not run:
// exit status 2.
type failure struct{ msg string }

func (f *failure) Error() string { return f.msg }

// fail returns a failure with message msg ("" prints nothing: the command
// has said why already).
func fail(msg string) error { return &failure{msg} }

// failf returns a failure with a formatted message.
func failf(format string, args ...any) error { return &failure{fmt.Sprintf(format, args...)} }

// run runs the CLI and returns the exit status: 0 success, 1 a failure
// (findings or a failed check), 2 any other error (the command could not
// run). The message of the error, if any, goes to stderr.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	err := newApp(stdin, stdout, stderr).RunContext(ctx, args)
	if err == nil {
		return 0
	}
	code := 2
	var f *failure
	var ec cli.ExitCoder
	switch {
	case errors.As(err, &f):
		code = 1
	case errors.As(err, &ec): // from urfave/cli itself
		code = ec.ExitCode()
	}
	if msg := err.Error(); msg != "" {
		fmt.Fprintln(stderr, "qbank: "+msg)
	}
	return code
}

func newApp(stdin io.Reader, stdout, stderr io.Writer) *cli.App {
	return &cli.App{
		Name:    "qbank",
		Usage:   "author, validate and release certification-exam question banks",
		Version: version,
		Description: "qbank works on a bank directory (default ./bank) holding exam.yaml, items/, forms/ and stats.yaml.\n" +
			"Exit status: 0 no errors, 1 at least one error (or a failed check), 2 the command could not run.",
		Reader:         stdin,
		Writer:         stdout,
		ErrWriter:      stderr,
		ExitErrHandler: func(*cli.Context, error) {},
		OnUsageError: func(c *cli.Context, err error, isSubcommand bool) error {
			return err
		},
		Commands: []*cli.Command{
			lintCommand(),
			rulesCommand(),
			schemaCommand(),
			checkCommand(),
			assembleCommand(),
			fmtCommand(),
			newCommand(),
			showCommand(), previewCommand(),
			statsCommand(),
			bundleCommand(), keygenCommand(), verifyCommand(), diffCommand(),
			analyzeCommand(), promoteCommand(), simulateCommand(),
			standardCommand(), scoreCommand(),
		},
	}
}
