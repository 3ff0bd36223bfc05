package responses

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// The two encodings of the same attempts read to the same attempts, in
// whatever order the CSV rows of an attempt come and whatever order the
// letters of an answer are written in.
func TestJSONLAndCSVAgree(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	form := testCatalog().Form("1.0.0", "F")
	for round := 0; round < 50; round++ {
		var js, cs strings.Builder
		cs.WriteString(csvHead)
		n := 1 + r.IntN(20)
		for i := 0; i < n; i++ {
			answers := make([]string, len(form.Slots))
			for p, s := range form.Slots {
				var letters []string
				for l := 0; l < s.Letters; l++ {
					if r.IntN(3) == 0 {
						letters = append(letters, string(rune('A'+l)))
					}
				}
				if s.Type != "multiple" && len(letters) > 1 {
					letters = letters[:1]
				}
				r.Shuffle(len(letters), func(a, b int) { letters[a], letters[b] = letters[b], letters[a] })
				answers[p] = strings.Join(letters, ",")
			}
			id := fmt.Sprintf("a%d", i)
			line, _ := json.Marshal(map[string]any{"attempt": id, "candidate": "c" + id, "bundle": "1.0.0", "form": "F", "answers": answers})
			js.Write(line)
			js.WriteByte('\n')
			for _, p := range r.Perm(len(answers)) {
				fmt.Fprintf(&cs, "%s,c%s,1.0.0,F,%d,\"%s\"\n", id, id, p+1, answers[p])
			}
		}
		a, ra := readAll(t, "r.jsonl", js.String(), Options{Attempts: All})
		b, rb := readAll(t, "r.csv", cs.String(), Options{Attempts: All})
		if ra.Rejected != 0 || rb.Rejected != 0 || len(a) != n || len(b) != n {
			t.Fatalf("round %d: %d/%d used, findings %q %q", round, len(a), len(b), messages(ra), messages(rb))
		}
		for i := range a {
			if a[i].ID != b[i].ID || fmt.Sprint(a[i].Chosen) != fmt.Sprint(b[i].Chosen) {
				t.Fatalf("round %d attempt %d: jsonl %s %v, csv %s %v", round, i, a[i].ID, a[i].Chosen, b[i].ID, b[i].Chosen)
			}
		}
	}
}
