// Package schemacheck validates YAML documents against qbank's embedded JSON
// Schemas and reports each problem as a finding at the YAML node at fault:
// the jsonschema error tree is flattened to its leaves, each leaf's instance
// location (a JSON pointer) is mapped back to its yaml.Node, and the message
// is rewritten to say what to do.
package schemacheck

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/qbank/qbank/internal/finding"
	"github.com/qbank/qbank/internal/rules"
	"github.com/qbank/qbank/internal/yamlx"
	"github.com/qbank/qbank/schema"
	"github.com/santhosh-tekuri/jsonschema/v5"
	"gopkg.in/yaml.v3"
)

// Kind names one of the embedded schemas.
type Kind string

// The schemas the loader validates against.
const (
	Item  Kind = "item"
	Exam  Kind = "exam"
	Form  Kind = "form"
	Stats Kind = "stats"
)

// compiled holds each schema compiled once per process; compiled schemas
// are immutable and safe for concurrent use.
var compiled = map[Kind]func() *jsonschema.Schema{
	Item:  sync.OnceValue(func() *jsonschema.Schema { return schema.MustCompile(string(Item)) }),
	Exam:  sync.OnceValue(func() *jsonschema.Schema { return schema.MustCompile(string(Exam)) }),
	Form:  sync.OnceValue(func() *jsonschema.Schema { return schema.MustCompile(string(Form)) }),
	Stats: sync.OnceValue(func() *jsonschema.Schema { return schema.MustCompile(string(Stats)) }),
}

// Validate checks doc against the schema of kind and returns one finding per
// problem (rules.Schema; rules.YAML when the document cannot be turned
// into a value, e.g. excessive aliasing). file and item fill the findings.
func Validate(kind Kind, doc *yaml.Node, file, item string) []finding.Finding {
	_, fs := ValidateValue(kind, doc, file, item)
	return fs
}

// ValidateValue is Validate that also returns the document as a JSON-like
// value (nil when it could not be built).
func ValidateValue(kind Kind, doc *yaml.Node, file, item string) (any, []finding.Finding) {
	v, err := yamlx.ToValue(doc, yamlx.DefaultMaxNodes)
	if err != nil {
		var fs []finding.Finding
		for _, e := range yamlx.Errors(err) {
			fs = append(fs, finding.Finding{File: file, Line: e.Pos.Line, Column: e.Pos.Column, Rule: rules.YAML.ID, Severity: rules.YAML.Severity, Item: item, Message: e.Msg})
		}
		return nil, fs
	}
	if kind == Item && ValidItemDocument(doc) {
		return v, nil
	}
	err = compiled[kind]().Validate(v)
	if err == nil {
		return v, nil
	}
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return v, []finding.Finding{{File: file, Line: 1, Column: 1, Rule: rules.Schema.ID, Severity: rules.Schema.Severity, Item: item, Message: err.Error()}}
	}
	var leaves []*jsonschema.ValidationError
	collectLeaves(ve, &leaves)
	var fs []finding.Finding
	seen := map[string]bool{}
	for _, leaf := range leaves {
		for _, p := range explain(kind, doc, leaf) {
			f := finding.Finding{File: file, Line: p.node.Line, Column: p.node.Column, Rule: rules.Schema.ID, Severity: rules.Schema.Severity, Item: item, Message: p.msg}
			key := fmt.Sprintf("%d:%d:%s", f.Line, f.Column, f.Message)
			if !seen[key] {
				seen[key] = true
				fs = append(fs, f)
			}
		}
	}
	finding.Sort(fs)
	return v, fs
}

func collectLeaves(ve *jsonschema.ValidationError, out *[]*jsonschema.ValidationError) {
	if len(ve.Causes) == 0 {
		*out = append(*out, ve)
		return
	}
	for _, c := range ve.Causes {
		collectLeaves(c, out)
	}
}

type problem struct {
	node *yaml.Node
	msg  string
}

var quotedRE = regexp.MustCompile(`'((?:[^'\\]|\\.)*)'`)

var equalItemsRE = regexp.MustCompile(`index (\d+) and (\d+) are equal`)

// explain turns one leaf error into problems at the nodes at fault.
func explain(kind Kind, doc *yaml.Node, leaf *jsonschema.ValidationError) []problem {
	node := yamlx.Lookup(doc, leaf.InstanceLocation)
	where := fieldName(leaf.InstanceLocation)
	keyword := leaf.KeywordLocation[strings.LastIndexByte(leaf.KeywordLocation, '/')+1:]
	sub := subschema(kind, leaf.KeywordLocation)
	switch keyword {
	case "required":
		// One problem naming every missing property: they share one
		// position (the mapping that lacks them).
		var names []string
		for _, m := range quotedRE.FindAllStringSubmatch(leaf.Message, -1) {
			names = append(names, strconv.Quote(m[1]))
		}
		switch len(names) {
		case 0:
			return nil
		case 1:
			return []problem{{node, fmt.Sprintf("%s is missing required property %s; add it", orDocument(where), names[0])}}
		}
		return []problem{{node, fmt.Sprintf("%s is missing %d required properties: %s; add them", orDocument(where), len(names), strings.Join(names, ", "))}}
	case "additionalProperties":
		var ps []problem
		allowed := allowedProperties(sub)
		for _, m := range quotedRE.FindAllStringSubmatch(leaf.Message, -1) {
			at := yamlx.KeyNode(node, m[1])
			if at == nil {
				at = node
			}
			msg := fmt.Sprintf("unknown property %q in %s", m[1], orDocument(where))
			if s := closest(m[1], allowed); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			} else if len(allowed) > 0 {
				msg += "; allowed: " + strings.Join(allowed, ", ")
			}
			ps = append(ps, problem{at, msg})
		}
		return ps
	case "type":
		want := schemaString(sub, "type")
		got := jsonKind(node)
		msg := fmt.Sprintf("%s must be %s, not %s", orDocument(where), article(want), got)
		if want == "string" && (got == "a number" || got == "a boolean") {
			msg += fmt.Sprintf("; quote it: \"%s\"", node.Value)
		}
		return []problem{{node, msg}}
	case "enum":
		return []problem{{node, fmt.Sprintf("%s %s is not allowed; use one of: %s", where, show(node), enumValues(sub))}}
	case "pattern":
		return []problem{{node, fmt.Sprintf("%s %s has the wrong form; %s", where, show(node), patternHint(leaf.InstanceLocation, schemaString(sub, "pattern")))}}
	case "minItems":
		return []problem{{node, fmt.Sprintf("%s needs at least %s entries; %s", where, schemaString(sub, "minItems"), leaf.Message)}}
	case "minLength":
		return []problem{{node, fmt.Sprintf("%s must not be empty", where)}}
	case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum":
		return []problem{{node, fmt.Sprintf("%s %s: %s", where, show(node), leaf.Message)}}
	case "uniqueItems":
		// "items at index 0 and 2 are equal": report at the repeat.
		at := node
		if m := equalItemsRE.FindStringSubmatch(leaf.Message); m != nil {
			at = yamlx.Lookup(doc, leaf.InstanceLocation+"/"+m[2])
			return []problem{{at, fmt.Sprintf("%s[%s] repeats %s[%s]; remove the repeat", where, m[2], where, m[1])}}
		}
		return []problem{{at, fmt.Sprintf("%s lists the same value twice (%s); remove the repeat", where, leaf.Message)}}
	}
	return []problem{{node, fmt.Sprintf("%s: %s", orDocument(where), leaf.Message)}}
}

// fieldName renders a JSON pointer as a path a writer recognises:
// /options/2/text becomes options[2].text.
func fieldName(ptr string) string {
	if ptr == "" {
		return ""
	}
	var b strings.Builder
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		if _, err := strconv.Atoi(tok); err == nil {
			b.WriteString("[" + tok + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(tok)
	}
	return b.String()
}

func orDocument(where string) string {
	if where == "" {
		return "the document"
	}
	return where
}

func jsonKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	switch n.ShortTag() {
	case "!!int", "!!float":
		return "a number"
	case "!!bool":
		return "a boolean"
	case "!!null":
		return "empty"
	}
	return "a string"
}

func article(t string) string {
	switch t {
	case "object":
		return "a mapping"
	case "array":
		return "a list"
	case "integer":
		return "an integer"
	case "":
		return "of another type"
	}
	return "a " + t
}

func show(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode {
		v := n.Value
		if len(v) > 60 {
			v = v[:57] + "..."
		}
		return strconv.Quote(v)
	}
	return "(" + yamlx.KindName(n) + ")"
}

// patternHint explains a pattern in words for the fields writers touch.
func patternHint(ptr, pattern string) string {
	switch {
	case ptr == "/id" || strings.HasPrefix(ptr, "/enemies/") || strings.HasSuffix(ptr, "/id") && strings.Contains(pattern, "A-Z"):
		if strings.Contains(pattern, "(-[A-Z0-9]+)+") {
			return "an id is an upper-case prefix and a dash-separated number, such as SEC-0042"
		}
	case strings.HasPrefix(ptr, "/tags/"):
		return "tags are kebab-case: lower-case words joined by '-'"
	case ptr == "/domain" || strings.HasSuffix(ptr, "/id"):
		return "ids are kebab-case: lower-case words joined by '-'"
	}
	return "it must match " + pattern
}

// sources holds each schema's JSON parsed once, so messages can name the
// allowed values and properties of the subschema that failed.
var sources = map[Kind]func() map[string]any{
	Item:  sync.OnceValue(func() map[string]any { return parseSource(Item) }),
	Exam:  sync.OnceValue(func() map[string]any { return parseSource(Exam) }),
	Form:  sync.OnceValue(func() map[string]any { return parseSource(Form) }),
	Stats: sync.OnceValue(func() map[string]any { return parseSource(Stats) }),
}

func parseSource(k Kind) map[string]any {
	src, err := schema.Source(string(k))
	if err != nil {
		return nil
	}
	var m map[string]any
	if json.Unmarshal(src, &m) != nil {
		return nil
	}
	return m
}

// subschema returns the schema object that holds the failing keyword.
func subschema(kind Kind, keywordLocation string) map[string]any {
	cur := sources[kind]()
	toks := strings.Split(strings.TrimPrefix(keywordLocation, "/"), "/")
	for _, tok := range toks[:max(len(toks)-1, 0)] {
		switch c := any(cur).(type) {
		case map[string]any:
			next, ok := c[tok].(map[string]any)
			if !ok {
				return nil
			}
			cur = next
		default:
			return nil
		}
	}
	return cur
}

func schemaString(sub map[string]any, key string) string {
	if sub == nil {
		return ""
	}
	return fmt.Sprint(sub[key])
}

func allowedProperties(sub map[string]any) []string {
	props, _ := sub["properties"].(map[string]any)
	var names []string
	for k := range props {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

func enumValues(sub map[string]any) string {
	vals, _ := sub["enum"].([]any)
	s := make([]string, len(vals))
	for i, v := range vals {
		s[i] = fmt.Sprint(v)
	}
	return strings.Join(s, ", ")
}

// closest returns the allowed name within edit distance 2 of name, if any.
func closest(name string, allowed []string) string {
	// At most two edits, and no more than half the name's length: "stme"
	// is a misspelling of "stem", but a one-letter key such as "x" is not
	// one of "id".
	lower := strings.ToLower(name)
	best, bestD := "", 3
	for _, a := range allowed {
		if d := editDistance(lower, a); d < bestD && 2*d <= len(lower) {
			best, bestD = a, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
