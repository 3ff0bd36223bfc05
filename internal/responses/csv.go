package responses

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// The required columns of the long CSV encoding; submitted, seconds and
// simulated are optional, other columns are ignored.
var csvRequired = []string{"attempt", "candidate", "bundle", "form", "position", "answer"}

// maxRows bounds the rows kept for one attempt (far above any form).
const maxRows = 10000

// csvRow is one data row of the long CSV.
type csvRow struct {
	line int
	f    fields
	pos  string
	ans  string
}

// readCSV reads the long CSV: a header, then one row per position. The
// rows of an attempt must be consecutive (the attempt is one record, at
// the line of its first row); an attempt id that comes back after other
// rows is a repeated attempt.
func (r *Reader) readCSV(ctx context.Context, name string) error {
	line, long, err := r.lr.next()
	if err == io.EOF {
		return nil
	}
	if err != nil || long {
		r.reject(name, 1, "cannot read the header line")
		return nil
	}
	cols, msg := csvHeader(line)
	if msg != "" {
		r.reject(name, 1, "%s; the file is skipped", msg)
		return nil
	}
	var rows []csvRow
	badRow := 0 // line of the first unusable row of the current attempt
	badMsg := ""
	flush := func() error {
		defer func() { rows, badRow, badMsg = rows[:0], 0, "" }()
		if len(rows) == 0 && badRow == 0 {
			return nil
		}
		if badRow != 0 {
			r.reject(name, badRow, "%s", badMsg)
			return nil
		}
		return r.acceptRows(name, rows)
	}
	cur := ""
	for {
		if r.lr.line%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		line, long, err := r.lr.next()
		if err == io.EOF {
			return flush()
		}
		if err != nil {
			if ferr := flush(); ferr != nil {
				return ferr
			}
			r.readErr(name, err)
			return nil
		}
		if !long && len(trimSpace(line)) == 0 {
			continue
		}
		row, id, msg := parseCSVRow(line, long, r.lr.max, cols)
		row.line = r.lr.line
		if msg != "" && id == "" {
			// A row whose attempt id cannot be read spoils the attempt
			// being read; with none, it is a record of its own.
			if cur == "" {
				r.reject(name, row.line, "%s", msg)
				continue
			}
			id = cur
		}
		if id != cur {
			if err := flush(); err != nil {
				return err
			}
			cur = id
		}
		switch {
		case msg != "" && badRow == 0:
			badRow, badMsg = row.line, fmt.Sprintf("attempt %s: %s", id, msg)
		case len(rows) >= maxRows && badRow == 0:
			badRow, badMsg = row.line, fmt.Sprintf("attempt %s: more than %d rows", id, maxRows)
		case msg == "" && badRow == 0:
			rows = append(rows, row)
		}
	}
}

// csvHeader maps column names to indexes.
func csvHeader(line []byte) (map[string]int, string) {
	names, err := splitCSV(string(line))
	if err != nil {
		return nil, "header: " + err.Error()
	}
	cols := map[string]int{}
	for i, n := range names {
		n = strings.ToLower(strings.TrimSpace(n))
		if _, dup := cols[n]; dup && n != "" {
			return nil, fmt.Sprintf("header names column %s twice", n)
		}
		cols[n] = i
	}
	var missing []string
	for _, n := range csvRequired {
		if _, ok := cols[n]; !ok {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Sprintf("header lacks column %s (want %s; responses CSV has one row per position, a 0/1 matrix goes to --matrix)",
			strings.Join(missing, ", "), strings.Join(csvRequired, ","))
	}
	cols["#"] = len(names)
	return cols, ""
}

// parseCSVRow splits a data row. It returns the attempt id when it could
// be read, and a message when the row is unusable.
func parseCSVRow(line []byte, long bool, max int, cols map[string]int) (csvRow, string, string) {
	if long {
		return csvRow{}, "", fmt.Sprintf("line longer than %d bytes; not a response row", max)
	}
	rec, err := splitCSV(string(line))
	if err != nil {
		return csvRow{}, "", "not valid CSV: " + err.Error()
	}
	get := func(n string) string {
		if i, ok := cols[n]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	row := csvRow{pos: get("position"), ans: get("answer"), f: fields{attempt: get("attempt"),
		candidate: get("candidate"), bundle: get("bundle"), form: get("form"), submitted: get("submitted")}}
	id := row.f.attempt
	if len(rec) != cols["#"] {
		return row, id, fmt.Sprintf("row has %d fields; the header has %d", len(rec), cols["#"])
	}
	if id == "" {
		return row, "", "missing attempt id"
	}
	if s := get("seconds"); s != "" {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return row, id, fmt.Sprintf("seconds %q is not a number", s)
		}
		row.f.seconds, row.f.hasSeconds = v, true
	}
	switch s := get("simulated"); s {
	case "", "false":
	case "true":
		row.f.simulated = true
	default:
		return row, id, fmt.Sprintf("simulated %q is not true or false", s)
	}
	return row, id, ""
}

// acceptRows checks the rows of one attempt and accepts it.
func (r *Reader) acceptRows(name string, rows []csvRow) error {
	a, line, msg := r.attemptOfRows(rows)
	if msg != "" {
		r.reject(name, line, "%s", msg)
		return nil
	}
	a.File, a.Line = name, rows[0].line
	return r.accept(a)
}

// attemptOfRows builds the attempt of consecutive rows, or says which line
// is wrong and why.
func (r *Reader) attemptOfRows(rows []csvRow) (*Attempt, int, string) {
	first := rows[0]
	id := first.f.attempt
	for _, row := range rows[1:] {
		if msg := sameAttempt(first, row); msg != "" {
			return nil, row.line, fmt.Sprintf("attempt %s: %s", id, msg)
		}
	}
	a, msg := r.check(first.f)
	if msg != "" {
		return nil, first.line, msg
	}
	n := len(a.Form.Slots)
	a.Chosen = make([]uint32, n)
	at := make([]int, n) // line that answered each position
	for _, row := range rows {
		p, err := strconv.Atoi(row.pos)
		if err != nil {
			return nil, row.line, fmt.Sprintf("attempt %s: position %q is not a number", id, row.pos)
		}
		if p < 1 || p > n {
			return nil, row.line, fmt.Sprintf("attempt %s: position %d out of range (form %s of bundle %s has positions 1-%d)", id, p, a.Form.Form, a.Form.Bundle, n)
		}
		if at[p-1] != 0 {
			return nil, row.line, fmt.Sprintf("attempt %s: position %d answered twice (also line %d)", id, p, at[p-1])
		}
		at[p-1] = row.line
		m, msg := ParseAnswer(row.ans, &a.Form.Slots[p-1])
		if msg != "" {
			return nil, row.line, fmt.Sprintf("attempt %s: position %d: %s", id, p, msg)
		}
		a.Chosen[p-1] = m
	}
	if missing := missingPositions(at); missing != "" {
		return nil, first.line, fmt.Sprintf("attempt %s: %d rows; form %s of bundle %s has %d positions (missing %s)", id, len(rows), a.Form.Form, a.Form.Bundle, n, missing)
	}
	return a, 0, ""
}

// sameAttempt says how row disagrees with the first row of its attempt.
func sameAttempt(first, row csvRow) string {
	for _, c := range [][3]string{
		{"candidate", first.f.candidate, row.f.candidate},
		{"bundle", first.f.bundle, row.f.bundle},
		{"form", first.f.form, row.f.form},
		{"submitted", first.f.submitted, row.f.submitted},
	} {
		if c[1] != c[2] {
			return fmt.Sprintf("%s %q differs from %q on line %d", c[0], c[2], c[1], first.line)
		}
	}
	return ""
}

// missingPositions lists the positions no row answered ("4, 7" or "4, 7 and
// 12 more").
func missingPositions(at []int) string {
	var miss []string
	more := 0
	for i, l := range at {
		if l == 0 {
			if len(miss) < 5 {
				miss = append(miss, strconv.Itoa(i+1))
			} else {
				more++
			}
		}
	}
	s := strings.Join(miss, ", ")
	if more > 0 {
		s += fmt.Sprintf(" and %d more", more)
	}
	return s
}

var errQuote = errors.New("bad quoting (a field with a comma is written \"A,C\"; a quote inside it is doubled)")

// splitCSV splits one CSV line (RFC 4180 quoting; a record is one line).
func splitCSV(line string) ([]string, error) {
	var out []string
	for {
		if strings.HasPrefix(line, `"`) {
			var b strings.Builder
			i := 1
			for {
				j := strings.IndexByte(line[i:], '"')
				if j < 0 {
					return nil, errQuote
				}
				b.WriteString(line[i : i+j])
				i += j + 1
				if i < len(line) && line[i] == '"' {
					b.WriteByte('"')
					i++
					continue
				}
				break
			}
			out = append(out, b.String())
			line = line[i:]
			if line == "" {
				return out, nil
			}
			if line[0] != ',' {
				return nil, errQuote
			}
			line = line[1:]
			continue
		}
		j := strings.IndexByte(line, ',')
		if j < 0 {
			if strings.IndexByte(line, '"') >= 0 {
				return nil, errQuote
			}
			return append(out, line), nil
		}
		if strings.IndexByte(line[:j], '"') >= 0 {
			return nil, errQuote
		}
		out = append(out, line[:j])
		line = line[j+1:]
	}
}
