package analysis

import (
	"context"
	"fmt"
	"math"
)

func analyze(ctx context.Context, d *Dataset, opts Options) (*Report, error) {
	if d == nil {
		return nil, fmt.Errorf("analysis: no dataset")
	}
	if err := validate(d); err != nil {
		return nil, fmt.Errorf("analysis: %w", err)
	}
	if opts.Thresholds == (Thresholds{}) {
		opts.Thresholds = DefaultThresholds()
	}
	groups := opts.ScoreGroups
	if groups <= 0 {
		groups = 5
	}
	accs := make([]*formAcc, len(d.Forms))
	for fi := range d.Forms {
		accs[fi] = newFormAcc(d, &d.Forms[fi])
	}
	for ai := range d.Attempts {
		if ai%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		a := &d.Attempts[ai]
		accs[a.Form].add(&d.Forms[a.Form], a, d.Matrix)
	}
	occ := make([][]occurrence, len(d.Items))
	scoredAnywhere := make([]bool, len(d.Items))
	for fi, f := range d.Forms {
		for j, s := range f.Slots {
			sc := s.Role == RoleScored
			occ[s.Item] = append(occ[s.Item], occurrence{form: fi, slot: j, scored: sc})
			scoredAnywhere[s.Item] = scoredAnywhere[s.Item] || sc
		}
	}
	rep := &Report{Items: []ItemReport{}, Forms: []FormReport{}}
	var cal *calibration
	if !opts.NoCalibration && len(d.Attempts) > 0 {
		var err error
		if cal, err = calibrate(ctx, d, opts, scoredAnywhere); err != nil {
			return nil, err
		}
		if cal.err != nil {
			rep.CalibrationError = cal.err.Error()
		}
		rep.Calibration = cal.summary
	}
	tables := make([][]ThetaPoint, len(d.Forms))
	for fi := range d.Forms {
		fr := formStats(d, &d.Forms[fi], accs[fi])
		if cal != nil && cal.summary != nil {
			if tab := personTable(d, &d.Forms[fi], cal.b); tab != nil {
				tables[fi] = tab
				fr.Theta = tab
			}
		}
		rep.Forms = append(rep.Forms, fr)
	}
	for i, it := range d.Items {
		if len(occ[i]) == 0 {
			continue
		}
		ir := itemStats(d, i, occ[i], accs, groups)
		cs := calStatus{}
		if cal != nil && cal.summary != nil {
			cs = calStatus{status: cal.status[i], tried: cal.tried[i], fitOK: finite(cal.infit[i], cal.outfit[i])}
			if finite(cal.b[i]) {
				r := &RaschItem{B: cal.b[i], SE: zeroIfNaN(cal.se[i]), Infit: zeroIfNaN(cal.infit[i]), Outfit: zeroIfNaN(cal.outfit[i]), Anchored: cal.anchor[i]}
				ir.Rasch = r
				ir.Curve = curve(occ[i], accs, tables, r.B, groups)
			}
		}
		ir.Flags = flags(it, &ir, opts.Thresholds, cs)
		rep.Items = append(rep.Items, ir)
	}
	return rep, nil
}

func zeroIfNaN(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	return x
}
