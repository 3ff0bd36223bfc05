package itemfmt

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Files expands the paths given to qbank fmt into the item files to format,
// in order and without repeats. A file is taken as it is, whatever its
// name. A directory is walked for *.yaml files (a directory named through a
// symlink is walked; directory symlinks under it are not followed). A bank
// directory - one holding exam.yaml - stands for its items/ folder, also
// when the walk meets it below the directory given ("qbank fmt ." at a
// repository root), so the blueprint, the forms and stats.yaml are never
// rewritten as items; outside a bank's items/, hidden files and
// directories (.pre-commit-hooks.yaml, .github) are skipped. A path that
// does not exist is an error.
func Files(paths []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, missingPath(p, err)
		}
		if !st.IsDir() {
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
			continue
		}
		var found []string
		if err := walkYAML(p, false, &found); err != nil {
			return nil, err
		}
		sort.Strings(found)
		for _, f := range found {
			if !seen[f] {
				seen[f] = true
				out = append(out, f)
			}
		}
	}
	return out, nil
}

// missingPath says which path cannot be used and what fmt takes, instead
// of a bare "stat PATH: no such file or directory".
func missingPath(p string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("%s: %v; fmt takes item files, folders of them or a bank directory (the default is ./bank)", p, err)
}

// walkYAML appends the *.yaml files under root to found, named under root.
// bankItems says root is the items/ folder of a bank: everything under it
// is taken, as the bank loader does. Elsewhere a bank directory is replaced
// by its items/, and hidden files and directories are skipped.
func walkYAML(root string, bankItems bool, found *[]string) error {
	// WalkDir does not descend into a root that is a symlink: walk its
	// target and report the files under the name given.
	walkRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return err
	}
	return filepath.WalkDir(walkRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(walkRoot, path)
		if err != nil {
			return err
		}
		name := filepath.Join(root, rel)
		if d.IsDir() {
			if bankItems {
				return nil
			}
			if path != walkRoot && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			if st, err := os.Stat(filepath.Join(path, "exam.yaml")); err == nil && st.Mode().IsRegular() {
				items := filepath.Join(name, "items")
				if st, err := os.Stat(items); err == nil && st.IsDir() {
					if err := walkYAML(items, true, found); err != nil {
						return err
					}
				}
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(d.Name(), ".yaml") && (bankItems || path == walkRoot || !strings.HasPrefix(d.Name(), ".")) {
			*found = append(*found, name)
		}
		return nil
	})
}

// ReadFile reads an item file of at most maxSize bytes (bank files are
// small; a huge file is a mistake and is not read into memory).
func ReadFile(path string, maxSize int64) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxSize+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > maxSize {
		return nil, fmt.Errorf("%s: larger than %d bytes, the limit for bank files", path, maxSize)
	}
	return data, nil
}
