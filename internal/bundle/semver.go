package bundle

import (
	"fmt"
	"regexp"
)

// semverRE is the regular expression of https://semver.org (2.0.0),
// without named groups.
var semverRE = regexp.MustCompile(`^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)` +
	`(-((0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)(\.(0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*))*))?` +
	`(\+([0-9a-zA-Z-]+(\.[0-9a-zA-Z-]+)*))?$`)

// ValidVersion reports whether v is a semantic version such as 1.0.0,
// 1.1.0-rc.1 or 2.0.0+build.5 (no leading "v", no leading zeros). Bundle
// versions become directory names, so nothing else is accepted.
func ValidVersion(v string) error {
	if len(v) > 128 || !semverRE.MatchString(v) {
		return fmt.Errorf("version %q is not a semantic version (MAJOR.MINOR.PATCH, such as 1.0.0 or 1.1.0-rc.1; see https://semver.org)", v)
	}
	return nil
}
