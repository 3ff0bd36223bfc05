package finding

import "fmt"

// Summary counts what a run looked at and found.
type Summary struct {
	Files    int `json:"files"`
	Items    int `json:"items"`
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
}

// String renders the summary for people, such as
// "412 files, 410 items: 1 error, no warnings".
func (sum Summary) String() string {
	return fmt.Sprintf("%s, %s: %s, %s", Plural(sum.Files, "file"), Plural(sum.Items, "item"), count(sum.Errors, "error"), count(sum.Warnings, "warning"))
}

// Plural renders a count with its noun: "1 file", "2 files".
func Plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func count(n int, word string) string {
	if n == 0 {
		return "no " + word + "s"
	}
	return Plural(n, word)
}
