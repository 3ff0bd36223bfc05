//go:build !unix

package atomicfile

// canWrite has no cheap kernel check here: the permission bits, which
// writable checks, are all there is.
func canWrite(string) error { return nil }
