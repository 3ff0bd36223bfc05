// Package simulate makes realistic, reproducible response data from the
// Rasch model, for demonstrations, "what if" studies and tests (qbank
// simulate, and Go tests that need data with known difficulties).
//
// A candidate of ability theta answers an item of difficulty b correctly
// with probability P = 1 / (1 + exp(-(theta - b))). A wrong answer picks
// the item's distractors unevenly: each item gets fixed distractor weights
// (drawn once per item from the seed), so some distractors attract many
// and some few, as in real data. Multiple-response items are answered with
// the number of letters the key has, except now and then. Omits are rare
// and more likely on items the candidate would get wrong. Everything comes
// from one PCG stream seeded by the caller, consumed in a fixed order, so
// the same seed gives the same data byte for byte.
package simulate

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/bits"
	"math/rand/v2"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/responses"
	"github.com/qbank/qbank/internal/scale"
)

// Tuning of the simulated behaviour.
const (
	// OmitScale is the omit probability of an item the candidate surely
	// gets wrong; it shrinks with P (omits are rare: about 1 % overall).
	OmitScale = 0.03
	// WrongCount is the chance that a multiple-response answer has one
	// letter too few or too many.
	WrongCount = 0.1
)

// New returns the random source of a seed: PCG with the seed as its state.
func New(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)) }

// P is the Rasch probability of a correct answer.
func P(theta, b float64) float64 { return 1 / (1 + math.Exp(-(theta - b))) }

// Matrix simulates dichotomous Rasch responses: out[p][i] is true when
// person p (ability thetas[p]) answered item i (difficulty bs[i])
// correctly. Persons are simulated in order, items in order within each.
func Matrix(seed uint64, bs, thetas []float64) [][]bool {
	r := New(seed)
	out := make([][]bool, len(thetas))
	for p, th := range thetas {
		row := make([]bool, len(bs))
		for i, b := range bs {
			row[i] = r.Float64() < P(th, b)
		}
		out[p] = row
	}
	return out
}

// Abilities draws n abilities from N(mean, sd).
func Abilities(r *rand.Rand, n int, mean, sd float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = mean + sd*r.NormFloat64()
	}
	return out
}

// Item is what answering an item needs.
type Item struct {
	B       float64
	Type    string // "single" or "multiple"
	Letters int
	Key     uint32
	// weights of the letters as wrong choices (0 for key letters).
	weights []float64
}

// NewItem returns an item with distractor weights drawn from r: each
// distractor gets an exponential weight, so one or two usually dominate.
func NewItem(r *rand.Rand, b float64, typ string, letters int, key uint32) Item {
	it := Item{B: b, Type: typ, Letters: letters, Key: key, weights: make([]float64, letters)}
	for l := 0; l < letters; l++ {
		if key&(1<<l) == 0 {
			it.weights[l] = r.ExpFloat64() + 0.4
		}
	}
	return it
}

// Answer simulates the letters a candidate of ability theta chooses (0 =
// omitted).
func (it *Item) Answer(r *rand.Rand, theta float64) uint32 {
	p := P(theta, it.B)
	u, v := r.Float64(), r.Float64()
	if u < OmitScale*(1-p)*(1-p) {
		return 0
	}
	if v < p {
		return it.Key
	}
	return it.wrong(r)
}

// wrong draws a wrong answer: a weighted distractor for a single-answer
// item; for a multiple-response item the key with one key letter swapped
// for a weighted distractor (same number of letters), or now and then a
// key letter dropped or a distractor added.
func (it *Item) wrong(r *rand.Rand) uint32 {
	d := it.pickDistractor(r)
	if it.Type != "multiple" || it.Key == 0 {
		return d
	}
	k := keyLetters(it.Key)
	drop := k[r.IntN(len(k))]
	x := r.Float64()
	switch {
	case x < WrongCount/2 && len(k) > 1:
		return it.Key &^ (1 << drop) // one letter too few
	case x < WrongCount:
		return it.Key | d // one letter too many
	}
	return it.Key&^(1<<drop) | d
}

func (it *Item) pickDistractor(r *rand.Rand) uint32 {
	total := 0.0
	for _, w := range it.weights {
		total += w
	}
	if total == 0 {
		return 0
	}
	x := r.Float64() * total
	last := 0
	for l, w := range it.weights {
		if w == 0 {
			continue
		}
		last = l
		if x < w {
			return 1 << l
		}
		x -= w
	}
	return 1 << last
}

func keyLetters(key uint32) []int {
	var out []int
	for key != 0 {
		l := bits.TrailingZeros32(key)
		out = append(out, l)
		key &^= 1 << l
	}
	return out
}

// Options configure Write.
type Options struct {
	Attempts int
	Seed     uint64
	Mean, SD float64
	IDPrefix string // attempt ids are <prefix>a-000001, candidates <prefix>c-000001
}

// Form is a form with the difficulty of each slot.
type Form struct {
	Form *responses.Form
	// B is the Rasch difficulty of each slot, in slot order.
	B []float64
}

// record is one JSONL line (field order fixed by the struct).
type record struct {
	Attempt   string   `json:"attempt"`
	Candidate string   `json:"candidate"`
	Bundle    string   `json:"bundle"`
	Form      string   `json:"form"`
	Answers   []string `json:"answers"`
	Simulated bool     `json:"simulated"`
}

// Write writes opts.Attempts simulated attempts as JSONL, each at a form
// drawn uniformly from forms (in the order given), with ability drawn from
// N(Mean, SD). Every line says "simulated": true.
func Write(w io.Writer, forms []Form, opts Options) error {
	if len(forms) == 0 {
		return fmt.Errorf("no form to simulate")
	}
	r := New(opts.Seed)
	items := make([][]Item, len(forms))
	for fi, f := range forms {
		if len(f.B) != len(f.Form.Slots) {
			return fmt.Errorf("form %s: %d difficulties for %d slots", f.Form.Form, len(f.B), len(f.Form.Slots))
		}
		for i, s := range f.Form.Slots {
			items[fi] = append(items[fi], NewItem(r, f.B[i], s.Type, s.Letters, s.Key))
		}
	}
	enc := json.NewEncoder(w)
	for n := 1; n <= opts.Attempts; n++ {
		fi := r.IntN(len(forms))
		theta := opts.Mean + opts.SD*r.NormFloat64()
		rec := record{Attempt: fmt.Sprintf("%sa-%06d", opts.IDPrefix, n), Candidate: fmt.Sprintf("%sc-%06d", opts.IDPrefix, n),
			Bundle: forms[fi].Form.Bundle, Form: forms[fi].Form.Form, Simulated: true,
			Answers: make([]string, len(items[fi]))}
		for i := range items[fi] {
			rec.Answers[i] = letters(items[fi][i].Answer(r, theta))
		}
		if err := enc.Encode(rec); err != nil {
			return err
		}
	}
	return nil
}

func letters(mask uint32) string { return responses.Letters(mask) }

// Forms returns the forms of a catalog (sorted by bundle and form) with
// each slot's difficulty from the bank: the measured rasch.b when the
// bank's item is at the slot's revision and has one, else the provisional
// b of the item's authored difficulty (exam.yaml scale.provisional).
func Forms(cat *responses.Catalog, bk *bank.Bank) ([]Form, error) {
	var out []Form
	for _, f := range cat.Forms() {
		sf := Form{Form: f, B: make([]float64, len(f.Slots))}
		for i, s := range f.Slots {
			it := bk.Item(s.ID)
			if it == nil {
				return nil, fmt.Errorf("bundle %s form %s position %d: item %s is not in the bank, so it has no difficulty", f.Bundle, f.Form, s.Position, s.ID)
			}
			if it.Revision == s.Revision {
				sf.B[i], _ = scale.ItemDifficulty(bk.Stats, bk.Exam.Scale.Provisional, it)
			} else {
				sf.B[i] = bk.Exam.Scale.Provisional.B(it.Difficulty)
			}
		}
		out = append(out, sf)
	}
	return out, nil
}
