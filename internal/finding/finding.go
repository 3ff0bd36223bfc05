// Package finding defines the result of every qbank check: a problem found
// at a position in a file, with the rule that found it and its severity.
package finding

import (
	"fmt"
	"sort"
)

// Severity says how much a finding matters.
type Severity string

// Severities. Off is only used in configuration to disable a rule.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
	Off     Severity = "off"
)

// ParseSeverity accepts "error", "warning" and "off".
func ParseSeverity(s string) (Severity, error) {
	switch Severity(s) {
	case Error, Warning, Off:
		return Severity(s), nil
	}
	return "", fmt.Errorf("unknown severity %q (want error, warning or off)", s)
}

// Pos is a 1-based line and column in a file. The zero Pos means "no
// position"; reporters print it as line 1, column 1.
type Pos struct {
	Line   int
	Column int
}

// Finding is one problem. File is the path as reached from the command's
// arguments; Line and Column are 1-based and point at the YAML node at fault.
type Finding struct {
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Column   int      `json:"column"`
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Item     string   `json:"item,omitempty"`
	Message  string   `json:"message"`
}

// At returns the finding's position.
func (f Finding) At() Pos { return Pos{f.Line, f.Column} }

// String renders the finding as "file:line:col: severity: message [rule]".
func (f Finding) String() string {
	return fmt.Sprintf("%s:%d:%d: %s: %s [%s]", f.File, f.Line, f.Column, f.Severity, f.Message, f.Rule)
}

// Sort orders findings by file, line, column, rule and message, so output is
// stable whatever order concurrent checks finished in.
func Sort(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return a.Message < b.Message
	})
}

// Count returns the number of errors and warnings in fs.
func Count(fs []Finding) (errors, warnings int) {
	for _, f := range fs {
		switch f.Severity {
		case Error:
			errors++
		case Warning:
			warnings++
		}
	}
	return errors, warnings
}

// Rule describes a check: a stable id, its default severity, a one-line
// summary and a paragraph of documentation (shown by `qbank rules` and in
// SARIF output). Every rule is declared once, in package rules.
type Rule struct {
	ID       string
	Severity Severity
	Summary  string
	Doc      string
}
