// Package config reads qbank's lint configuration, .qbank.yaml, which is
// looked up from the current directory upward (like .editorconfig or
// .golangci.yml). It sets per-rule severities, the allowed reference hosts
// and the near-duplicate threshold.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/qbank/qbank/internal/finding"
	"github.com/qbank/qbank/internal/yamlx"
	"gopkg.in/yaml.v3"
)

// FileName is the configuration file's name.
const FileName = ".qbank.yaml"

// DefaultAllowedHosts are the reference hosts allowed when the
// configuration names none.
var DefaultAllowedHosts = []string{"docs.aws.amazon.com", "aws.amazon.com"}

// DefaultNearDuplicateThreshold is the Jaccard similarity of word bigrams
// from which two stems count as near-duplicates.
const DefaultNearDuplicateThreshold = 0.7

// Config is the lint configuration.
type Config struct {
	// Path is the file it was read from ("" for the defaults).
	Path string
	// Severity overrides a rule's default severity, by rule id.
	Severity map[string]finding.Severity
	// AllowedHosts lists reference hosts; an entry "*.example.com" allows
	// every subdomain of example.com.
	AllowedHosts []string
	// NearDuplicateThreshold is in (0, 1].
	NearDuplicateThreshold float64

	severityPos map[string]finding.Pos
}

// Default returns the configuration used when there is no file.
func Default() *Config {
	return &Config{
		Severity:               map[string]finding.Severity{},
		AllowedHosts:           append([]string(nil), DefaultAllowedHosts...),
		NearDuplicateThreshold: DefaultNearDuplicateThreshold,
		severityPos:            map[string]finding.Pos{},
	}
}

// Find looks for FileName in dir and its parents and returns its path, or
// "" when there is none.
func Find(dir string) string {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for {
		p := filepath.Join(dir, FileName)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// Load reads the configuration at path. Errors carry file:line:col.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s: no such configuration file", path)
		}
		return nil, err
	}
	return Parse(data, path)
}

type file struct {
	Rules      map[string]string `yaml:"rules"`
	References struct {
		AllowedHosts []string `yaml:"allowed_hosts"`
	} `yaml:"references"`
	NearDuplicate struct {
		Threshold *float64 `yaml:"threshold"`
	} `yaml:"near_duplicate"`
}

// Parse parses configuration data; path names it in errors.
func Parse(data []byte, path string) (*Config, error) {
	c := Default()
	c.Path = path
	doc, err := yamlx.Parse(data)
	if err != nil {
		errs := yamlx.Errors(err)
		if len(errs) > 0 && strings.Contains(errs[0].Msg, "empty") {
			return c, nil
		}
		return nil, fmt.Errorf("%s:%s", path, errs[0].Error())
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s:%d:%d: the configuration must be a mapping", path, root.Line, root.Column)
	}
	allowed := map[string]bool{"rules": true, "references": true, "near_duplicate": true}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k := root.Content[i]
		if !allowed[k.Value] {
			return nil, fmt.Errorf("%s:%d:%d: unknown setting %q; known: near_duplicate, references, rules", path, k.Line, k.Column, k.Value)
		}
	}
	var f file
	if err := root.Decode(&f); err != nil {
		return nil, fmt.Errorf("%s:%d:%d: %s", path, root.Line, root.Column, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	rules := yamlx.Value(root, "rules")
	for id, sev := range f.Rules {
		s, err := finding.ParseSeverity(sev)
		p := finding.Pos{Line: 1, Column: 1}
		if k := yamlx.KeyNode(rules, id); k != nil {
			p = finding.Pos{Line: k.Line, Column: k.Column}
		}
		if err != nil {
			v := yamlx.Value(rules, id)
			return nil, fmt.Errorf("%s:%d:%d: rule %s: %v", path, v.Line, v.Column, id, err)
		}
		c.Severity[id] = s
		c.severityPos[id] = p
	}
	if hosts := f.References.AllowedHosts; hosts != nil {
		c.AllowedHosts = hosts
	}
	if t := f.NearDuplicate.Threshold; t != nil {
		if *t <= 0 || *t > 1 {
			n := yamlx.Lookup(root, "/near_duplicate/threshold")
			return nil, fmt.Errorf("%s:%d:%d: near_duplicate.threshold must be in (0, 1], not %v", path, n.Line, n.Column, *t)
		}
		c.NearDuplicateThreshold = *t
	}
	return c, nil
}

// CheckRules reports a configured rule id that is not among known, at its
// position in the file.
func (c *Config) CheckRules(known map[string]bool) error {
	var ids []string
	for id := range c.Severity {
		if !known[id] {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	sort.Strings(ids)
	p := c.severityPos[ids[0]]
	return fmt.Errorf("%s:%d:%d: unknown rule %q (qbank rules lists them)", c.Path, p.Line, p.Column, ids[0])
}

// SeverityOf returns the configured severity of rule, or def.
func (c *Config) SeverityOf(rule string, def finding.Severity) finding.Severity {
	if s, ok := c.Severity[rule]; ok {
		return s
	}
	return def
}

// HostAllowed reports whether host is on the allow list.
func (c *Config) HostAllowed(host string) bool {
	host = strings.ToLower(host)
	for _, h := range c.AllowedHosts {
		h = strings.ToLower(h)
		if h == host {
			return true
		}
		if strings.HasPrefix(h, "*.") && strings.HasSuffix(host, h[1:]) {
			return true
		}
	}
	return false
}
