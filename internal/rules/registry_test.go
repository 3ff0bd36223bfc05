package rules

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/qbank/qbank/internal/finding"
)

func TestEveryRuleIsWellDeclared(t *testing.T) {
	if err := check(); err != nil {
		t.Fatal(err)
	}
	if len(All()) < 30 {
		t.Fatalf("All() has %d rules; the registry lost declarations", len(All()))
	}
}

func TestCheckRejectsBadDeclarations(t *testing.T) {
	saved := registry
	defer func() { registry = saved }()
	for _, tt := range []struct {
		name string
		r    finding.Rule
	}{
		{"bad id", finding.Rule{ID: "Bad_ID", Severity: finding.Error, Summary: "s", Doc: "d"}},
		{"duplicate", AnswerCount},
		{"severity off", finding.Rule{ID: "x-off", Severity: finding.Off, Summary: "s", Doc: "d"}},
		{"no doc", finding.Rule{ID: "x-nodoc", Severity: finding.Warning, Summary: "s"}},
	} {
		registry = append(append([]entry(nil), saved...), entry{Lint, tt.r})
		if err := check(); err == nil {
			t.Errorf("%s: check accepted %+v", tt.name, tt.r)
		}
	}
}

func TestGroupsSelectTheirRules(t *testing.T) {
	ids := func(rs []finding.Rule) []string {
		var out []string
		for _, r := range rs {
			out = append(out, r.ID)
		}
		return out
	}
	if got := ids(In(Load)); !reflect.DeepEqual(got, []string{"yaml", "schema", "blueprint"}) {
		t.Errorf("In(Load) = %v", got)
	}
	lint := In(Load, Lint)
	if lint[0].ID != YAML.ID || !contains(lint, RevisionBump) || !contains(lint, Suppression) || contains(lint, FormEnemy) {
		t.Errorf("In(Load, Lint) = %v", ids(lint))
	}
	if !contains(In(Check), Supply) || contains(In(Check), AnswerCount) {
		t.Errorf("In(Check) = %v", ids(In(Check)))
	}
	if !reflect.DeepEqual(In(Check, Load), In(Load, Check)) {
		t.Error("In depends on the order of its groups")
	}
	if len(All()) != len(registry) {
		t.Errorf("All() has %d rules, the registry %d", len(All()), len(registry))
	}
	for _, e := range registry {
		if g, ok := GroupOf(e.rule.ID); !ok || g != e.group {
			t.Errorf("GroupOf(%s) = %s, %v", e.rule.ID, g, ok)
		}
		if r, ok := Lookup(e.rule.ID); !ok || r != e.rule {
			t.Errorf("Lookup(%s) = %+v, %v", e.rule.ID, r, ok)
		}
		if !Known()[e.rule.ID] {
			t.Errorf("Known() lacks %s", e.rule.ID)
		}
		found := false
		for _, g := range Groups() {
			found = found || g == e.group
		}
		if !found {
			t.Errorf("rule %s is in group %q, which Groups() does not list", e.rule.ID, e.group)
		}
	}
	if _, ok := Lookup("no-such-rule"); ok {
		t.Error("Lookup found no-such-rule")
	}
	if _, ok := GroupOf("no-such-rule"); ok {
		t.Error("GroupOf found no-such-rule")
	}
}

func contains(rs []finding.Rule, r finding.Rule) bool {
	for _, x := range rs {
		if x.ID == r.ID {
			return true
		}
	}
	return false
}

// check is run by the package's test: ids are unique and well formed, and
// every declaration has a summary and a doc.
func check() error {
	seen := map[string]bool{}
	for _, e := range registry {
		r := e.rule
		switch {
		case !validID(r.ID):
			return fmt.Errorf("rule id %q: want lower-case words joined by hyphens", r.ID)
		case seen[r.ID]:
			return fmt.Errorf("rule %q declared twice", r.ID)
		case r.Severity != finding.Error && r.Severity != finding.Warning:
			return fmt.Errorf("rule %q: default severity %q (want error or warning)", r.ID, r.Severity)
		case r.Summary == "" || r.Doc == "":
			return fmt.Errorf("rule %q: summary and doc are required", r.ID)
		}
		seen[r.ID] = true
	}
	return nil
}

func validID(id string) bool {
	if id == "" || id[0] == '-' || id[len(id)-1] == '-' {
		return false
	}
	for _, c := range id {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return true
}

// TestDocTablesAreCurrent fails when a rule table of README.md or docs/*.md
// no longer matches the registry.
func TestDocTablesAreCurrent(t *testing.T) {
	files, _ := filepath.Glob("../../docs/*.md")
	tables := 0
	for _, path := range append([]string{"../../README.md"}, files...) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		out, n, err := RewriteTables(string(data))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		tables += n
		if out != string(data) {
			t.Errorf("%s: the rule tables are stale; run go generate ./internal/rules", path)
		}
	}
	if tables == 0 {
		t.Error("no rule table (<!-- rules:begin GROUP --> ... <!-- rules:end -->) in README.md or docs/*.md")
	}
}

func TestRewriteTables(t *testing.T) {
	doc := "intro\n<!-- rules:begin load -->\nold table\n<!-- rules:end -->\nrest\n"
	got, n, err := RewriteTables(doc)
	want := "intro\n<!-- rules:begin load -->\n\n" + Table(Load) + "\n<!-- rules:end -->\nrest\n"
	if err != nil || n != 1 || got != want {
		t.Errorf("RewriteTables = %q, %d, %v\nwant %q", got, n, err, want)
	}
	if !strings.Contains(got, "| `yaml` | error | The file is not parseable YAML, or is empty. |") {
		t.Errorf("table lacks the yaml row:\n%s", got)
	}
	if _, _, err := RewriteTables("<!-- rules:begin nope -->\n<!-- rules:end -->"); err == nil {
		t.Error("unknown group accepted")
	}
}

// Test helpers.

// Groups returns every group, in documentation order.
func Groups() []Group { return append([]Group(nil), groups...) }

// GroupOf returns the group of rule id, and false for an id no rule has.
func GroupOf(id string) (Group, bool) {
	for _, e := range registry {
		if e.rule.ID == id {
			return e.group, true
		}
	}
	return "", false
}

// Lookup returns the rule with id, and false for an id no rule has.
func Lookup(id string) (finding.Rule, bool) {
	for _, e := range registry {
		if e.rule.ID == id {
			return e.rule, true
		}
	}
	return finding.Rule{}, false
}
