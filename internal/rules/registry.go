// Package rules is the one registry of qbank's rules. Every rule id that a
// finding can carry (the loader's yaml, schema and blueprint, lint's and
// check's rules, revision-bump, suppression, bundle, and whatever comes
// next) is declared here once, with its default severity, a one-line
// summary and a paragraph of documentation. Code that reports a rule uses
// its declaration (rules.AnswerCount.ID, rules.AnswerCount.Severity), never
// a string literal, so grepping a rule id finds its declaration, and
// grepping the declaration's name finds the code that emits it and its
// tests.
//
// `qbank rules`, the configuration's list of known ids, SARIF rule metadata
// and the rule tables of the documentation (go generate ./internal/rules)
// all come from this registry.
//
// # Adding a rule
//
// Append one declaration to the block of its group below, in the order the
// documentation should list it:
//
//	// PossibleMiskey is reported by qbank analyze.
//	PossibleMiskey = def(Analyze, "possible-miskey", finding.Warning,
//		"One-line summary, ending with a full stop.",
//		"A paragraph: what the rule checks, why, and how to fix a finding.")
//
// That is the whole change: the rule is then listed by `qbank rules`,
// accepted in .qbank.yaml, described in SARIF output, and (after go generate
// ./internal/rules) in the documentation's table of its group. A command
// selects the rules it reports with In(groups...). A new command gets a
// new Group constant (append it to the list below) and a table marker in
// the docs (see RewriteTables in docs.go).
package rules

import "github.com/qbank/qbank/internal/finding"

// Group says which command reports a rule; a command lists its groups' rules
// in SARIF output, and the documentation has one table per group.
type Group string

// Groups, in documentation order. Append new ones at the end.
const (
	// Load rules are reported while a bank is read (package bank,
	// blueprint, schemacheck): by every command that loads a bank.
	Load Group = "load"
	// Lint rules are reported by qbank lint on item files.
	Lint Group = "lint"
	// Check rules are reported by qbank check on the bank's composition and
	// its forms.
	Check Group = "check"
	// Release rules stop qbank bundle from building a release.
	Release Group = "release"
	// Response rules are reported on candidate response files.
	Response Group = "response"
	// Analyze rules are the flags of qbank analyze (item statistics).
	Analyze Group = "analyze"
)

var groups = []Group{Load, Lint, Check, Release, Response, Analyze}

// entry is a declared rule and its group.
type entry struct {
	group Group
	rule  finding.Rule
}

// registry holds every declaration in declaration order. It is filled while
// the package's variables are initialised (Go initialises them in
// declaration order, and each declaration depends on registry through def)
// and never changed afterwards.
var registry []entry

// def declares a rule of group g and returns it.
func def(g Group, id string, sev finding.Severity, summary, doc string) finding.Rule {
	r := finding.Rule{ID: id, Severity: sev, Summary: summary, Doc: doc}
	registry = append(registry, entry{g, r})
	return r
}

// Load rules.
var (
	YAML = def(Load, "yaml", finding.Error,
		"The file is not parseable YAML, or is empty.",
		"An item file must be one YAML document holding a mapping, in UTF-8. The rule reports syntax errors at the line where the problem is (not only where the enclosing block starts), invalid UTF-8 and binary content at the first bad byte, duplicate mapping keys at the repeated key, more than one document, excessive alias expansion (\"billion laughs\"), files over the size limit, and files that cannot be read (permissions, symlink loops, non-regular files).")
	Schema = def(Load, "schema", finding.Error,
		"The file violates its JSON Schema (item, exam, form or stats).",
		"Each file is validated against the embedded schema for its kind (qbank schema item|exam|form|stats prints it). Each problem is reported at the key or value at fault; a missing required property is reported at the mapping that lacks it, an unknown property at its key (with the closest known name).")
	Blueprint = def(Load, "blueprint", finding.Error,
		"exam.yaml is inconsistent (weights, duplicate ids, scale).",
		"The blueprint's domain weights must sum to exactly 100; domain ids, id prefixes, task ids within a domain and form spec ids must be unique; the pass score must lie on the scale. An invalid blueprint stops every command (exit status 2).")
)

// Lint rules.
var (
	IDFilename = def(Lint, "id-filename", finding.Error,
		"The file name is not <id>.yaml, or the file is not in its domain's folder.",
		"An item with id SEC-0042 and domain security-compliance lives in items/security-compliance/SEC-0042.yaml. Tools find items by this path, so rename the file or fix the id or domain.")
	DuplicateID = def(Lint, "duplicate-id", finding.Error,
		"Two files declare the same id.",
		"Item ids are unique and never reused, even after an item is retired. Give the newer item the next free id (qbank new allocates one).")
	UnknownDomain = def(Lint, "unknown-domain", finding.Error,
		"The item's domain is not a domain of exam.yaml.",
		"domain must be one of the domains[].id values of the blueprint.")
	UnknownTask = def(Lint, "unknown-task", finding.Error,
		"The item's task is not a task statement of its domain.",
		"task must be one of the tasks[].id values of the item's domain in the blueprint, written as a quoted string such as \"2.1\".")
	AnswerCount = def(Lint, "answer-count", finding.Error,
		"Wrong number of keys for the item type.",
		"A single (multiple-choice) item has exactly one correct option. A multiple (multiple-response) item has at least two correct options and at least one incorrect one.")
	OptionCount = def(Lint, "option-count", finding.Error,
		"Wrong number of options for the item type.",
		"A single item has exactly options.single options (4 for CLF-C02); a multiple item has at least options.multiple_min (5 for CLF-C02), as in the real exam.")
	DuplicateOption = def(Lint, "duplicate-option", finding.Error,
		"Two options have the same text.",
		"Options are compared case-insensitively with runs of white space folded. Two identical options are either both right or both wrong, and give the item away.")
	SelectPhrase = def(Lint, "select-phrase", finding.Error,
		"The stem does not say how many options to select, or says it wrongly.",
		"A multiple stem says \"(Select TWO.)\", \"(Select THREE.)\"... with the number equal to its correct options, written exactly so; a single stem does not contain \"(Select\".")
	MissingWhy = def(Lint, "missing-why", finding.Error,
		"An option has no why on an item in review or later.",
		"From status review on, every option carries a why: the rationale shown on the review screen, and the reviewer's evidence that the key is right and each distractor wrong.")
	MissingReference = def(Lint, "missing-reference", finding.Error,
		"A pretest or operational item has no references.",
		"Items that candidates see must cite at least one source that supports the key.")
	ReferenceURL = def(Lint, "reference-url", finding.Error,
		"A reference is not an https URL on an allowed host.",
		"References are https URLs on a host of the allow list (default docs.aws.amazon.com and aws.amazon.com; set references.allowed_hosts in .qbank.yaml; \"*.example.com\" allows subdomains).")
	BannedPhrase = def(Lint, "banned-phrase", finding.Error,
		"An option is \"All of the above\", \"None of the above\", \"Both A and B\" or the like.",
		"Item-writing guidelines forbid these options: they reward partial knowledge, depend on option order (which delivery may shuffle) and cannot be scored as multiple response.")
	NegativeStem = def(Lint, "negative-stem", finding.Error,
		"NOT, EXCEPT or LEAST in a stem is not in capitals.",
		"Negatively worded stems are easy to misread; when one is needed, the negative word is written in capitals so no candidate misses it. \"at least\" is not a negative and is allowed. Better still, rephrase the stem positively.")
	EnemyRef = def(Lint, "enemy-ref", finding.Error,
		"An enemy id names no item, or the item itself.",
		"enemies lists ids of items that must never share a form with this one; each must be the id of another item in the bank (retired ones included).")
	NearDuplicate = def(Lint, "near-duplicate", finding.Warning,
		"A stem is very similar to another item's stem.",
		"Stems are compared as sets of word bigrams (lower-cased, punctuation dropped) by Jaccard similarity, the classic near-duplicate measure: it ignores layout, tolerates small edits and penalises shared boilerplate only in proportion. Pairs at or above the threshold (default 0.7, set near_duplicate.threshold in .qbank.yaml) are reported; at 0.7 two 40-word stems differ by about three words. Candidate pairs are found with an inverted index and prefix filtering (rare bigrams first), which is exact and near-linear on real text, so it stays fast on 100,000 items. Rewrite one stem, or make the two items enemies and suppress the finding with a reason.")
	KeyLength = def(Lint, "key-length", finding.Warning,
		"The correct option is conspicuously longer than every distractor.",
		"Test-wise candidates pick the longest option. The rule fires when a correct option is at least 1.5 times as long as the longest distractor and at least 20 characters longer. Shorten the key or lengthen the distractors.")
	Suppression = def(Lint, "suppression", finding.Warning,
		"A qbank:ignore comment has no reason or names an unknown rule.",
		"A finding is suppressed by a YAML comment \"# qbank:ignore RULE[,RULE] -- reason\" on the line of the finding or the line above (a real comment: the same text inside a block scalar or a quoted string is part of the item). The reason is required, so that reviewers can judge the exception later.")
	RevisionBump = def(Lint, "revision-bump", finding.Error,
		"An operational item's candidate-visible content changed since a git revision, but its revision did not increase.",
		"Only with qbank lint --since REV (lint.Options.Since, package revcheck). Every change a candidate would see (the stem, the option texts and their order, which options are correct) needs revision +1: the item's statistics (p-value, point-biserial) were measured on the old text and no longer hold, and forms pin revisions. The old version is read from git (git show REV:path); the finding is at the revision and its message holds the unified diff of what changed. Items new since REV, and edits to why, explanation, references or tags, are fine. In a shallow CI checkout REV must be fetched first; when it is missing, qbank says which git fetch brings it (it depends on whether REV is a tag, a branch or a commit). Like every lint rule it is suppressed by a qbank:ignore comment with a reason on the revision line or the line above (for a fix of a typo that changes nothing a candidate would answer), and its severity is set in .qbank.yaml.")
	Placeholder = def(Lint, "placeholder", finding.Error,
		"A field of an item in review or later still holds a qbank new placeholder (TODO).",
		"qbank new writes a draft whose stem, option texts, whys and explanation are placeholders starting with TODO. From status review on, each of these fields is seen by reviewers or candidates, so the word TODO (in capitals, as a whole word) anywhere in one of them is an error, at the word. Write the real text; a draft may keep its placeholders.")
	ProbableEnemy = def(Lint, "probable-enemy", finding.Warning,
		"Two items that are not enemies say the same thing in other words, or share a key.",
		"Two items that test the same fact, or where one gives the other away, must not share a form: declare them enemies (enemies: [ID] in both). The rule compares each item's stem and key texts as TF-IDF vectors of content words (lower-cased, stop words dropped, plural s folded; words in every item weigh nothing, rare words most) by cosine, which catches reworded pairs that near-duplicate's word bigrams miss. A pair is reported at the stem of the later item when the cosine reaches probable_enemy.threshold (default 0.4), or, when one item's key text is also the other's key (a cue), probable_enemy.cue_threshold (default 0.35); set both in .qbank.yaml. Retired items, and pairs that near-duplicate already reports, are left out. The search uses an inverted index with exact pruning, so it stays fast on 100,000 items. Declare the enemies, or reword one item; when the two are unrelated, suppress the finding with a reason (docs/probable-enemy.md).")
)

// Check rules.
var (
	Supply = def(Check, "supply", finding.Error,
		"A domain has too few operational or pretest items for the forms the program needs.",
		"For the form spec checked (full by default), each domain needs its apportioned share of scored items from operational items and of pretest items from pretest items. The rule is an error, at the domain in exam.yaml, when not even one form can be built; and a warning when the operational supply allows fewer forms with no shared scored item than the minimum asked for (qbank check --min-forms, default 2). Enemies are not taken into account: the count is an upper bound.")
	TaskCoverage = def(Check, "task-coverage", finding.Warning,
		"A task statement of the blueprint has no operational item.",
		"Every task statement of the exam guide should be tested. A task with no operational item cannot appear on any form; write items for it (or promote pretest items with good statistics). Reported at the task in exam.yaml.")
	FormHeader = def(Check, "form-header", finding.Error,
		"A form's exam, spec or id does not match the bank.",
		"A form names the bank's exam code and one of the form specs of exam.yaml; its id is unique in the bank and its file is forms/<id>.yaml. A form with an unknown spec cannot be checked further.")
	FormCount = def(Check, "form-count", finding.Error,
		"A form does not have exactly the spec's scored and pretest counts.",
		"A form has exactly the spec's number of scored items (role scored) and of pretest items (role pretest), for example 50 and 15 for a CLF-C02 full form. A surplus is reported at the first entry beyond the count, a shortfall at the item list.")
	FormDomainMix = def(Check, "form-domain-mix", finding.Error,
		"A form's domain counts differ from the apportioned counts.",
		"The scored items of a form match the blueprint's weights apportioned to the spec's scored count by the largest-remainder rule of FORMAT.md (12/15/17/6 for CLF-C02's 50), and the pretest items match the apportioned pretest count (4/4/5/2 for 15). A surplus is reported at the first entry of the domain beyond its count, a shortfall at the item list.")
	FormStatus = def(Check, "form-status", finding.Error,
		"A scored item is not operational, or a pretest item is not pretest.",
		"Only operational items fill scored slots and only pretest items fill pretest slots. A retired item may not stay on a form that is still delivered: produce the next version with qbank assemble --replace FORM.")
	FormRevision = def(Check, "form-revision", finding.Error,
		"A form pins a revision that is not the item's current revision.",
		"A form pins each item's revision. When an item file is revised, the pin no longer describes what candidates would see: review the change and produce the next form version (qbank assemble --replace FORM re-pins eligible items and replaces the others). A pin newer than the item file is an error too.")
	FormItem = def(Check, "form-item", finding.Error,
		"A form names an item that is not in the bank, or names one item twice.",
		"Every entry of a form names an item of the bank whose file loads without schema errors, and no item appears twice on a form.")
	FormEnemy = def(Check, "form-enemy", finding.Error,
		"Two items on a form are enemies.",
		"Items listed in each other's enemies (either side is enough) give each other away and may never share a form. Reported at the later of the two entries.")
	FormPretestOrder = def(Check, "form-pretest-order", finding.Warning,
		"A form's pretest items are bunched together, so their position gives them away.",
		"Pretest items are unscored, and candidates must not be able to tell them from scored items; their place in the delivery order must not tell either. The rule fires when three or more pretest items follow each other, when all of them sit in the first or the last third of the form, or when as a whole they sit towards one end: their mean position is further from the middle than three standard deviations of a random placement (0.29/sqrt(P) of the form's length for P pretest items). The last two are checked from three pretest items on. qbank assemble interleaves them evenly.")
	ScaleCut = def(Check, "scale-cut", finding.Error,
		"exam.yaml's passing standard (scale.cut) cannot be resolved on the bank.",
		"A cut {form, raw} names a committed form (forms/<form>.yaml) whose scored items are all in the bank, and a raw score from 0 to its number of scored items. theta_cut is theta(raw) on that form (FORMAT.md, \"Raw score to scaled score\"); without it no form can be scaled and no bundle built. qbank standard --write replaces the cut by {theta: ...}, which needs no form.")
	FormCutSpread = def(Check, "form-cut-spread", finding.Warning,
		"Forms of one spec are not parallel near the cut.",
		"The same ability gets the same scaled score on every form, so forms may differ in difficulty; but a candidate should not need noticeably more correct answers on one form than on another. The rule warns when the cut raw scores of the forms of one spec differ by more than 2 points, or when their test characteristic curves (expected raw score by ability) differ by more than 3 % of the scored items (at least 1 point; 1.5 on a 50-item form) at theta_cut - 1, - 0.5, 0, + 0.5 or + 1 logit. It is reported at the form farthest from the others; reassemble it (qbank assemble --replace) or adjust the item mix. Forms on a provisional scale are compared on their provisional difficulties.")
	StaleStats = def(Check, "stale-stats", finding.Warning,
		"A scored item's statistics in stats.yaml are for another revision.",
		"stats.yaml describes the revision it was measured on and nothing else. When a scored item has been revised since, its measured b no longer applies: its conversion tables use the provisional b of its authored difficulty until qbank analyze measures the new revision. Reported at the item's entry in stats.yaml.")
	FormVersion = def(Check, "form-version", finding.Error,
		"A form's entries changed since its committed or released version, but its version did not increase.",
		"Responses and item statistics are keyed by form, version and position, so a form version is one fixed list: which items, in which order, at which pinned revisions, in which roles. qbank check compares every form with its version at git HEAD when the bank is in a git work tree (--since REV compares with another revision, read as lint --since reads items), and with the forms of a release bundle given with --bundle PATH; qbank bundle compares with HEAD. A form that differs from the earlier version while its version is the same or lower is an error at its version, naming the first changed positions: set the next version, or restore the entries. New forms and forms whose version went up are fine (package formversion).")
)

// Release rules.
var (
	BundleContent = def(Release, "bundle", finding.Error,
		"A form cannot be bundled: it names an item the bank lacks or pins a revision the bank no longer has.",
		"qbank bundle copies each form's items at their pinned revisions into the release. An item that is missing (or whose file is broken), a pin that is not the item's current revision (the pinned content no longer exists), a form id that cannot name a file or a spec exam.yaml lacks stops the bundle. Re-review the item and produce the next form version (qbank assemble --replace FORM), then bundle again.")
)

// Response rules.
var (
	ResponseRecord = def(Response, "response", finding.Error,
		"A response record cannot be used: it is skipped and counted.",
		"A record of a responses file (JSONL or long CSV, read by qbank analyze and qbank score) names an unknown bundle or form, has the wrong number of answers, a position out of range or answered twice, a letter the item does not have, several letters for a single-answer item, a repeated attempt id, a missing field, CSV rows of one attempt that disagree on candidate, bundle or form, a line longer than the limit, or is not valid JSON or CSV. The finding is at the record's line (for CSV, the offending row). The record is skipped and every good record is still used; the command exits 1 unless --max-rejects allows the number of rejected records. Fix the export of the delivery site, or pass the bundle the attempts were delivered from with --bundle.")
)

// Analyze rules: the flags of qbank analyze on an item revision
// (package analysis; thresholds from .qbank.yaml, defaults below;
// docs/analysis-methods.md has the formulas).
var (
	PossibleMiskey = def(Analyze, "possible-miskey", finding.Warning,
		"A distractor discriminates better than the key: the key may be wrong.",
		"The option point-biserial of a distractor (\"chose this option\" 0/1 against the criterion: the rest of the scored score, or the whole scored score for a pretest item) is above zero and above the item's corrected point-biserial. Strong candidates prefer that option: check the key against the references; if the key is right, the distractor is probably defensible and needs rewriting.")
	DistractorPositive = def(Analyze, "distractor-positive", finding.Warning,
		"A distractor chosen by at least 5 % of the responses has a positive point-biserial.",
		"High scorers pick a wrong option: it is ambiguous, or a second right answer under some reading. The share is analysis.distractor_positive_share (default 0.05). Rewrite the distractor so that it is clearly wrong to a candidate who knows the topic.")
	NegativeDiscrimination = def(Analyze, "negative-discrimination", finding.Warning,
		"The corrected point-biserial is below zero.",
		"Candidates who do well on the rest of the exam get this item wrong more often than weak ones: a miskey, an ambiguous stem or outdated content. Review before the item counts again.")
	LowDiscrimination = def(Analyze, "low-discrimination", finding.Warning,
		"The corrected point-biserial is between 0 and 0.15.",
		"The item hardly separates strong from weak candidates, so it adds little to the score's reliability. Threshold analysis.low_discrimination (default 0.15). Review the distractors and the stem; an item that is too easy or too hard also discriminates little.")
	TooEasy = def(Analyze, "too-easy", finding.Warning,
		"More than 95 % of the responses are correct.",
		"The p-value is above analysis.too_easy (default 0.95): the item tells almost nothing about the candidates. Make the distractors more plausible or retire the item.")
	TooHard = def(Analyze, "too-hard", finding.Warning,
		"The p-value is below chance + 0.05.",
		"Chance is 1 / C(options, keys) (0.25 for a single item with four options; 0.1 for a multiple item with two keys among five options). Candidates do no better than guessing: check the key, the content and whether the topic is in the exam guide. Margin analysis.too_hard_margin (default 0.05).")
	NonfunctionalDistractor = def(Analyze, "nonfunctional-distractor", finding.Warning,
		"A distractor is chosen by fewer than 5 % of the responses.",
		"A distractor nobody picks does not work as a distractor: the item is easier than its option count suggests. Threshold analysis.nonfunctional_distractor (default 0.05). Replace it with a plausible misconception.")
	HighOmit = def(Analyze, "high-omit", finding.Warning,
		"More than 5 % of the responses are omitted.",
		"Candidates skip the item: it may be unclear, too long or placed where time runs out. Threshold analysis.high_omit (default 0.05).")
	Misfit = def(Analyze, "misfit", finding.Warning,
		"The Rasch infit or outfit mean square is outside 0.7..1.3.",
		"Above 1.3 the responses are noisier than the Rasch model expects (guessing, a second right answer, content outside the construct); below 0.7 they are more predictable than expected (often a very discriminating or dependent item). Limits analysis.misfit_low and analysis.misfit_high.")
	NotCalibrated = def(Analyze, "not-calibrated", finding.Warning,
		"The item has no Rasch difficulty: everyone answered it right (or wrong), or no calibrated candidate saw it.",
		"Conditional maximum likelihood has no finite estimate for an item that every candidate with a non-extreme score answered the same way. The other items are calibrated without it. Such an item cannot be used for scaled scores until it has varied responses.")
	FewResponses = def(Analyze, "few-responses", finding.Warning,
		"Fewer than 200 responses: the statistics are shown but too unstable to act on.",
		"With few responses a p-value or point-biserial moves by 0.05 or more from sample to sample. Threshold analysis.min_responses (default 200); qbank promote does not promote an item with this flag.")
)

// All returns every rule, in documentation order.
func All() []finding.Rule { return In(groups...) }

// In returns the rules of the given groups, in documentation order (the
// order of the groups does not matter).
func In(gs ...Group) []finding.Rule {
	want := map[Group]bool{}
	for _, g := range gs {
		want[g] = true
	}
	var out []finding.Rule
	for _, e := range registry {
		if want[e.group] {
			out = append(out, e.rule)
		}
	}
	return out
}

// Known returns the set of every rule id, for validating configuration.
func Known() map[string]bool {
	known := map[string]bool{}
	for _, e := range registry {
		known[e.rule.ID] = true
	}
	return known
}
