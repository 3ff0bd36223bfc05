package schemacheck

import (
	"github.com/qbank/qbank/internal/yamlx"
	"gopkg.in/yaml.v3"
)

// The item schema's fast path. Almost every item file of a bank is valid,
// and the jsonschema library, which builds an error tree for every keyword
// it checks, costs about as much as parsing the YAML. ValidItemDocument
// checks the same constraints as schema/item.schema.json directly on the
// parsed tree and answers true only for a document the schema accepts;
// anything it is unsure of (a revision written as 0x2, an alias, a tag)
// gets false, and the document goes to the library, which also explains
// the failures with positions. TestItemDocumentFastPathAgreesWithSchema
// compares both on thousands of mutated items, and
// TestItemFastPathKnowsTheSchema fails when the schema changes so that
// this file is revisited.

func anyString(string) bool { return true }

func nonEmpty(s string) bool { return s != "" }

func oneOf(values ...string) func(string) bool {
	return func(s string) bool {
		for _, v := range values {
			if s == v {
				return true
			}
		}
		return false
	}
}

// itemID is the id property: upperID with at most 64 characters.
func itemID(s string) bool { return len(s) <= 64 && upperID(s) }

// upperID matches ^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$ (enemies have no length
// limit in the schema).
func upperID(s string) bool { return dashed(s, isUpperOrDigit, false, true) }

// kebab matches ^[a-z][a-z0-9]*(-[a-z0-9]+)*$.
func kebab(s string) bool { return dashed(s, isLowerOrDigit, false, false) }

// tag matches ^[a-z0-9]+(-[a-z0-9]+)*$.
func tag(s string) bool { return dashed(s, isLowerOrDigit, true, false) }

// dashed reports whether s is runs of allowed bytes separated by single
// dashes, neither starting nor ending with a dash, starting with a letter
// unless digitFirst, and with at least one dash when needDash.
func dashed(s string, allowed func(byte) bool, digitFirst, needDash bool) bool {
	if s == "" || !allowed(s[0]) || !digitFirst && s[0] >= '0' && s[0] <= '9' {
		return false
	}
	dash, prevDash := false, false
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == '-':
			if prevDash {
				return false
			}
			dash, prevDash = true, true
		case allowed(c):
			prevDash = false
		default:
			return false
		}
	}
	return !prevDash && (dash || !needDash)
}

func isUpperOrDigit(c byte) bool { return c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' }

func isLowerOrDigit(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }

// ValidItemDocument reports whether doc, an item file's parsed document,
// certainly satisfies the item schema, reading the YAML tree directly:
// the constraints of schema/item.schema.json, without building the
// JSON-like value first (issue 13). Scalars count only with the tags yaml.v3 gives
// plain text, decimal integers and booleans; aliases, other tags,
// repeated keys and anything unusual get false, and the document goes the
// long way (ValidateValue), which also explains failures.
func ValidItemDocument(doc *yaml.Node) bool {
	if doc == nil || doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return false
	}
	m := doc.Content[0]
	required := 0
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if !isStr(k, anyString) || repeatsKey(m, i) {
			return false
		}
		var ok bool
		switch k.Value {
		case "id":
			ok = isStr(v, itemID)
		case "revision":
			ok = isPositiveDecimal(v)
		case "status":
			ok = isStr(v, oneOf("draft", "review", "pretest", "operational", "retired"))
		case "domain":
			ok = isStr(v, kebab)
		case "task", "stem":
			ok = isStr(v, nonEmpty)
		case "type":
			ok = isStr(v, oneOf("single", "multiple"))
		case "options":
			ok = validOptionNodes(v)
		case "difficulty":
			ok = isStr(v, oneOf("easy", "medium", "hard"))
			required--
		case "explanation", "author":
			ok = isStr(v, anyString)
			required--
		case "references":
			ok = uniqueStrNodes(v, nonEmpty)
			required--
		case "tags":
			ok = uniqueStrNodes(v, tag)
			required--
		case "enemies":
			ok = uniqueStrNodes(v, upperID)
			required--
		}
		if !ok {
			return false
		}
		required++
	}
	return required == 8
}

// repeatsKey reports whether the key at m.Content[i] is also an earlier
// key of m (yamlx.Parse refuses such files; other callers may not).
func repeatsKey(m *yaml.Node, i int) bool {
	for j := 0; j < i; j += 2 {
		if m.Content[j].Value == m.Content[i].Value {
			return true
		}
	}
	return false
}

func validOptionNodes(n *yaml.Node) bool {
	if n.Kind != yaml.SequenceNode || len(n.Content) < 2 || len(n.Content) > 26 {
		return false
	}
	for _, o := range n.Content {
		if o.Kind != yaml.MappingNode {
			return false
		}
		var text, correct, why bool
		for i := 0; i+1 < len(o.Content); i += 2 {
			k, v := o.Content[i], o.Content[i+1]
			if !isStr(k, anyString) {
				return false
			}
			var ok bool
			switch k.Value {
			case "text":
				ok, text = !text && isStr(v, nonEmpty), true
			case "correct":
				ok, correct = !correct && isBool(v), true
			case "why":
				ok, why = !why && isStr(v, nonEmpty), true
			}
			if !ok {
				return false
			}
		}
		if !text {
			return false
		}
	}
	return true
}

// isStr reports whether n is a scalar that yaml.v3 resolved to a string,
// and valid.
func isStr(n *yaml.Node, valid func(string) bool) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!str" && valid(n.Value)
}

// isBool reports whether n is a boolean in one of yaml.v3's spellings.
func isBool(n *yaml.Node) bool {
	_, ok := yamlx.Bool(n.Value)
	return ok && n.Kind == yaml.ScalarNode && n.Tag == "!!bool"
}

// isPositiveDecimal reports whether n is an integer of at least 1 written
// in plain decimal (no sign, leading zero, underscore or base prefix).
func isPositiveDecimal(n *yaml.Node) bool {
	v, ok := yamlx.Decimal(n.Value)
	return ok && v >= 1 && n.Kind == yaml.ScalarNode && n.Tag == "!!int"
}

// uniqueStrNodes reports whether n is a sequence of distinct valid
// strings.
func uniqueStrNodes(n *yaml.Node, valid func(string) bool) bool {
	if n.Kind != yaml.SequenceNode {
		return false
	}
	for i, e := range n.Content {
		if !isStr(e, valid) {
			return false
		}
		for _, f := range n.Content[:i] {
			if f.Value == e.Value {
				return false
			}
		}
	}
	return true
}
