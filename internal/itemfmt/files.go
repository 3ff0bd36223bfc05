package itemfmt

import (
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
// name. A directory is walked for *.yaml files (directory symlinks under it
// are not followed; a directory named through a symlink is walked); a bank directory - one holding exam.yaml - stands for its
// items/ folder, so the blueprint, the forms and stats.yaml are never
// rewritten as items. A path that does not exist is an error.
func Files(paths []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			add(p)
			continue
		}
		root := p
		if _, err := os.Stat(filepath.Join(p, "exam.yaml")); err == nil {
			root = filepath.Join(p, "items")
			if _, err := os.Stat(root); err != nil {
				continue // a bank without items
			}
		}
		// WalkDir does not descend into a root that is a symlink: walk its
		// target and report the files under the name given.
		walkRoot, err := filepath.EvalSymlinks(root)
		if err != nil {
			return nil, err
		}
		var found []string
		err = filepath.WalkDir(walkRoot, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.HasSuffix(d.Name(), ".yaml") {
				rel, err := filepath.Rel(walkRoot, path)
				if err != nil {
					return err
				}
				found = append(found, filepath.Join(root, rel))
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		sort.Strings(found)
		for _, f := range found {
			add(f)
		}
	}
	return out, nil
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
