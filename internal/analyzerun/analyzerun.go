// Package analyzerun runs qbank analyze: it reads the bundles and the
// responses (or a 0/1 matrix), builds the dataset, takes the anchors from
// the bank's stats.yaml and runs the item analysis. The command line only
// wires flags to Input and Outcome to output.
package analyzerun

import (
	"context"
	"fmt"

	"github.com/qbank/qbank/internal/analysis"
	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/dataset"
	"github.com/qbank/qbank/internal/finding"
	"github.com/qbank/qbank/internal/responses"
)

// Input is what a run reads.
type Input struct {
	// Bundles are bundle directories or archives; Files the responses
	// files (JSONL or long CSV, plain or .gz).
	Bundles, Files []string
	// Matrix is a 0/1 matrix CSV (instead of Bundles and Files).
	Matrix   string
	Attempts responses.Policy
	// MaxLine bounds a line (responses.DefaultMaxLine when 0).
	MaxLine int
	// Bank supplies the anchors (items whose stats.yaml rasch.b was
	// measured on their current revision); nil for none.
	Bank       *bank.Bank
	Thresholds analysis.Thresholds
}

// Outcome is the result of a run.
type Outcome struct {
	Report *analysis.Report
	// Findings are the rejected records.
	Findings []finding.Finding
	Read     responses.Result
	// Simulated: every attempt analysed was simulated.
	Simulated bool
	Attempts  int
	// Dataset is what was analysed (the HTML report counts raw scores
	// from it); Forms are the bundles' forms (nil for a matrix).
	Dataset *analysis.Dataset
	Forms   []*responses.Form
}

// Run reads and analyses. An error means the run cannot go on (a bundle
// or file cannot be read, bundles disagree about an item revision, ctx
// was cancelled); bad records are findings.
func Run(ctx context.Context, in Input) (*Outcome, error) {
	var d *analysis.Dataset
	var read responses.Result
	var forms []*responses.Form
	var err error
	if in.Matrix != "" {
		d, read, err = readMatrix(ctx, in)
	} else {
		d, read, forms, err = readResponses(ctx, in)
	}
	if err != nil {
		return nil, err
	}
	opts := analysis.Options{Thresholds: in.Thresholds}
	if in.Bank != nil && in.Matrix == "" {
		opts.Anchors = dataset.Anchors(in.Bank)
	}
	rep, err := analysis.Analyze(ctx, d, opts)
	if err != nil {
		return nil, err
	}
	rep.Rejected = read.Rejected
	return &Outcome{Report: rep, Findings: read.Findings, Read: read, Simulated: d.Simulated, Attempts: len(d.Attempts),
		Dataset: d, Forms: forms}, nil
}

func readMatrix(ctx context.Context, in Input) (*analysis.Dataset, responses.Result, error) {
	if len(in.Files) > 0 || len(in.Bundles) > 0 {
		return nil, responses.Result{}, fmt.Errorf("--matrix takes no responses files and no --bundle")
	}
	m, err := responses.ReadMatrix(ctx, in.Matrix, in.MaxLine)
	if err != nil {
		return nil, responses.Result{}, err
	}
	return dataset.FromMatrix(m), m.Result, nil
}

func readResponses(ctx context.Context, in Input) (*analysis.Dataset, responses.Result, []*responses.Form, error) {
	if len(in.Bundles) == 0 {
		return nil, responses.Result{}, nil, fmt.Errorf("no --bundle: responses are matched to the keys of the bundles they were delivered from")
	}
	if len(in.Files) == 0 {
		return nil, responses.Result{}, nil, fmt.Errorf("no responses file given")
	}
	cat := responses.NewCatalog()
	if err := cat.Open(ctx, in.Bundles...); err != nil {
		return nil, responses.Result{}, nil, err
	}
	bld := dataset.NewBuilder()
	res, err := responses.Read(ctx, cat, in.Files, responses.Options{Attempts: in.Attempts, MaxLine: in.MaxLine}, bld.Add)
	if err != nil {
		return nil, responses.Result{}, nil, err
	}
	return bld.Dataset(), *res, cat.Forms(), nil
}
