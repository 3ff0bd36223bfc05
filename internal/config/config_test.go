package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qbank/qbank/internal/finding"
	"github.com/qbank/qbank/internal/rules"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, src, err string
	}{
		{"empty file is the default", "", ""},
		{"full", "rules:\n  key-length: off\nreferences:\n  allowed_hosts: [a.example]\nnear_duplicate:\n  threshold: 0.8\n", ""},
		{"bad severity", "rules:\n  key-length: loud\n", ".qbank.yaml:2:15: rule key-length: unknown severity \"loud\""},
		{"unknown setting", "rulez: {}\n", `.qbank.yaml:1:1: unknown setting "rulez"`},
		{"threshold out of range", "near_duplicate:\n  threshold: 1.5\n", ".qbank.yaml:2:14: near_duplicate.threshold must be in (0, 1]"},
		{"not a mapping", "- a\n", ".qbank.yaml:1:1: the configuration must be a mapping"},
		{"threshold NaN", "near_duplicate:\n  threshold: .nan\n", ".qbank.yaml:2:14: near_duplicate.threshold must be in (0, 1], not NaN"},
		{"threshold a string", "near_duplicate:\n  threshold: \"0.5\"\n", ".qbank.yaml:2:14: near_duplicate.threshold must be a number"},
		{"misspelt threshold", "near_duplicate:\n  treshold: 0.5\n", ".qbank.yaml:2:3: unknown setting near_duplicate.treshold; known: threshold"},
		{"misspelt allowed_hosts", "references: {allowed_host: [a.example]}\n", ".qbank.yaml:1:14: unknown setting references.allowed_host; known: allowed_hosts"},
		{"allowed_hosts not a list", "references:\n  allowed_hosts: a.example\n", ".qbank.yaml:2:18: references.allowed_hosts must be a list"},
		{"allowed host not a string", "references:\n  allowed_hosts: [[a]]\n", ".qbank.yaml:2:19: references.allowed_hosts: each entry must be a host name"},
		{"rules not a mapping", "rules: [yaml]\n", ".qbank.yaml:1:8: rules must be a mapping, not a sequence"},
		{"the first bad severity in the file", "rules:\n  yaml: loud\n  schema: quiet\n  key-length: [off]\n", ".qbank.yaml:2:9: rule yaml: unknown severity \"loud\""},
		{"empty sections are fine", "rules:\nreferences:\nnear_duplicate:\nprobable_enemy:\n", ""},
		{"probable_enemy thresholds", "probable_enemy:\n  threshold: 0.5\n  cue_threshold: 0.3\n", ""},
		{"probable_enemy threshold out of range", "probable_enemy:\n  cue_threshold: 0\n", ".qbank.yaml:2:18: probable_enemy.cue_threshold must be in (0, 1], not 0"},
		{"probable_enemy threshold a string", "probable_enemy:\n  threshold: high\n", ".qbank.yaml:2:14: probable_enemy.threshold must be a number in (0, 1]"},
		{"misspelt probable_enemy setting", "probable_enemy:\n  cue: 0.3\n", ".qbank.yaml:2:3: unknown setting probable_enemy.cue; known: cue_threshold, threshold"},
		{"syntax error", "rules: [\n", ".qbank.yaml:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse([]byte(tt.src), ".qbank.yaml")
			if tt.err == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("err = %v; want %q (config %+v)", err, tt.err, c)
			}
		})
	}
}

func TestSettingsApply(t *testing.T) {
	c, err := Parse([]byte("rules:\n  key-length: off\n  yaml: warning\nreferences:\n  allowed_hosts: [docs.example.com, '*.example.org']\nnear_duplicate:\n  threshold: 0.8\n"), "c.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if c.SeverityOf(rules.KeyLength.ID, finding.Warning) != finding.Off || c.SeverityOf(rules.YAML.ID, finding.Error) != finding.Warning || c.SeverityOf(rules.Schema.ID, finding.Error) != finding.Error {
		t.Errorf("severities = %v", c.Severity)
	}
	for host, want := range map[string]bool{"docs.example.com": true, "DOCS.EXAMPLE.COM": true, "x.example.com": false, "a.example.org": true, "example.org": false, "docs.aws.amazon.com": false} {
		if got := c.HostAllowed(host); got != want {
			t.Errorf("HostAllowed(%q) = %v; want %v", host, got, want)
		}
	}
	if c.NearDuplicateThreshold != 0.8 {
		t.Errorf("threshold = %v", c.NearDuplicateThreshold)
	}
	if d := Default(); d.ProbableEnemyThreshold != DefaultProbableEnemyThreshold || d.ProbableEnemyCueThreshold != DefaultProbableEnemyCueThreshold {
		t.Errorf("default probable-enemy thresholds %v, %v", d.ProbableEnemyThreshold, d.ProbableEnemyCueThreshold)
	}
	if pe, err := Parse([]byte("probable_enemy: {threshold: 0.5, cue_threshold: 0.3}\n"), "c.yaml"); err != nil || pe.ProbableEnemyThreshold != 0.5 || pe.ProbableEnemyCueThreshold != 0.3 || pe.NearDuplicateThreshold != DefaultNearDuplicateThreshold {
		t.Errorf("probable_enemy parsed as %+v, %v", pe, err)
	}
	if err := c.CheckRules(map[string]bool{rules.KeyLength.ID: true}); err == nil || !strings.Contains(err.Error(), fmt.Sprintf(`c.yaml:3:3: unknown rule %q`, rules.YAML.ID)) {
		t.Errorf("CheckRules = %v", err)
	}
}

func TestDefaults(t *testing.T) {
	c := Default()
	if !c.HostAllowed("docs.aws.amazon.com") || !c.HostAllowed("aws.amazon.com") || c.HostAllowed("evil.com") || c.NearDuplicateThreshold != 0.7 {
		t.Errorf("defaults = %+v", c)
	}
}

func TestFindLooksUpward(t *testing.T) {
	root := t.TempDir()
	deep := filepath.Join(root, "a", "b")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	if got := Find(deep); got != "" && strings.HasPrefix(got, root) {
		t.Fatalf("found %s before creating one", got)
	}
	if err := os.WriteFile(filepath.Join(root, "a", FileName), []byte("rules: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := Find(deep); got != filepath.Join(root, "a", FileName) {
		t.Errorf("Find = %q", got)
	}
}

func TestApply(t *testing.T) {
	c := Default()
	c.Severity = map[string]finding.Severity{"a": finding.Off, "b": finding.Warning}
	fs := []finding.Finding{{Rule: "a", Severity: finding.Error}, {Rule: "b", Severity: finding.Error}, {Rule: "c", Severity: finding.Error}}
	got := c.Apply(fs)
	if len(got) != 2 || got[0].Rule != "b" || got[0].Severity != finding.Warning || got[1].Rule != "c" || got[1].Severity != finding.Error {
		t.Errorf("Apply = %v", got)
	}
	var none *Config
	if got := none.Apply([]finding.Finding{{Rule: "a", Severity: finding.Error}}); len(got) != 1 || got[0].Severity != finding.Error {
		t.Errorf("nil Apply = %v", got)
	}
}

func TestParseAnalysisThresholds(t *testing.T) {
	c, err := Parse([]byte("analysis:\n  low_discrimination: 0.2\n  min_responses: 50\n  misfit_high: 1.5\n"), ".qbank.yaml")
	if err != nil {
		t.Fatal(err)
	}
	a := c.Analysis
	if a.LowDiscrimination == nil || *a.LowDiscrimination != 0.2 || a.MinResponses == nil || *a.MinResponses != 50 ||
		a.MisfitHigh == nil || *a.MisfitHigh != 1.5 || a.TooEasy != nil {
		t.Errorf("analysis = %+v", a)
	}
	for in, want := range map[string]string{
		"analysis:\n  too_easy: 1.5\n":                     ".qbank.yaml:2:13: analysis.too_easy must be in [0, 1], not 1.5",
		"analysis:\n  min_responses: -1\n":                 ".qbank.yaml:2:18: analysis.min_responses must be a whole number",
		"analysis:\n  high_omit: lots\n":                   ".qbank.yaml:2:14: analysis.high_omit must be a number",
		"analysis:\n  too_easy_p: 0.9\n":                   ".qbank.yaml:2:3: unknown setting analysis.too_easy_p; known: distractor_positive_share,",
		"analysis:\n  misfit_low: 1.2\n  misfit_high: 1\n": "analysis.misfit_low (1.2) must be below analysis.misfit_high (1)",
	} {
		_, err := Parse([]byte(in), ".qbank.yaml")
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err %v; want %q", in, err, want)
		}
	}
}
