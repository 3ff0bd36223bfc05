package bundle

import (
	"archive/tar"
	"bufio"
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
	"strings"
)

// Limits bound what Open reads, so a hostile bundle cannot exhaust memory
// or disk (a gzip bomb, a million tiny entries).
type Limits struct {
	// MaxFileSize bounds one file.
	MaxFileSize int64
	// MaxTotalSize bounds the sum of all file sizes.
	MaxTotalSize int64
	// MaxEntries bounds the number of files and directories.
	MaxEntries int
}

// DefaultLimits are generous for real bundles: a 65-item form is about
// 100 KB of JSON.
var DefaultLimits = Limits{MaxFileSize: 32 << 20, MaxTotalSize: 256 << 20, MaxEntries: 10000}

// InvalidError means the bundle itself is unacceptable (unsafe archive
// entries, links, limits exceeded, not an archive): verification fails. Any
// other error from Open means it could not be read at all.
type InvalidError struct {
	// File names the offending entry or file ("" for the bundle as a whole).
	File string
	Msg  string
}

// Error renders "file: message".
func (e *InvalidError) Error() string {
	if e.File == "" {
		return e.Msg
	}
	return e.File + ": " + e.Msg
}

// Open reads a bundle from a directory or a .tar.gz archive, safely: only
// regular files and directories are accepted (no symbolic or hard links,
// devices or pipes), archive paths must be relative, clean and inside one
// top-level directory, no entry may appear twice, and lim bounds sizes and
// counts.
func Open(ctx context.Context, p string, lim Limits) (*Bundle, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return readDir(ctx, p, lim)
	}
	if !st.Mode().IsRegular() {
		return nil, &InvalidError{File: p, Msg: "neither a bundle directory nor a .tar.gz archive"}
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadArchive(ctx, f, lim)
}

func readDir(ctx context.Context, root string, lim Limits) (*Bundle, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	b := &Bundle{Name: filepath.Base(abs), Files: map[string][]byte{}}
	// The directory named may itself be a link (dist/current); WalkDir
	// would not enter it. Links inside the bundle are still refused.
	if root, err = filepath.EvalSymlinks(root); err != nil {
		return nil, err
	}
	var total int64
	entries := 0
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if rel == "." {
			return nil
		}
		entries++
		if entries > lim.MaxEntries {
			return &InvalidError{Msg: fmt.Sprintf("more than %d files and directories; not a bundle", lim.MaxEntries)}
		}
		switch t := d.Type(); {
		case t.IsDir():
			return nil
		case t&fs.ModeSymlink != 0:
			return &InvalidError{File: rel, Msg: "is a symbolic link; a bundle holds regular files only"}
		case !t.IsRegular():
			return &InvalidError{File: rel, Msg: fmt.Sprintf("is not a regular file (%v); a bundle holds regular files only", t)}
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if info.Size() > lim.MaxFileSize {
			return &InvalidError{File: rel, Msg: fmt.Sprintf("is %d bytes, over the limit of %d", info.Size(), lim.MaxFileSize)}
		}
		data, err := readFileLimited(p, lim.MaxFileSize)
		if err != nil {
			if errors.Is(err, errTooLarge) {
				return &InvalidError{File: rel, Msg: fmt.Sprintf("is over the limit of %d bytes", lim.MaxFileSize)}
			}
			return err
		}
		total += int64(len(data))
		if total > lim.MaxTotalSize {
			return &InvalidError{Msg: fmt.Sprintf("files total more than %d bytes; not a bundle", lim.MaxTotalSize)}
		}
		b.Files[rel] = data
		return nil
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}

var errTooLarge = errors.New("file too large")

func readFileLimited(p string, max int64) ([]byte, error) {
	// O_NOFOLLOW is not portable; Lstat in WalkDir has already rejected
	// links, and the size is checked again on the data read.
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, errTooLarge
	}
	return data, nil
}

// ReadArchive reads a bundle from a gzip-compressed tar stream; see Open
// for the safety rules.
func ReadArchive(ctx context.Context, r io.Reader, lim Limits) (*Bundle, error) {
	br := bufio.NewReader(r)
	if magic, _ := br.Peek(2); !bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		return nil, &InvalidError{Msg: "not a gzip-compressed tar archive (.tar.gz) and not a directory"}
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		return nil, &InvalidError{Msg: "bad gzip stream: " + err.Error()}
	}
	defer zr.Close()
	// Bound the decompressed stream too: headers and padding count, so a
	// stream of empty entries cannot run forever.
	maxStream := lim.MaxTotalSize + int64(lim.MaxEntries+2)*4096 + 1<<20
	stream := &io.LimitedReader{R: zr, N: maxStream}
	tr := tar.NewReader(stream)
	b := &Bundle{Files: map[string][]byte{}}
	seen := map[string]bool{}
	var total int64
	entries := 0
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) {
				return nil, &InvalidError{Msg: "archive is truncated or larger than the limits allow"}
			}
			return nil, &InvalidError{Msg: "bad tar archive: " + err.Error()}
		}
		entries++
		if entries > lim.MaxEntries {
			return nil, &InvalidError{Msg: fmt.Sprintf("more than %d entries; not a bundle", lim.MaxEntries)}
		}
		name := h.Name
		rel, err := b.entryPath(name, seen)
		if err != nil {
			return nil, err
		}
		if dir, err := entryType(h); err != nil {
			return nil, err
		} else if dir {
			continue
		}
		if rel == "" {
			return nil, &InvalidError{File: name, Msg: "is a file at the top level; a bundle archive holds one top-level directory"}
		}
		if h.Size < 0 || h.Size > lim.MaxFileSize {
			return nil, &InvalidError{File: name, Msg: fmt.Sprintf("is %d bytes, over the limit of %d", h.Size, lim.MaxFileSize)}
		}
		total += h.Size
		if total > lim.MaxTotalSize {
			return nil, &InvalidError{Msg: fmt.Sprintf("files total more than %d bytes; not a bundle", lim.MaxTotalSize)}
		}
		data := make([]byte, h.Size)
		if _, err := io.ReadFull(tr, data); err != nil {
			return nil, &InvalidError{File: name, Msg: "truncated: " + err.Error()}
		}
		b.Files[rel] = data
	}
	if err := checkTrailer(zr, stream); err != nil {
		return nil, err
	}
	if err := checkNesting(b); err != nil {
		return nil, err
	}
	if b.Name == "" {
		return nil, &InvalidError{Msg: "archive is empty"}
	}
	return b, nil
}

// entryPath checks the name of an archive entry: a clean relative path
// under the one top-level directory (which names b), not seen before. It
// returns the path under that directory.
func (b *Bundle) entryPath(name string, seen map[string]bool) (string, error) {
	clean, msg := checkEntryName(name)
	if msg != "" {
		return "", &InvalidError{File: name, Msg: msg}
	}
	root, rel, _ := strings.Cut(clean, "/")
	if b.Name == "" {
		b.Name = root
	} else if root != b.Name {
		return "", &InvalidError{File: name, Msg: fmt.Sprintf("outside the bundle directory %s/; a bundle archive holds one top-level directory", b.Name)}
	}
	if seen[clean] {
		return "", &InvalidError{File: name, Msg: "appears twice in the archive"}
	}
	seen[clean] = true
	return rel, nil
}

// entryType reports whether tar entry h is a directory, and fails unless
// it is a directory or a regular file.
func entryType(h *tar.Header) (dir bool, err error) {
	name := h.Name
	switch h.Typeflag {
	case tar.TypeDir:
		return true, nil
	case tar.TypeReg: // the reader turns the old TypeRegA into TypeReg
		return false, nil
	case tar.TypeSymlink:
		return false, &InvalidError{File: name, Msg: "is a symbolic link (to " + h.Linkname + "); a bundle holds regular files only"}
	case tar.TypeLink:
		return false, &InvalidError{File: name, Msg: "is a hard link (to " + h.Linkname + "); a bundle holds regular files only"}
	case tar.TypeChar, tar.TypeBlock:
		return false, &InvalidError{File: name, Msg: "is a device; a bundle holds regular files only"}
	case tar.TypeFifo:
		return false, &InvalidError{File: name, Msg: "is a named pipe; a bundle holds regular files only"}
	default:
		return false, &InvalidError{File: name, Msg: fmt.Sprintf("has entry type %q; a bundle holds regular files and directories only", h.Typeflag)}
	}
}

// checkNesting fails on a file and a directory of the same name, or a
// file under a file.
func checkNesting(b *Bundle) error {
	for p := range b.Files {
		for d := path.Dir(p); d != "."; d = path.Dir(d) {
			if _, ok := b.Files[d]; ok {
				return &InvalidError{File: b.Name + "/" + d, Msg: "is both a file and a directory"}
			}
		}
	}
	return nil
}

// checkTrailer reads what follows the tar end marker to the end of the
// gzip stream and refuses anything but zero padding: a second archive
// appended, or entries after the end marker, would be extracted by
// tar --ignore-zeros but never seen here. Reading to the end also checks
// the gzip checksum. stream is the bounded reader the tar reader used, zr
// the gzip reader under it.
func checkTrailer(zr io.Reader, stream *io.LimitedReader) error {
	buf := make([]byte, 32<<10)
	for {
		n, err := stream.Read(buf)
		if !allZero(buf[:n]) {
			return &InvalidError{Msg: "data after the end of the tar archive (another archive appended?); a bundle archive is a single tar stream"}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return &InvalidError{Msg: "bad gzip stream after the end of the tar archive: " + err.Error()}
		}
	}
	if stream.N <= 0 {
		if n, _ := zr.Read(buf[:1]); n > 0 {
			return &InvalidError{Msg: "the decompressed archive is larger than the limits allow"}
		}
	}
	return nil
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// checkEntryName returns the cleaned entry name, or a message saying why
// the name is unsafe.
func checkEntryName(name string) (string, string) {
	switch {
	case name == "":
		return "", "empty entry name"
	case strings.ContainsRune(name, 0):
		return "", "entry name holds a NUL byte"
	case strings.Contains(name, "\\"):
		return "", "entry name holds a backslash; paths in a bundle are slash-separated"
	case strings.HasPrefix(name, "/") || (len(name) > 1 && name[1] == ':'):
		return "", "absolute path; archive entries must be relative to the bundle"
	}
	trimmed := strings.TrimSuffix(name, "/")
	for _, el := range strings.Split(trimmed, "/") {
		switch el {
		case "..":
			return "", "path goes outside the bundle (\"..\")"
		case ".", "":
			return "", "path is not clean (\".\" or an empty element)"
		}
	}
	return trimmed, ""
}
