// Command ruledocs regenerates the rule tables of README.md and docs/*.md
// from the rule registry (package rules). Run it with
//
//	go generate ./internal/rules
//
// A table sits between "<!-- rules:begin GROUP[,GROUP] -->" and
// "<!-- rules:end -->"; everything else in the files is left alone.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/qbank/qbank/internal/rules"
)

func main() {
	root := flag.String("root", ".", "repository root")
	flag.Parse()
	if err := run(*root); err != nil {
		fmt.Fprintln(os.Stderr, "ruledocs:", err)
		os.Exit(1)
	}
}

func run(root string) error {
	files, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		return err
	}
	for _, path := range append([]string{filepath.Join(root, "README.md")}, files...) {
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		out, _, err := rules.RewriteTables(string(data))
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if !bytes.Equal([]byte(out), data) {
			if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
				return err
			}
			fmt.Println("ruledocs: rewrote", path)
		}
	}
	return nil
}
