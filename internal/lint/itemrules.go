package lint

import (
	"fmt"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/blueprint"
	"github.com/qbank/qbank/internal/config"
	"github.com/qbank/qbank/internal/finding"
	"github.com/qbank/qbank/internal/rules"
	"github.com/qbank/qbank/internal/yamlx"
	"gopkg.in/yaml.v3"
)

// itemChecker runs the single-item rules on one file.
type itemChecker struct {
	file  *bank.File
	cfg   *config.Config
	lines [][]byte // the file's lines, split on first use (fileLines)
	// folded holds each option's text folded once (foldText) for the
	// rules that compare option texts.
	folded []string
	out    []finding.Finding
}

func (c *itemChecker) at(n *yaml.Node, rule finding.Rule, format string, args ...any) {
	p := finding.Pos{Line: 1, Column: 1}
	if n != nil {
		p = finding.Pos{Line: n.Line, Column: n.Column}
	}
	c.atPos(p, rule, format, args...)
}

func (c *itemChecker) atPos(p finding.Pos, rule finding.Rule, format string, args ...any) {
	id := ""
	if c.file.Item != nil {
		id = c.file.Item.ID
	}
	c.out = append(c.out, finding.Finding{File: c.file.Path, Line: p.Line, Column: p.Column, Rule: rule.ID, Severity: rule.Severity, Item: id, Message: fmt.Sprintf(format, args...)})
}

func (c *itemChecker) node(ptr string) *yaml.Node { return yamlx.Lookup(c.file.Doc, ptr) }

// checkItem runs every single-item rule on a schema-valid item.
func checkItem(f *bank.File, cfg *config.Config) []finding.Finding {
	c := &itemChecker{file: f, cfg: cfg}
	it := f.Item
	c.folded = make([]string, len(it.Options))
	for i, o := range it.Options {
		c.folded[i] = foldText(o.Text)
	}
	c.idFilename(it)
	c.domainTask(it)
	c.optionCount(it)
	c.answerCount(it)
	c.duplicateOption(it)
	c.selectPhrase(it)
	c.missingWhy(it)
	c.placeholder(it)
	c.references(it)
	c.bannedPhrase(it)
	c.negativeStem(it)
	c.selfEnemy(it)
	c.keyLength(it)
	return c.out
}

func (c *itemChecker) idFilename(it *bank.Item) {
	base := filepath.Base(c.file.Path)
	if base != it.ID+".yaml" {
		c.at(c.node("/id"), rules.IDFilename, "id %s does not match the file name %s; rename the file to %s.yaml or fix the id", it.ID, base, it.ID)
	}
	folder := filepath.Base(filepath.Dir(c.file.Path))
	itemsDir := filepath.Base(filepath.Dir(filepath.Dir(c.file.Path)))
	if folder != it.Domain || itemsDir != "items" {
		c.at(c.node("/domain"), rules.IDFilename, "an item of domain %s belongs in items/%s/, not %s; move the file or fix the domain", it.Domain, it.Domain, filepath.ToSlash(filepath.Dir(c.file.Path))+"/")
	}
}

func (c *itemChecker) domainTask(it *bank.Item) {
	d := c.file.Exam.Domain(it.Domain)
	if d == nil {
		c.at(c.node("/domain"), rules.UnknownDomain, "unknown domain %q; use one of: %s", it.Domain, strings.Join(domainIDs(c.file.Exam.Domains), ", "))
		return
	}
	if !d.HasTask(it.Task) {
		ids := make([]string, len(d.Tasks))
		for i, t := range d.Tasks {
			ids[i] = t.ID
		}
		c.at(c.node("/task"), rules.UnknownTask, "task %q is not a task statement of domain %s; use one of: %s", it.Task, it.Domain, strings.Join(ids, ", "))
	}
}

func (c *itemChecker) optionCount(it *bank.Item) {
	n := len(it.Options)
	opts := c.file.Exam.Options
	switch it.Type {
	case bank.TypeSingle:
		if n != opts.Single {
			c.at(c.node("/options"), rules.OptionCount, "type single needs exactly %d options; found %d", opts.Single, n)
		}
	case bank.TypeMultiple:
		if n < opts.MultipleMin {
			c.at(c.node("/options"), rules.OptionCount, "type multiple needs at least %d options; found %d", opts.MultipleMin, n)
		}
	}
}

func (c *itemChecker) answerCount(it *bank.Item) {
	keys := it.Keys()
	switch it.Type {
	case bank.TypeSingle:
		switch {
		case len(keys) == 0:
			c.at(c.node("/options"), rules.AnswerCount, "type single needs exactly one correct option; found none (mark the key with correct: true)")
		case len(keys) > 1:
			c.at(c.node(fmt.Sprintf("/options/%d/correct", keys[1])), rules.AnswerCount, "type single needs exactly one correct option; found %d (options %s); keep one, or make the item type multiple", len(keys), it.KeyLetters())
		}
	case bank.TypeMultiple:
		switch {
		case len(keys) < 2:
			c.at(c.node("/options"), rules.AnswerCount, "type multiple needs at least two correct options; found %d", len(keys))
		case len(keys) == len(it.Options):
			c.at(c.node("/options"), rules.AnswerCount, "type multiple needs at least one incorrect option; all %d are correct", len(keys))
		}
	}
}

// foldText lower-cases s, trims it and folds each run of the white space
// of regexp's \s ([\t\n\f\r ]) into one space.
func foldText(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	for i := 0; i < len(s); i++ {
		if isFoldSpace(s[i]) && (s[i] != ' ' || i+1 < len(s) && isFoldSpace(s[i+1])) {
			return foldFrom(s, i)
		}
	}
	return s
}

// foldFrom folds the white space of s from byte i on, where the first run
// that needs folding starts.
func foldFrom(s string, i int) string {
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for i < len(s) {
		if !isFoldSpace(s[i]) {
			b.WriteByte(s[i])
			i++
			continue
		}
		b.WriteByte(' ')
		for i < len(s) && isFoldSpace(s[i]) {
			i++
		}
	}
	return b.String()
}

func isFoldSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

func (c *itemChecker) duplicateOption(it *bank.Item) {
	seen := make(map[string]int, len(it.Options))
	for i := range it.Options {
		k := c.folded[i]
		if j, dup := seen[k]; dup {
			c.at(c.node(fmt.Sprintf("/options/%d/text", i)), rules.DuplicateOption, "option %s has the same text as option %s; make every option distinct", bank.Letter(i), bank.Letter(j))
			continue
		}
		seen[k] = i
	}
}

var (
	selectAnyRE   = regexp.MustCompile(`(?i)\(\s*select\b[^)]*\)?`)
	selectExactRE = regexp.MustCompile(`\(Select (TWO|THREE|FOUR|FIVE|SIX|SEVEN|EIGHT|NINE)\.\)`)
	numberWords   = []string{"ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE"}
)

func (c *itemChecker) selectPhrase(it *bank.Item) {
	stem := c.node("/stem")
	switch it.Type {
	case bank.TypeSingle:
		if !strings.Contains(it.Stem, "(") {
			return // the cheap test: a select phrase starts with "("
		}
		if loc := selectAnyRE.FindStringIndex(it.Stem); loc != nil {
			c.atPos(c.textPos(stem, loc[0]), rules.SelectPhrase, "a single-answer stem must not say %q; remove it, or make the item type multiple", it.Stem[loc[0]:loc[1]])
		}
	case bank.TypeMultiple:
		n := len(it.Keys())
		m := selectExactRE.FindStringSubmatchIndex(it.Stem)
		if n < 2 {
			// answer-count reports the keys; the phrase can only be
			// judged once there are at least two of them.
			c.selectPhraseFewKeys(it, stem, m != nil)
			return
		}
		want := fmt.Sprint(n)
		if n < len(numberWords) {
			want = numberWords[n]
		}
		if m == nil {
			if loc := selectAnyRE.FindStringIndex(it.Stem); loc != nil {
				c.atPos(c.textPos(stem, loc[0]), rules.SelectPhrase, "write the select phrase exactly as \"(Select %s.)\", not %q", want, it.Stem[loc[0]:loc[1]])
				return
			}
			c.at(stem, rules.SelectPhrase, "a multiple-response stem must end with \"(Select %s.)\" for its %d correct options", want, n)
			return
		}
		if got := it.Stem[m[2]:m[3]]; got != want {
			c.atPos(c.textPos(stem, m[0]), rules.SelectPhrase, "the stem says \"(Select %s.)\" but the item has %d correct options; write \"(Select %s.)\"", got, n, want)
		}
	}
}

// selectPhraseFewKeys handles a multiple item with fewer than two keys:
// it never suggests "(Select ONE.)" or "(Select ZERO.)", which answer-count
// forbids; a well-formed phrase waits until the keys are fixed.
func (c *itemChecker) selectPhraseFewKeys(it *bank.Item, stem *yaml.Node, exact bool) {
	if exact {
		return
	}
	if loc := selectAnyRE.FindStringIndex(it.Stem); loc != nil {
		c.atPos(c.textPos(stem, loc[0]), rules.SelectPhrase, "write the select phrase exactly as \"(Select TWO.)\", \"(Select THREE.)\"..., with the number of correct options, not %q", it.Stem[loc[0]:loc[1]])
		return
	}
	c.at(stem, rules.SelectPhrase, "a multiple-response stem must end with \"(Select TWO.)\", \"(Select THREE.)\"... for its number of correct options; the item has %s, and type multiple needs at least two (answer-count)", finding.Plural(len(it.Keys()), "correct option"))
}

var activeStatuses = map[string]bool{bank.StatusReview: true, bank.StatusPretest: true, bank.StatusOperational: true}

func (c *itemChecker) missingWhy(it *bank.Item) {
	if !activeStatuses[it.Status] {
		return
	}
	for i, o := range it.Options {
		if strings.TrimSpace(o.Why) == "" {
			c.at(c.node(fmt.Sprintf("/options/%d", i)), rules.MissingWhy, "option %s has no why; status %s needs a why on every option (why it is right or wrong)", bank.Letter(i), it.Status)
		}
	}
}

// placeholderRE finds the marker that starts every placeholder of the
// qbank new template (package author).
var placeholderRE = regexp.MustCompile(`\bTODO\b`)

// placeholder reports the template's placeholders left in the fields
// reviewers and candidates see, from status review on.
func (c *itemChecker) placeholder(it *bank.Item) {
	if !activeStatuses[it.Status] {
		return
	}
	// The cheap test first: every match holds "TODO", and most texts do
	// not, so neither the expression nor the pointers below are built.
	check := func(ptr func() string, field func() string, text string) {
		if !strings.Contains(text, "TODO") {
			return
		}
		loc := placeholderRE.FindStringIndex(text)
		if loc == nil {
			return
		}
		n := c.node(ptr())
		p := finding.Pos{Line: 1, Column: 1}
		if n != nil {
			p = c.textPos(n, loc[0])
		}
		c.atPos(p, rules.Placeholder, "%s still holds the qbank new placeholder %q; status %s is seen by reviewers or candidates: write the real text", field(), excerpt(text[loc[0]:]), it.Status)
	}
	is := func(s string) func() string { return func() string { return s } }
	check(is("/stem"), is("the stem"), it.Stem)
	for i, o := range it.Options {
		check(func() string { return fmt.Sprintf("/options/%d/text", i) }, func() string { return "option " + bank.Letter(i) }, o.Text)
		check(func() string { return fmt.Sprintf("/options/%d/why", i) }, func() string { return "the why of option " + bank.Letter(i) }, o.Why)
	}
	check(is("/explanation"), is("the explanation"), it.Explanation)
}

// excerpt returns the first line of s, cut to 40 characters.
func excerpt(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	if utf8.RuneCountInString(s) > 40 {
		s = string([]rune(s)[:40]) + "..."
	}
	return s
}

func (c *itemChecker) references(it *bank.Item) {
	if (it.Status == bank.StatusPretest || it.Status == bank.StatusOperational) && len(it.References) == 0 {
		n := c.node("/references")
		if n == c.file.Doc.Content[0] {
			n = c.node("/status")
		}
		c.at(n, rules.MissingReference, "status %s needs at least one reference: add references: with an https URL to documentation that supports the key", it.Status)
	}
	for i, ref := range it.References {
		n := c.node(fmt.Sprintf("/references/%d", i))
		u, err := url.Parse(strings.TrimSpace(ref))
		switch {
		case err != nil || u.Host == "":
			c.at(n, rules.ReferenceURL, "reference %q is not a URL; use an https URL such as https://docs.aws.amazon.com/...", ref)
		case u.Scheme == "":
			c.at(n, rules.ReferenceURL, "reference %q has no scheme; write it as https://%s", ref, strings.TrimLeft(strings.TrimSpace(ref), "/"))
		case u.Scheme != "https":
			c.at(n, rules.ReferenceURL, "reference %q uses %s; use https", ref, u.Scheme)
		case !c.cfg.HostAllowed(u.Hostname()):
			c.at(n, rules.ReferenceURL, "reference host %s is not allowed; use %s (or add the host to references.allowed_hosts in .qbank.yaml)", u.Hostname(), strings.Join(c.cfg.AllowedHosts, " or "))
		}
	}
}

var bannedRE = regexp.MustCompile(`^(?:(?:all|none|any|both|neither|either)(?: of)?(?: the)? (?:above|options above|answers above|choices above|preceding|previous|these|those|them|options|answers)|all the above|(?:both |only |neither |either )?[a-f](?:, [a-f])*,? (?:and|nor|or|&) [a-f])$`)

func (c *itemChecker) bannedPhrase(it *bank.Item) {
	for i, o := range it.Options {
		t := strings.TrimRight(c.folded[i], ".!")
		t = strings.ReplaceAll(t, "“", "")
		if mayBeBanned(t) && bannedRE.MatchString(t) {
			fix := "write a real distractor (or make the item type multiple)"
			if it.Type == bank.TypeMultiple {
				fix = "write a real option in its place (a multiple-response item already lets candidates choose several)"
			}
			c.at(c.node(fmt.Sprintf("/options/%d/text", i)), rules.BannedPhrase, "option %s %q is banned by item-writing guidelines; %s", bank.Letter(i), o.Text, fix)
		}
	}
}

// mayBeBanned is a cheap test that bannedRE cannot match t otherwise: every
// banned phrase starts with a letter a-f, n(one, neither) or o(nly).
func mayBeBanned(t string) bool {
	return t != "" && (t[0] >= 'a' && t[0] <= 'f' || t[0] == 'n' || t[0] == 'o')
}

var negativeRE = regexp.MustCompile(`(?i)\b(not|except|least)\b`)

// mayBeNegative is a cheap test that negativeRE cannot match s otherwise:
// an ASCII text without "not", "except" or "least" in any case. Text with
// other bytes goes to the expression (case folding matches "ſ" to "s").
func mayBeNegative(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return true
		}
	}
	return containsFold(s, "not") || containsFold(s, "except") || containsFold(s, "least")
}

// containsFold reports whether the ASCII text s contains the lower-case
// ASCII word w in any case.
func containsFold(s, w string) bool {
	for i := 0; i+len(w) <= len(s); i++ {
		if s[i]|0x20 != w[0] {
			continue
		}
		if strings.EqualFold(s[i:i+len(w)], w) {
			return true
		}
	}
	return false
}

func (c *itemChecker) negativeStem(it *bank.Item) {
	if !mayBeNegative(it.Stem) {
		return
	}
	stem := c.node("/stem")
	for _, m := range negativeRE.FindAllStringIndex(it.Stem, -1) {
		word := it.Stem[m[0]:m[1]]
		if word == strings.ToUpper(word) {
			continue
		}
		if strings.EqualFold(word, "least") && m[0] >= 3 && strings.EqualFold(it.Stem[m[0]-3:m[0]], "at ") {
			continue
		}
		c.atPos(c.textPos(stem, m[0]), rules.NegativeStem, "negative %q must be written in capitals (%s) so no candidate misses it; or rephrase the stem positively", word, strings.ToUpper(word))
	}
}

func (c *itemChecker) selfEnemy(it *bank.Item) {
	for i, e := range it.Enemies {
		if e == it.ID {
			c.at(c.node(fmt.Sprintf("/enemies/%d", i)), rules.EnemyRef, "%s lists itself as an enemy; remove it", e)
		}
	}
}

func (c *itemChecker) keyLength(it *bank.Item) {
	longest := 0
	for _, o := range it.Options {
		if !o.Correct {
			longest = max(longest, utf8.RuneCountInString(strings.TrimSpace(o.Text)))
		}
	}
	if longest == 0 {
		return
	}
	for i, o := range it.Options {
		n := utf8.RuneCountInString(strings.TrimSpace(o.Text))
		if o.Correct && n*2 >= longest*3 && n-longest >= 20 {
			c.at(c.node(fmt.Sprintf("/options/%d/text", i)), rules.KeyLength, "key %s is %d characters, the longest distractor %d; test-wise candidates pick the long option: shorten the key or lengthen the distractors", bank.Letter(i), n, longest)
		}
	}
}

func domainIDs(ds []blueprint.Domain) []string {
	ids := make([]string, len(ds))
	for i, d := range ds {
		ids[i] = d.ID
	}
	return ids
}
