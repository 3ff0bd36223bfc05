package yamlx

import (
	"math"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

const (
	// maxDepth bounds nesting, so a hostile file cannot exhaust the stack.
	maxDepth = 200
	// DefaultMaxNodes bounds how many nodes a document may expand to once
	// aliases are resolved; a "billion laughs" file stops here.
	DefaultMaxNodes = 100000
)

// ToValue converts a node into the values encoding/json would produce
// (map[string]any, []any, string, float64/int64, bool, nil), expanding
// aliases but never to more than maxNodes nodes in all.
func ToValue(n *yaml.Node, maxNodes int) (any, error) {
	c := converter{budget: maxNodes, max: maxNodes}
	return c.value(n, 0)
}

type converter struct {
	budget, max int
	aliased     bool // an alias has been expanded
}

func (c *converter) value(n *yaml.Node, depth int) (any, error) {
	c.budget--
	if c.budget < 0 {
		if !c.aliased {
			return nil, errorAt(n.Line, n.Column, "the document has more than %d values; an item file is far smaller", c.max)
		}
		return nil, errorAt(n.Line, n.Column, "excessive aliasing: the document expands to too many nodes; remove the anchors and aliases")
	}
	if depth > maxDepth {
		return nil, errorAt(n.Line, n.Column, "nesting deeper than %d levels", maxDepth)
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return c.value(n.Content[0], depth+1)
	case yaml.AliasNode:
		if n.Alias == nil {
			return nil, errorAt(n.Line, n.Column, "unknown alias %q", n.Value)
		}
		c.aliased = true
		return c.value(n.Alias, depth+1)
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind == yaml.AliasNode && k.Alias != nil {
				k = k.Alias
			}
			if k.Kind != yaml.ScalarNode {
				return nil, errorAt(k.Line, k.Column, "a mapping key must be a plain value, not a %s", kindName(k.Kind))
			}
			v, err := c.value(n.Content[i+1], depth+1)
			if err != nil {
				return nil, err
			}
			m[k.Value] = v
		}
		return m, nil
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for _, e := range n.Content {
			v, err := c.value(e, depth+1)
			if err != nil {
				return nil, err
			}
			s = append(s, v)
		}
		return s, nil
	case yaml.ScalarNode:
		return scalar(n)
	}
	return nil, errorAt(n.Line, n.Column, "unsupported YAML node")
}

func scalar(n *yaml.Node) (any, error) {
	switch n.ShortTag() {
	case "!!str", "!!binary", "!!merge":
		return n.Value, nil
	case "!!null":
		return nil, nil
	case "!!bool":
		if b, ok := Bool(n.Value); ok {
			return b, nil
		}
		var b bool
		if err := n.Decode(&b); err != nil {
			return nil, errorAt(n.Line, n.Column, "%s", strings.TrimPrefix(err.Error(), "yaml: "))
		}
		return b, nil
	case "!!int":
		if i, ok := Decimal(n.Value); ok {
			return i, nil
		}
		var i int64
		if err := n.Decode(&i); err == nil {
			return i, nil
		}
		f, err := strconv.ParseFloat(n.Value, 64)
		if err != nil {
			return n.Value, nil
		}
		return f, nil
	case "!!float":
		var f float64
		if err := n.Decode(&f); err != nil {
			return nil, errorAt(n.Line, n.Column, "%s", strings.TrimPrefix(err.Error(), "yaml: "))
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			// No field of a qbank file can be infinite or not a number, and
			// a schema validator cannot compare one with a bound.
			return nil, errorAt(n.Line, n.Column, "%s is not a finite number; write a number such as 0.5", n.Value)
		}
		return f, nil
	case "!!timestamp":
		var t time.Time
		if err := n.Decode(&t); err == nil {
			return n.Value, nil
		}
		return n.Value, nil
	}
	// Unknown local tags: keep the text.
	return n.Value, nil
}

// Bool reads the spellings of a plain scalar that yaml.v3 resolves to
// !!bool; ok is false for any other text.
func Bool(s string) (value, ok bool) {
	switch s {
	case "true", "True", "TRUE":
		return true, true
	case "false", "False", "FALSE":
		return false, true
	}
	return false, false
}

// Decimal parses a plain decimal integer of at most 18 digits without a
// sign or a leading zero (what yaml.v3 resolves to !!int and reads the
// same way), and refuses the rest: octal, hexadecimal, binary,
// underscores and signs are left to yaml.v3.
func Decimal(s string) (int64, bool) {
	if len(s) == 0 || len(s) > 18 || (s[0] == '0' && len(s) > 1) {
		return 0, false
	}
	var v int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	return v, true
}

func kindName(k yaml.Kind) string {
	switch k {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "sequence"
	case yaml.AliasNode:
		return "alias"
	case yaml.DocumentNode:
		return "document"
	}
	return "scalar"
}

// KindName names a node's kind as a writer would ("mapping", "sequence",
// "scalar"...).
func KindName(n *yaml.Node) string { return kindName(n.Kind) }
