package responses

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/qbank/qbank/internal/finding"
	"github.com/qbank/qbank/internal/rules"
)

// Rule is the rule of every finding about a response record.
var Rule = rules.ResponseRecord

// Policy says which attempts of a candidate at a form are used.
type Policy int

const (
	// First uses a candidate's first attempt at a form only: by
	// `submitted` when every attempt of that candidate at that form has
	// one, else the first one read (files in the order given, lines in
	// file order). Item statistics from retakes are biased.
	First Policy = iota
	// All uses every attempt.
	All
)

// ParsePolicy parses "first" or "all".
func ParsePolicy(s string) (Policy, error) {
	switch s {
	case "first":
		return First, nil
	case "all":
		return All, nil
	}
	return First, fmt.Errorf("unknown --attempts %q; use first or all", s)
}

// DefaultMaxLine bounds one line of a responses file (1 MiB: a 65-item
// attempt is about 600 bytes).
const DefaultMaxLine = 1 << 20

// Options configure a Reader.
type Options struct {
	Attempts Policy
	// MaxLine bounds a line in bytes; 0 means DefaultMaxLine.
	MaxLine int
}

// Attempt is one good attempt.
type Attempt struct {
	// File and Line locate the record (for CSV its first row).
	File      string
	Line      int
	ID        string
	Candidate string
	Form      *Form
	// Chosen holds the chosen letters per position (bit 0 = A); 0 is
	// omitted. len(Chosen) == len(Form.Slots).
	Chosen       []uint32
	Submitted    time.Time
	HasSubmitted bool
	Seconds      float64
	HasSeconds   bool
	Simulated    bool
}

// Correct reports whether position i+1 was answered correctly: the chosen
// set equals the key set (all or nothing; omitted is wrong).
func (a *Attempt) Correct(i int) bool { return a.Chosen[i] != 0 && a.Chosen[i] == a.Form.Slots[i].Key }

// Raw returns the number of scored items answered correctly.
func (a *Attempt) Raw() int {
	n := 0
	for i, s := range a.Form.Slots {
		if s.Scored() && a.Correct(i) {
			n++
		}
	}
	return n
}

// Result counts what was read.
type Result struct {
	// Findings are the rejected records, one finding each, in reading order.
	Findings []finding.Finding
	// Records counts the records read (good and bad); Rejected the bad ones.
	Records, Rejected int
	// Used counts the attempts passed on; Retakes the good attempts left
	// out by the First policy.
	Used, Retakes int
	// Simulated counts the used attempts marked "simulated": true.
	Simulated int
}

// AllSimulated reports whether every used attempt was simulated.
func (r *Result) AllSimulated() bool { return r.Used > 0 && r.Simulated == r.Used }

// Reader reads responses files into attempts. One Reader reads every file
// of a run, so that attempt ids are unique across files and the First
// policy sees every attempt of a candidate.
type Reader struct {
	cat  *Catalog
	opts Options
	emit func(*Attempt) error
	res  Result
	seen map[string]string // attempt id -> "file:line" of its first record
	// First policy: the attempts of each candidate at each form.
	groups map[formCand]*group
	order  []formCand
	lr     *lineReader
}

type formCand struct {
	form      *Form
	candidate string
}

type group struct {
	firstRead, earliest *Attempt
	allSubmitted        bool
	n                   int
}

// NewReader returns a reader that passes every used attempt to emit.
// With the All policy emit is called while reading; with First, at Finish.
func NewReader(cat *Catalog, opts Options, emit func(*Attempt) error) *Reader {
	if opts.MaxLine <= 0 {
		opts.MaxLine = DefaultMaxLine
	}
	return &Reader{cat: cat, opts: opts, emit: emit, seen: map[string]string{}, groups: map[formCand]*group{}}
}

// Read reads the files in order with a new Reader and finishes it. An error
// means the run cannot go on (a file cannot be opened, emit failed, ctx
// was cancelled); bad records are findings in the Result.
func Read(ctx context.Context, cat *Catalog, files []string, opts Options, emit func(*Attempt) error) (*Result, error) {
	r := NewReader(cat, opts, emit)
	for _, f := range files {
		if err := r.ReadFile(ctx, f); err != nil {
			return nil, err
		}
	}
	return r.Finish()
}

// ReadFile reads one file: JSONL or long CSV, plain or gzip-compressed
// (recognised by content, not by name).
func (r *Reader) ReadFile(ctx context.Context, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return r.ReadStream(ctx, path, f)
}

// ReadStream reads one stream; name is the file name used in findings.
func (r *Reader) ReadStream(ctx context.Context, name string, in io.Reader) error {
	br := bufio.NewReaderSize(in, 64<<10)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			r.reject(name, 1, "not a readable gzip file: %v", err)
			return nil
		}
		defer zr.Close()
		br = bufio.NewReaderSize(zr, 64<<10)
	}
	r.lr = &lineReader{r: br, max: r.opts.MaxLine}
	if isJSON(br) {
		return r.readJSONL(ctx, name)
	}
	return r.readCSV(ctx, name)
}

// isJSON reports whether the stream starts (after blank space) with '{'.
func isJSON(br *bufio.Reader) bool {
	for n := 1; n <= 4096; n++ {
		b, err := br.Peek(n)
		if len(b) < n {
			return false
		}
		c := b[n-1]
		if c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xEF || c == 0xBB || c == 0xBF {
			continue
		}
		_ = err
		return c == '{'
	}
	return false
}

// readErr turns an error of the underlying stream into a finding at the
// line where it happened; the rest of the file is skipped.
func (r *Reader) readErr(name string, err error) {
	r.reject(name, r.lr.line+1, "cannot read further (%v); the rest of the file is skipped", err)
}

// reject records a bad record.
func (r *Reader) reject(file string, line int, format string, args ...any) {
	r.res.Records++
	r.res.Rejected++
	r.res.Findings = append(r.res.Findings, finding.Finding{File: file, Line: line, Column: 1,
		Rule: Rule.ID, Severity: Rule.Severity, Message: fmt.Sprintf(format, args...)})
}

// accept takes a checked attempt: a repeated id is rejected, the rest is
// emitted (All) or kept for its candidate's group (First).
func (r *Reader) accept(a *Attempt) error {
	at := fmt.Sprintf("%s:%d", a.File, a.Line)
	if first, dup := r.seen[a.ID]; dup {
		r.reject(a.File, a.Line, "attempt %s repeated (first at %s); the repeat is skipped", a.ID, first)
		return nil
	}
	r.seen[a.ID] = at
	r.res.Records++
	if r.opts.Attempts == All {
		return r.use(a)
	}
	k := formCand{a.Form, a.Candidate}
	g := r.groups[k]
	if g == nil {
		g = &group{firstRead: a, earliest: a, allSubmitted: a.HasSubmitted}
		r.groups[k] = g
		r.order = append(r.order, k)
		g.n = 1
		return nil
	}
	g.n++
	g.allSubmitted = g.allSubmitted && a.HasSubmitted
	if a.HasSubmitted && g.earliest.HasSubmitted && a.Submitted.Before(g.earliest.Submitted) {
		g.earliest = a
	}
	return nil
}

func (r *Reader) use(a *Attempt) error {
	r.res.Used++
	if a.Simulated {
		r.res.Simulated++
	}
	return r.emit(a)
}

// Finish emits the attempts kept by the First policy (in the order their
// candidate's first attempt at the form was read) and returns the counts.
func (r *Reader) Finish() (*Result, error) {
	for _, k := range r.order {
		g := r.groups[k]
		a := g.firstRead
		if g.allSubmitted {
			a = g.earliest
		}
		r.res.Retakes += g.n - 1
		if err := r.use(a); err != nil {
			return nil, err
		}
	}
	r.groups, r.order = map[formCand]*group{}, nil
	res := r.res
	return &res, nil
}

// check validates the fields every record has, in both encodings, and
// returns the attempt or the message of the first problem.
func (r *Reader) check(f fields) (*Attempt, string) {
	switch {
	case f.attempt == "":
		return nil, "missing attempt id"
	case f.candidate == "":
		return nil, fmt.Sprintf("attempt %s: missing candidate", f.attempt)
	case f.bundle == "":
		return nil, fmt.Sprintf("attempt %s: missing bundle", f.attempt)
	case f.form == "":
		return nil, fmt.Sprintf("attempt %s: missing form", f.attempt)
	}
	form := r.cat.Form(f.bundle, f.form)
	if form == nil {
		if !r.cat.HasBundle(f.bundle) {
			return nil, fmt.Sprintf("attempt %s: unknown bundle %s (bundles given: %s); pass it with --bundle", f.attempt, f.bundle, strings.Join(r.cat.Versions(), ", "))
		}
		return nil, fmt.Sprintf("attempt %s: bundle %s has no form %s", f.attempt, f.bundle, f.form)
	}
	a := &Attempt{ID: f.attempt, Candidate: f.candidate, Form: form, Simulated: f.simulated,
		Seconds: f.seconds, HasSeconds: f.hasSeconds}
	if f.submitted != "" {
		t, err := time.Parse(time.RFC3339, f.submitted)
		if err != nil {
			return nil, fmt.Sprintf("attempt %s: submitted %q is not an RFC 3339 time such as 2026-11-30T10:12:00Z", f.attempt, f.submitted)
		}
		a.Submitted, a.HasSubmitted = t, true
	}
	if f.hasSeconds && f.seconds < 0 {
		return nil, fmt.Sprintf("attempt %s: seconds %g is negative", f.attempt, f.seconds)
	}
	return a, ""
}

// fields are the attempt-level fields of a record.
type fields struct {
	attempt, candidate, bundle, form, submitted string
	seconds                                     float64
	hasSeconds, simulated                       bool
}

// Versions returns the bundle versions of the catalog, sorted.
func (c *Catalog) Versions() []string {
	vs := make([]string, 0, len(c.bundles))
	for v := range c.bundles {
		vs = append(vs, v)
	}
	sort.Strings(vs)
	return vs
}

// ParseAnswer parses an answer ("B", "A,C", "" for omitted; letters in any
// order, spaces around them allowed) for slot s and returns the chosen
// letters as a bitmask, or a message saying what is wrong.
func ParseAnswer(ans string, s *Slot) (uint32, string) {
	if strings.TrimSpace(ans) == "" {
		return 0, ""
	}
	var mask uint32
	n := 0
	for part := range strings.SplitSeq(ans, ",") {
		l := strings.TrimSpace(part)
		if len(l) != 1 || l[0] < 'A' || l[0] > 'Z' {
			return 0, fmt.Sprintf("answer %q is not a list of option letters separated by commas (such as A,C)", ans)
		}
		bit, ok := letterBit(l, s.Letters)
		if !ok {
			return 0, fmt.Sprintf("answer %q: the item has no option %s (its options are A-%c)", ans, l, 'A'+s.Letters-1)
		}
		if mask&bit != 0 {
			return 0, fmt.Sprintf("answer %q chooses %s twice", ans, l)
		}
		mask |= bit
		n++
	}
	if n > 1 && s.Type != "multiple" {
		return 0, fmt.Sprintf("answer %q has %d letters for a single-answer item", ans, n)
	}
	return mask, ""
}

// lineReader reads lines of at most max bytes without holding more than
// one line.
type lineReader struct {
	r    *bufio.Reader
	max  int
	line int
	buf  []byte
}

// next returns the next line without its line ending and whether it was
// longer than max (then the line is empty and was skipped). It returns
// io.EOF after the last line.
func (lr *lineReader) next() ([]byte, bool, error) {
	lr.buf = lr.buf[:0]
	long, any := false, false
	for {
		frag, err := lr.r.ReadSlice('\n')
		if len(frag) > 0 {
			any = true
		}
		if !long {
			if len(lr.buf)+len(frag) > lr.max+2 {
				long, lr.buf = true, lr.buf[:0]
			} else {
				lr.buf = append(lr.buf, frag...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err == io.EOF && !any {
			return nil, false, io.EOF
		}
		if err != nil && err != io.EOF {
			return nil, false, err
		}
		lr.line++
		line := bytes.TrimRight(lr.buf, "\r\n")
		if !long && len(line) > lr.max {
			long, line = true, nil
		}
		if lr.line == 1 {
			line = bytes.TrimPrefix(line, []byte("\xEF\xBB\xBF"))
		}
		return line, long, nil
	}
}
