// Package atomicfile writes files so that readers never see a partial file:
// the content goes to a temporary file in the target's directory, is synced,
// and then appears under its name in one step. Create never replaces an
// existing file (the new name is hard-linked, which fails when the name is
// taken, like O_EXCL); Replace swaps an existing file by rename, keeps its
// permission bits and refuses a file its user cannot write; CreateDir makes
// a whole directory appear at once.
//
// Temporary names are hidden and carry their creation time:
// ".<name>.tmp-<unix seconds>-<random>". No reader of qbank takes them for
// content (they never end in .yaml or .json), and every write removes the
// ones a killed run left in its directory once they are older than
// StaleAge, so that a run still in progress never loses its temporary
// files.
package atomicfile

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"time"
)

// ErrChanged is returned by Replace when the file no longer holds the
// content the caller read, so writing would lose someone else's edit.
var ErrChanged = errors.New("file changed since it was read")

// StaleAge is the age after which a temporary file or directory of this
// package is taken for the leftover of a killed run and removed.
// No qbank run keeps a temporary name anywhere near this long.
const StaleAge = time.Hour

// Writer writes files atomically. Its zero value makes every write durable
// before returning (the file and its directory are synced). A batch writer
// (NewBatch) syncs each file but defers the directory syncs to Sync, once
// per directory, which is what makes rewriting thousands of files cheap.
// A Writer is safe for concurrent use.
type Writer struct {
	// ModTime, when not zero, is the modification time every file written
	// gets before it appears under its name.
	ModTime time.Time

	batch bool
	// link makes a hard link; tests replace it to take the fallback path
	// of file systems without hard links.
	link func(oldname, newname string) error

	mu      sync.Mutex
	pending map[string]bool // directories whose sync is deferred
	cleaned map[string]bool // directories already rid of stale temporaries
}

// NewBatch returns a Writer that defers directory syncs until Sync.
func NewBatch() *Writer { return &Writer{batch: true} }

// Create writes data to a new file at path with permission perm (see
// Writer.Create).
func Create(path string, data []byte, perm fs.FileMode) error {
	return new(Writer).Create(path, data, perm)
}

// Replace replaces the regular file at path with data (see
// Writer.Replace).
func Replace(path string, data, old []byte) error {
	return new(Writer).Replace(path, data, old)
}

// Create writes data to a new file at path with permission perm. It fails
// with an error satisfying errors.Is(err, fs.ErrExist) when path exists;
// it never replaces a file. The content is complete when the name appears.
func (w *Writer) Create(path string, data []byte, perm fs.FileMode) error {
	s, err := w.StageCreate(path, data, perm)
	if err != nil {
		return err
	}
	return s.Commit()
}

// Replace replaces the regular file at path with data, keeping its
// permission bits. It refuses, with an error satisfying errors.Is(err,
// fs.ErrPermission) and touching nothing, a file that its user may not
// write or that has no write permission bit at all (a read-only file stays
// read-only, also for root), as gofmt does. When old is non-nil, Replace
// first checks that the file still holds exactly old and returns ErrChanged
// otherwise (a concurrent editor saved in between). A symlink is followed:
// its target is replaced and the link stays a link.
func (w *Writer) Replace(path string, data, old []byte) error {
	s, err := w.StageReplace(path, data)
	if err != nil {
		return err
	}
	if old != nil {
		cur, err := os.ReadFile(s.target)
		if err != nil {
			s.Discard()
			return err
		}
		if !bytes.Equal(cur, old) {
			s.Discard()
			return fmt.Errorf("%s: %w; run again", path, ErrChanged)
		}
	}
	return s.Commit()
}

// Staged is a file written in full under a temporary name beside its
// target, not yet in place: Commit puts it there, Discard removes it.
// Staging every file of a set before committing any lets a caller write
// all of them or none.
type Staged struct {
	w       *Writer
	target  string // the name the content gets
	tmp     string
	data    []byte
	perm    fs.FileMode
	replace bool
}

// StageCreate writes data to a temporary file for a new file at path (see
// Create). It fails with fs.ErrExist already when path exists.
func (w *Writer) StageCreate(path string, data []byte, perm fs.FileMode) (*Staged, error) {
	if _, err := os.Lstat(path); err == nil {
		return nil, &fs.PathError{Op: "create", Path: path, Err: fs.ErrExist}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	tmp, err := w.writeTemp(path, data, perm)
	if err != nil {
		return nil, err
	}
	return &Staged{w: w, target: path, tmp: tmp, data: data, perm: perm}, nil
}

// StageReplace writes data to a temporary file that is to replace the
// existing regular file at path (see Replace).
func (w *Writer) StageReplace(path string, data []byte) (*Staged, error) {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(target)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", path)
	}
	if err := writable(target, st.Mode()); err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	tmp, err := w.writeTemp(target, data, st.Mode().Perm())
	if err != nil {
		return nil, err
	}
	return &Staged{w: w, target: target, tmp: tmp, replace: true}, nil
}

// writable reports fs.ErrPermission for a file that has no write bit or
// that this process may not write (canWrite). Renaming over a file needs
// only the directory's permission; a read-only file says "do not change
// me", and replacing it would silently undo that.
func writable(path string, mode fs.FileMode) error {
	if mode.Perm()&0o222 == 0 {
		return fs.ErrPermission
	}
	return canWrite(path)
}

// Commit puts the staged file in place. A staged new file fails with
// fs.ErrExist when its name was taken meanwhile; it is then discarded.
func (s *Staged) Commit() error {
	dir := filepath.Dir(s.target)
	if s.replace {
		if err := os.Rename(s.tmp, s.target); err != nil {
			os.Remove(s.tmp)
			return err
		}
		return s.w.synced(dir)
	}
	defer os.Remove(s.tmp)
	link := s.w.link
	if link == nil {
		link = os.Link
	}
	if err := link(s.tmp, s.target); err != nil {
		var le *os.LinkError
		if errors.As(err, &le) && errors.Is(le.Err, fs.ErrExist) {
			return &fs.PathError{Op: "create", Path: s.target, Err: fs.ErrExist}
		}
		// The file system has no hard links: fall back to an exclusive
		// create, which still never overwrites (but is not all-at-once).
		if err := s.w.createExclusive(s.target, s.data, s.perm); err != nil {
			return err
		}
	}
	return s.w.synced(dir)
}

// Discard removes the staged temporary file.
func (s *Staged) Discard() { os.Remove(s.tmp) }

func (w *Writer) createExclusive(path string, data []byte, perm fs.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	fail := func(err error) error {
		f.Close()
		os.Remove(path)
		return err
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
		os.Remove(path)
		return err
	}
	if !w.ModTime.IsZero() {
		return os.Chtimes(path, w.ModTime, w.ModTime)
	}
	return nil
}

// CreateDir makes the directory path appear with everything fill writes
// into it, all at once: fill gets a temporary directory beside path, which
// is renamed to path when fill succeeds and removed otherwise. It fails
// with fs.ErrExist, touching nothing, when path exists.
func (w *Writer) CreateDir(path string, fill func(tmp string) error) error {
	parent := filepath.Dir(path)
	w.clean(parent)
	tmp, err := os.MkdirTemp(parent, tempPattern(path))
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp) // a no-op once renamed
	if err := fill(tmp); err != nil {
		return err
	}
	// Right before the rename: rename(2) would replace an empty directory
	// that appeared meanwhile.
	if _, err := os.Lstat(path); err == nil {
		return &fs.PathError{Op: "create", Path: path, Err: fs.ErrExist}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	return w.synced(parent)
}

// writeTemp writes data to a new temporary file beside path and returns
// its name. The mode is set explicitly, so the umask does not apply.
func (w *Writer) writeTemp(path string, data []byte, perm fs.FileMode) (string, error) {
	w.clean(filepath.Dir(path))
	f, err := os.CreateTemp(filepath.Dir(path), tempPattern(path))
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
	if !w.ModTime.IsZero() {
		if err := os.Chtimes(name, w.ModTime, w.ModTime); err != nil {
			os.Remove(name)
			return "", err
		}
	}
	return name, nil
}

// tempPattern is the os.CreateTemp pattern of a temporary name for path:
// hidden, named after the target and stamped with the time, so that removeStale
// can tell a leftover from a run in progress whatever times the content
// gets.
func tempPattern(path string) string {
	return "." + filepath.Base(path) + ".tmp-" + strconv.FormatInt(time.Now().Unix(), 10) + "-*"
}

// tempRE matches the names tempPattern makes; group 1 is the time.
var tempRE = regexp.MustCompile(`^\..+\.tmp-([0-9]+)-[0-9]+$`)

// removeStale removes the temporary files and directories this package made in
// dir that are older than maxAge by the time in their name: the leftovers
// of a killed run. Nothing else is touched. It returns the names removed.
func removeStale(dir string, maxAge time.Duration) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	cutoff := time.Now().Add(-maxAge).Unix()
	var removed []string
	for _, e := range entries {
		m := tempRE.FindStringSubmatch(e.Name())
		if m == nil {
			continue
		}
		if t, err := strconv.ParseInt(m[1], 10, 64); err != nil || t > cutoff {
			continue
		}
		p := filepath.Join(dir, e.Name())
		if err := os.RemoveAll(p); err != nil {
			return removed, err
		}
		removed = append(removed, p)
	}
	return removed, nil
}

// clean runs removeStale once per directory and writer; a failure to clean never
// stops a write.
func (w *Writer) clean(dir string) {
	w.mu.Lock()
	done := w.cleaned[dir]
	if !done {
		if w.cleaned == nil {
			w.cleaned = map[string]bool{}
		}
		w.cleaned[dir] = true
	}
	w.mu.Unlock()
	if !done {
		_, _ = removeStale(dir, StaleAge)
	}
}

// synced makes a rename or link in dir durable: now, or at Sync for a
// batch writer.
func (w *Writer) synced(dir string) error {
	if !w.batch {
		return syncDir(dir)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.pending == nil {
		w.pending = map[string]bool{}
	}
	w.pending[dir] = true
	return nil
}

// Sync syncs every directory a batch writer has renamed or linked files
// into since the last Sync. Call it once the batch is done.
func (w *Writer) Sync() error {
	w.mu.Lock()
	dirs := w.pending
	w.pending = nil
	w.mu.Unlock()
	for d := range dirs {
		if err := syncDir(d); err != nil {
			return err
		}
	}
	return nil
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
