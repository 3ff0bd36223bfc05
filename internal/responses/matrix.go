package responses

import (
	"bufio"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/qbank/qbank/internal/finding"
)

// Cell values of a 0/1 matrix.
const (
	NA    int8 = -1 // not presented (empty or NA)
	Wrong int8 = 0
	Right int8 = 1
)

// Matrix is a plain 0/1 response matrix: one row per person, one column
// per item.
type Matrix struct {
	File string
	// Items are the column names (item ids), in column order.
	Items []string
	// Labels are the row labels (from a first column named person or id;
	// else "1", "2", ... by data row).
	Labels []string
	// Rows hold Right, Wrong or NA per item.
	Rows [][]int8
	// Result counts the rows read and rejected.
	Result Result
}

// ReadMatrix reads a 0/1 matrix CSV (plain or gzip-compressed): a header of
// item ids (a first column named person or id holds row labels), then one
// row per person with cells 1, 0, or empty/NA for not presented. A bad row
// is a finding, skipped and counted; a bad header is an error.
func ReadMatrix(ctx context.Context, path string, maxLine int) (*Matrix, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadMatrixStream(ctx, path, f, maxLine)
}

// ReadMatrixStream is ReadMatrix on a stream named name.
func ReadMatrixStream(ctx context.Context, name string, in io.Reader, maxLine int) (*Matrix, error) {
	if maxLine <= 0 {
		maxLine = DefaultMaxLine
	}
	br := bufio.NewReaderSize(in, 64<<10)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("%s: not a readable gzip file: %v", name, err)
		}
		defer zr.Close()
		br = bufio.NewReaderSize(zr, 64<<10)
	}
	lr := &lineReader{r: br, max: maxLine}
	m := &Matrix{File: name}
	labels, err := m.header(lr)
	if err != nil {
		return nil, err
	}
	rej := func(format string, args ...any) {
		m.Result.Records++
		m.Result.Rejected++
		m.Result.Findings = append(m.Result.Findings, finding.Finding{File: name, Line: lr.line, Column: 1,
			Rule: Rule.ID, Severity: Rule.Severity, Message: fmt.Sprintf(format, args...)})
	}
	for {
		if lr.line%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		line, long, err := lr.next()
		if err == io.EOF {
			return m, nil
		}
		if err != nil {
			rej("cannot read further (%v); the rest of the file is skipped", err)
			return m, nil
		}
		if long {
			rej("line longer than %d bytes; not a matrix row", maxLine)
			continue
		}
		if len(trimSpace(line)) == 0 {
			continue
		}
		label, row, msg := m.row(line, labels)
		if msg != "" {
			rej("%s", msg)
			continue
		}
		m.Result.Records++
		m.Result.Used++
		if label == "" {
			label = fmt.Sprint(len(m.Rows) + 1)
		}
		m.Labels = append(m.Labels, label)
		m.Rows = append(m.Rows, row)
	}
}

// header reads the item ids; it reports whether the first column holds
// labels.
func (m *Matrix) header(lr *lineReader) (bool, error) {
	line, long, err := lr.next()
	if err == io.EOF {
		return false, fmt.Errorf("%s: empty; a 0/1 matrix starts with a header of item ids", m.File)
	}
	if err != nil || long {
		return false, fmt.Errorf("%s:1: cannot read the header line", m.File)
	}
	names, err := splitCSV(string(line))
	if err != nil {
		return false, fmt.Errorf("%s:1: header: %v", m.File, err)
	}
	labels := false
	if first := strings.ToLower(strings.TrimSpace(names[0])); first == "person" || first == "id" {
		labels, names = true, names[1:]
	}
	seen := map[string]int{}
	for i, n := range names {
		n = strings.TrimSpace(n)
		if n == "" {
			return false, fmt.Errorf("%s:1: column %d has no item id", m.File, i+1)
		}
		if j, dup := seen[n]; dup {
			return false, fmt.Errorf("%s:1: item %s is named by columns %d and %d", m.File, n, j+1, i+1)
		}
		seen[n] = i
		m.Items = append(m.Items, n)
	}
	if len(m.Items) == 0 {
		return false, fmt.Errorf("%s:1: the header names no item", m.File)
	}
	return labels, nil
}

// row parses one data row.
func (m *Matrix) row(line []byte, labels bool) (string, []int8, string) {
	rec, err := splitCSV(string(line))
	if err != nil {
		return "", nil, "not valid CSV: " + err.Error()
	}
	want := len(m.Items)
	if labels {
		want++
	}
	if len(rec) != want {
		return "", nil, fmt.Sprintf("row has %d fields; the header has %d", len(rec), want)
	}
	label := ""
	if labels {
		label, rec = strings.TrimSpace(rec[0]), rec[1:]
	}
	row := make([]int8, len(rec))
	for i, c := range rec {
		switch strings.TrimSpace(c) {
		case "1":
			row[i] = Right
		case "0":
			row[i] = Wrong
		case "", "NA", "na":
			row[i] = NA
		default:
			return "", nil, fmt.Sprintf("item %s: cell %q is not 1, 0, empty or NA", m.Items[i], c)
		}
	}
	return label, row, ""
}
