// Package lint checks a question bank: it loads the bank through package
// bank, runs the rules below on every item file while its YAML tree is in
// hand (so findings point at the exact node at fault), then runs the rules
// that compare items (duplicate ids, enemies, near-duplicate stems), applies
// the configured severities and the inline suppressions, and returns the
// findings. Every other qbank command loads the bank through Run.
package lint

import (
	"github.com/qbank/qbank/internal/finding"
)

// Rule ids.
const (
	RuleYAML             = "yaml"
	RuleSchema           = "schema"
	RuleBlueprint        = "blueprint"
	RuleIDFilename       = "id-filename"
	RuleDuplicateID      = "duplicate-id"
	RuleUnknownDomain    = "unknown-domain"
	RuleUnknownTask      = "unknown-task"
	RuleAnswerCount      = "answer-count"
	RuleOptionCount      = "option-count"
	RuleDuplicateOption  = "duplicate-option"
	RuleSelectPhrase     = "select-phrase"
	RuleMissingWhy       = "missing-why"
	RuleMissingReference = "missing-reference"
	RuleReferenceURL     = "reference-url"
	RuleBannedPhrase     = "banned-phrase"
	RuleNegativeStem     = "negative-stem"
	RuleEnemyRef         = "enemy-ref"
	RuleNearDuplicate    = "near-duplicate"
	RuleKeyLength        = "key-length"
	RuleSuppression      = "suppression"
	RuleRevisionBump     = "revision-bump"
	RuleProbableEnemy    = "probable-enemy"
)

var rules = finding.RuleSet{
	rule(RuleYAML, finding.Error, "The file is not parseable YAML, or is empty.",
		"An item file must be one YAML document holding a mapping, in UTF-8. The rule reports syntax errors at the line where the problem is (not only where the enclosing block starts), invalid UTF-8 and binary content at the first bad byte, duplicate mapping keys at the repeated key, more than one document, excessive alias expansion (\"billion laughs\"), files over the size limit, and files that cannot be read (permissions, symlink loops, non-regular files)."),
	rule(RuleSchema, finding.Error, "The file violates its JSON Schema (item, exam, form or stats).",
		"Each file is validated against the embedded schema for its kind (qbank schema item|exam|form|stats prints it). Each problem is reported at the key or value at fault; a missing required property is reported at the mapping that lacks it, an unknown property at its key (with the closest known name)."),
	rule(RuleBlueprint, finding.Error, "exam.yaml is inconsistent (weights, duplicate ids, scale).",
		"The blueprint's domain weights must sum to exactly 100; domain ids, id prefixes, task ids within a domain and form spec ids must be unique; the pass score must lie on the scale. An invalid blueprint stops every command (exit status 2)."),
	rule(RuleIDFilename, finding.Error, "The file name is not <id>.yaml, or the file is not in its domain's folder.",
		"An item with id SEC-0042 and domain security-compliance lives in items/security-compliance/SEC-0042.yaml. Tools find items by this path, so rename the file or fix the id or domain."),
	rule(RuleDuplicateID, finding.Error, "Two files declare the same id.",
		"Item ids are unique and never reused, even after an item is retired. Give the newer item the next free id (qbank new allocates one)."),
	rule(RuleUnknownDomain, finding.Error, "The item's domain is not a domain of exam.yaml.",
		"domain must be one of the domains[].id values of the blueprint."),
	rule(RuleUnknownTask, finding.Error, "The item's task is not a task statement of its domain.",
		"task must be one of the tasks[].id values of the item's domain in the blueprint, written as a quoted string such as \"2.1\"."),
	rule(RuleAnswerCount, finding.Error, "Wrong number of keys for the item type.",
		"A single (multiple-choice) item has exactly one correct option. A multiple (multiple-response) item has at least two correct options and at least one incorrect one."),
	rule(RuleOptionCount, finding.Error, "Wrong number of options for the item type.",
		"A single item has exactly options.single options (4 for CLF-C02); a multiple item has at least options.multiple_min (5 for CLF-C02), as in the real exam."),
	rule(RuleDuplicateOption, finding.Error, "Two options have the same text.",
		"Options are compared case-insensitively with runs of white space folded. Two identical options are either both right or both wrong, and give the item away."),
	rule(RuleSelectPhrase, finding.Error, "The stem does not say how many options to select, or says it wrongly.",
		"A multiple stem says \"(Select TWO.)\", \"(Select THREE.)\"... with the number equal to its correct options, written exactly so; a single stem does not contain \"(Select\"."),
	rule(RuleMissingWhy, finding.Error, "An option has no why on an item in review or later.",
		"From status review on, every option carries a why: the rationale shown on the review screen, and the reviewer's evidence that the key is right and each distractor wrong."),
	rule(RuleMissingReference, finding.Error, "A pretest or operational item has no references.",
		"Items that candidates see must cite at least one source that supports the key."),
	rule(RuleReferenceURL, finding.Error, "A reference is not an https URL on an allowed host.",
		"References are https URLs on a host of the allow list (default docs.aws.amazon.com and aws.amazon.com; set references.allowed_hosts in .qbank.yaml; \"*.example.com\" allows subdomains)."),
	rule(RuleBannedPhrase, finding.Error, "An option is \"All of the above\", \"None of the above\", \"Both A and B\" or the like.",
		"Item-writing guidelines forbid these options: they reward partial knowledge, depend on option order (which delivery may shuffle) and cannot be scored as multiple response."),
	rule(RuleNegativeStem, finding.Error, "NOT, EXCEPT or LEAST in a stem is not in capitals.",
		"Negatively worded stems are easy to misread; when one is needed, the negative word is written in capitals so no candidate misses it. \"at least\" is not a negative and is allowed. Better still, rephrase the stem positively."),
	rule(RuleEnemyRef, finding.Error, "An enemy id names no item, or the item itself.",
		"enemies lists ids of items that must never share a form with this one; each must be the id of another item in the bank (retired ones included)."),
	rule(RuleNearDuplicate, finding.Warning, "A stem is very similar to another item's stem.",
		"Stems are compared as sets of word bigrams (lower-cased, punctuation dropped) by Jaccard similarity, the classic near-duplicate measure: it ignores layout, tolerates small edits and penalises shared boilerplate only in proportion. Pairs at or above the threshold (default 0.7, set near_duplicate.threshold in .qbank.yaml) are reported; at 0.7 two 40-word stems differ by about three words. Candidate pairs are found with an inverted index and prefix filtering (rare bigrams first), which is exact and near-linear on real text, so it stays fast on 100,000 items. Rewrite one stem, or make the two items enemies and suppress the finding with a reason."),
	rule(RuleProbableEnemy, finding.Warning, "Two items that are not enemies say the same thing in other words, or share a key.",
		"Two items that test the same fact, or where one gives the other away, must not share a form: declare them enemies (enemies: [ID] in both). The rule compares each item's stem and key texts as TF-IDF vectors of content words (lower-cased, stop words dropped, plural s folded; words in every item weigh nothing, rare words most) by cosine, which catches reworded pairs that near-duplicate's word bigrams miss. A pair is reported at the stem of the later item when the cosine reaches probable_enemy.threshold (default 0.4), or, when one item's key text is also the other's key (a cue), probable_enemy.cue_threshold (default 0.35); set both in .qbank.yaml. Retired items are left out. The search uses an inverted index with exact pruning, so it stays fast on 100,000 items. Declare the enemies, or reword one item; when the two are unrelated, suppress the finding with a reason (docs/probable-enemy.md)."),
	rule(RuleKeyLength, finding.Warning, "The correct option is conspicuously longer than every distractor.",
		"Test-wise candidates pick the longest option. The rule fires when a correct option is at least 1.5 times as long as the longest distractor and at least 20 characters longer. Shorten the key or lengthen the distractors."),
	rule(RuleSuppression, finding.Warning, "A qbank:ignore comment has no reason or names an unknown rule.",
		"A finding is suppressed by a YAML comment \"# qbank:ignore RULE[,RULE] -- reason\" on the line of the finding or the line above (a real comment: the same text inside a block scalar or a quoted string is part of the item). The reason is required, so that reviewers can judge the exception later."),
	rule(RuleRevisionBump, finding.Error, "An operational item's candidate-visible content changed since a git revision, but its revision did not increase.",
		"Only with qbank lint --since REV (package revcheck). Every change a candidate would see (the stem, the option texts and their order, which options are correct) needs revision +1: the item's statistics (p-value, point-biserial) were measured on the old text and no longer hold, and forms pin revisions. The old version is read from git (git show REV:path); the finding is at the revision and its message holds the unified diff of what changed. Items new since REV, and edits to why, explanation, references or tags, are fine. In a shallow CI checkout REV must be fetched first; when it is missing, qbank says which git fetch brings it (it depends on whether REV is a tag, a branch or a commit). Inline qbank:ignore comments do not apply to it; set its severity in .qbank.yaml."),
}

func rule(id string, sev finding.Severity, summary, doc string) finding.Rule {
	return finding.Rule{ID: id, Severity: sev, Summary: summary, Doc: doc}
}

// Rules returns the lint rules in documentation order.
func Rules() []finding.Rule { return append([]finding.Rule(nil), rules...) }

// RuleIDs returns the lint rule ids, sorted.
func RuleIDs() []string { return rules.IDs() }

func defaultSeverity(id string) finding.Severity { return rules.Severity(id) }
