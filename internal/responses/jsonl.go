package responses

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
)

// jsonRecord is one JSONL line. Pointers tell a missing field from an
// empty one; unknown fields are ignored (delivery sites add their own).
type jsonRecord struct {
	Attempt   *string   `json:"attempt"`
	Candidate *string   `json:"candidate"`
	Bundle    *string   `json:"bundle"`
	Form      *string   `json:"form"`
	Answers   *[]string `json:"answers"`
	Submitted *string   `json:"submitted"`
	Seconds   *float64  `json:"seconds"`
	Simulated *bool     `json:"simulated"`
}

// jsonBatch is a run of consecutive lines, parsed by a worker and
// accepted by the reader in order.
type jsonBatch struct {
	text  []byte // the lines' bytes, back to back
	ends  []int  // end offset of each line in text
	lines []int  // line number of each line
	long  []bool // the line was over the limit (not kept)
	out   []parsed
	done  chan struct{}
	err   error // reading stopped after this batch with this error
}

// parsed is the outcome of one line.
type parsed struct {
	a     *Attempt
	msg   string
	blank bool
}

const batchLines = 256

// readJSONL reads one attempt per line; blank lines are skipped. Lines are
// decoded by parallel workers in batches and accepted in file order, so
// the result is the same as reading line by line.
func (r *Reader) readJSONL(ctx context.Context, name string) error {
	workers := runtime.GOMAXPROCS(0)
	jobs := make(chan *jsonBatch, 2*workers)
	order := make(chan *jsonBatch, 2*workers)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range jobs {
				r.parseBatch(b)
				close(b.done)
			}
		}()
	}
	go r.produce(ctx, jobs, order, stop)
	defer func() {
		close(stop)
		for range order { // let the producer finish
		}
		wg.Wait()
	}()
	for b := range order {
		<-b.done
		for k, p := range b.out {
			switch {
			case p.blank:
			case b.long[k]:
				r.reject(name, b.lines[k], "line longer than %d bytes; not an attempt record", r.lr.max)
			case p.msg != "":
				r.reject(name, b.lines[k], "%s", p.msg)
			default:
				p.a.File, p.a.Line = name, b.lines[k]
				if err := r.accept(p.a); err != nil {
					return err
				}
			}
		}
		if b.err != nil {
			if errors.Is(b.err, context.Canceled) || errors.Is(b.err, context.DeadlineExceeded) {
				return b.err
			}
			r.reject(name, b.lines[len(b.lines)-1]+1, "cannot read further (%v); the rest of the file is skipped", b.err)
		}
	}
	return nil
}

// produce reads lines into batches and hands each to the workers and,
// in order, to the reader.
func (r *Reader) produce(ctx context.Context, jobs, order chan<- *jsonBatch, stop <-chan struct{}) {
	defer close(order)
	defer close(jobs)
	for {
		b := &jsonBatch{done: make(chan struct{})}
		for len(b.lines) < batchLines {
			line, long, err := r.lr.next()
			if err == io.EOF {
				break
			}
			if err == nil {
				err = ctx.Err()
			}
			if err != nil {
				b.err = err
				break
			}
			b.text = append(b.text, line...)
			b.ends = append(b.ends, len(b.text))
			b.lines = append(b.lines, r.lr.line)
			b.long = append(b.long, long)
		}
		if len(b.lines) == 0 && b.err == nil {
			return
		}
		if len(b.lines) == 0 {
			b.lines = []int{r.lr.line}
			b.ends, b.long = []int{0}, []bool{false}
			b.text = nil
			b.out = nil
		}
		select {
		case jobs <- b:
		case <-stop:
			return
		}
		select {
		case order <- b:
		case <-stop:
			return
		}
		if b.err != nil || len(b.lines) < batchLines {
			return
		}
	}
}

// parseBatch parses every line of a batch.
func (r *Reader) parseBatch(b *jsonBatch) {
	b.out = make([]parsed, len(b.lines))
	start := 0
	for k, end := range b.ends {
		line := b.text[start:end]
		start = end
		switch {
		case b.long[k]:
		case len(trimSpace(line)) == 0:
			b.out[k].blank = true
		default:
			b.out[k].a, b.out[k].msg = r.parseJSON(line)
		}
	}
}

// parseJSON decodes and checks one JSONL record.
func (r *Reader) parseJSON(line []byte) (*Attempt, string) {
	var rec jsonRecord
	if err := json.Unmarshal(line, &rec); err != nil {
		return nil, jsonMessage(err)
	}
	f := fields{attempt: str(rec.Attempt), candidate: str(rec.Candidate), bundle: str(rec.Bundle),
		form: str(rec.Form), submitted: str(rec.Submitted)}
	if rec.Seconds != nil {
		f.seconds, f.hasSeconds = *rec.Seconds, true
	}
	f.simulated = rec.Simulated != nil && *rec.Simulated
	if rec.Submitted != nil && *rec.Submitted == "" {
		return nil, fmt.Sprintf("attempt %s: submitted is empty; leave it out or give an RFC 3339 time", f.attempt)
	}
	a, msg := r.check(f)
	if msg != "" {
		return nil, msg
	}
	if rec.Answers == nil {
		return nil, fmt.Sprintf("attempt %s: missing answers", f.attempt)
	}
	ans := *rec.Answers
	if len(ans) != len(a.Form.Slots) {
		return nil, fmt.Sprintf("attempt %s: %d answers; form %s of bundle %s has %d positions", f.attempt, len(ans), a.Form.Form, a.Form.Bundle, len(a.Form.Slots))
	}
	a.Chosen = make([]uint32, len(ans))
	for i, s := range ans {
		m, msg := ParseAnswer(s, &a.Form.Slots[i])
		if msg != "" {
			return nil, fmt.Sprintf("attempt %s: position %d: %s", f.attempt, i+1, msg)
		}
		a.Chosen[i] = m
	}
	return a, ""
}

// jsonMessage says what is wrong with a line that does not decode.
func jsonMessage(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field == "" {
			return fmt.Sprintf("a JSON %s where an attempt object is wanted", te.Value)
		}
		return fmt.Sprintf("field %s is a JSON %s; want %s", te.Field, te.Value, jsonType(te.Type.String()))
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("not valid JSON: %v (at byte %d)", se, se.Offset)
	}
	return "not valid JSON: " + err.Error()
}

func jsonType(goType string) string {
	switch goType {
	case "string":
		return "a string"
	case "[]string":
		return "a list of strings"
	case "float64":
		return "a number"
	case "bool":
		return "true or false"
	}
	return goType
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}
