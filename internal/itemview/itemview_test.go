package itemview

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/testbank"
)

var single = &bank.Item{
	ID: "CC-0001", Revision: 2, Status: "operational", Domain: "cloud-concepts", Task: "1.1", Type: "single",
	Stem: "A company wants to stop guessing its capacity needs. Which benefit of the\nAWS Cloud addresses this?\n",
	Options: []bank.Option{
		{Text: "Global reach", Why: "Global reach is about serving users with low latency in many Regions of the world, not about capacity."},
		{Text: "Elasticity", Correct: true, Why: "Elasticity adds and removes resources as demand changes."},
		{Text: "High availability\nacross zones", Why: "Availability is about failure."},
		{Text: "Agility"},
	},
	Explanation: "Elasticity lets the company provision what it needs now.\n\n- and more later\n",
	References:  []string{"https://docs.aws.amazon.com/whitepapers/latest/aws-overview/six-advantages-of-cloud-computing.html"},
}

var multiple = &bank.Item{
	ID: "SEC-0002", Revision: 1, Status: "draft", Domain: "security-compliance", Task: "2.1", Type: "multiple",
	Stem: "Which tasks are the customer's responsibility? (Select TWO.)",
	Options: []bank.Option{
		{Text: "Patching the guest operating system", Correct: true, Why: "The customer manages the guest OS on EC2."},
		{Text: "Securing physical data centers", Why: "AWS secures the facilities."},
		{Text: "Configuring security groups", Correct: true, Why: "Security groups are customer configuration."},
		{Text: "Maintaining hypervisors"},
		{Text: "Disposing of storage devices"},
	},
}

func TestRenderGolden(t *testing.T) {
	tests := []struct {
		name string
		it   *bank.Item
		opts Options
	}{
		{"single", single, Options{}},
		{"single-key", single, Options{Key: true}},
		{"multiple", multiple, Options{}},
		{"multiple-key", multiple, Options{Key: true, Width: 60}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			if err := Render(&b, tt.it, tt.opts); err != nil {
				t.Fatal(err)
			}
			testbank.Golden(t, filepath.Join("testdata", tt.name+".golden"), []byte(b.String()))
		})
	}
}

// TestCandidateViewHidesTheKey: without Key nothing tells the answer.
func TestCandidateViewHidesTheKey(t *testing.T) {
	var b strings.Builder
	if err := Render(&b, single, Options{}); err != nil {
		t.Fatal(err)
	}
	for _, leak := range []string{"Key", "correct", "Elasticity adds", "Explanation", "https://"} {
		if strings.Contains(b.String(), leak) {
			t.Errorf("candidate view contains %q:\n%s", leak, b.String())
		}
	}
}

// TestControlCharactersAreShownNotSent: an item is third-party text; its
// terminal escape sequences, carriage returns and bidi overrides must not
// reach the terminal of the reviewer who runs qbank show.
func TestControlCharactersAreShownNotSent(t *testing.T) {
	it := &bank.Item{
		ID: "CC-0009", Revision: 1, Status: "draft", Domain: "cloud-concepts", Task: "1.1\x1b]0;t\a", Type: "single",
		Stem:        "Hello \x1b[2J\x1b]52;c;ZXZpbA==\a world\r\u202eevil\u0085?\n",
		Options:     []bank.Option{{Text: "a\x1b[31m", Correct: true, Why: "w\x7f"}, {Text: "b\tc"}},
		Explanation: "e\x1b[0m\n", References: []string{"https://x.example/\x1b[0m"},
	}
	var b strings.Builder
	if err := Render(&b, it, Options{Key: true}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, r := range out {
		if r != '\n' && r != '\t' && (r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == 0x202e) {
			t.Fatalf("output holds %U:\n%q", r, out)
		}
	}
	for _, want := range []string{`Hello \x1b[2J\x1b]52;c;ZXZpbA==\x07 world\x0d\u202eevil\x85?`, `A. a\x1b[31m`, "B. b\tc", `w\x7f`, `task 1.1\x1b]0;t\x07`} {
		if !strings.Contains(out, want) {
			t.Errorf("output does not show %q:\n%s", want, out)
		}
	}
}

func TestWrap(t *testing.T) {
	got := wrap("  A. wrong: ", "one two three four five six", 20)
	want := "  A. wrong: one two\n            three\n            four\n            five six"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if got := wrap("x ", "averyveryverylongword", 5); got != "x averyveryverylongword" {
		t.Errorf("a long word must stay whole: %q", got)
	}
}
