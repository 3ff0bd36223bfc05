// Package author creates new item files for content writers (qbank new):
// it allocates the next free id of a domain's prefix, renders a draft
// template with every field of FORMAT.md, and creates the file atomically
// without ever replacing an existing one.
//
// Ids are never reused. The allocator treats an id as taken when it
// appears anywhere in the bank: as the id of a loaded item (retired ones
// included) or of a schema-invalid file, as the name of any file under
// items/ (whatever its extension; a directory is not a file, whatever its
// name, as for lint), as the id line of a file that does not
// parse, as an enemy, on a form or in stats.yaml. The new number is one
// more than the highest number taken for the prefix, zero-padded to four
// digits (CC-0001); numbers are never filled in from gaps, because a gap
// is usually an id that was used and deleted.
//
// The template's modeline, "# yaml-language-server:
// $schema=../../../schema/item.schema.json", is the path from
// <bank>/items/<domain>/ to the repository's schema/ folder: it assumes the
// bank sits beside schema/, as bank/ does in the qbank repository. Editors
// with the YAML language server then validate and complete the item.
package author

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/qbank/qbank/internal/atomicfile"
	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/blueprint"
	"github.com/qbank/qbank/internal/itemfmt"
	"gopkg.in/yaml.v3"
)

// Modeline is the first line of every new item: it points editors at the
// item schema, relative to items/<domain>/ of a bank that sits beside the
// repository's schema/ folder.
const Modeline = "# yaml-language-server: $schema=../../../schema/item.schema.json"

// Request says what item to create.
type Request struct {
	Domain string
	Task   string
	// Type is bank.TypeSingle (the default when empty) or bank.TypeMultiple.
	Type string
	// Author fills the author field (may be empty).
	Author string
}

// Check validates the request against the blueprint and returns the
// domain. Its errors say what the valid values are.
func (r *Request) Check(exam *blueprint.Exam) (*blueprint.Domain, error) {
	if r.Type == "" {
		r.Type = bank.TypeSingle
	}
	d := exam.Domain(r.Domain)
	if d == nil {
		ids := make([]string, len(exam.Domains))
		for i, d := range exam.Domains {
			ids[i] = d.ID
		}
		return nil, fmt.Errorf("unknown domain %q; use one of: %s", r.Domain, strings.Join(ids, ", "))
	}
	if !d.HasTask(r.Task) {
		ids := make([]string, len(d.Tasks))
		for i, t := range d.Tasks {
			ids[i] = t.ID
		}
		return nil, fmt.Errorf("task %q is not a task of domain %s; use one of: %s", r.Task, d.ID, strings.Join(ids, ", "))
	}
	if r.Type != bank.TypeSingle && r.Type != bank.TypeMultiple {
		return nil, fmt.Errorf("unknown type %q; use single or multiple", r.Type)
	}
	return d, nil
}

// Create allocates the next free id of the request's domain in the loaded
// bank b, writes the template to <b.Dir>/items/<domain>/<id>.yaml and
// returns the path. When another writer takes the same id at the same
// moment, Create moves on to the next number; it never replaces a file.
func Create(ctx context.Context, b *bank.Bank, req Request) (string, error) {
	d, err := req.Check(b.Exam)
	if err != nil {
		return "", err
	}
	itemsDir := filepath.Join(b.Dir, "items")
	used, err := UsedIDs(b, itemsDir)
	if err != nil {
		return "", err
	}
	dir := filepath.Join(itemsDir, d.ID)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	keys := keyPositions(b, req.Type, optionCount(b.Exam, req.Type), keyCount(req.Type))
	for range 1000 {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		id := NextID(d.IDPrefix(), used)
		data, err := Template(req, id, optionCount(b.Exam, req.Type), keys)
		if err != nil {
			return "", err
		}
		path := filepath.Join(dir, id+".yaml")
		err = atomicfile.Create(path, data, 0o644)
		if errors.Is(err, fs.ErrExist) {
			used[id] = true // taken since the bank was read
			continue
		}
		if err != nil {
			return "", err
		}
		return path, nil
	}
	return "", fmt.Errorf("no free id found for prefix %s", d.IDPrefix())
}

// idLineRE finds the id of a file that does not parse as YAML.
var idLineRE = regexp.MustCompile(`(?m)^\s*["']?id["']?\s*:\s*["']?([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+)`)

// UsedIDs returns every id the bank uses or has used: item ids (valid and
// schema-invalid), the names of all files under itemsDir, the id lines of
// files that did not load, enemies, form entries and stats.yaml entries.
func UsedIDs(b *bank.Bank, itemsDir string) (map[string]bool, error) {
	used := map[string]bool{}
	loaded := map[string]bool{}
	for _, list := range [][]*bank.Item{b.Items, b.Broken} {
		for _, it := range list {
			used[it.ID] = true
			loaded[filepath.Clean(it.File)] = true
			for _, e := range it.Enemies {
				used[e] = true
			}
		}
	}
	for _, f := range b.Forms {
		for _, e := range f.Items {
			used[e.ID] = true
		}
	}
	for id := range b.Stats.Items {
		used[id] = true
	}
	err := filepath.WalkDir(itemsDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == itemsDir && errors.Is(err, fs.ErrNotExist) {
				return filepath.SkipDir
			}
			return err
		}
		if d.IsDir() {
			// A directory is never an item file, whatever its name
			// (lint walks into it and loads none under its name).
			return nil
		}
		name, _, _ := strings.Cut(d.Name(), ".")
		if bank.ValidID(name) {
			used[name] = true
		}
		if d.Type().IsRegular() && !loaded[filepath.Clean(path)] {
			data, err := itemfmt.ReadFile(path, bank.DefaultMaxFileSize)
			if err == nil {
				for _, m := range idLineRE.FindAllSubmatch(data, -1) {
					used[string(m[1])] = true
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("cannot scan %s for used ids: %w", itemsDir, err)
	}
	return used, nil
}

// NextID returns prefix-NNNN with NNNN one more than the highest number
// used with prefix (ids of the form prefix-<digits>), zero-padded to four
// digits; prefix-0001 when none is used.
func NextID(prefix string, used map[string]bool) string {
	highest := 0
	for id := range used {
		rest, ok := strings.CutPrefix(id, prefix+"-")
		if !ok || rest == "" || strings.Trim(rest, "0123456789") != "" {
			continue
		}
		if n, err := strconv.Atoi(rest); err == nil && n > highest {
			highest = n
		}
	}
	for n := highest + 1; ; n++ {
		id := fmt.Sprintf("%s-%04d", prefix, n)
		if !used[id] {
			return id
		}
	}
}

func optionCount(exam *blueprint.Exam, typ string) int {
	if typ == bank.TypeMultiple {
		return max(exam.Options.MultipleMin, 5)
	}
	return max(exam.Options.Single, 2)
}

func keyCount(typ string) int {
	if typ == bank.TypeMultiple {
		return 2
	}
	return 1
}

// keyPositions picks where the template puts its keys: the positions that
// hold the fewest keys among the bank's items of the same type (ties go to
// the earlier letter), so that writers who keep the template's key
// position still spread keys evenly instead of piling them on A.
func keyPositions(b *bank.Bank, typ string, options, keys int) []int {
	count := make([]int, options)
	for _, it := range b.Items {
		if it.Type != typ || it.Status == bank.StatusRetired {
			continue
		}
		for _, k := range it.Keys() {
			if k < options {
				count[k]++
			}
		}
	}
	pos := make([]int, options)
	for i := range pos {
		pos[i] = i
	}
	sort.SliceStable(pos, func(i, j int) bool { return count[pos[i]] < count[pos[j]] })
	out := append([]int(nil), pos[:keys]...)
	sort.Ints(out)
	return out
}

type tmplItem struct {
	ID          string       `yaml:"id"`
	Revision    int          `yaml:"revision"`
	Status      string       `yaml:"status"`
	Domain      string       `yaml:"domain"`
	Task        string       `yaml:"task"`
	Type        string       `yaml:"type"`
	Difficulty  string       `yaml:"difficulty"`
	Stem        string       `yaml:"stem"`
	Options     []tmplOption `yaml:"options"`
	Explanation string       `yaml:"explanation"`
	References  []string     `yaml:"references"`
	Tags        []string     `yaml:"tags"`
	Enemies     []string     `yaml:"enemies"`
	Author      string       `yaml:"author"`
}

type tmplOption struct {
	Text    string `yaml:"text"`
	Correct bool   `yaml:"correct"`
	Why     string `yaml:"why"`
}

// Template renders the draft item id with options options, the keys at
// the given indexes. Every field of FORMAT.md is present, in order, with
// placeholders that start with TODO; the result is schema-valid, in fmt's
// canonical layout, and lints without findings as a draft (the stem
// placeholder names the id, so two fresh drafts are not near-duplicates).
func Template(req Request, id string, options int, keys []int) ([]byte, error) {
	stem := "TODO " + id + ": the scenario and question."
	if req.Type == bank.TypeMultiple {
		stem += " (Select " + numberWord(len(keys)) + ".)"
	}
	it := tmplItem{
		ID: id, Revision: 1, Status: bank.StatusDraft, Domain: req.Domain, Task: req.Task, Type: req.Type,
		Difficulty:  "medium",
		Stem:        stem + "\n",
		Explanation: "TODO the explanation shown after answering, with the facts that make the key right.\n",
		References:  []string{},
		Tags:        []string{},
		Enemies:     []string{},
		Author:      req.Author,
	}
	isKey := map[int]bool{}
	for _, k := range keys {
		isKey[k] = true
	}
	nk, nd := 0, 0
	for i := range options {
		o := tmplOption{Why: "TODO why this option is wrong."}
		if isKey[i] {
			nk++
			o.Correct, o.Text, o.Why = true, "TODO correct answer", "TODO why this option is correct."
			if len(keys) > 1 {
				o.Text += fmt.Sprintf(" %d", nk)
			}
		} else {
			nd++
			o.Text = fmt.Sprintf("TODO distractor %d", nd)
		}
		it.Options = append(it.Options, o)
	}
	data, err := yaml.Marshal(&it)
	if err != nil {
		return nil, err
	}
	return itemfmt.Format(append([]byte(Modeline+"\n"), data...))
}

func numberWord(n int) string {
	words := []string{"ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE"}
	if n < len(words) {
		return words[n]
	}
	return strconv.Itoa(n)
}
