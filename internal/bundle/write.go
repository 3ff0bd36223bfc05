package bundle

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/qbank/qbank/internal/atomicfile"
)

// File modes inside a bundle, on disk and in archives.
const (
	FileMode = 0o644
	DirMode  = 0o755
)

// Targets returns the directory and archive paths a bundle named name gets
// under outDir.
func Targets(outDir, name string) (dir, archive string) {
	return filepath.Join(outDir, name), filepath.Join(outDir, name+".tar.gz")
}

// CheckTargets fails with an error wrapping ErrExists when the bundle
// directory or the archive already exists, whether or not an archive is
// to be written: either means the version was released in outDir, and a
// new directory beside a released archive (or the reverse) could hold
// other content under the same version. The one exception is a directory
// without its archive when archive is set: a run killed between the two
// left it, and Write completes it (when the directory holds exactly what
// the run builds); incomplete reports that case.
func CheckTargets(outDir, name string, archive bool) (incomplete bool, err error) {
	dir, arc := Targets(outDir, name)
	dirErr, arcErr := lstat(dir), lstat(arc)
	for _, e := range []error{dirErr, arcErr} {
		if e != nil && !errors.Is(e, fs.ErrNotExist) {
			return false, e
		}
	}
	switch {
	case dirErr == nil && arcErr != nil && archive:
		return true, nil
	case dirErr == nil:
		return false, fmt.Errorf("%s %w; released bundles are immutable: choose a new --version", dir, ErrExists)
	case arcErr == nil:
		return false, fmt.Errorf("%s %w; released bundles are immutable: choose a new --version", arc, ErrExists)
	}
	return false, nil
}

func lstat(p string) error {
	_, err := os.Lstat(p)
	return err
}

// WriteOptions tune Write.
type WriteOptions struct {
	// Archive also writes <outDir>/<name>.tar.gz.
	Archive bool
	// ModTime is the modification time of every file, directory and archive
	// entry (DefaultEpoch when zero).
	ModTime time.Time
}

// Write writes the bundle to outDir/<name> (and, with opts.Archive, the
// archive beside it) and returns the paths written (archive "" without).
// The directory is built under a temporary name and renamed into place
// (atomicfile.CreateDir); the archive is written in full under a temporary
// name before that and linked into place right after, so a reader never
// sees a half-written bundle and a failed run leaves nothing behind. A
// kill between the rename and the link leaves the directory alone: the
// next Write with an archive completes it, after checking that the
// directory holds exactly the files of b (anything else is refused).
// Temporary names left by killed runs are removed once stale
// (atomicfile). Write refuses with ErrExists, touching nothing, when
// a target exists otherwise.
func Write(ctx context.Context, outDir string, b *Bundle, opts WriteOptions) (dir, archive string, err error) {
	if opts.ModTime.IsZero() {
		opts.ModTime = DefaultEpoch
	}
	opts.ModTime = opts.ModTime.Truncate(time.Second)
	incomplete, err := CheckTargets(outDir, b.Name, opts.Archive)
	if err != nil {
		return "", "", err
	}
	dir, archive = Targets(outDir, b.Name)
	if incomplete {
		if err := sameContent(ctx, dir, b); err != nil {
			return "", "", err
		}
	}
	_, statErr := os.Lstat(outDir)
	if errors.Is(statErr, fs.ErrNotExist) {
		if err := os.MkdirAll(outDir, DirMode); err != nil {
			return "", "", err
		}
		// Remove the output directory again if this fails (os.Remove
		// only removes it while it is empty).
		defer func() {
			if err != nil { // Write's result
				os.Remove(outDir)
			}
		}()
	}
	w := &atomicfile.Writer{ModTime: opts.ModTime}
	var staged *atomicfile.Staged
	if opts.Archive {
		var buf bytes.Buffer
		if err := WriteArchive(&buf, b, opts.ModTime); err != nil {
			return "", "", fmt.Errorf("writing %s: %w", archive, err)
		}
		if staged, err = w.StageCreate(archive, buf.Bytes(), FileMode); err != nil {
			return "", "", existsErr(err, archive)
		}
		defer staged.Discard() // a no-op once committed
	} else {
		archive = ""
	}
	if err := ctx.Err(); err != nil {
		return "", "", err
	}
	if !incomplete {
		err := w.CreateDir(dir, func(tmp string) error { return writeTree(ctx, tmp, b, opts.ModTime) })
		if err != nil {
			return "", "", existsErr(err, dir)
		}
	}
	if staged != nil {
		if err := staged.Commit(); err != nil {
			if !incomplete {
				os.RemoveAll(dir)
			}
			return "", "", existsErr(err, archive)
		}
	}
	return dir, archive, nil
}

// existsErr turns fs.ErrExist for a target into ErrExists.
func existsErr(err error, target string) error {
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s %w; released bundles are immutable: choose a new --version", target, ErrExists)
	}
	return err
}

// sameContent checks that the bundle directory dir holds exactly the files
// of b, byte for byte, so that completing it with b's archive puts no
// other content under its version.
func sameContent(ctx context.Context, dir string, b *Bundle) error {
	refuse := func(why string) error {
		return fmt.Errorf("%s %w without its archive, and %s; released bundles are immutable: choose a new --version", dir, ErrExists, why)
	}
	got, err := Open(ctx, dir, DefaultLimits)
	if err != nil {
		return refuse(fmt.Sprintf("it cannot be read (%v)", err))
	}
	for _, p := range b.Paths() {
		data, ok := got.Files[p]
		if !ok {
			return refuse(p + " is missing from it")
		}
		if !bytes.Equal(data, b.Files[p]) {
			return refuse(p + " differs from this build")
		}
	}
	for p := range got.Files {
		if _, ok := b.Files[p]; !ok {
			return refuse("it holds " + p + ", which this build does not")
		}
	}
	return nil
}

// writeTree writes the bundle's files under root with fixed modes and
// times.
func writeTree(ctx context.Context, root string, b *Bundle, mtime time.Time) error {
	dirs := map[string]bool{}
	for _, p := range b.Paths() {
		if err := ctx.Err(); err != nil {
			return err
		}
		if !validPath(p) {
			return fmt.Errorf("bundle path %q is not a clean relative path", p)
		}
		full := filepath.Join(root, filepath.FromSlash(p))
		if d := path.Dir(p); d != "." && !dirs[d] {
			if err := os.MkdirAll(filepath.Dir(full), DirMode); err != nil {
				return err
			}
			dirs[d] = true
		}
		f, err := os.OpenFile(full, os.O_WRONLY|os.O_CREATE|os.O_EXCL, FileMode)
		if err != nil {
			return err
		}
		_, err = f.Write(b.Files[p])
		if err == nil {
			err = f.Chmod(FileMode) // whatever the umask
		}
		if err == nil {
			err = f.Sync()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		if err := os.Chtimes(full, mtime, mtime); err != nil {
			return err
		}
	}
	// Directories last: writing a file changes its directory's time.
	dirs["."] = true
	for d := range dirs {
		full := filepath.Join(root, filepath.FromSlash(d))
		if err := os.Chmod(full, DirMode); err != nil {
			return err
		}
		if err := os.Chtimes(full, mtime, mtime); err != nil {
			return err
		}
	}
	return nil
}

// validPath reports whether p is a clean, relative, slash-separated path
// without "." or ".." elements.
func validPath(p string) bool {
	if p == "" || p != path.Clean(p) || path.IsAbs(p) || strings.ContainsAny(p, "\\\x00") {
		return false
	}
	for _, el := range strings.Split(p, "/") {
		if el == "." || el == ".." {
			return false
		}
	}
	return true
}

// WriteArchive writes the bundle as a gzip-compressed tar archive whose
// entries are the directory <name>/ and everything under it, sorted by
// path, with modes 0755 (directories) and 0644 (files), uid and gid 0, no
// owner names and modification time mtime. The gzip header carries no
// file name and modification time 0. The same bundle and mtime always give
// the same bytes (with the same Go version: compress/flate's output is
// stable within a release).
func WriteArchive(w io.Writer, b *Bundle, mtime time.Time) error {
	mtime = mtime.Truncate(time.Second)
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	zw.Header = gzip.Header{OS: 255} // no name, no time, unknown OS
	tw := tar.NewWriter(zw)
	type entry struct {
		name string
		dir  bool
	}
	entries := []entry{{b.Name + "/", true}}
	seen := map[string]bool{}
	for _, p := range b.Paths() {
		if !validPath(p) {
			return fmt.Errorf("bundle path %q is not a clean relative path", p)
		}
		for d := path.Dir(p); d != "."; d = path.Dir(d) {
			if !seen[d] {
				seen[d] = true
				entries = append(entries, entry{b.Name + "/" + d + "/", true})
			}
		}
		entries = append(entries, entry{b.Name + "/" + p, false})
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].name < entries[j].name })
	for _, e := range entries {
		// Format unset: the writer picks the first of USTAR, PAX and GNU
		// that can hold the header, which depends on the header alone.
		h := &tar.Header{Name: e.name, ModTime: mtime, Uid: 0, Gid: 0}
		var data []byte
		if e.dir {
			h.Typeflag, h.Mode = tar.TypeDir, DirMode
		} else {
			data = b.Files[strings.TrimPrefix(e.name, b.Name+"/")]
			h.Typeflag, h.Mode, h.Size = tar.TypeReg, FileMode, int64(len(data))
		}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if _, err := tw.Write(data); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return zw.Close()
}
