package bundle

import (
	"strings"
	"testing"
	"time"
)

func TestParseSourceDateEpoch(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"", time.Time{}, true},
		{"0", time.Unix(0, 0).UTC(), true},
		{"1700000000", time.Unix(1700000000, 0).UTC(), true},
		{"253402300799", MaxSourceDate, true}, // 9999-12-31T23:59:59Z
		{"253402300800", time.Time{}, false},  // year 10000
		{"99999999999999", time.Time{}, false},
		{"9223372036854775808", time.Time{}, false}, // overflows int64
		{"-1", time.Time{}, false},
		{"1e9", time.Time{}, false},
		{" 17", time.Time{}, false},
		{"yesterday", time.Time{}, false},
	} {
		got, err := ParseSourceDateEpoch(tc.in)
		if (err == nil) != tc.ok || !got.Equal(tc.want) {
			t.Errorf("ParseSourceDateEpoch(%q) = %v, %v; want %v, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "253402300799 (9999-12-31T23:59:59Z)") {
			t.Errorf("%q: message %q does not give the range", tc.in, err)
		}
	}
}
