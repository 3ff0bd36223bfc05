package analysis

import (
	"context"
	"errors"
)

func analyze(ctx context.Context, d *Dataset, opts Options) (*Report, error) {
	return nil, errors.New("analysis: not implemented yet")
}
