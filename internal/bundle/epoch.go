package bundle

import (
	"fmt"
	"strconv"
	"time"
)

// MaxSourceDate is the latest SOURCE_DATE_EPOCH a bundle accepts:
// 9999-12-31T23:59:59Z. The manifest records the date as RFC 3339, whose
// year has four digits; a later date would give a bundle that verify
// rejects.
var MaxSourceDate = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)

// ParseSourceDateEpoch reads the value of SOURCE_DATE_EPOCH
// (https://reproducible-builds.org/specs/source-date-epoch/): a whole
// number of seconds since 1970-01-01T00:00:00Z, from 0 to MaxSourceDate.
// The empty string means unset and gives the zero time.
func ParseSourceDateEpoch(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > MaxSourceDate.Unix() {
		return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH=%q is not a number of seconds from 0 (1970-01-01) to %d (%s); set it to a commit time, such as $(git log -1 --format=%%ct), or unset it", s, MaxSourceDate.Unix(), MaxSourceDate.Format(time.RFC3339))
	}
	return time.Unix(n, 0).UTC(), nil
}
