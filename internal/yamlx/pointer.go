package yamlx

import (
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Lookup follows a JSON pointer ("/options/2/text") from n and returns the
// node it names, or the deepest node reached on the way when the pointer
// leads nowhere. Aliases are followed.
func Lookup(n *yaml.Node, pointer string) *yaml.Node {
	n = Resolve(n)
	if pointer == "" || pointer == "/" {
		return n
	}
	for _, tok := range strings.Split(strings.TrimPrefix(pointer, "/"), "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		next := child(n, tok)
		if next == nil {
			return n
		}
		n = Resolve(next)
	}
	return n
}

// KeyNode returns the key node of key in mapping m, or nil.
func KeyNode(m *yaml.Node, key string) *yaml.Node {
	m = Resolve(m)
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i]
		}
	}
	return nil
}

// Value returns the value node of key in mapping m, or nil.
func Value(m *yaml.Node, key string) *yaml.Node {
	m = Resolve(m)
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return Resolve(m.Content[i+1])
		}
	}
	return nil
}

func child(n *yaml.Node, tok string) *yaml.Node {
	switch n.Kind {
	case yaml.MappingNode:
		return Value(n, tok)
	case yaml.SequenceNode:
		i, err := strconv.Atoi(tok)
		if err != nil || i < 0 || i >= len(n.Content) {
			return nil
		}
		return n.Content[i]
	}
	return nil
}

// Resolve follows a document node to its content and an alias to its
// anchor (bounded, so a hostile chain cannot loop), returning the node that
// holds the value.
func Resolve(n *yaml.Node) *yaml.Node {
	for depth := 0; n != nil && depth < maxDepth; depth++ {
		switch {
		case n.Kind == yaml.DocumentNode && len(n.Content) > 0:
			n = n.Content[0]
		case n.Kind == yaml.AliasNode && n.Alias != nil:
			n = n.Alias
		default:
			return n
		}
	}
	return n
}
