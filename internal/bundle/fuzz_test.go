package bundle

import (
	"archive/tar"
	"bytes"
	"context"
	"strings"
	"testing"
)

// FuzzReadArchive feeds arbitrary bytes to the archive reader: it must
// never panic, and whatever it accepts must be safe to write to disk.
func FuzzReadArchive(f *testing.F) {
	var buf bytes.Buffer
	b := &Bundle{Name: "X-1.0.0", Files: map[string][]byte{"manifest.json": []byte("{}\n"), "forms/A.json": []byte("{}\n")}}
	if err := WriteArchive(&buf, b, DefaultEpoch); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add(archive(f, entry{name: "X/../../etc/passwd", typ: tar.TypeReg, body: "x"}))
	f.Add(archive(f, entry{name: "X/l", typ: tar.TypeSymlink, linkname: "/"}))
	f.Add([]byte{0x1f, 0x8b})
	lim := Limits{MaxFileSize: 1 << 16, MaxTotalSize: 1 << 18, MaxEntries: 100}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := ReadArchive(context.Background(), bytes.NewReader(data), lim)
		if err != nil {
			return
		}
		if got.Name == "" || got.Name == "." || got.Name == ".." || strings.ContainsAny(got.Name, "/\\\x00") {
			t.Fatalf("accepted bundle name %q", got.Name)
		}
		var total int64
		for p, d := range got.Files {
			if !validPath(p) {
				t.Fatalf("accepted path %q", p)
			}
			if int64(len(d)) > lim.MaxFileSize {
				t.Fatalf("accepted %d bytes in %s", len(d), p)
			}
			total += int64(len(d))
		}
		if total > lim.MaxTotalSize || len(got.Files) > lim.MaxEntries {
			t.Fatalf("accepted %d bytes in %d files", total, len(got.Files))
		}
	})
}
