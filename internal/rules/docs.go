package rules

import (
	"fmt"
	"regexp"
	"strings"
)

//go:generate go run ../devtools/ruledocs -root ../..

// Table renders the rules of the given groups as a Markdown table: id,
// default severity and summary, in documentation order.
func Table(gs ...Group) string {
	var b strings.Builder
	b.WriteString("| rule | default | what it checks |\n| --- | --- | --- |\n")
	for _, r := range In(gs...) {
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", r.ID, r.Severity, strings.ReplaceAll(r.Summary, "|", `\|`))
	}
	return b.String()
}

// tableRE matches a generated table: a begin marker naming the groups, the
// table, and the end marker.
var tableRE = regexp.MustCompile(`(?s)(<!-- rules:begin ([a-z,]+) -->\n).*?(<!-- rules:end -->)`)

// RewriteTables replaces every table between
//
//	<!-- rules:begin GROUP[,GROUP...] -->
//	<!-- rules:end -->
//
// in a Markdown document with Table of those groups, and says how many
// tables it found. A marker naming an unknown group is an error.
func RewriteTables(doc string) (string, int, error) {
	var err error
	n := 0
	out := tableRE.ReplaceAllStringFunc(doc, func(m string) string {
		sub := tableRE.FindStringSubmatch(m)
		var gs []Group
		for _, name := range strings.Split(sub[2], ",") {
			g := Group(name)
			if !knownGroup(g) && err == nil {
				err = fmt.Errorf("rules:begin names unknown group %q (groups: %v)", name, groups)
			}
			gs = append(gs, g)
		}
		n++
		return sub[1] + "\n" + Table(gs...) + "\n" + sub[3]
	})
	return out, n, err
}

func knownGroup(g Group) bool {
	for _, x := range groups {
		if x == g {
			return true
		}
	}
	return false
}
