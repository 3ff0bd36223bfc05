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

// File is one file qbank fmt was given or found.
type File struct {
	// Path is the file as named on the command line or found under it.
	Path string
	// Root is the folder a symbolic link at Path must point into, as the
	// loader requires (bank.LinkOutside): a bank's items/ for an item of a
	// bank, otherwise the directory walked or, for a file named on its
	// own, its folder.
	Root string
	// NotItem, when set, says what the file is instead of an item file
	// (the exam blueprint, a form, item statistics): fmt refuses it.
	NotItem string
}

// Files expands the paths given to qbank fmt into the files to format, in
// order and without repeats. A file is taken as it is, whatever its name,
// but a file of a bank that is not under its items/ is marked NotItem. A
// directory is walked for *.yaml files (a directory named through a
// symlink is walked; directory symlinks under it are not followed). A bank
// directory - one holding exam.yaml - stands for its items/ folder, also
// when the walk meets it below the directory given ("qbank fmt ." at a
// repository root), so the blueprint, the forms and stats.yaml are never
// rewritten as items; outside a bank's items/, hidden files and
// directories (.pre-commit-hooks.yaml, .github) are skipped. A directory
// inside a bank but outside its items/ (bank/forms) yields its files
// marked NotItem. A path that does not exist is an error.
func Files(paths []string) ([]File, error) {
	var out []File
	seen := map[string]bool{}
	add := func(f File) {
		if !seen[f.Path] {
			seen[f.Path] = true
			out = append(out, f)
		}
	}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, missingPath(p, err)
		}
		root, notItem := place(p)
		if !st.IsDir() {
			if root == "" {
				root = filepath.Dir(p)
			}
			add(File{Path: p, Root: root, NotItem: notItem})
			continue
		}
		if root == "" {
			root = p
		}
		var found []File
		if err := walkYAML(p, root != p, root, &found); err != nil {
			return nil, err
		}
		sort.Slice(found, func(i, j int) bool { return found[i].Path < found[j].Path })
		for _, f := range found {
			f.NotItem = notItem
			add(f)
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

// place locates path in the bank that holds it, if any (the nearest
// folder above it with an exam.yaml): under the bank's items/, root is
// that items/ folder; elsewhere in the bank, notItem says what the file
// is. Both are empty for a path outside any bank, and for a bank itself.
func place(path string) (root, notItem string) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", ""
	}
	for dir := filepath.Dir(abs); ; dir = filepath.Dir(dir) {
		if isBank(dir) {
			rel, err := filepath.Rel(dir, abs)
			if err != nil {
				return "", ""
			}
			first, _, _ := strings.Cut(filepath.ToSlash(rel), "/")
			switch {
			case first == "items":
				return filepath.Join(dir, "items"), ""
			case rel == "exam.yaml":
				return "", "the exam blueprint"
			case rel == "stats.yaml":
				return "", "the item statistics"
			case first == "forms":
				return "", "a form"
			}
			return "", "a file of the bank outside its items/"
		}
		if filepath.Dir(dir) == dir {
			return "", ""
		}
	}
}

// isBank reports whether dir holds an exam.yaml.
func isBank(dir string) bool {
	st, err := os.Stat(filepath.Join(dir, "exam.yaml"))
	return err == nil && st.Mode().IsRegular()
}

// walkYAML appends the *.yaml files under root to found, named under root,
// with linkRoot as their Root. bankItems says root is (in) the items/
// folder of a bank: everything under it is taken, as the bank loader does.
// Elsewhere a bank directory is replaced by its items/, and hidden files
// and directories are skipped.
func walkYAML(root string, bankItems bool, linkRoot string, found *[]File) error {
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
			if isBank(path) {
				items := filepath.Join(name, "items")
				if st, err := os.Stat(items); err == nil && st.IsDir() {
					if err := walkYAML(items, true, items, found); err != nil {
						return err
					}
				}
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(d.Name(), ".yaml") && (bankItems || path == walkRoot || !strings.HasPrefix(d.Name(), ".")) {
			*found = append(*found, File{Path: name, Root: linkRoot})
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
