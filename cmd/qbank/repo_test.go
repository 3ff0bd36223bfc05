package main

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestREADMEGoVersionMatchesGoMod: the Go version the README asks for is
// the one go.mod requires.
func TestREADMEGoVersionMatchesGoMod(t *testing.T) {
	mod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^go (\S+)$`).FindSubmatch(mod)
	if m == nil {
		t.Fatal("go.mod has no go directive")
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	found := regexp.MustCompile(`Go (\d+\.\d+(?:\.\d+)?) or later`).FindAllSubmatch(readme, -1)
	if len(found) == 0 {
		t.Fatal(`README does not say which Go it needs ("Go X or later")`)
	}
	for _, f := range found {
		if string(f[1]) != string(m[1]) {
			t.Errorf("README says Go %s or later; go.mod requires %s", f[1], m[1])
		}
	}
}

// TestCIRunsSinceOnPullRequests: on a pull request, CI runs lint --since
// and check --since against the base branch (it fetches full history for
// exactly this).
func TestCIRunsSinceOnPullRequests(t *testing.T) {
	data, err := os.ReadFile("../../.github/workflows/ci.yml")
	if err != nil {
		t.Fatal(err)
	}
	var wf struct {
		Jobs map[string]struct {
			Steps []struct {
				If  string            `yaml:"if"`
				Env map[string]string `yaml:"env"`
				Run string            `yaml:"run"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(data, &wf); err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{
		`qbank lint --since "origin/$BASE_REF" bank`:  false,
		`qbank check --since "origin/$BASE_REF" bank`: false,
	}
	for _, job := range wf.Jobs {
		for _, s := range job.Steps {
			if !strings.Contains(s.If, "pull_request") || s.Env["BASE_REF"] != "${{ github.base_ref }}" {
				continue
			}
			for cmd := range want {
				if strings.Contains(s.Run, cmd) {
					want[cmd] = true
				}
			}
		}
	}
	for cmd, ok := range want {
		if !ok {
			t.Errorf("no CI step on pull requests runs %s with BASE_REF set to the base branch", cmd)
		}
	}
}
