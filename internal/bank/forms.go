package bank

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/qbank/qbank/internal/finding"
	"github.com/qbank/qbank/internal/rules"
	"github.com/qbank/qbank/internal/schemacheck"
	"github.com/qbank/qbank/internal/yamlx"
	"gopkg.in/yaml.v3"
)

// loadForms reads forms/*.yaml. Schema-invalid forms become findings.
func loadForms(dir string, opts Options) ([]*Form, []finding.Finding) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, []finding.Finding{{File: dir, Line: 1, Column: 1, Rule: rules.YAML.ID, Severity: rules.YAML.Severity, Message: "cannot read: " + unwrapPathError(err)}}
	}
	var forms []*Form
	var findings []finding.Finding
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".yaml") {
			continue
		}
		path := filepath.Join(dir, e.Name())
		if f, ok := linkOutside(dir, path, e); ok {
			findings = append(findings, f)
			continue
		}
		f, fs := LoadForm(path, opts.MaxFileSize)
		findings = append(findings, fs...)
		if f != nil {
			forms = append(forms, f)
		}
	}
	sort.SliceStable(forms, func(i, j int) bool { return forms[i].Form < forms[j].Form })
	return forms, findings
}

// LoadForm reads and validates one form file (maxSize 0 means
// DefaultMaxFileSize). The form is nil when the file has findings.
func LoadForm(path string, maxSize int64) (*Form, []finding.Finding) {
	if maxSize <= 0 {
		maxSize = DefaultMaxFileSize
	}
	data, rerr := readLimited(path, maxSize)
	if rerr != nil {
		return nil, []finding.Finding{rerr.finding(path)}
	}
	return ParseForm(data, path)
}

// ParseForm parses and validates a form held in memory; path names it in
// findings.
func ParseForm(data []byte, path string) (*Form, []finding.Finding) {
	doc, err := yamlx.Parse(data)
	if err != nil {
		return nil, yamlFindings(path, "", err)
	}
	v, sfs := schemacheck.ValidateValue(schemacheck.Form, doc, path, "")
	if len(sfs) > 0 {
		return nil, sfs
	}
	return decodeForm(v, doc, path), nil
}

func decodeForm(v any, doc *yaml.Node, path string) *Form {
	m, _ := v.(map[string]any)
	f := &Form{
		Form:    str(m["form"]),
		Version: integer(m["version"]),
		Exam:    str(m["exam"]),
		Spec:    str(m["spec"]),
		File:    path,
	}
	if s, ok := m["seed"].(int64); ok {
		f.Seed, f.HasSeed = s, true
	}
	f.Pos = FormPos{
		Root:    pos(yamlx.Lookup(doc, "")),
		Form:    pos(yamlx.Lookup(doc, "/form")),
		Version: pos(yamlx.Lookup(doc, "/version")),
		Exam:    pos(yamlx.Lookup(doc, "/exam")),
		Spec:    pos(yamlx.Lookup(doc, "/spec")),
		Items:   pos(yamlx.Lookup(doc, "/items")),
	}
	items, _ := m["items"].([]any)
	for i, e := range items {
		em, _ := e.(map[string]any)
		base := fmt.Sprintf("/items/%d", i)
		f.Items = append(f.Items, FormEntry{
			ID:          str(em["id"]),
			Revision:    integer(em["revision"]),
			Role:        str(em["role"]),
			Pos:         pos(yamlx.Lookup(doc, base)),
			IDPos:       pos(yamlx.Lookup(doc, base+"/id")),
			RevisionPos: pos(yamlx.Lookup(doc, base+"/revision")),
			RolePos:     pos(yamlx.Lookup(doc, base+"/role")),
		})
	}
	return f
}

// loadStats reads stats.yaml when it exists.
func loadStats(path string, opts Options) (Stats, []finding.Finding) {
	st := Stats{File: path, Items: map[string]ItemStats{}}
	if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
		return st, nil
	}
	data, rerr := readLimited(path, 64*opts.MaxFileSize)
	if rerr != nil {
		return st, []finding.Finding{rerr.finding(path)}
	}
	doc, err := yamlx.Parse(data)
	if err != nil {
		return st, yamlFindings(path, "", err)
	}
	v, sfs := schemacheck.ValidateValue(schemacheck.Stats, doc, path, "")
	if len(sfs) > 0 {
		return st, sfs
	}
	m, _ := v.(map[string]any)
	if c, ok := m["calibration"].(map[string]any); ok {
		st.Calibration = &Calibration{
			Model:     str(c["model"]),
			Method:    str(c["method"]),
			Anchored:  integer(c["anchored"]),
			Attempts:  integer(c["attempts"]),
			Computed:  str(c["computed"]),
			Simulated: c["simulated"] == true,
		}
	}
	items, _ := m["items"].(map[string]any)
	for id, e := range items {
		st.Items[id] = itemStats(e, pos(yamlx.Lookup(doc, "/items/"+id)))
	}
	return st, nil
}

// itemStats decodes one schema-valid entry of stats.yaml's items.
func itemStats(e any, at finding.Pos) ItemStats {
	em, _ := e.(map[string]any)
	s := ItemStats{
		Revision:  integer(em["revision"]),
		Responses: integer(em["responses"]),
		PValue:    number(em["p_value"]),
		Omitted:   number(em["omitted"]),
		Simulated: em["simulated"] == true,
		Pos:       at,
	}
	if pb, ok := em["point_biserial"]; ok {
		s.PointBiserial, s.HasBiserial = number(pb), true
	}
	if opts, ok := em["options"].(map[string]any); ok {
		s.Options = make(map[string]float64, len(opts))
		for letter, share := range opts {
			s.Options[letter] = number(share)
		}
	}
	if r, ok := em["rasch"].(map[string]any); ok {
		_, hasIn := r["infit"]
		_, hasOut := r["outfit"]
		s.Rasch = &RaschStats{
			B: number(r["b"]), SE: number(r["se"]),
			Infit: number(r["infit"]), Outfit: number(r["outfit"]),
			HasFit:   hasIn && hasOut,
			Anchored: r["anchored"] == true,
		}
	}
	if flags, ok := em["flags"].([]any); ok {
		for _, f := range flags {
			s.Flags = append(s.Flags, str(f))
		}
	}
	return s
}

func number(v any) float64 {
	switch n := v.(type) {
	case int64:
		return float64(n)
	case float64:
		return n
	}
	return 0
}
