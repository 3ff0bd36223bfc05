//go:build unix

package bank

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// readFile gives the same bytes or the same finding message whether the
// walk saw a regular file (fast path) or not (stat first), for every size
// around the limit and for what is not a regular file.
func TestReadFileFastAndPortableAgree(t *testing.T) {
	dir := t.TempDir()
	const max = 100
	write := func(name string, n int) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, bytes.Repeat([]byte("a"), n), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	paths := map[string]string{}
	for _, n := range []int{0, 1, 99, 100, 101, 5000} {
		paths[fmt.Sprintf("size%d", n)] = write(fmt.Sprintf("f%d.yaml", n), n)
	}
	paths["dir"] = dir
	paths["missing"] = filepath.Join(dir, "missing")
	link := filepath.Join(dir, "link")
	if err := os.Symlink(paths["size99"], link); err != nil {
		t.Fatal(err)
	}
	paths["link"] = link
	fifo := filepath.Join(dir, "fifo")
	if syscall.Mkfifo(fifo, 0o644) == nil {
		paths["fifo"] = fifo // read only the portable way: opening would block
	}
	for name, p := range paths {
		want, werr := readFile(p, max, false, nil)
		if name == "fifo" {
			if werr == nil || !strings.Contains(werr.msg, "not a regular file") {
				t.Errorf("fifo: %v", werr)
			}
			continue
		}
		got, gerr := readFile(p, max, true, nil)
		if !bytes.Equal(got, want) || (gerr == nil) != (werr == nil) || gerr != nil && gerr.msg != werr.msg {
			t.Errorf("%s: fast %d bytes %v; portable %d bytes %v", name, len(got), gerr, len(want), werr)
		}
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Size() <= max && (werr != nil || int64(len(want)) != fi.Size()) {
			t.Errorf("%s: %d bytes, %v; want the file's %d bytes", name, len(want), werr, fi.Size())
		}
	}
}
