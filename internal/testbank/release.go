package testbank

import (
	"fmt"
	"strings"
	"testing"
)

// ReleaseExam is the blueprint of the release bank: domains alpha and beta (50 % each), spec mini
// (2 scored, 2 pretest: one of each per domain); the passing standard is
// raw 1 of 2 on TST-01-MINI-A.
const ReleaseExam = `exam: TST-01
title: Test exam
options: {single: 4, multiple_min: 5}
scale: {min: 100, max: 1000, pass: 700, cut: {form: TST-01-MINI-A, raw: 1}}
domains:
  - id: alpha
    name: Alpha things
    weight: 50
    prefix: AL
    tasks:
      - {id: "1.1", title: Know alpha.}
  - id: beta
    name: Beta things
    weight: 50
    prefix: BE
    tasks:
      - {id: "2.1", title: Know beta.}
forms:
  - {id: mini, title: Mini practice exam, scored: 2, pretest: 2, minutes: 5}
`

// releaseTopics give every item of the release bank a distinct stem.
var releaseTopics = map[string]string{
	"AL-0001": "object storage for static websites",
	"AL-0002": "block volumes attached to compute instances",
	"AL-0003": "archival tiers for compliance records",
	"AL-0101": "message queues between microservices",
	"AL-0102": "content delivery close to viewers",
	"BE-0001": "relational databases with automated backups",
	"BE-0002": "key-value tables with single-digit latency",
	"BE-0101": "data warehouses for analytics queries",
	"BE-0102": "graph databases for social networks",
}

// ReleaseItem returns the YAML of a valid single item of the release bank. The lines are stable:
// 1 id, 2 revision, 3 status, 4 domain, 5 task, 6 type, 7 stem: |, 8 the
// stem, 9 options:, 10-12 option A (correct), 13-14 B, 15-16 C, 17-18 D,
// 19 explanation, 20 references:, 21 the reference.
func ReleaseItem(id, status string) string {
	domain := "alpha"
	task := "1.1"
	if strings.HasPrefix(id, "BE-") {
		domain, task = "beta", "2.1"
	}
	topic := releaseTopics[id]
	if topic == "" {
		topic = "the service behind " + id
	}
	return fmt.Sprintf(`id: %s
revision: 1
status: %s
domain: %s
task: "%s"
type: single
stem: |
  A company plans %s. Which service fits the plan?
options:
  - text: A managed service built for this case.
    correct: true
    why: It is built for this.
  - text: A service for sending e-mail.
    why: It sends e-mail only.
  - text: A service for DNS records.
    why: It resolves names only.
  - text: A service for user sign-in.
    why: It handles identities only.
explanation: The managed service is the right fit.
references:
  - https://docs.aws.amazon.com/whitepapers/latest/aws-overview/introduction.html
`, id, status, domain, task, topic)
}

// ReleaseMultipleItem returns the YAML of a valid multiple-response item (two keys:
// A and C, five options).
func ReleaseMultipleItem(id, status string) string {
	return fmt.Sprintf(`id: %s
revision: 1
status: %s
domain: alpha
task: "1.1"
type: multiple
stem: |
  A company stores %s. Which actions lower the cost? (Select TWO.)
options:
  - text: Move old objects to a colder tier.
    correct: true
    why: Colder tiers cost less per gigabyte.
  - text: Copy every object to a second Region.
    why: Copies double the storage cost.
  - text: Delete objects after their retention period.
    correct: true
    why: Deleted objects cost nothing.
  - text: Turn on versioning for every bucket.
    why: Versions add storage.
  - text: Request a dedicated host.
    why: Hosts are for compute, not storage.
explanation: Tiering and expiry both lower storage cost.
references:
  - https://docs.aws.amazon.com/whitepapers/latest/aws-overview/introduction.html
`, id, status, releaseTopics[id])
}

// FormA and FormB are the two forms: each one scored and one pretest item
// per domain, scored and pretest interleaved.
const (
	FormA = `form: TST-01-MINI-A
version: 1
exam: TST-01
spec: mini
seed: 7
items:
  - {id: AL-0003, revision: 1, role: scored}
  - {id: BE-0101, revision: 1, role: pretest}
  - {id: BE-0001, revision: 1, role: scored}
  - {id: AL-0101, revision: 1, role: pretest}
`
	FormB = `form: TST-01-MINI-B
version: 1
exam: TST-01
spec: mini
seed: 8
items:
  - {id: AL-0102, revision: 1, role: pretest}
  - {id: BE-0002, revision: 1, role: scored}
  - {id: AL-0002, revision: 1, role: scored}
  - {id: BE-0102, revision: 1, role: pretest}
`
)

// ReleaseFiles returns the release bank's files by path relative to the bank directory.
func ReleaseFiles() map[string]string {
	files := map[string]string{
		"exam.yaml":                ReleaseExam,
		"forms/TST-01-MINI-A.yaml": FormA,
		"forms/TST-01-MINI-B.yaml": FormB,
		"items/alpha/AL-0003.yaml": ReleaseMultipleItem("AL-0003", "operational"),
		"items/alpha/AL-0001.yaml": ReleaseItem("AL-0001", "operational"),
		"items/alpha/AL-0002.yaml": ReleaseItem("AL-0002", "operational"),
		"items/alpha/AL-0101.yaml": ReleaseItem("AL-0101", "pretest"),
		"items/alpha/AL-0102.yaml": ReleaseItem("AL-0102", "pretest"),
		"items/beta/BE-0001.yaml":  ReleaseItem("BE-0001", "operational"),
		"items/beta/BE-0002.yaml":  ReleaseItem("BE-0002", "operational"),
		"items/beta/BE-0101.yaml":  ReleaseItem("BE-0101", "pretest"),
		"items/beta/BE-0102.yaml":  ReleaseItem("BE-0102", "pretest"),
	}
	return files
}

// ReleaseBank writes the release bank into a new temporary directory and
// returns its path.
func ReleaseBank(t testing.TB) string {
	t.Helper()
	return WriteFiles(t, t.TempDir(), ReleaseFiles())
}
