// Package statsfile writes stats.yaml, the measured item statistics of a
// bank (FORMAT.md "Item statistics"). qbank analyze --write merges an item
// analysis into the statistics the bank already has: items not in the
// data keep their entry, an entry for an older revision is replaced, and
// the calibration block describes the new calibration. The output is
// deterministic: keys in a fixed order, items sorted by id, numbers
// rounded to 4 decimals, and a header comment that says who writes it.
package statsfile

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/qbank/qbank/internal/analysis"
	"github.com/qbank/qbank/internal/atomicfile"
	"github.com/qbank/qbank/internal/bank"
)

// Header is the comment at the top of every stats.yaml written.
const Header = "# Item statistics of this bank, written by `qbank analyze --write` from delivery data.\n" +
	"# Do not edit by hand: each entry describes the item revision it was measured on;\n" +
	"# the next `qbank analyze --write` merges new data into it.\n"

// Merge is the outcome of merging an analysis into existing statistics.
type Merge struct {
	Stats bank.Stats
	// Updated lists the item ids whose entry was written from the new
	// data; Kept the entries left as they were because they are for a
	// newer revision than the data's; Unknown the items of the data that
	// the bank does not have (not written).
	Updated, Kept, Unknown []string
}

// Options describe the calibration written.
type Options struct {
	// Computed is when the analysis ran.
	Computed time.Time
	// Attempts analysed; Simulated when every one was simulated.
	Attempts  int
	Simulated bool
}

// MergeReport merges rep into old (the bank's current statistics). Items
// are identified by id; for an item the data has at several revisions, the
// highest is written. An entry is replaced unless it is for a newer
// revision than the data's. known reports whether the bank has an item.
func MergeReport(old bank.Stats, rep *analysis.Report, known func(id string) bool, opts Options) Merge {
	m := Merge{Stats: bank.Stats{File: old.File, Calibration: old.Calibration, Items: map[string]bank.ItemStats{}}}
	for id, s := range old.Items {
		m.Stats.Items[id] = s
	}
	best := map[string]*analysis.ItemReport{}
	for i := range rep.Items {
		it := &rep.Items[i]
		if it.Responses == 0 {
			continue
		}
		if b, ok := best[it.ID]; !ok || it.Revision > b.Revision {
			best[it.ID] = it
		}
	}
	for _, id := range sortedKeys(best) {
		it := best[id]
		switch prev, ok := old.Items[id]; {
		case !known(id):
			m.Unknown = append(m.Unknown, id)
		case ok && prev.Revision > it.Revision:
			m.Kept = append(m.Kept, id)
		default:
			s := itemStats(it)
			s.Simulated = opts.Simulated
			m.Stats.Items[id] = s
			m.Updated = append(m.Updated, id)
		}
	}
	if c := rep.Calibration; c != nil {
		m.Stats.Calibration = &bank.Calibration{Model: c.Model, Method: c.Method, Anchored: c.Anchored,
			Attempts: opts.Attempts, Computed: opts.Computed.UTC().Format(time.RFC3339), Simulated: opts.Simulated}
	}
	return m
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// itemStats converts an item report to a stats.yaml entry.
func itemStats(it *analysis.ItemReport) bank.ItemStats {
	s := bank.ItemStats{Revision: it.Revision, Responses: it.Responses, PValue: it.PValue,
		PointBiserial: it.PointBiserial, HasBiserial: true, Omitted: it.Omitted, Flags: it.Flags}
	if len(it.Options) > 0 {
		s.Options = map[string]float64{}
		for _, o := range it.Options {
			s.Options[o.Letter] = o.Share
		}
	}
	if r := it.Rasch; r != nil {
		s.Rasch = &bank.RaschStats{B: r.B, SE: r.SE, Infit: r.Infit, Outfit: r.Outfit, HasFit: r.Infit > 0 || r.Outfit > 0, Anchored: r.Anchored}
	}
	return s
}

// Encode renders statistics as stats.yaml.
func Encode(st bank.Stats) []byte {
	var b strings.Builder
	b.WriteString(Header)
	if c := st.Calibration; c != nil {
		b.WriteString("calibration:\n")
		fmt.Fprintf(&b, "  model: %s\n  method: %s\n  anchored: %d\n  attempts: %d\n", c.Model, c.Method, c.Anchored, c.Attempts)
		if c.Computed != "" {
			fmt.Fprintf(&b, "  computed: %s\n", c.Computed)
		}
		if c.Simulated {
			b.WriteString("  simulated: true\n")
		}
	}
	if len(st.Items) == 0 {
		b.WriteString("items: {}\n")
		return []byte(b.String())
	}
	b.WriteString("items:\n")
	for _, id := range sortedKeys(st.Items) {
		writeItem(&b, id, st.Items[id])
	}
	return []byte(b.String())
}

func writeItem(b *strings.Builder, id string, s bank.ItemStats) {
	fmt.Fprintf(b, "  %s:\n    revision: %d\n    responses: %d\n    p_value: %s\n", id, s.Revision, s.Responses, num(s.PValue))
	if s.HasBiserial {
		fmt.Fprintf(b, "    point_biserial: %s\n", num(s.PointBiserial))
	}
	fmt.Fprintf(b, "    omitted: %s\n", num(s.Omitted))
	if len(s.Options) > 0 {
		parts := make([]string, 0, len(s.Options))
		for _, l := range sortedKeys(s.Options) {
			parts = append(parts, l+": "+num(s.Options[l]))
		}
		fmt.Fprintf(b, "    options: {%s}\n", strings.Join(parts, ", "))
	}
	if r := s.Rasch; r != nil {
		fmt.Fprintf(b, "    rasch: {b: %s, se: %s", num(r.B), num(r.SE))
		if r.HasFit {
			fmt.Fprintf(b, ", infit: %s, outfit: %s", num(r.Infit), num(r.Outfit))
		}
		if r.Anchored {
			b.WriteString(", anchored: true")
		}
		b.WriteString("}\n")
	}
	if len(s.Flags) > 0 {
		fmt.Fprintf(b, "    flags: [%s]\n", strings.Join(s.Flags, ", "))
	}
	if s.Simulated {
		b.WriteString("    simulated: true\n")
	}
}

// num renders x rounded to 4 decimals, without trailing zeros (0 for
// anything not finite, which the analysis never reports).
func num(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "0"
	}
	r := math.Round(x*1e4) / 1e4
	if r == 0 {
		r = 0 // no -0
	}
	s := strconv.FormatFloat(r, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

// Write writes data to path atomically: a new file is created, an existing
// one replaced only if it still holds old (nil: not checked).
func Write(path string, data, old []byte) error {
	if st, err := os.Lstat(path); err == nil && !st.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file (a link?); qbank writes stats.yaml only inside the bank", path)
	}
	err := atomicfile.Replace(path, data, old)
	if errors.Is(err, fs.ErrNotExist) {
		return atomicfile.Create(path, data, 0o644)
	}
	return err
}

// ReadCurrent returns the bytes of path, or nil when it does not exist.
func ReadCurrent(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return data, err
}
