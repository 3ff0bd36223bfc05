package itemfmt

import (
	"bytes"
	"context"
	"runtime"

	"github.com/qbank/qbank/internal/atomicfile"
	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/finding"
	"github.com/qbank/qbank/internal/yamlx"
)

// RunOptions tune Run.
type RunOptions struct {
	// Write replaces every file whose layout differs (qbank fmt -w).
	Write bool
	// MaxFileSize bounds one file (bank.DefaultMaxFileSize when 0).
	MaxFileSize int64
	// Workers bounds the files in progress at once (0: the CPU count, or
	// 64 when writing: each write waits for the disk, and concurrent
	// syncs cost the disk little more than one).
	Workers int
}

// Result is what Run did with one file.
type Result struct {
	File File
	// Data is the file's content, nil when it was not read.
	Data []byte
	// Out is the canonical layout, nil when the file was not formatted.
	Out []byte
	// Problems say, at their positions, why the file was not formatted or
	// not written; the file is then unchanged.
	Problems []*yamlx.Error
	// Written reports that the file was replaced by Out.
	Written bool
}

// Changed reports whether the file's layout differs from the canonical
// one.
func (r *Result) Changed() bool { return r.Out != nil && !bytes.Equal(r.Out, r.Data) }

// Run formats files, several at a time, and hands each result to report
// in the order of files (report runs on the caller's goroutine). A file is
// refused before it is read when it is a symbolic link out of its Root
// (the finding of bank.LinkOutside, as lint gives it) or is not an item
// file. With opts.Write the files that differ are replaced atomically
// (atomicfile), read-only files are refused, and directories are synced
// once at the end rather than after every file. Run stops early, with
// ctx's error, when ctx is done.
func Run(ctx context.Context, files []File, opts RunOptions, report func(*Result)) error {
	if opts.MaxFileSize <= 0 {
		opts.MaxFileSize = bank.DefaultMaxFileSize
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.NumCPU()
		if opts.Write {
			opts.Workers = 64
		}
	}
	w := atomicfile.NewBatch()
	type job struct {
		f   File
		res chan *Result
	}
	jobs := make(chan job)
	// order holds the result channels in file order; its capacity bounds
	// how far the workers run ahead of report.
	order := make(chan chan *Result, 4*opts.Workers)
	go func() {
		defer close(jobs)
		defer close(order)
		for _, f := range files {
			if ctx.Err() != nil {
				return
			}
			res := make(chan *Result, 1)
			order <- res
			jobs <- job{f, res}
		}
	}()
	for range opts.Workers {
		go func() {
			for j := range jobs {
				j.res <- formatOne(j.f, opts, w)
			}
		}()
	}
	for res := range order {
		report(<-res)
	}
	if err := w.Sync(); err != nil {
		return err
	}
	return ctx.Err()
}

// formatOne reads, formats and (with opts.Write) writes one file.
func formatOne(f File, opts RunOptions, w *atomicfile.Writer) *Result {
	r := &Result{File: f}
	at := func(msg string) []*yamlx.Error {
		return []*yamlx.Error{{Pos: finding.Pos{Line: 1, Column: 1}, Msg: msg}}
	}
	if lf, ok := bank.LinkOutside(f.Root, f.Path); ok {
		r.Problems = at(lf.Message)
		return r
	}
	if f.NotItem != "" {
		r.Problems = at(NotItemMessage(f.NotItem))
		return r
	}
	data, err := ReadFile(f.Path, opts.MaxFileSize)
	if err != nil {
		r.Problems = at(err.Error())
		return r
	}
	r.Data = data
	out, err := Format(data)
	if err != nil {
		r.Problems = yamlx.Errors(err)
		return r
	}
	r.Out = out
	if opts.Write && r.Changed() {
		if err := w.Replace(f.Path, out, data); err != nil {
			r.Problems = at("not written: " + err.Error())
			return r
		}
		r.Written = true
	}
	return r
}
