// Package atomicfile writes files so that readers never see a partial file:
// the content goes to a temporary file in the target's directory, is synced,
// and then appears under its name in one step. Create never replaces an
// existing file (the new name is hard-linked, which fails when the name is
// taken, like O_EXCL); Replace swaps an existing file by rename and keeps
// its permission bits.
package atomicfile

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrChanged is returned by Replace when the file no longer holds the
// content the caller read, so writing would lose someone else's edit.
var ErrChanged = errors.New("file changed since it was read")

// Create writes data to a new file at path with permission perm. It fails
// with an error satisfying errors.Is(err, fs.ErrExist) when path exists;
// it never replaces a file. The content is complete when the name appears.
func Create(path string, data []byte, perm fs.FileMode) error {
	tmp, err := writeTemp(path, data, perm)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	if err := os.Link(tmp, path); err != nil {
		var le *os.LinkError
		if errors.As(err, &le) && errors.Is(le.Err, fs.ErrExist) {
			return &fs.PathError{Op: "create", Path: path, Err: fs.ErrExist}
		}
		// The file system has no hard links: fall back to an exclusive
		// create, which still never overwrites (but is not all-at-once).
		return createExclusive(path, data, perm)
	}
	return syncDir(filepath.Dir(path))
}

func createExclusive(path string, data []byte, perm fs.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	return f.Close()
}

// Replace replaces the regular file at path with data, keeping its
// permission bits. When old is non-nil, Replace first checks that the file
// still holds exactly old and returns ErrChanged otherwise (a concurrent
// editor saved in between). A symlink is followed: its target is replaced
// and the link stays a link.
func Replace(path string, data, old []byte) error {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return err
	}
	st, err := os.Stat(target)
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("%s: not a regular file", path)
	}
	tmp, err := writeTemp(target, data, st.Mode().Perm())
	if err != nil {
		return err
	}
	if old != nil {
		cur, err := os.ReadFile(target)
		if err != nil {
			os.Remove(tmp)
			return err
		}
		if !bytes.Equal(cur, old) {
			os.Remove(tmp)
			return fmt.Errorf("%s: %w; run again", path, ErrChanged)
		}
	}
	if err := os.Rename(tmp, target); err != nil {
		os.Remove(tmp)
		return err
	}
	return syncDir(filepath.Dir(target))
}

// writeTemp writes data to a new temporary file beside path and returns
// its name. The mode is set explicitly, so the umask does not apply.
func writeTemp(path string, data []byte, perm fs.FileMode) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return "", err
	}
	name := f.Name()
	fail := func(err error) (string, error) {
		f.Close()
		os.Remove(name)
		return "", err
	}
	if _, err := f.Write(data); err != nil {
		return fail(err)
	}
	if err := f.Chmod(perm); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		os.Remove(name)
		return "", err
	}
	return name, nil
}

// syncDir makes a rename or link durable. Errors are ignored where the
// platform cannot sync directories.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return nil
	}
	defer d.Close()
	_ = d.Sync()
	return nil
}
