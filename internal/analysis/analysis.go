// Package analysis computes the item analysis of qbank analyze: classical
// test theory per item revision (pooled over every form the item was on),
// per form and bundle reliability, Rasch calibration by conditional
// maximum likelihood (through package rasch), the person table per form,
// and the flags that point a psychometrician at items to review.
//
// The package is pure: the caller (the response reader and the CLI) builds
// a Dataset and gets a Report back; nothing here reads or writes files.
// The JSON form of Report is the "Item analysis" section of FORMAT.md;
// the fields tagged json:"-" (alpha-if-deleted, option trace, empirical
// versus model item curves) are for the text and HTML reports.
// docs/analysis-methods.md gives every formula and threshold.
package analysis

import (
	"context"
)

// Dataset is everything item analysis needs. The response reader builds
// it from responses and bundles, or from a 0/1 matrix.
type Dataset struct {
	Items     []Item    // item revisions pooled over every form they were on; index = item number
	Forms     []Form    // forms (for a matrix: one form named after the file)
	Attempts  []Attempt // the attempts analysed (already filtered, e.g. first attempts only)
	Simulated bool      // every record said "simulated": true
	Matrix    bool      // built from a 0/1 matrix: no options, every item scored
}

// Item is one item revision.
type Item struct {
	ID       string
	Revision int
	Type     string // "single" | "multiple" ("" for a matrix)
	Letters  int    // number of options (0 for a matrix)
	Key      uint32 // bitmask of correct letters, bit 0 = A (0 for a matrix)
}

// Form is one delivered form of one bundle.
type Form struct {
	Form   string // form id (for a matrix: the file's base name)
	Bundle string // bundle version ("" for a matrix)
	Slots  []Slot // delivery order, position = index+1
}

// Slot is one position of a form.
type Slot struct {
	Item int    // index into Dataset.Items
	Role string // RoleScored | RolePretest
}

// Roles of a slot.
const (
	RoleScored  = "scored"
	RolePretest = "pretest"
)

// Attempt is one candidate's answers to one form.
type Attempt struct {
	ID        string
	Candidate string
	Form      int        // index into Dataset.Forms
	Responses []Response // one per slot of the form
}

// Response is the answer at one slot.
type Response struct {
	Presented bool   // false only for matrix NA cells
	Chosen    uint32 // bitmask of chosen letters; 0 = omitted (always 0 for a matrix)
	Correct   bool   // all-or-nothing: Chosen == Key (for a matrix: the cell was 1)
}

// Thresholds are the limits of the flags. DefaultThresholds gives the
// documented defaults; the CLI overrides them from .qbank.yaml (the yaml
// tags are the key names the rule docs use under "analysis:"; decode onto
// DefaultThresholds() so that keys not given keep their default).
type Thresholds struct {
	// LowDiscrimination: corrected point-biserial below this is
	// low-discrimination (default 0.15).
	LowDiscrimination float64 `yaml:"low_discrimination"`
	// TooEasy: p-value above this is too-easy (default 0.95).
	TooEasy float64 `yaml:"too_easy"`
	// TooHardMargin: p-value below chance + this is too-hard (default
	// 0.05); chance = 1 / C(letters, keys).
	TooHardMargin float64 `yaml:"too_hard_margin"`
	// NonfunctionalDistractor: a distractor chosen by fewer than this
	// share of the responses is nonfunctional (default 0.05).
	NonfunctionalDistractor float64 `yaml:"nonfunctional_distractor"`
	// DistractorPositiveShare: a distractor with a positive point-biserial
	// chosen by at least this share is distractor-positive (default 0.05).
	DistractorPositiveShare float64 `yaml:"distractor_positive_share"`
	// HighOmit: an omit rate above this is high-omit (default 0.05).
	HighOmit float64 `yaml:"high_omit"`
	// MisfitLow, MisfitHigh: infit or outfit mean square outside
	// [MisfitLow, MisfitHigh] is misfit (default 0.7 and 1.3).
	MisfitLow  float64 `yaml:"misfit_low"`
	MisfitHigh float64 `yaml:"misfit_high"`
	// MinResponses: fewer responses than this is few-responses (default 200).
	MinResponses int `yaml:"min_responses"`
}

// DefaultThresholds returns the documented default thresholds.
func DefaultThresholds() Thresholds {
	return Thresholds{
		LowDiscrimination:       0.15,
		TooEasy:                 0.95,
		TooHardMargin:           0.05,
		NonfunctionalDistractor: 0.05,
		DistractorPositiveShare: 0.05,
		HighOmit:                0.05,
		MisfitLow:               0.7,
		MisfitHigh:              1.3,
		MinResponses:            200,
	}
}

// Options control Analyze.
type Options struct {
	// Thresholds of the flags; the zero value means DefaultThresholds().
	Thresholds Thresholds
	// Anchors fixes the Rasch difficulty of items: key "ID@rev" (that
	// revision only) or "ID" (any revision) -> b on the bank scale.
	Anchors map[string]float64
	// ScoreGroups is the number of score groups of the option trace and
	// item curve data (0 means 5).
	ScoreGroups int
	// NoCalibration skips the Rasch calibration (CTT only).
	NoCalibration bool
}

// Report is the item analysis. Its JSON is FORMAT.md's "Item analysis".
type Report struct {
	Items       []ItemReport `json:"items"`
	Forms       []FormReport `json:"forms"`
	Calibration *Calibration `json:"calibration,omitempty"`
	Rejected    int          `json:"rejected"` // set by the caller
	// CalibrationError says why the calibration could not be done (for
	// example a design that is not connected); Calibration is nil then.
	CalibrationError string `json:"calibration_error,omitempty"`
}

// ItemReport is the statistics of one item revision pooled over forms.
type ItemReport struct {
	ID            string         `json:"id"`
	Revision      int            `json:"revision"`
	Role          string         `json:"role"` // "pretest" when pretest on every form it was on, else "scored"
	Forms         []string       `json:"forms"`
	Responses     int            `json:"responses"`
	PValue        float64        `json:"p_value"`
	PointBiserial float64        `json:"point_biserial"` // corrected
	Omitted       float64        `json:"omitted"`
	Options       []OptionReport `json:"options"`
	Rasch         *RaschItem     `json:"rasch,omitempty"`
	Flags         []string       `json:"flags"`
	// Trace is the option trace by score group (HTML report).
	Trace *Trace `json:"-"`
	// Curve is the empirical versus Rasch item curve (HTML report); nil
	// when the item is not calibrated.
	Curve []CurvePoint `json:"-"`
}

// OptionReport is one option of an item.
type OptionReport struct {
	Letter        string  `json:"letter"`
	Key           bool    `json:"key"`
	Share         float64 `json:"share"`
	MeanScore     float64 `json:"mean_score"` // mean scored total of choosers (0 when nobody chose it)
	PointBiserial float64 `json:"point_biserial"`
}

// RaschItem is the calibration of one item.
type RaschItem struct {
	B      float64 `json:"b"`
	SE     float64 `json:"se"`
	Infit  float64 `json:"infit"`
	Outfit float64 `json:"outfit"`
	// Anchored: b was held at its given value (SE 0).
	Anchored bool `json:"-"`
}

// FormReport is one form of one bundle.
type FormReport struct {
	Form     string       `json:"form"`
	Bundle   string       `json:"bundle"`
	Attempts int          `json:"attempts"`
	Mean     float64      `json:"mean"`
	SD       float64      `json:"sd"`
	KR20     float64      `json:"kr20"`
	SEM      float64      `json:"sem"`
	Theta    []ThetaPoint `json:"theta"`
	// AlphaIfDeleted is KR-20 without each scored item, in slot order of
	// the scored items (text report).
	AlphaIfDeleted []ItemAlpha `json:"-"`
}

// ThetaPoint is one row of a form's person table.
type ThetaPoint struct {
	Raw   int     `json:"raw"`
	Theta float64 `json:"theta"`
	SE    float64 `json:"se"`
}

// ItemAlpha is alpha if one item is deleted.
type ItemAlpha struct {
	ID    string
	Alpha float64
}

// Calibration summarises the Rasch calibration.
type Calibration struct {
	Model      string  `json:"model"`  // "rasch"
	Method     string  `json:"method"` // "cml"
	Anchored   int     `json:"anchored"`
	Items      int     `json:"items"`   // items calibrated (free and anchored)
	Persons    int     `json:"persons"` // persons used (non-extreme scores)
	Iterations int     `json:"iterations"`
	LogLik     float64 `json:"loglik"`
	// SEMethod says how SEs were computed ("exact" or "diagonal").
	SEMethod string `json:"-"`
}

// Trace is the share choosing each option by score group of the
// criterion score (low to high).
type Trace struct {
	Groups []TraceGroup
}

// TraceGroup is one score group of a Trace.
type TraceGroup struct {
	MinScore, MaxScore float64   // criterion score range of the group
	N                  int       // responses in the group
	Shares             []float64 // per option (A, B, ...), then omitted last
}

// CurvePoint is one point of the empirical versus model item curve: the
// observed proportion correct in a score group against the Rasch P at the
// group's mean theta.
type CurvePoint struct {
	N         int
	MeanTheta float64
	Observed  float64
	Model     float64
}

// Analyze computes the item analysis of d. It returns an error only for a
// malformed Dataset or a cancelled ctx; a calibration that cannot be done
// is reported in Report.CalibrationError and the CTT results stand.
func Analyze(ctx context.Context, d *Dataset, opts Options) (*Report, error) {
	return analyze(ctx, d, opts)
}
