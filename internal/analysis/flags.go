package analysis

import (
	"math"

	"github.com/qbank/qbank/internal/rules"

	"github.com/qbank/qbank/internal/rasch"
)

// Flag ids, in the order a report lists them. Each is declared, with
// its summary and doc, in the rule registry (group analyze).
var (
	FlagPossibleMiskey          = rules.PossibleMiskey.ID
	FlagDistractorPositive      = rules.DistractorPositive.ID
	FlagNegativeDiscrimination  = rules.NegativeDiscrimination.ID
	FlagLowDiscrimination       = rules.LowDiscrimination.ID
	FlagTooEasy                 = rules.TooEasy.ID
	FlagTooHard                 = rules.TooHard.ID
	FlagNonfunctionalDistractor = rules.NonfunctionalDistractor.ID
	FlagHighOmit                = rules.HighOmit.ID
	FlagMisfit                  = rules.Misfit.ID
	FlagNotCalibrated           = rules.NotCalibrated.ID
	FlagFewResponses            = rules.FewResponses.ID
)

// Flags returns every flag id in report order: the analyze rules of the
// registry.
func Flags() []string {
	var out []string
	for _, r := range rules.In(rules.Analyze) {
		out = append(out, r.ID)
	}
	return out
}

// calStatus is what flags need of an item's calibration.
type calStatus struct {
	status rasch.Status
	tried  bool // the item was in a calibration that ran
	fitOK  bool // infit and outfit are numbers
}

// flags returns the flags of an item report (Rasch already filled in).
func flags(it Item, ir *ItemReport, th Thresholds, cs calStatus) []string {
	on := map[string]bool{}
	if ir.Responses == 0 {
		return []string{FlagFewResponses}
	}
	for _, o := range ir.Options {
		if o.Key {
			continue
		}
		if o.PointBiserial > 0 && o.PointBiserial > ir.PointBiserial {
			on[FlagPossibleMiskey] = true
		}
		if o.PointBiserial > 0 && o.Share >= th.DistractorPositiveShare {
			on[FlagDistractorPositive] = true
		}
		if o.Share < th.NonfunctionalDistractor {
			on[FlagNonfunctionalDistractor] = true
		}
	}
	switch {
	case ir.PointBiserial < 0:
		on[FlagNegativeDiscrimination] = true
	case ir.PointBiserial < th.LowDiscrimination:
		on[FlagLowDiscrimination] = true
	}
	on[FlagTooEasy] = ir.PValue > th.TooEasy
	on[FlagTooHard] = ir.PValue < chance(it)+th.TooHardMargin
	on[FlagHighOmit] = ir.Omitted > th.HighOmit
	if r := ir.Rasch; r != nil && cs.fitOK {
		out := func(x float64) bool { return x < th.MisfitLow || x > th.MisfitHigh }
		on[FlagMisfit] = out(r.Infit) || out(r.Outfit)
	}
	if cs.tried && (cs.status == rasch.AllCorrect || cs.status == rasch.AllWrong || cs.status == rasch.NoData) {
		on[FlagNotCalibrated] = true
	}
	on[FlagFewResponses] = ir.Responses < th.MinResponses
	out := []string{}
	for _, f := range Flags() {
		if on[f] {
			out = append(out, f)
		}
	}
	return out
}

// finite reports whether every x is a finite number.
func finite(xs ...float64) bool {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}
