// Package gitx reads what qbank needs from git by running the git command:
// the work tree a directory belongs to, whether a revision exists, the
// commit checked out, and the files under a path at any revision. Files at
// a revision are listed with `git ls-tree` and read in one
// `git cat-file --batch` process (the objects `git show REV:path` prints,
// without a process per file). Pathspecs are literal, and revisions are
// checked before use, so no argument is ever taken for an option.
package gitx

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"
)

// Repo is a git work tree as seen from a directory inside it.
type Repo struct {
	// Top is the work tree's root directory.
	Top string
	// Prefix is the directory's path relative to Top, slash-separated and
	// ending in "/" ("" at the root), as `git rev-parse --show-prefix`
	// prints it.
	Prefix string
}

// ErrNotRepo means the directory is not inside a git work tree.
var ErrNotRepo = errors.New("not inside a git work tree")

// Open finds the work tree that dir belongs to.
func Open(ctx context.Context, dir string) (*Repo, error) {
	out, err := run(ctx, dir, nil, "rev-parse", "--show-toplevel", "--show-prefix")
	if err != nil {
		var ee *exec.Error
		if errors.As(err, &ee) {
			return nil, fmt.Errorf("git is needed but cannot run: %w", err)
		}
		return nil, fmt.Errorf("%s: %w", dir, ErrNotRepo)
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) < 1 || lines[0] == "" {
		return nil, fmt.Errorf("%s: %w", dir, ErrNotRepo)
	}
	r := &Repo{Top: lines[0]}
	if len(lines) > 1 {
		r.Prefix = lines[1]
	}
	return r, nil
}

// RevNotFoundError means a revision does not name a commit in the
// repository.
type RevNotFoundError struct {
	Rev     string
	Shallow bool
}

// Error says that the revision is missing and how to fetch it.
func (e *RevNotFoundError) Error() string {
	msg := fmt.Sprintf("REV %s not found in this repository", e.Rev)
	if e.Shallow {
		msg += " (the checkout is shallow)"
	}
	return msg + "; in a shallow CI checkout fetch it first: " + FetchHint(e.Rev)
}

// FetchHint returns the git command that makes rev resolvable in a
// shallow clone of origin. The command depends on what rev names: git
// fetches a full commit hash or a ref name, but not an abbreviated hash
// or a relative revision, and `git fetch origin TAG` leaves the tag
// itself unresolvable (it only sets FETCH_HEAD).
func FetchHint(rev string) string {
	switch {
	case strings.ContainsAny(rev, "~^"):
		return "git fetch --deepen=N, for N commits more of history (HEAD~N needs N), or name a tag, branch or full commit hash as REV"
	case isHex(rev) && (len(rev) == 40 || len(rev) == 64):
		return "git fetch --depth=1 origin " + rev
	case isHex(rev) && len(rev) >= 4:
		return "git fetch --depth=1 origin <the full commit hash> (git cannot fetch an abbreviated hash such as " + rev + ")"
	case strings.HasPrefix(rev, "origin/"):
		return "git fetch --depth=1 origin " + strings.TrimPrefix(rev, "origin/")
	case strings.HasPrefix(rev, "refs/"):
		return "git fetch --depth=1 origin " + rev + ":" + rev
	}
	return "git fetch --depth=1 origin tag " + rev + " for a tag, or for a branch git fetch --depth=1 origin " + rev + " and REV origin/" + rev
}

func isHex(s string) bool {
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return s != ""
}

// Commit resolves rev (a hash, branch, tag or any git revision expression)
// to a full commit hash.
func (r *Repo) Commit(ctx context.Context, rev string) (string, error) {
	if rev == "" || strings.HasPrefix(rev, "-") || strings.ContainsAny(rev, "\x00\n") {
		return "", fmt.Errorf("%q is not a git revision", rev)
	}
	out, err := run(ctx, r.Top, nil, "rev-parse", "--verify", "--quiet", "--end-of-options", rev+"^{commit}")
	if err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		shallow, _ := run(ctx, r.Top, nil, "rev-parse", "--is-shallow-repository")
		return "", &RevNotFoundError{Rev: rev, Shallow: strings.TrimSpace(string(shallow)) == "true"}
	}
	return strings.TrimSpace(string(out)), nil
}

// Head returns the commit checked out and whether the files under the
// given paths (relative to Top; none or "" for the whole tree) differ from
// it, untracked files included.
func (r *Repo) Head(ctx context.Context, pathspecs ...string) (commit string, dirty bool, err error) {
	out, err := run(ctx, r.Top, nil, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
	if err != nil {
		return "", false, fmt.Errorf("the repository has no commit yet")
	}
	commit = strings.TrimSpace(string(out))
	args := []string{"--literal-pathspecs", "status", "--porcelain", "--untracked-files=all", "--"}
	for _, p := range pathspecs {
		if p == "" { // the whole tree
			args = args[:5]
			break
		}
		args = append(args, p)
	}
	st, err := run(ctx, r.Top, nil, args...)
	if err != nil {
		return "", false, err
	}
	return commit, len(bytes.TrimSpace(st)) > 0, nil
}

// ReadTree returns the regular files under dir (a path relative to Top,
// "" for the whole tree) at commit, keyed by their path relative to dir.
// Symbolic links and submodules are skipped. It fails when the files total
// more than maxTotal bytes.
func (r *Repo) ReadTree(ctx context.Context, commit, dir string, maxTotal int64) (map[string][]byte, error) {
	dir = strings.Trim(path.Clean("/"+dir), "/")
	blobs, err := r.listBlobs(ctx, commit, dir)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	if len(blobs) == 0 {
		return files, nil
	}
	var in bytes.Buffer
	for _, b := range blobs {
		in.WriteString(b.oid + "\n")
	}
	cmd := exec.CommandContext(ctx, "git", "cat-file", "--batch")
	cmd.Dir = r.Top
	cmd.Stdin = &in
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	tooBig := fmt.Errorf("the files under %s at %s total more than %d bytes", dir, commit, maxTotal)
	if err := readBlobs(bufio.NewReader(stdout), blobs, files, maxTotal, tooBig); err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		return nil, err
	}
	if err := cmd.Wait(); err != nil {
		return nil, fmt.Errorf("git cat-file: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	return files, nil
}

// treeBlob is a regular file of a tree: its object id and its path
// relative to the directory read.
type treeBlob struct{ oid, rel string }

// listBlobs lists the regular files (not symbolic links) under dir
// ("" for the whole tree) at commit.
func (r *Repo) listBlobs(ctx context.Context, commit, dir string) ([]treeBlob, error) {
	args := []string{"--literal-pathspecs", "ls-tree", "-r", "-z", "--full-tree", commit, "--"}
	if dir != "" {
		args = append(args, dir)
	}
	out, err := run(ctx, r.Top, nil, args...)
	if err != nil {
		return nil, err
	}
	var blobs []treeBlob
	for _, rec := range bytes.Split(out, []byte{0}) {
		if len(rec) == 0 {
			continue
		}
		meta, name, ok := bytes.Cut(rec, []byte{'\t'})
		f := strings.Fields(string(meta))
		if !ok || len(f) != 3 || f[1] != "blob" || f[0] == "120000" {
			continue
		}
		rel := string(name)
		if dir != "" {
			if !strings.HasPrefix(rel, dir+"/") {
				continue
			}
			rel = strings.TrimPrefix(rel, dir+"/")
		}
		blobs = append(blobs, treeBlob{f[2], rel})
	}
	return blobs, nil
}

// readBlobs reads the replies of git cat-file --batch for blobs into
// files, failing with tooBig once their sizes total more than maxTotal.
func readBlobs(br *bufio.Reader, blobs []treeBlob, files map[string][]byte, maxTotal int64, tooBig error) error {
	var total int64
	for _, b := range blobs {
		header, err := br.ReadString('\n')
		if err != nil {
			return fmt.Errorf("git cat-file: %w", err)
		}
		f := strings.Fields(header)
		if len(f) != 3 || f[1] != "blob" {
			return fmt.Errorf("git cat-file: unexpected reply %q for %s", strings.TrimSpace(header), b.rel)
		}
		size, err := strconv.ParseInt(f[2], 10, 64)
		if err != nil || size < 0 {
			return fmt.Errorf("git cat-file: bad size in %q", strings.TrimSpace(header))
		}
		total += size
		if total > maxTotal {
			return tooBig
		}
		data := make([]byte, size+1) // content and the newline after it
		if _, err := io.ReadFull(br, data); err != nil {
			return fmt.Errorf("git cat-file: %w", err)
		}
		files[b.rel] = data[:size]
	}
	return nil
}

// Export writes the regular files under dir (relative to Top) at commit
// into dest, an existing directory, and returns how many it wrote. Paths
// from the tree are checked to stay inside dest.
func (r *Repo) Export(ctx context.Context, commit, dir, dest string, maxTotal int64) (int, error) {
	files, err := r.ReadTree(ctx, commit, dir, maxTotal)
	if err != nil {
		return 0, err
	}
	for name, data := range files {
		if name == "" || path.IsAbs(name) || path.Clean(name) != name || name == ".." || strings.HasPrefix(name, "../") {
			return 0, fmt.Errorf("git tree path %q is not a clean relative path", name)
		}
		p := filepath.Join(dest, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return 0, err
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return 0, err
		}
	}
	return len(files), nil
}

// run runs git with args in dir and returns its standard output.
func run(ctx context.Context, dir string, stdin io.Reader, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	cmd.Stdin = stdin
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return nil, fmt.Errorf("git %s: %s", strings.Join(args, " "), strings.TrimSpace(stderr.String()))
		}
		return nil, err
	}
	return out, nil
}
