package simulate

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/qbank/qbank/schema"
)

// Every simulated line, and FORMAT.md's example, is valid against the
// responses schema; lines the reader rejects for their shape are not.
func TestResponsesSchema(t *testing.T) {
	s := schema.MustCompile("responses")
	var buf bytes.Buffer
	if err := Write(&buf, []Form{testForm()}, Options{Attempts: 50, Seed: 2, SD: 1}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	lines = append(lines, `{"attempt": "a-000123", "candidate": "c-77", "bundle": "1.0.0", "form": "CLF-C02-FULL-A", "answers": ["B", "A,C", "", "D"], "submitted": "2026-11-30T10:12:00Z", "seconds": 4820}`)
	for _, l := range lines {
		var v any
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatal(err)
		}
		if err := s.Validate(v); err != nil {
			t.Errorf("%s: %v", l, err)
		}
	}
	for _, bad := range []string{
		`{"candidate":"c","bundle":"1","form":"F","answers":[]}`,
		`{"attempt":"a","candidate":"c","bundle":"1","form":"F","answers":["A;B"]}`,
		`{"attempt":"a","candidate":"c","bundle":"1","form":"F","answers":["B"],"submitted":"yesterday"}`,
		`{"attempt":"a","candidate":"c","bundle":"1","form":"F","answers":["B"],"seconds":-1}`,
	} {
		var v any
		_ = json.Unmarshal([]byte(bad), &v)
		if s.Validate(v) == nil {
			t.Errorf("%s is valid", bad)
		}
	}
}
