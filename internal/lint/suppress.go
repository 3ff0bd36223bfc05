package lint

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/qbank/qbank/internal/finding"
	"github.com/qbank/qbank/internal/rules"
	"gopkg.in/yaml.v3"
)

// suppression is a "# qbank:ignore RULE[,RULE] -- reason" comment.
type suppression struct {
	line  int
	rules map[string]bool
}

var ignoreRE = regexp.MustCompile(`(?:^|\s)#\s*qbank:ignore\b(.*)$`)

// parseSuppressions finds the qbank:ignore comments of a file. A comment
// must start a line or follow white space, so a "#" inside a word is not
// taken for one. When the file parsed (doc is not nil), only real YAML
// comments count: the same text inside a block scalar or a quoted string
// is part of the item (a candidate would see it) and suppresses nothing.
func parseSuppressions(path string, data []byte, doc *yaml.Node) ([]suppression, []finding.Finding) {
	if !bytes.Contains(data, []byte("qbank:ignore")) {
		return nil, nil
	}
	known := map[string]bool{}
	for _, r := range rules.In(rules.Load, rules.Lint) {
		known[r.ID] = true
	}
	var comments map[string]bool
	if doc != nil {
		comments = map[string]bool{}
		collectComments(doc, comments)
	}
	var sups []suppression
	var fs []finding.Finding
	for i, raw := range bytes.Split(data, []byte("\n")) {
		line := strings.TrimSuffix(string(raw), "\r")
		m := ignoreRE.FindStringSubmatchIndex(line)
		if m == nil {
			continue
		}
		hash := strings.Index(line[m[0]:], "#") + m[0]
		if comments != nil && !comments[strings.TrimSpace(line[hash:])] {
			continue
		}
		col := utf8.RuneCountInString(line[:hash]) + 1
		rest := line[m[2]:m[3]]
		spec, reason, hasReason := strings.Cut(rest, "--")
		at := func(format string, args ...any) {
			fs = append(fs, finding.Finding{File: path, Line: i + 1, Column: col, Rule: rules.Suppression.ID, Severity: rules.Suppression.Severity, Message: fmt.Sprintf(format, args...)})
		}
		s := suppression{line: i + 1, rules: map[string]bool{}}
		for _, r := range strings.FieldsFunc(spec, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
			if !known[r] {
				at("qbank:ignore names unknown rule %q (qbank rules lists them)", r)
				continue
			}
			s.rules[r] = true
		}
		if len(s.rules) == 0 && len(strings.Fields(spec)) == 0 {
			at("qbank:ignore names no rule; write \"# qbank:ignore RULE -- reason\"")
			continue
		}
		if !hasReason || strings.TrimSpace(reason) == "" {
			at("qbank:ignore without a reason; write \"# qbank:ignore %s -- why this exception is right\"", strings.TrimSpace(spec))
		}
		sups = append(sups, s)
	}
	return sups, fs
}

// collectComments adds every comment line of the tree under n to set,
// trimmed of surrounding white space.
func collectComments(n *yaml.Node, set map[string]bool) {
	for _, c := range []string{n.HeadComment, n.LineComment, n.FootComment} {
		for _, l := range strings.Split(c, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				set[l] = true
			}
		}
	}
	for _, c := range n.Content {
		collectComments(c, set)
	}
}

// suppressed reports whether a comment on the finding's line or the line
// above ignores its rule. The suppression rule itself cannot be ignored.
func suppressed(sups []suppression, f finding.Finding) bool {
	if f.Rule == rules.Suppression.ID {
		return false
	}
	for _, s := range sups {
		if (s.line == f.Line || s.line == f.Line-1) && s.rules[f.Rule] {
			return true
		}
	}
	return false
}
