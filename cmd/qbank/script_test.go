package main

import (
	"context"
	"os"
	"testing"

	"github.com/qbank/qbank/internal/testbank"
	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets testscript run this test binary as the "qbank" command.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"qbank": func() { os.Exit(run(context.Background(), os.Args, os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the end-to-end CLI scripts in testdata/script: each
// builds a small bank in its work directory, runs qbank and asserts the
// exact output and exit status. go test -update rewrites the expected
// output in the scripts (then review the diff), with the same switch that
// rewrites every golden file (testbank.Update).
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		UpdateScripts:       testbank.Update(),
		Setup: func(env *testscript.Env) error {
			// The bundled bank, read-only, for scripts that run on it.
			env.Setenv("REPO_BANK", repoBank())
			env.Setenv("GITHUB_ACTIONS", "")
			env.Setenv("SOURCE_DATE_EPOCH", "")
			return nil
		},
	})
}

func repoBank() string {
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	return wd + "/../../bank"
}
