package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/lint"
	"github.com/qbank/qbank/internal/textsim"
)

func main() {
	res, err := lint.Run(context.Background(), os.Args[1], lint.Options{})
	if err != nil {
		panic(err)
	}
	t, _ := strconv.ParseFloat(os.Args[2], 64)
	var items []*bank.Item
	for _, it := range res.Bank.Items {
		if it.Status != "retired" {
			items = append(items, it)
		}
	}
	texts := make([]string, len(items))
	for i, it := range items {
		texts[i] = it.Stem
		for _, o := range it.Options {
			if o.Correct {
				texts[i] += "\n" + o.Text
			}
		}
	}
	m := textsim.Vectorize(texts)
	ps := textsim.AllPairs(context.Background(), m.Vectors, t, 0)
	slices.SortFunc(ps, func(a, b textsim.Pair) int {
		if a.Cosine > b.Cosine {
			return -1
		}
		return 1
	})
	for _, p := range ps {
		a, b := items[p.A], items[p.B]
		en := slices.Contains(a.Enemies, b.ID) || slices.Contains(b.Enemies, a.ID)
		fmt.Printf("%.3f %s %s enemy=%v %s/%s\n", p.Cosine, a.ID, b.ID, en, a.Status, b.Status)
	}
}
