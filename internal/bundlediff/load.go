package bundlediff

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/bundle"
	"github.com/qbank/qbank/internal/finding"
	"github.com/qbank/qbank/internal/gitx"
)

// maxGitTree bounds the bytes read from git for a REV:path bank.
const maxGitTree = 512 << 20

// LoadOptions tune Load.
type LoadOptions struct {
	// Limits bound what is read from bundle archives and directories.
	Limits bundle.Limits
}

// Load reads a snapshot from arg, which is
//
//   - a bundle directory (it holds manifest.json) or a .tar.gz bundle,
//   - a bank directory (it holds exam.yaml), or
//   - REV:PATH, the bank at PATH in git revision REV. As with git show,
//     PATH is relative to the repository root, or to the current
//     directory when it starts with ./ or ../.
//
// A path that exists is never taken for REV:PATH. Warnings say what a
// reader should know (a bundle that does not verify).
func Load(ctx context.Context, arg string, opts LoadOptions) (*Snapshot, []string, error) {
	if opts.Limits == (bundle.Limits{}) {
		opts.Limits = bundle.DefaultLimits
	}
	st, err := os.Stat(arg)
	switch {
	case err == nil && st.IsDir():
		if _, err := os.Stat(filepath.Join(arg, bundle.ManifestFile)); err == nil {
			return loadBundle(ctx, arg, opts)
		}
		if _, err := os.Stat(filepath.Join(arg, "exam.yaml")); err == nil {
			return loadBank(ctx, arg, arg, opts)
		}
		return nil, nil, fmt.Errorf("%s is neither a bundle (no manifest.json) nor a bank (no exam.yaml)", arg)
	case err == nil:
		return loadBundle(ctx, arg, opts)
	case !errors.Is(err, fs.ErrNotExist):
		return nil, nil, err
	}
	rev, p, ok := strings.Cut(arg, ":")
	if !ok || rev == "" {
		return nil, nil, fmt.Errorf("%s: no such bundle or bank (to name a bank in git, write REV:PATH, such as v1.0.0:bank)", arg)
	}
	return loadRev(ctx, arg, rev, p, opts)
}

func loadBundle(ctx context.Context, p string, opts LoadOptions) (*Snapshot, []string, error) {
	b, err := bundle.Open(ctx, p, opts.Limits)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", p, err)
	}
	var warnings []string
	if r := bundle.Verify(b, nil); !r.OK() {
		warnings = append(warnings, fmt.Sprintf("%s does not verify (%s, the first: %s); run qbank verify %s", p, finding.Plural(len(r.Problems), "problem"), r.Problems[0], p))
	}
	s, err := FromBundle(p, b)
	return s, warnings, err
}

func loadBank(ctx context.Context, label, dir string, opts LoadOptions) (*Snapshot, []string, error) {
	b, _, err := bank.Load(ctx, dir, bank.Options{})
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", label, err)
	}
	return FromBank(label, b), nil, nil
}

func loadRev(ctx context.Context, label, rev, p string, opts LoadOptions) (*Snapshot, []string, error) {
	repo, err := gitx.Open(ctx, ".")
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", label, err)
	}
	commit, err := repo.Commit(ctx, rev)
	if err != nil {
		return nil, nil, err
	}
	if p == "" {
		p = "."
	}
	if strings.HasPrefix(p, "./") || strings.HasPrefix(p, "../") || p == "." || p == ".." {
		p = path.Join(repo.Prefix, p)
	}
	p = path.Clean(p)
	if p == ".." || strings.HasPrefix(p, "../") || path.IsAbs(p) {
		return nil, nil, fmt.Errorf("%s: the path is outside the repository", label)
	}
	if p == "." {
		p = ""
	}
	tmp, err := os.MkdirTemp("", "qbank-diff-*")
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(tmp)
	n, err := repo.Export(ctx, commit, p, tmp, maxGitTree)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", label, err)
	}
	if n == 0 {
		return nil, nil, fmt.Errorf("%s: no files at %q in %s", label, p, rev)
	}
	return loadBank(ctx, label, tmp, opts)
}
