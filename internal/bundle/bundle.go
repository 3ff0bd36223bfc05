// Package bundle builds, writes, reads and verifies release bundles: the
// versioned, reproducible, tamper-evident packages of exam forms that the
// practice site consumes.
//
// A bundle is a directory <exam>-<version>/ (optionally also a .tar.gz of
// it) holding
//
//	manifest.json        what the bundle holds and the SHA-256 of every other file
//	SHA256SUMS           the same checksums for `sha256sum -c` (every file but itself)
//	manifest.sig         optional Ed25519 signature of manifest.json's bytes
//	forms/<FORM>.json    the candidate view: no key, nothing marking pretest items
//	keys/<FORM>.json     the answer key and review-screen content
//
// The trust chain is short: manifest.sig signs the bytes of manifest.json;
// manifest.json lists the size and SHA-256 of every forms/ and keys/ file
// and declares whether (and by which key) the bundle is signed; SHA256SUMS
// repeats the checksums of every file, manifest.json and manifest.sig
// included, for people and tools without qbank. Verify checks all of them
// and that no file is missing or extra.
//
// Reproducibility: a bundle is a pure function of the bank content, the
// flags, the tool version and SOURCE_DATE_EPOCH. JSON is written with sorted
// keys and fixed indentation, paths are sorted, file modes are fixed (0644
// and 0755), archive entries carry uid/gid 0 and no owner names, and every
// timestamp (file and archive entry modification times) is
// SOURCE_DATE_EPOCH when set and DefaultEpoch otherwise, never the wall
// clock. Ed25519 signatures are deterministic, so signed bundles are
// reproducible too.
package bundle

import (
	"sort"
	"time"
)

// Format is the bundle format this package writes and reads.
const Format = "qbank-bundle/1"

// Names of the files at the top of a bundle.
const (
	ManifestFile  = "manifest.json"
	SumsFile      = "SHA256SUMS"
	SignatureFile = "manifest.sig"
)

// DefaultEpoch is the modification time of bundle files and archive entries
// when SOURCE_DATE_EPOCH is not set: 2000-01-01T00:00:00Z, a fixed time so
// that bundles never depend on when they were built.
var DefaultEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// Bundle is a release bundle in memory.
type Bundle struct {
	// Name is the bundle directory name, <exam>-<version>.
	Name string
	// Files maps slash-separated paths inside the bundle directory, such
	// as "forms/CLF-C02-FULL-A.json", to their content.
	Files map[string][]byte
}

// Paths returns the bundle's file paths, sorted.
func (b *Bundle) Paths() []string {
	paths := make([]string, 0, len(b.Files))
	for p := range b.Files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	return paths
}

// Name returns the directory name of a bundle of exam at version.
func Name(exam, version string) string { return exam + "-" + version }

// CandidatePath returns the path of a form's candidate file.
func CandidatePath(form string) string { return "forms/" + form + ".json" }

// KeyPath returns the path of a form's answer key file.
func KeyPath(form string) string { return "keys/" + form + ".json" }
