//go:build unix

package atomicfile

import (
	"errors"
	"io/fs"
	"syscall"
)

// canWrite asks the kernel whether this process may write path, without
// opening it (opening a file for writing is not free, and an editor may
// take the open for a change).
func canWrite(path string) error {
	const wOK = 0x2 // W_OK
	if err := syscall.Access(path, wOK); err != nil {
		if errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS) {
			return fs.ErrPermission
		}
		return err
	}
	return nil
}
