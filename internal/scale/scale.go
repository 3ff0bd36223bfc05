// Package scale turns raw scores into reported scores on the bank's Rasch
// scale (FORMAT.md, "Raw score to scaled score"). It is pure: every
// function works on values already loaded, and nothing reads or writes a
// file.
//
// For a form whose S scored items have difficulties b_i, raw score r has the
// ability theta(r) that solves sum_i P(theta, b_i) = r (0.3 and S - 0.3 for
// the extreme scores; package irt), and
//
//	scaled(r) = clamp(round_half_up(pass + slope*(theta(r) - theta_cut)), min, max).
//
// A result passes when scaled >= pass. Because the scaled score depends on
// theta alone, the same ability gets the same scaled score on every form,
// and a harder form needs fewer correct answers to reach pass.
package scale

import (
	"errors"
	"fmt"
	"math"

	"github.com/qbank/qbank/internal/blueprint"
	"github.com/qbank/qbank/internal/irt"
)

// Scale is a reported score scale anchored at a cut ability.
type Scale struct {
	// Min and Max bound the reported score; Pass is the scaled score that
	// passes, given to the ability ThetaCut.
	Min, Max, Pass int
	// Slope is the scaled points per logit.
	Slope float64
	// ThetaCut is the passing standard on the bank's Rasch scale (logits).
	ThetaCut float64
}

// New returns the scale of a blueprint's scale block with the cut ability
// thetaCut (see ThetaCut for resolving exam.yaml's cut). A zero slope takes
// the blueprint default.
func New(s blueprint.Scale, thetaCut float64) Scale {
	slope := s.Slope
	if slope == 0 {
		slope = blueprint.DefaultSlope
	}
	return Scale{Min: s.Min, Max: s.Max, Pass: s.Pass, Slope: slope, ThetaCut: thetaCut}
}

// Scaled returns the reported score of ability theta:
// clamp(round_half_up(pass + slope*(theta - theta_cut)), min, max).
func (s Scale) Scaled(theta float64) int {
	x := float64(s.Pass) + s.Slope*(theta-s.ThetaCut)
	switch {
	case math.IsNaN(x):
		return s.Min
	case x <= float64(s.Min):
		return s.Min
	case x >= float64(s.Max):
		return s.Max
	}
	return int(math.Floor(x + 0.5))
}

// Passes reports whether a scaled score passes.
func (s Scale) Passes(scaled int) bool { return scaled >= s.Pass }

// ScaledSE returns a standard error in logits on the scaled metric: se
// times the slope, rounded half up.
func (s Scale) ScaledSE(se float64) int { return int(math.Floor(se*s.Slope + 0.5)) }

// Row is one raw score of a conversion table.
type Row struct {
	Raw int
	// Theta is the ML ability of the raw score and SE its standard error,
	// both in logits.
	Theta, SE float64
	Scaled    int
	Pass      bool
}

// Table is a form's conversion from raw score to scaled score.
type Table struct {
	// Rows has one row per raw score 0..S, in order.
	Rows []Row
	// CutRaw is the smallest raw score that passes, or -1 when none does
	// (the form is too easy to reach the standard even with every item
	// right).
	CutRaw int
}

// Table computes the conversion table of a form whose scored items have
// difficulties bs. It fails when there are no items or a difficulty is not
// a finite number.
func (s Scale) Table(bs []float64) (Table, error) {
	if len(bs) == 0 {
		return Table{}, errors.New("the form has no scored items to convert")
	}
	t := Table{Rows: make([]Row, 0, len(bs)+1), CutRaw: -1}
	for r := 0; r <= len(bs); r++ {
		theta, se, err := irt.ThetaForRaw(bs, r)
		if err != nil {
			return Table{}, err
		}
		row := Row{Raw: r, Theta: theta, SE: se, Scaled: s.Scaled(theta)}
		row.Pass = s.Passes(row.Scaled)
		if row.Pass && t.CutRaw < 0 {
			t.CutRaw = r
		}
		t.Rows = append(t.Rows, row)
	}
	return t, nil
}

// CutRaw returns the smallest raw score on items bs that passes, or -1
// when none does.
func (s Scale) CutRaw(bs []float64) (int, error) {
	t, err := s.Table(bs)
	return t.CutRaw, err
}

// ThetaOfCut returns theta_cut for a raw cut on a reference form whose
// scored items have difficulties bs: theta(raw), the 0.3 rule included.
func ThetaOfCut(bs []float64, raw int) (float64, error) {
	theta, _, err := irt.ThetaForRaw(bs, raw)
	return theta, err
}

// ExpectedScore returns the expected raw score at ability theta on items bs
// (the test characteristic curve). At theta_cut on a domain's scored items
// it is the score a domain must reach to "meet" the standard (FORMAT.md,
// "Score report").
func ExpectedScore(theta float64, bs []float64) float64 { return irt.TCC(theta, bs) }

// InformationAtCut returns the test information of items bs at theta_cut:
// how precisely the form measures where pass and fail are decided. Its
// inverse square root is the SE of theta there.
func (s Scale) InformationAtCut(bs []float64) float64 { return irt.Information(s.ThetaCut, bs) }

// CheckTable verifies a conversion table against the scale and the items'
// difficulties-free invariants: raw scores run 0..S in order, thetas rise
// strictly, scaled scores never fall, each scaled score is Scaled(theta),
// each pass flag is scaled >= pass, and cutRaw is the first passing raw
// score (-1 when none passes). It returns one message per problem.
func (s Scale) CheckTable(rows []Row, cutRaw int) []string {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	first := -1
	for i, r := range rows {
		if r.Raw != i {
			add("row %d has raw %d; the rows must run 0, 1, 2, ... in order", i+1, r.Raw)
		}
		if math.IsNaN(r.Theta) || math.IsInf(r.Theta, 0) || !(r.SE > 0) || math.IsInf(r.SE, 0) {
			add("raw %d: theta %v and se %v must be finite, se above zero", r.Raw, r.Theta, r.SE)
			continue
		}
		if i > 0 {
			if r.Theta <= rows[i-1].Theta {
				add("raw %d: theta %v does not rise above raw %d's %v", r.Raw, r.Theta, rows[i-1].Raw, rows[i-1].Theta)
			}
			if r.Scaled < rows[i-1].Scaled {
				add("raw %d: scaled %d falls below raw %d's %d", r.Raw, r.Scaled, rows[i-1].Raw, rows[i-1].Scaled)
			}
		}
		if want := s.Scaled(r.Theta); r.Scaled != want {
			add("raw %d: scaled %d, but theta %v gives %d on this scale", r.Raw, r.Scaled, r.Theta, want)
		}
		if r.Pass != s.Passes(r.Scaled) {
			add("raw %d: pass is %t, but scaled %d against pass %d says %t", r.Raw, r.Pass, r.Scaled, s.Pass, s.Passes(r.Scaled))
		}
		if first < 0 && r.Pass {
			first = r.Raw
		}
	}
	if first != cutRaw {
		add("cut raw score is %d, but the first passing row is raw %d", cutRaw, first)
	}
	return problems
}

// Decimals is how many decimals of theta, SE and theta_cut a released
// conversion table keeps: a millionth of a logit is a ten-thousandth of a
// scaled point at the default slope.
const Decimals = 6

// Round rounds x to Decimals decimals (half away from zero).
func Round(x float64) float64 {
	const f = 1e6
	return math.Round(x*f) / f
}

// Rounded returns the table with theta and SE rounded to Decimals and the
// scaled scores, pass flags and cut raw score recomputed from the rounded
// theta, so that anyone can check a released table exactly from its own
// numbers (CheckTable). Use it with a scale whose ThetaCut is rounded too.
func (s Scale) Rounded(t Table) Table {
	out := Table{Rows: make([]Row, len(t.Rows)), CutRaw: -1}
	for i, r := range t.Rows {
		r.Theta, r.SE = Round(r.Theta), Round(r.SE)
		r.Scaled = s.Scaled(r.Theta)
		r.Pass = s.Passes(r.Scaled)
		if r.Pass && out.CutRaw < 0 {
			out.CutRaw = r.Raw
		}
		out.Rows[i] = r
	}
	return out
}
