package bank

import (
	"io/fs"
	"os"

	"github.com/qbank/qbank/internal/finding"
)

// LinkOutside applies the loader's rule for symbolic links to the file at
// path: a link to a file outside the folder dir (dir's own links resolved)
// is refused with the finding lint reports for it. Tools that read bank
// files without the loader (qbank fmt) use it, so that they refuse exactly
// what lint refuses, with the same message. ok is false for anything else
// (a regular file, a link inside dir, a path that cannot be read).
func LinkOutside(dir, path string) (f finding.Finding, ok bool) {
	st, err := os.Lstat(path)
	if err != nil {
		return finding.Finding{}, false
	}
	return linkOutside(dir, path, fs.FileInfoToDirEntry(st))
}
