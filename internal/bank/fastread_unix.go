//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package bank

import "syscall"

// fastRead reads a regular file of at most max bytes with four system
// calls (open, fstat, read, close): an os.File costs more on every file
// (registration with the network poller, which regular files refuse, and a
// finaliser). ok is false on anything unusual (an error, a file that is not
// regular, too large, or read short); then the caller reads the file the
// portable way, which finds and words the problem. The file is read into
// buf when it is large enough.
func fastRead(path string, max int64, buf []byte) (data []byte, ok bool) {
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, false
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if syscall.Fstat(fd, &st) != nil || st.Mode&syscall.S_IFMT != syscall.S_IFREG || st.Size > max {
		return nil, false
	}
	// One byte more than the size: a file that grew since reads long.
	if int64(cap(buf)) > st.Size {
		buf = buf[:st.Size+1]
	} else {
		buf = make([]byte, st.Size+1)
	}
	n, err := syscall.Read(fd, buf)
	if err != nil || int64(n) != st.Size {
		return nil, false
	}
	return buf[:n], true
}
