// Package report writes findings in the output formats qbank supports:
// text for people, json (the shape of FORMAT.md), sarif (SARIF 2.1.0 for
// code-scanning tools) and github (workflow-command annotations).
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/qbank/qbank/internal/finding"
)

// Formats lists the accepted --format values.
var Formats = []string{"auto", "text", "json", "sarif", "github"}

// Tool identifies the program in SARIF output.
type Tool struct {
	Name           string
	Version        string
	InformationURI string
}

// Resolve maps "auto" to github when running in GitHub Actions (getenv
// reports GITHUB_ACTIONS) and to text otherwise, and rejects unknown names.
func Resolve(format string, getenv func(string) string) (string, error) {
	switch format {
	case "", "auto":
		if getenv("GITHUB_ACTIONS") == "true" {
			return "github", nil
		}
		return "text", nil
	case "text", "json", "sarif", "github":
		return format, nil
	}
	return "", fmt.Errorf("unknown format %q; use one of: %s", format, strings.Join(Formats, ", "))
}

// Write writes the findings (sorted in place) and the summary in format.
// rules describes every rule that can appear (for SARIF). A finding without
// a position (line or column 0) is written at line 1, column 1, in every
// format.
func Write(w io.Writer, format string, fs []finding.Finding, sum finding.Summary, rules []finding.Rule, tool Tool) error {
	for i := range fs {
		fs[i].Line, fs[i].Column = max(fs[i].Line, 1), max(fs[i].Column, 1)
	}
	finding.Sort(fs)
	switch format {
	case "text", "", "auto":
		return writeText(w, fs, sum)
	case "json":
		return writeJSON(w, fs, sum)
	case "sarif":
		return writeSARIF(w, fs, rules, tool)
	case "github":
		return writeGitHub(w, fs, sum)
	}
	return fmt.Errorf("unknown format %q", format)
}

func writeText(w io.Writer, fs []finding.Finding, sum finding.Summary) error {
	for _, f := range fs {
		if _, err := fmt.Fprintln(w, f.String()); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintln(w, sum.String())
	return err
}

func writeJSON(w io.Writer, fs []finding.Finding, sum finding.Summary) error {
	if fs == nil {
		fs = []finding.Finding{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Findings []finding.Finding `json:"findings"`
		Summary  finding.Summary   `json:"summary"`
	}{fs, sum})
}

// GitHub workflow commands: https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions
func writeGitHub(w io.Writer, fs []finding.Finding, sum finding.Summary) error {
	for _, f := range fs {
		level := "error"
		if f.Severity == finding.Warning {
			level = "warning"
		}
		_, err := fmt.Fprintf(w, "::%s file=%s,line=%d,col=%d,title=%s::%s\n", level,
			escapeProperty(filepath.ToSlash(f.File)), f.Line, f.Column, escapeProperty(f.Rule), escapeData(f.Message))
		if err != nil {
			return err
		}
	}
	_, err := fmt.Fprintln(w, sum.String())
	return err
}

func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
