package bank

import (
	"testing"
)

func TestPerMille(t *testing.T) {
	stats := Stats{Items: map[string]ItemStats{
		"M-1": {Revision: 2, Responses: 120, PValue: 0.7234},
		"M-2": {Revision: 1, Responses: 120, PValue: 0.3},   // measured on an older revision
		"M-3": {Revision: 1, Responses: 0, PValue: 0.1},     // no responses
		"M-4": {Revision: 1, Responses: 10, PValue: 0.4995}, // rounds half up
	}}
	tests := []struct {
		it     Item
		want   int
		source PSource
	}{
		{Item{ID: "A-1", Revision: 1, Difficulty: "easy"}, 850, FromAuthor},
		{Item{ID: "A-2", Revision: 1, Difficulty: "medium"}, 650, FromAuthor},
		{Item{ID: "A-3", Revision: 1, Difficulty: "hard"}, 450, FromAuthor},
		{Item{ID: "A-4", Revision: 1}, 650, FromAuthor},
		{Item{ID: "M-1", Revision: 2, Difficulty: "hard"}, 723, FromStats},
		{Item{ID: "M-2", Revision: 2, Difficulty: "hard"}, 450, FromAuthor},
		{Item{ID: "M-3", Revision: 1, Difficulty: "easy"}, 850, FromAuthor},
		{Item{ID: "M-4", Revision: 1}, 500, FromStats},
	}
	for _, tt := range tests {
		got, src := stats.PerMille(&tt.it)
		if got != tt.want || src != tt.source {
			t.Errorf("%s: %d (%v); want %d (%v)", tt.it.ID, got, src, tt.want, tt.source)
		}
	}
}
