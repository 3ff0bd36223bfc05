// Package promote decides, from stats.yaml, which pretest items are ready
// to become operational and which must be revised or retired, and applies
// the promotion to the item files.
//
// A pretest item is ready when its statistics are for its current
// revision, come from at least MinResponses responses, its p-value lies
// between chance + TooHardMargin and TooEasy, its corrected point-biserial
// is at least LowDiscrimination, it was calibrated with infit and outfit
// inside [MisfitLow, MisfitHigh], and no possible-miskey flag was raised.
// It is to retire when high scorers do worse on it than low scorers
// (negative point-biserial) and no distractor suggests a miskey; any other
// failed criterion means revise. Too few responses, no statistics or
// statistics of another revision mean wait: collect data on the current
// revision.
package promote

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/qbank/qbank/internal/analysis"
	"github.com/qbank/qbank/internal/atomicfile"
	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/itemfmt"
	"github.com/qbank/qbank/internal/yamlx"
	"gopkg.in/yaml.v3"
)

// Verdicts.
const (
	Ready  = "ready"
	Revise = "revise"
	Retire = "retire"
	Wait   = "wait"
)

// Decision is the verdict on one pretest item, with the reasons.
type Decision struct {
	Item    *bank.Item
	Verdict string
	Reasons []string
}

// Decide returns a decision for every pretest item of b, sorted by id.
func Decide(b *bank.Bank, th analysis.Thresholds) []Decision {
	var out []Decision
	for _, it := range b.Items {
		if it.Status != bank.StatusPretest {
			continue
		}
		out = append(out, decide(it, b.Stats, th))
	}
	return out
}

func decide(it *bank.Item, st bank.Stats, th analysis.Thresholds) Decision {
	d := Decision{Item: it}
	s, ok := st.Items[it.ID]
	switch {
	case !ok:
		return wait(d, "no statistics in stats.yaml")
	case s.Revision != it.Revision:
		return wait(d, fmt.Sprintf("statistics are for revision %d; the item is revision %d: collect responses to the current revision", s.Revision, it.Revision))
	case s.Responses < th.MinResponses:
		return wait(d, fmt.Sprintf("%d responses; at least %d are needed (analysis.min_responses)", s.Responses, th.MinResponses))
	}
	miskey := slices.Contains(s.Flags, analysis.FlagPossibleMiskey)
	if miskey {
		d.Reasons = append(d.Reasons, "possible-miskey: a distractor discriminates better than the key; check the key")
	}
	chance := Chance(it)
	if s.PValue > th.TooEasy {
		d.Reasons = append(d.Reasons, fmt.Sprintf("too easy: p %.3f above %.2f", s.PValue, th.TooEasy))
	}
	if s.PValue < chance+th.TooHardMargin {
		d.Reasons = append(d.Reasons, fmt.Sprintf("too hard: p %.3f below chance %.3f + %.2f", s.PValue, chance, th.TooHardMargin))
	}
	if !s.HasBiserial {
		d.Reasons = append(d.Reasons, "no point-biserial in stats.yaml")
	} else if s.PointBiserial < th.LowDiscrimination {
		d.Reasons = append(d.Reasons, fmt.Sprintf("low discrimination: point-biserial %.3f below %.2f", s.PointBiserial, th.LowDiscrimination))
	}
	switch r := s.Rasch; {
	case r == nil:
		d.Reasons = append(d.Reasons, "not calibrated (no rasch in stats.yaml), so its fit is unknown")
	case r.HasFit && (r.Infit < th.MisfitLow || r.Infit > th.MisfitHigh || r.Outfit < th.MisfitLow || r.Outfit > th.MisfitHigh):
		d.Reasons = append(d.Reasons, fmt.Sprintf("misfit: infit %.2f, outfit %.2f outside %.2f..%.2f", r.Infit, r.Outfit, th.MisfitLow, th.MisfitHigh))
	case !r.HasFit && !r.Anchored:
		d.Reasons = append(d.Reasons, "no infit/outfit in stats.yaml, so its fit is unknown")
	}
	switch {
	case len(d.Reasons) == 0:
		d.Verdict = Ready
		d.Reasons = []string{fmt.Sprintf("%d responses, p %.3f, point-biserial %.3f%s", s.Responses, s.PValue, s.PointBiserial, fit(s.Rasch))}
	case s.HasBiserial && s.PointBiserial < 0 && !miskey:
		d.Verdict = Retire
		d.Reasons = append([]string{"negative discrimination: high scorers do worse on it, and no distractor suggests a miskey"}, d.Reasons...)
	default:
		d.Verdict = Revise
	}
	return d
}

func wait(d Decision, why string) Decision {
	d.Verdict, d.Reasons = Wait, []string{why}
	return d
}

func fit(r *bank.RaschStats) string {
	if r == nil || !r.HasFit {
		return ""
	}
	return fmt.Sprintf(", infit %.2f, outfit %.2f", r.Infit, r.Outfit)
}

// Chance is the p-value of blind guessing: 1 / C(options, keys).
func Chance(it *bank.Item) float64 {
	n, k := len(it.Options), len(it.Keys())
	if n == 0 || k == 0 || k > n {
		return 0
	}
	c := 1.0
	for i := 0; i < k; i++ {
		c = c * float64(n-i) / float64(i+1)
	}
	return 1 / math.Round(c)
}

// SetOperational returns the item file data with its top-level status
// changed from pretest to operational, in the canonical layout (through
// itemfmt, which keeps every comment). It fails when the file's status is
// not pretest.
func SetOperational(data []byte) ([]byte, error) {
	doc, err := yamlx.Parse(data)
	if err != nil {
		return nil, err
	}
	n := yamlx.Lookup(doc, "/status")
	if n == nil || n.Kind != yaml.ScalarNode || n.Value != bank.StatusPretest {
		return nil, fmt.Errorf("status is not pretest")
	}
	lines := bytes.SplitAfter(data, []byte("\n"))
	if n.Line < 1 || n.Line > len(lines) {
		return nil, fmt.Errorf("status at line %d is outside the file", n.Line)
	}
	line := lines[n.Line-1]
	col := n.Column - 1
	token := map[yaml.Style]string{0: "pretest", yaml.SingleQuotedStyle: "'pretest'", yaml.DoubleQuotedStyle: `"pretest"`}[n.Style]
	if token == "" || col < 0 || !bytes.HasPrefix(line[col:], []byte(token)) {
		return nil, fmt.Errorf("line %d: status is not written as a plain pretest", n.Line)
	}
	edited := slices.Concat(line[:col], []byte("operational"), line[col+len(token):])
	lines[n.Line-1] = edited
	out, err := itemfmt.Format(bytes.Join(lines, nil))
	if err != nil {
		return nil, err
	}
	check, err := yamlx.Parse(out)
	if err != nil || yamlx.Lookup(check, "/status") == nil || yamlx.Lookup(check, "/status").Value != bank.StatusOperational {
		return nil, fmt.Errorf("the edited file does not read back as operational")
	}
	return out, nil
}

// Apply promotes the item in its file, atomically (the file is replaced
// only if it still holds what was read).
func Apply(it *bank.Item) error {
	data, err := itemfmt.ReadFile(it.File, 1<<20)
	if err != nil {
		return err
	}
	out, err := SetOperational(data)
	if err != nil {
		return fmt.Errorf("%s: %v", it.File, err)
	}
	return atomicfile.Replace(it.File, out, data)
}

// Summary counts decisions by verdict, as "2 ready, 1 to revise, ...".
func Summary(ds []Decision) string {
	n := map[string]int{}
	for _, d := range ds {
		n[d.Verdict]++
	}
	return strings.Join([]string{fmt.Sprintf("%d ready", n[Ready]), fmt.Sprintf("%d to revise", n[Revise]),
		fmt.Sprintf("%d to retire", n[Retire]), fmt.Sprintf("%d waiting for data", n[Wait])}, ", ")
}

// FormsHolding returns the ids of the forms that put a ready item in a
// pretest slot: once promoted, such a form needs its next version.
func FormsHolding(b *bank.Bank, ds []Decision) []string {
	ready := map[string]bool{}
	for _, d := range ds {
		if d.Verdict == Ready {
			ready[d.Item.ID] = true
		}
	}
	var out []string
	for _, f := range b.Forms {
		for _, e := range f.Items {
			if e.Role == bank.RolePretest && ready[e.ID] {
				out = append(out, f.Form)
				break
			}
		}
	}
	return out
}
