package bank

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/qbank/qbank/internal/blueprint"
	"github.com/qbank/qbank/internal/finding"
	"github.com/qbank/qbank/internal/rules"
	"github.com/qbank/qbank/internal/schemacheck"
	"github.com/qbank/qbank/internal/yamlx"
	"gopkg.in/yaml.v3"
)

// DefaultMaxFileSize bounds the size of one bank file. Real items are a few
// kilobytes; anything this large is a mistake (or an attack) and becomes a
// finding instead of being read into memory.
const DefaultMaxFileSize = 1 << 20

// DefaultWorkersPerCPU is how many files are loaded at once per CPU. A
// worker spends a good part of each file waiting in open and read system
// calls, during which Go does not hand its CPU to another goroutine at
// once; with one worker per CPU the cores were idle a third of a
// 100,000-item load (3.6 s wall against 2.1-2.4 s with four per CPU,
// issue 13).
const DefaultWorkersPerCPU = 4

// Options tune Load.
type Options struct {
	// Visit, when set, is called for every item file while its YAML tree is
	// in hand, concurrently from several goroutines. The findings it
	// returns are added to the result. The tree is dropped afterwards, so
	// per-file checks that need positions belong here.
	Visit func(f *File) []finding.Finding
	// MaxFileSize bounds one file's size in bytes (DefaultMaxFileSize when 0).
	MaxFileSize int64
	// Workers bounds concurrent file loads (DefaultWorkersPerCPU per CPU
	// when 0).
	Workers int
	// KeepTrees keeps each item file's tree (File.Doc) and content
	// (File.Data) valid after Visit returns. By default the loader reads
	// the next file into the same buffer and builds its tree in the same
	// memory (a yamlx.Arena per worker), so Visit must keep no node and
	// no slice of Data.
	KeepTrees bool
}

// File is one item file as the loader saw it, handed to Options.Visit.
type File struct {
	// Path is the file path as reached from the bank directory argument.
	Path string
	// Data is the file's content. Its memory is reused once Visit returns
	// (unless Options.KeepTrees).
	Data []byte
	// Doc is the parsed document; nil when the file is not valid YAML.
	// Its nodes are reused once Visit returns (unless Options.KeepTrees).
	Doc *yaml.Node
	// Item is the decoded item; nil when the file failed to parse or the
	// schema (Valid tells which).
	Item *Item
	// Valid reports that the file parsed and passed the schema.
	Valid bool
	// Exam is the bank's blueprint.
	Exam *blueprint.Exam
}

// BlueprintError means the bank's exam.yaml is missing or invalid, so no
// command can run on the bank. Its findings say why.
type BlueprintError struct {
	Path     string
	Findings []finding.Finding
}

func (e *BlueprintError) Error() string {
	if len(e.Findings) == 0 {
		return fmt.Sprintf("%s: invalid exam blueprint", e.Path)
	}
	if len(e.Findings) == 1 {
		return fmt.Sprintf("%s: invalid exam blueprint (1 problem)", e.Path)
	}
	if len(e.Findings) == 1 {
		return fmt.Sprintf("%s: invalid exam blueprint (1 problem)", e.Path)
	}
	return fmt.Sprintf("%s: invalid exam blueprint (%d problems)", e.Path, len(e.Findings))
}

// Load loads the bank in dir. The findings report every file problem
// (rules yaml and schema); err is set only when the bank cannot be used at
// all: dir unreadable, or exam.yaml missing or invalid (a *BlueprintError,
// whose findings are also returned).
func Load(ctx context.Context, dir string, opts Options) (*Bank, []finding.Finding, error) {
	if opts.MaxFileSize <= 0 {
		opts.MaxFileSize = DefaultMaxFileSize
	}
	if opts.Workers <= 0 {
		opts.Workers = DefaultWorkersPerCPU * runtime.GOMAXPROCS(0)
	}
	st, err := os.Stat(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read bank: %w", err)
	}
	if !st.IsDir() {
		return nil, nil, fmt.Errorf("cannot read bank: %s is not a directory", dir)
	}
	examPath := filepath.Join(dir, "exam.yaml")
	walk := startWalk(ctx, filepath.Join(dir, "items"))
	data, ferr := readLimited(examPath, opts.MaxFileSize)
	if ferr != nil {
		walk.abandon()
		if errors.Is(ferr.err, fs.ErrNotExist) {
			return nil, nil, fmt.Errorf("%s: no exam blueprint; a bank directory holds exam.yaml (is %s a bank?)", examPath, dir)
		}
		f := ferr.finding(examPath)
		return nil, []finding.Finding{f}, &BlueprintError{Path: examPath, Findings: []finding.Finding{f}}
	}
	exam, efs, _ := blueprint.Parse(data, examPath)
	if exam == nil {
		walk.abandon()
		return nil, efs, &BlueprintError{Path: examPath, Findings: efs}
	}
	b := &Bank{Dir: dir, Exam: exam}
	var findings []finding.Finding

	results, walkFindings := walk.load(exam, opts)
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	findings = append(findings, walkFindings...)
	b.Files = len(results)
	for _, r := range results {
		findings = append(findings, r.findings...)
		switch {
		case r.item != nil && r.valid:
			b.Items = append(b.Items, r.item)
		case r.item != nil:
			b.Broken = append(b.Broken, r.item)
		}
	}
	sort.SliceStable(b.Items, func(i, j int) bool { return b.Items[i].ID < b.Items[j].ID })
	sort.SliceStable(b.Broken, func(i, j int) bool { return b.Broken[i].ID < b.Broken[j].ID })

	forms, ffs := loadForms(filepath.Join(dir, "forms"), opts)
	b.Forms = forms
	findings = append(findings, ffs...)
	stats, sfs := loadStats(filepath.Join(dir, "stats.yaml"), opts)
	b.Stats = stats
	findings = append(findings, sfs...)
	return b, findings, nil
}

type fileResult struct {
	item     *Item
	valid    bool
	findings []finding.Finding
}

// Files go from the walk to the loading workers in batches of this many:
// one channel operation per file cost more than reading a small file.
const walkBatchSize = 32

// maxQueuedBatches bounds how far the walk runs ahead of the workers
// (131,072 files). It is large on purpose: the walk is one goroutine
// among the workers, and with room for two batches a worker it waited
// for room, went to the back of the run queue, and the workers then ran
// out of files: on 10,000 items (2 CPUs) they found the queue empty 35 to
// 65 times a load, against 0 to 12 with this bound (issue 13). Paths are
// small; the queue costs 96 KiB.
const maxQueuedBatches = 4096

// itemJob is one item file to load and the place for its result.
type itemJob struct {
	path itemPath
	res  *fileResult
}

// itemWalk lists the item files under a bank's items directory in a
// goroutine of its own, started before the blueprint is parsed, so that
// the listing overlaps it and the workers find files waiting.
type itemWalk struct {
	batches chan []itemJob
	cancel  context.CancelFunc
	done    chan struct{}
	// results and findings are the walk's, in walk (lexical) order;
	// read them only after done is closed.
	results  []*fileResult
	findings []finding.Finding
}

// startWalk starts listing the item files under root.
func startWalk(ctx context.Context, root string) *itemWalk {
	ctx, cancel := context.WithCancel(ctx)
	w := &itemWalk{batches: make(chan []itemJob, maxQueuedBatches), cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(w.done)
		defer close(w.batches)
		batch := make([]itemJob, 0, walkBatchSize)
		send := func() bool {
			select {
			case w.batches <- batch:
				batch = make([]itemJob, 0, walkBatchSize)
				return true
			case <-ctx.Done():
				return false
			}
		}
		w.findings = walkItems(root, func(p itemPath) bool {
			if ctx.Err() != nil {
				return false
			}
			r := &fileResult{}
			w.results = append(w.results, r)
			batch = append(batch, itemJob{p, r})
			return len(batch) < walkBatchSize || send()
		})
		if len(batch) > 0 {
			send()
		}
	}()
	return w
}

// abandon stops the walk and waits for it, for a bank whose blueprint
// is unusable.
func (w *itemWalk) abandon() {
	w.cancel()
	<-w.done
}

// load loads the files the walk lists as soon as it lists them, with
// opts.Workers workers. The results are in walk order, whatever the
// scheduling.
func (w *itemWalk) load(exam *blueprint.Exam, opts Options) ([]*fileResult, []finding.Finding) {
	defer w.cancel()
	var wg sync.WaitGroup
	for range opts.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var l itemLoader
			if !opts.KeepTrees {
				l.arena = new(yamlx.Arena)
			}
			for batch := range w.batches {
				for _, j := range batch {
					*j.res = l.load(j.path, exam, opts)
				}
			}
		}()
	}
	wg.Wait()
	<-w.done
	return w.results, w.findings
}

// itemPath is an item file found by the walk; regular says that the
// directory entry is a regular file (not a symbolic link or a special
// file), so it can be opened without a stat first.
type itemPath struct {
	path    string
	regular bool
}

// walkItems hands emit the *.yaml files under root in lexical order, as it
// finds them; the walk stops when emit returns false. Directory symlinks
// below root are not followed, so a symlink loop cannot trap the walk;
// root itself may be a symlink to a directory. A missing root is an empty
// bank; a root that is not a directory is a finding.
func walkItems(root string, emit func(itemPath) bool) []finding.Finding {
	var fs []finding.Finding
	walkRoot := root
	switch st, err := os.Stat(root); {
	case errors.Is(err, os.ErrNotExist):
		if _, lerr := os.Lstat(root); lerr != nil {
			return nil
		}
		return []finding.Finding{{File: root, Line: 1, Column: 1, Rule: rules.YAML.ID, Severity: rules.YAML.Severity, Message: "cannot read: items is a symbolic link to nothing"}}
	case err != nil:
		return []finding.Finding{{File: root, Line: 1, Column: 1, Rule: rules.YAML.ID, Severity: rules.YAML.Severity, Message: "cannot read: " + unwrapPathError(err)}}
	case !st.IsDir():
		return []finding.Finding{{File: root, Line: 1, Column: 1, Rule: rules.YAML.ID, Severity: rules.YAML.Severity, Message: "items is not a directory; item files live in items/<domain-id>/<ID>.yaml"}}
	default:
		if lst, err := os.Lstat(root); err == nil && lst.Mode()&os.ModeSymlink != 0 {
			walkRoot = root + string(filepath.Separator) // walk the directory it names
		}
	}
	// Item files may be symbolic links, but only to files inside items/:
	// a link out of the bank would let a pull request make CI print parts
	// of files of the machine it runs on in its findings.
	err := filepath.WalkDir(walkRoot, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			if path == root && errors.Is(err, os.ErrNotExist) {
				return filepath.SkipDir
			}
			fs = append(fs, finding.Finding{File: path, Line: 1, Column: 1, Rule: rules.YAML.ID, Severity: rules.YAML.Severity, Message: "cannot read: " + unwrapPathError(err)})
			if d != nil && d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || !strings.HasSuffix(d.Name(), ".yaml") {
			return nil
		}
		if f, ok := linkOutside(root, path, d); ok {
			fs = append(fs, f)
			return nil
		}
		if !emit(itemPath{path, d.Type().IsRegular()}) {
			return filepath.SkipAll
		}
		return nil
	})
	if err != nil {
		fs = append(fs, finding.Finding{File: root, Line: 1, Column: 1, Rule: rules.YAML.ID, Severity: rules.YAML.Severity, Message: "cannot read: " + unwrapPathError(err)})
	}
	return fs
}

// linkOutside returns a finding when the directory entry at path is a
// symbolic link to a file outside dir (symlinks of dir resolved).
func linkOutside(dir, path string, d fs.DirEntry) (finding.Finding, bool) {
	if d.Type()&os.ModeSymlink == 0 {
		return finding.Finding{}, false
	}
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return finding.Finding{}, false
	}
	target, err := filepath.EvalSymlinks(path)
	if err != nil || within(root, target) {
		return finding.Finding{}, false
	}
	return finding.Finding{File: path, Line: 1, Column: 1, Rule: rules.YAML.ID, Severity: rules.YAML.Severity,
		Message: "symbolic link to a file outside its folder (" + target + "); qbank reads only files inside the bank: copy the file here instead"}, true
}

// within reports whether path lies inside dir (both absolute or both
// relative, symlinks resolved).
func within(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

func unwrapPathError(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

type readError struct {
	err error
	msg string
}

func (e *readError) finding(path string) finding.Finding {
	return finding.Finding{File: path, Line: 1, Column: 1, Rule: rules.YAML.ID, Severity: rules.YAML.Severity, Message: e.msg}
}

// readLimited reads a regular file of at most max bytes. Symlinks to files
// are followed; anything else (directories, devices, pipes, loops) is an
// error that becomes a finding.
func readLimited(path string, max int64) ([]byte, *readError) {
	return readFile(path, max, false, nil)
}

// readFile is readLimited for a file that the directory walk already saw
// as a regular file (regular): then it is opened at once, without a stat
// (a stat first keeps open from blocking on a named pipe), and read with
// one read into a buffer of the size fstat gives (fastRead where the
// system allows): buf when it is large enough.
func readFile(path string, max int64, regular bool, buf []byte) ([]byte, *readError) {
	if regular {
		if data, ok := fastRead(path, max, buf); ok {
			return data, nil
		}
	}
	if !regular {
		st, err := os.Stat(path)
		if err != nil {
			return nil, &readError{err, "cannot read: " + unwrapPathError(err)}
		}
		if err := checkRegular(st, max); err != nil {
			return nil, err
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, &readError{err, "cannot read: " + unwrapPathError(err)}
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, &readError{err, "cannot read: " + unwrapPathError(err)}
	}
	if err := checkRegular(st, max); err != nil {
		return nil, err
	}
	// One byte more than the size shows a file that grew since.
	data := make([]byte, st.Size()+1)
	n, err := f.Read(data)
	for err == nil && n < len(data) && int64(n) != st.Size() {
		// A short read of another length than the size: read on to the end.
		var m int
		m, err = f.Read(data[n:])
		n += m
	}
	if err != nil && err != io.EOF {
		return nil, &readError{err, "cannot read: " + unwrapPathError(err)}
	}
	if n == len(data) {
		rest, err := io.ReadAll(io.LimitReader(f, max+1-int64(n)))
		if err != nil {
			return nil, &readError{err, "cannot read: " + unwrapPathError(err)}
		}
		data = append(data, rest...)
		n = len(data)
	}
	if int64(n) > max {
		return nil, &readError{fs.ErrInvalid, fmt.Sprintf("file is larger than %d bytes, the limit for bank files", max)}
	}
	return data[:n:n], nil
}

// checkRegular refuses what is not a regular file of at most max bytes.
func checkRegular(st fs.FileInfo, max int64) *readError {
	if !st.Mode().IsRegular() {
		return &readError{fs.ErrInvalid, fmt.Sprintf("not a regular file (%s); bank files must be regular YAML files", st.Mode().Type())}
	}
	if st.Size() > max {
		return &readError{fs.ErrInvalid, fmt.Sprintf("file is %d bytes; bank files are limited to %d bytes", st.Size(), max)}
	}
	return nil
}

func yamlFindings(path, item string, err error) []finding.Finding {
	var fs []finding.Finding
	for _, e := range yamlx.Errors(err) {
		fs = append(fs, finding.Finding{File: path, Line: e.Pos.Line, Column: e.Pos.Column, Rule: rules.YAML.ID, Severity: rules.YAML.Severity, Item: item, Message: e.Msg})
	}
	return fs
}

// itemLoader is one loading worker's memory for the file in hand: the
// arena its tree is built in and the buffer it is read into, both reused
// for the next file unless the caller keeps them (arena nil). Reading
// every file into fresh memory cost a quarter of the page faults of a
// 10,000-item lint.
type itemLoader struct {
	arena *yamlx.Arena
	buf   []byte
}

func (l *itemLoader) load(p itemPath, exam *blueprint.Exam, opts Options) fileResult {
	path := p.path
	data, rerr := readFile(path, opts.MaxFileSize, p.regular, l.buf)
	if rerr != nil {
		return fileResult{findings: []finding.Finding{rerr.finding(path)}}
	}
	if l.arena != nil {
		l.buf = data
	}
	return parseItemFile(data, path, exam, opts.Visit, l.arena)
}

// parseItemFile parses, validates and decodes one item file's content and
// hands it to visit. A valid item is read straight from its tree
// (schemacheck.ValidItemDocument); any other goes through the schema
// validator, which explains what is wrong. With an arena, the tree is
// built in it and the arena is reset once visit is done.
func parseItemFile(data []byte, path string, exam *blueprint.Exam, visit func(*File) []finding.Finding, arena *yamlx.Arena) fileResult {
	f := &File{Path: path, Data: data, Exam: exam}
	var res fileResult
	var doc *yaml.Node
	var err error
	if arena != nil {
		defer arena.Reset()
		doc, err = arena.Parse(data)
	} else {
		doc, err = yamlx.Parse(data)
	}
	switch {
	case err != nil:
		res.findings = yamlFindings(path, "", err)
	case schemacheck.ValidItemDocument(doc):
		f.Doc = doc
		f.Item, f.Valid = decodeItem(doc, path), true
		res.item, res.valid = f.Item, true
	default:
		f.Doc = doc
		v, sfs := schemacheck.ValidateValue(schemacheck.Item, doc, path, idOf(doc))
		res.findings = sfs
		if v != nil {
			item := decodeItem(doc, path)
			res.item = item
			res.valid = len(sfs) == 0
			if res.item.ID == "" || !validID(res.item.ID) {
				res.item = nil
			}
			if res.valid {
				f.Item = item
				f.Valid = true
			}
		}
	}
	if visit != nil {
		res.findings = append(res.findings, visit(f)...)
	}
	return res
}

// idOf returns the item id for findings when the document has a string id.
func idOf(doc *yaml.Node) string {
	n := yamlx.Value(doc, "id")
	if n != nil && n.Kind == yaml.ScalarNode && n.ShortTag() == "!!str" && validID(n.Value) {
		return n.Value
	}
	return ""
}

// validID reports whether s has the form of an item id. Ids become file
// names, so anything else (slashes, dots, spaces) is never used as one.
func validID(s string) bool {
	if len(s) == 0 || len(s) > 64 || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	dash, prevDash := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '-':
			if prevDash {
				return false
			}
			dash, prevDash = true, true
		case c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
			prevDash = false
		default:
			return false
		}
	}
	return dash && !prevDash
}

// ValidID reports whether s is a well-formed item id
// (^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$). Commands check ids from the command line
// with it before they build a path from one.
func ValidID(s string) bool { return validID(s) }

func pos(n *yaml.Node) finding.Pos {
	if n == nil {
		return finding.Pos{Line: 1, Column: 1}
	}
	return finding.Pos{Line: n.Line, Column: n.Column}
}

// decodeItem builds an Item from an item file's tree, which yamlx.ToValue
// can convert (no alias loop, scalar keys). It tolerates wrong types (for
// items that failed the schema) by leaving fields empty; a scalar counts
// as what ToValue makes of it.
func decodeItem(doc *yaml.Node, path string) *Item {
	m := yamlx.Resolve(doc)
	it := &Item{
		ID:          nodeStr(field(m, "id")),
		Revision:    nodeInt(field(m, "revision")),
		Status:      nodeStr(field(m, "status")),
		Domain:      nodeStr(field(m, "domain")),
		Task:        nodeStr(field(m, "task")),
		Type:        nodeStr(field(m, "type")),
		Difficulty:  nodeStr(field(m, "difficulty")),
		Stem:        nodeStr(field(m, "stem")),
		Explanation: nodeStr(field(m, "explanation")),
		References:  nodeStrs(field(m, "references")),
		Tags:        nodeStrs(field(m, "tags")),
		Enemies:     nodeStrs(field(m, "enemies")),
		Author:      nodeStr(field(m, "author")),
		File:        path,
	}
	if opts := yamlx.Resolve(field(m, "options")); opts != nil && opts.Kind == yaml.SequenceNode && len(opts.Content) > 0 {
		it.Options = make([]Option, 0, len(opts.Content))
		for _, o := range opts.Content {
			o = yamlx.Resolve(o)
			correct, _ := scalarValue(field(o, "correct")).(bool)
			it.Options = append(it.Options, Option{Text: nodeStr(field(o, "text")), Correct: correct, Why: nodeStr(field(o, "why"))})
		}
	}
	it.Pos = ItemPos{
		Root:     pos(yamlx.Lookup(doc, "")),
		ID:       pos(yamlx.Lookup(doc, "/id")),
		Revision: pos(yamlx.Lookup(doc, "/revision")),
		Stem:     pos(yamlx.Lookup(doc, "/stem")),
	}
	for i := range it.Enemies {
		it.Pos.Enemies = append(it.Pos.Enemies, pos(yamlx.Lookup(doc, fmt.Sprintf("/enemies/%d", i))))
	}
	return it
}

// field returns the value of key in mapping m: the last one, as
// yamlx.ToValue keeps it; nil when m is no mapping or lacks the key.
func field(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	var v *yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := yamlx.Resolve(m.Content[i]); k != nil && k.Kind == yaml.ScalarNode && k.Value == key {
			v = m.Content[i+1]
		}
	}
	return v
}

// scalarValue is what yamlx.ToValue makes of a scalar node (nil for
// anything else).
func scalarValue(n *yaml.Node) any {
	n = yamlx.Resolve(n)
	if n == nil || n.Kind != yaml.ScalarNode {
		return nil
	}
	if n.Tag == "!!str" {
		return n.Value
	}
	v, err := yamlx.ToValue(n, 1)
	if err != nil {
		return nil
	}
	return v
}

// nodeStr is the string value of n, "" for anything else.
func nodeStr(n *yaml.Node) string {
	if n != nil && n.Kind == yaml.ScalarNode && n.Tag == "!!str" {
		return n.Value // the common case, without boxing the string
	}
	return str(scalarValue(n))
}

// nodeInt is the number value of n, whole part, 0 for anything else.
func nodeInt(n *yaml.Node) int { return integer(scalarValue(n)) }

// nodeStrs lists the string values of sequence n, skipping others.
func nodeStrs(n *yaml.Node) []string {
	n = yamlx.Resolve(n)
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	var out []string
	for _, e := range n.Content {
		if s, ok := scalarValue(e).(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func integer(v any) int {
	switch n := v.(type) {
	case int64:
		return int(n)
	case float64:
		return int(n)
	}
	return 0
}

func strs(v any) []string {
	l, _ := v.([]any)
	var out []string
	for _, e := range l {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
