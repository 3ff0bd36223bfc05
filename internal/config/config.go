// Package config reads qbank's lint configuration, .qbank.yaml, which is
// looked up from the current directory upward (like .editorconfig or
// .golangci.yml). It sets per-rule severities, the allowed reference hosts,
// the near-duplicate and probable-enemy thresholds and the thresholds of
// item analysis.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
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

// DefaultProbableEnemyThreshold is the TF-IDF cosine of stems and keys from
// which two items are probable enemies; DefaultProbableEnemyCueThreshold
// is the lower cosine that suffices when the two share a key text. Both
// were tuned on the CLF-C02 bank (docs/probable-enemy.md).
const (
	DefaultProbableEnemyThreshold    = 0.4
	DefaultProbableEnemyCueThreshold = 0.35
)

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
	// ProbableEnemyThreshold and ProbableEnemyCueThreshold are in (0, 1].
	ProbableEnemyThreshold    float64
	ProbableEnemyCueThreshold float64
	// Analysis holds the flag thresholds of qbank analyze and promote
	// that the file sets.
	Analysis Analysis

	severityPos map[string]finding.Pos
}

// Default returns the configuration used when there is no file.
func Default() *Config {
	return &Config{
		Severity:                  map[string]finding.Severity{},
		AllowedHosts:              append([]string(nil), DefaultAllowedHosts...),
		NearDuplicateThreshold:    DefaultNearDuplicateThreshold,
		ProbableEnemyThreshold:    DefaultProbableEnemyThreshold,
		ProbableEnemyCueThreshold: DefaultProbableEnemyCueThreshold,
		severityPos:               map[string]finding.Pos{},
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

// Parse parses configuration data; path names it in errors, each at the
// line and column of the setting at fault. Unknown settings are errors at
// every level, so a misspelt key cannot be silently ignored.
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
	p := parser{path: path}
	root := yamlx.Resolve(doc.Content[0])
	if root.Kind != yaml.MappingNode {
		return nil, p.errorf(root, "the configuration must be a mapping")
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], yamlx.Resolve(root.Content[i+1])
		switch k.Value {
		case "rules":
			err = p.rules(c, v)
		case "references":
			err = p.references(c, v)
		case "near_duplicate":
			err = p.thresholds(v, "near_duplicate", map[string]*float64{"threshold": &c.NearDuplicateThreshold})
		case "probable_enemy":
			err = p.thresholds(v, "probable_enemy", map[string]*float64{"threshold": &c.ProbableEnemyThreshold, "cue_threshold": &c.ProbableEnemyCueThreshold})
		case "analysis":
			err = p.analysis(c, v)
		default:
			err = p.errorf(k, "unknown setting %q; known: analysis, near_duplicate, probable_enemy, references, rules", k.Value)
		}
		if err != nil {
			return nil, err
		}
	}
	return c, nil
}

type parser struct{ path string }

func (p parser) errorf(n *yaml.Node, format string, args ...any) error {
	return fmt.Errorf("%s:%d:%d: %s", p.path, n.Line, n.Column, fmt.Sprintf(format, args...))
}

// mapping checks that n is a mapping (or empty) with only the known keys and
// returns its key and value nodes in file order.
func (p parser) mapping(n *yaml.Node, name string, known ...string) ([][2]*yaml.Node, error) {
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return nil, nil
	}
	if n.Kind != yaml.MappingNode {
		return nil, p.errorf(n, "%s must be a mapping, not a %s", name, yamlx.KindName(n))
	}
	var pairs [][2]*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := yamlx.Resolve(n.Content[i]), yamlx.Resolve(n.Content[i+1])
		if known != nil && !slices.Contains(known, k.Value) {
			return nil, p.errorf(k, "unknown setting %s.%s; known: %s", name, k.Value, strings.Join(known, ", "))
		}
		pairs = append(pairs, [2]*yaml.Node{k, v})
	}
	return pairs, nil
}

func (p parser) rules(c *Config, n *yaml.Node) error {
	pairs, err := p.mapping(n, "rules")
	if err != nil {
		return err
	}
	for _, kv := range pairs {
		k, v := kv[0], kv[1]
		if v.Kind != yaml.ScalarNode {
			return p.errorf(v, "rule %s: the severity must be error, warning or off, not a %s", k.Value, yamlx.KindName(v))
		}
		s, err := finding.ParseSeverity(v.Value)
		if err != nil {
			return p.errorf(v, "rule %s: %v", k.Value, err)
		}
		c.Severity[k.Value] = s
		c.severityPos[k.Value] = finding.Pos{Line: k.Line, Column: k.Column}
	}
	return nil
}

func (p parser) references(c *Config, n *yaml.Node) error {
	pairs, err := p.mapping(n, "references", "allowed_hosts")
	if err != nil {
		return err
	}
	for _, kv := range pairs {
		v := kv[1]
		if v.Kind == yaml.ScalarNode && v.ShortTag() == "!!null" {
			continue // keep the defaults
		}
		if v.Kind != yaml.SequenceNode {
			return p.errorf(v, "references.allowed_hosts must be a list of host names, not a %s", yamlx.KindName(v))
		}
		hosts := []string{}
		for _, h := range v.Content {
			h = yamlx.Resolve(h)
			if h.Kind != yaml.ScalarNode || h.ShortTag() != "!!str" || strings.TrimSpace(h.Value) == "" {
				return p.errorf(h, "references.allowed_hosts: each entry must be a host name such as docs.aws.amazon.com or *.example.com")
			}
			hosts = append(hosts, strings.TrimSpace(h.Value))
		}
		c.AllowedHosts = hosts
	}
	return nil
}

// thresholds reads a section of numbers in (0, 1] into the fields given
// by setting name.
func (p parser) thresholds(n *yaml.Node, name string, fields map[string]*float64) error {
	known := make([]string, 0, len(fields))
	for k := range fields {
		known = append(known, k)
	}
	sort.Strings(known)
	pairs, err := p.mapping(n, name, known...)
	if err != nil {
		return err
	}
	for _, kv := range pairs {
		k, v := kv[0], kv[1]
		var t float64
		if v.Kind != yaml.ScalarNode || (v.ShortTag() != "!!float" && v.ShortTag() != "!!int") || v.Decode(&t) != nil {
			return p.errorf(v, "%s.%s must be a number in (0, 1], such as 0.7", name, k.Value)
		}
		if !(t > 0 && t <= 1) { // also rejects NaN
			return p.errorf(v, "%s.%s must be in (0, 1], not %v", name, k.Value, t)
		}
		*fields[k.Value] = t
	}
	return nil
}

// Analysis are the thresholds of the item-analysis flags (qbank analyze)
// and of promotion (qbank promote) set in the file; a nil field keeps the
// documented default.
type Analysis struct {
	LowDiscrimination       *float64 // low_discrimination: corrected point-biserial below it
	TooEasy                 *float64 // too_easy: p-value above it
	TooHardMargin           *float64 // too_hard_margin: p-value below chance + it
	NonfunctionalDistractor *float64 // nonfunctional_distractor: distractor share below it
	DistractorPositiveShare *float64 // distractor_positive_share: least share of a positive distractor
	HighOmit                *float64 // high_omit: omit rate above it
	MisfitLow, MisfitHigh   *float64 // misfit_low, misfit_high: productive fit range
	MinResponses            *int     // min_responses: fewer is few-responses (and no promotion)
}

// analysisKeys are the settings of the analysis section, each with its
// field and its range.
func analysisKeys(a *Analysis) map[string]struct {
	f      **float64
	lo, hi float64
} {
	type r = struct {
		f      **float64
		lo, hi float64
	}
	return map[string]r{
		"low_discrimination":        {&a.LowDiscrimination, -1, 1},
		"too_easy":                  {&a.TooEasy, 0, 1},
		"too_hard_margin":           {&a.TooHardMargin, 0, 1},
		"nonfunctional_distractor":  {&a.NonfunctionalDistractor, 0, 1},
		"distractor_positive_share": {&a.DistractorPositiveShare, 0, 1},
		"high_omit":                 {&a.HighOmit, 0, 1},
		"misfit_low":                {&a.MisfitLow, 0, 10},
		"misfit_high":               {&a.MisfitHigh, 0, 10},
	}
}

func (p parser) analysis(c *Config, n *yaml.Node) error {
	keys := analysisKeys(&c.Analysis)
	names := []string{"min_responses"}
	for k := range keys {
		names = append(names, k)
	}
	sort.Strings(names)
	pairs, err := p.mapping(n, "analysis", names...)
	if err != nil {
		return err
	}
	for _, kv := range pairs {
		k, v := kv[0].Value, kv[1]
		if k == "min_responses" {
			var m int
			if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!int" || v.Decode(&m) != nil || m < 0 {
				return p.errorf(v, "analysis.min_responses must be a whole number of at least 0, such as 200")
			}
			c.Analysis.MinResponses = &m
			continue
		}
		spec := keys[k]
		var t float64
		if v.Kind != yaml.ScalarNode || (v.ShortTag() != "!!float" && v.ShortTag() != "!!int") || v.Decode(&t) != nil {
			return p.errorf(v, "analysis.%s must be a number in [%g, %g]", k, spec.lo, spec.hi)
		}
		if !(t >= spec.lo && t <= spec.hi) {
			return p.errorf(v, "analysis.%s must be in [%g, %g], not %v", k, spec.lo, spec.hi, t)
		}
		*spec.f = &t
	}
	if a := c.Analysis; a.MisfitLow != nil && a.MisfitHigh != nil && *a.MisfitLow >= *a.MisfitHigh {
		return p.errorf(n, "analysis.misfit_low (%v) must be below analysis.misfit_high (%v)", *a.MisfitLow, *a.MisfitHigh)
	}
	return nil
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

// Apply sets each finding's configured severity and drops the findings of
// rules turned off, in place; it returns the findings kept. Every command
// applies the configuration through it. A nil c applies the defaults
// (nothing changes).
func (c *Config) Apply(fs []finding.Finding) []finding.Finding {
	if c == nil {
		return fs
	}
	out := fs[:0]
	for _, f := range fs {
		if f.Severity = c.SeverityOf(f.Rule, f.Severity); f.Severity != finding.Off {
			out = append(out, f)
		}
	}
	return out
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
