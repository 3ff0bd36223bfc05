package responses

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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

// readJSONL reads one attempt per line; blank lines are skipped.
func (r *Reader) readJSONL(ctx context.Context, name string) error {
	for {
		if r.lr.line%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		line, long, err := r.lr.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			r.readErr(name, err)
			return nil
		}
		if long {
			r.reject(name, r.lr.line, "line longer than %d bytes; not an attempt record", r.lr.max)
			continue
		}
		if len(trimSpace(line)) == 0 {
			continue
		}
		a, msg := r.parseJSON(line)
		if msg != "" {
			r.reject(name, r.lr.line, "%s", msg)
			continue
		}
		a.File, a.Line = name, r.lr.line
		if err := r.accept(a); err != nil {
			return err
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
