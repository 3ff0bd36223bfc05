package bundle

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qbank/qbank/internal/signing"
	"github.com/qbank/qbank/internal/testbank"
)

func clone(b *Bundle) *Bundle {
	c := &Bundle{Name: b.Name, Files: map[string][]byte{}}
	for p, d := range b.Files {
		c.Files[p] = append([]byte(nil), d...)
	}
	return c
}

// rehash rewrites the manifest's and SHA256SUMS's checksums after a
// change, as a careful forger without the private key would; the manifest
// signature (if any) is left as it was.
func rehash(t *testing.T, b *Bundle) {
	t.Helper()
	var m Manifest
	if err := jsonUnmarshal(b.Files[ManifestFile], &m); err != nil {
		t.Fatal(err)
	}
	for i, f := range m.Files {
		m.Files[i].SHA256 = sha256Hex(b.Files[f.Path])
		m.Files[i].Size = int64(len(b.Files[f.Path]))
	}
	data, err := canonicalJSON(m)
	if err != nil {
		t.Fatal(err)
	}
	b.Files[ManifestFile] = data
	delete(b.Files, SumsFile)
	b.Files[SumsFile] = sums(b.Files)
}

func TestVerifyFindsTampering(t *testing.T) {
	key := testKey()
	pub := key.Public().(ed25519.PublicKey)
	other := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, 32))
	otherPub := other.Public().(ed25519.PublicKey)
	signed := build(t, testbank.ReleaseBank(t), Options{Key: key})
	unsigned := build(t, testbank.ReleaseBank(t), Options{})
	const form = "forms/TST-01-MINI-A.json"
	tests := []struct {
		name   string
		base   *Bundle
		change func(b *Bundle)
		pub    ed25519.PublicKey
		want   []string // problems, in order, as "file: message" prefixes
		sig    SignatureState
	}{
		{"intact signed, key given", signed, func(*Bundle) {}, pub, nil, Valid},
		{"intact signed, no key", signed, func(*Bundle) {}, nil, nil, NotChecked},
		{"intact unsigned", unsigned, func(*Bundle) {}, nil, nil, Unsigned},
		{"one byte flipped", signed, func(b *Bundle) { b.Files[form][100] ^= 1 }, pub,
			[]string{form + ": changed: its SHA-256 is"}, Valid},
		{"file deleted", signed, func(b *Bundle) { delete(b.Files, "keys/TST-01-MINI-B.json") }, pub,
			[]string{"keys/TST-01-MINI-B.json: missing: listed in the manifest and SHA256SUMS but not in the bundle"}, Valid},
		{"file added", signed, func(b *Bundle) { b.Files["forms/EXTRA.json"] = []byte("{}\n") }, pub,
			[]string{"forms/EXTRA.json: extra file: listed neither in the manifest nor in SHA256SUMS"}, Valid},
		{"SHA256SUMS deleted", signed, func(b *Bundle) { delete(b.Files, SumsFile) }, pub,
			[]string{"SHA256SUMS: missing"}, Valid},
		{"manifest byte flipped", signed, func(b *Bundle) { b.Files[ManifestFile][2] = 'x' }, pub,
			[]string{"manifest.json: changed: its SHA-256 is", "manifest.json: not valid JSON"}, ""},
		{"signature deleted", signed, func(b *Bundle) { delete(b.Files, SignatureFile) }, pub,
			[]string{"manifest.sig: missing: listed in SHA256SUMS", "manifest.sig: missing: the manifest says the bundle is signed by key"}, Invalid},
		{"signed by another key", signed, func(b *Bundle) {
			b.Files[SignatureFile] = signing.Sign(other, ManifestFile, b.Files[ManifestFile]).Encode()
			delete(b.Files, SumsFile)
			b.Files[SumsFile] = sums(b.Files)
		}, pub, []string{"manifest.sig: claims key"}, Invalid},
		{"wrong public key", signed, func(*Bundle) {}, otherPub,
			[]string{"manifest.sig: signature does not verify: it was made by key " + signing.KeyID(pub) + ", and the public key given is " + signing.KeyID(otherPub)}, Invalid},
		{"content changed and rehashed", signed, func(b *Bundle) {
			b.Files[form] = bytes.Replace(b.Files[form], []byte("colder tier"), []byte("warmer tier"), 1)
			rehash(t, b)
		}, pub, []string{"manifest.sig: signature does not verify with key " + signing.KeyID(pub) + ": the signed file was changed after signing"}, Invalid},
		{"unsigned but a key is required", unsigned, func(*Bundle) {}, pub,
			[]string{"manifest.sig: missing: the bundle is unsigned, and --pubkey asks for a signature"}, Invalid},
		{"key leaked into the candidate file", unsigned, func(b *Bundle) {
			b.Files[form] = bytes.Replace(b.Files[form], []byte(`"letter": "A",`), []byte(`"correct": true, "letter": "A",`), 1)
			rehash(t, b)
		}, nil, []string{form + ": schema bundle-form: at /items/0/options/0: additionalProperties 'correct' not allowed"}, Unsigned},
		{"items reordered in the key file", unsigned, func(b *Bundle) {
			p := "keys/TST-01-MINI-A.json"
			b.Files[p] = bytes.Replace(b.Files[p], []byte(`"role": "scored"`), []byte(`"role": "pretest"`), 1)
			rehash(t, b)
		}, nil, []string{"keys/TST-01-MINI-A.json: item 1 is AL-0003 revision 1 (pretest) at position 1; the manifest has AL-0003 revision 1 (scored)"}, Unsigned},
		{"scaled score raised in a table", unsigned, func(b *Bundle) {
			p := "keys/TST-01-MINI-A.json"
			b.Files[p] = bytes.Replace(b.Files[p], []byte(`"scaled": 700,`), []byte(`"scaled": 750,`), 1)
			rehash(t, b)
		}, nil, []string{"keys/TST-01-MINI-A.json: conversion table: raw 1: scaled 750, but theta 0 gives 700 on this scale"}, Unsigned},
		{"cut raw moved", unsigned, func(b *Bundle) {
			p := "keys/TST-01-MINI-B.json"
			b.Files[p] = bytes.Replace(b.Files[p], []byte(`"cut_raw": 1,`), []byte(`"cut_raw": 2,`), 1)
			rehash(t, b)
		}, nil, []string{"keys/TST-01-MINI-B.json: conversion table: cut raw score is 2, but the first passing row is raw 1"}, Unsigned},
		{"pass flag flipped", unsigned, func(b *Bundle) {
			p := "keys/TST-01-MINI-A.json"
			b.Files[p] = bytes.Replace(b.Files[p], []byte(`"pass": false,`), []byte(`"pass": true,`), 1)
			rehash(t, b)
		}, nil, []string{
			"keys/TST-01-MINI-A.json: conversion table: raw 0: pass is true, but scaled 527 against pass 700 says false",
			"keys/TST-01-MINI-A.json: conversion table: cut raw score is 1, but the first passing row is raw 0"}, Unsigned},
		{"theta and scaled changed together", unsigned, func(b *Bundle) {
			p := "keys/TST-01-MINI-A.json"
			b.Files[p] = bytes.Replace(b.Files[p], []byte(`"scaled": 873,`), []byte(`"scaled": 950,`), 1)
			b.Files[p] = bytes.Replace(b.Files[p], []byte(`"theta": 1.734601`), []byte(`"theta": 2.5`), 1)
			rehash(t, b)
		}, nil, []string{"keys/TST-01-MINI-A.json: conversion table: raw 2 has theta 2.5 se 1.980295, but the scored items' b give theta 1.734601 se 1.980295"}, Unsigned},
		{"rows swapped", unsigned, func(b *Bundle) {
			p := "keys/TST-01-MINI-A.json"
			b.Files[p] = bytes.Replace(b.Files[p], []byte(`"theta": -1.734601`), []byte(`"theta": 0.1`), 1)
			rehash(t, b)
		}, nil, []string{
			"keys/TST-01-MINI-A.json: conversion table: raw 0: scaled 527, but theta 0.1 gives 710 on this scale",
			"keys/TST-01-MINI-A.json: conversion table: raw 1: theta 0 does not rise above raw 0's 0.1",
			"keys/TST-01-MINI-A.json: conversion table: raw 0 has theta 0.1"}, Unsigned},
		{"table of a form without its scale", unsigned, func(b *Bundle) {
			p := "keys/TST-01-MINI-A.json"
			var kf KeyForm
			if err := jsonUnmarshal(b.Files[p], &kf); err != nil {
				t.Fatal(err)
			}
			kf.Scale = nil
			b.Files[p], _ = canonicalJSON(kf)
			rehash(t, b)
		}, nil, []string{"keys/TST-01-MINI-A.json: has no conversion table, but the manifest has a scale"}, Unsigned},
		{"SHA256SUMS malformed", unsigned, func(b *Bundle) { b.Files[SumsFile] = append(b.Files[SumsFile], "garbage\n"...) }, nil,
			[]string{"SHA256SUMS: line 6 is not"}, Unsigned},
		{"not canonical", unsigned, func(b *Bundle) {
			b.Files[form] = bytes.Replace(b.Files[form], []byte("\n  "), []byte("\n   "), 1)
			rehash(t, b)
		}, nil, []string{form + ": not in canonical form"}, Unsigned},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := clone(tt.base)
			tt.change(b)
			r := Verify(b, tt.pub)
			if len(r.Problems) != len(tt.want) {
				t.Fatalf("problems:\n%s\nwant %d starting:\n%s", problemsText(r), len(tt.want), strings.Join(tt.want, "\n"))
			}
			for i, w := range tt.want {
				if !strings.HasPrefix(r.Problems[i].String(), w) {
					t.Errorf("problem %d = %s\nwant prefix %s", i, r.Problems[i], w)
				}
			}
			if tt.sig != "" && r.Signature != tt.sig {
				t.Errorf("signature %s; want %s", r.Signature, tt.sig)
			}
		})
	}
}

func problemsText(r *Report) string {
	var s []string
	for _, p := range r.Problems {
		s = append(s, p.String())
	}
	return strings.Join(s, "\n")
}

func TestReportText(t *testing.T) {
	b := build(t, testbank.ReleaseBank(t), Options{Key: testKey()})
	var out strings.Builder
	Verify(b, nil).WriteText(&out)
	want := "bundle TST-01-1.0.0 (exam TST-01, version 1.0.0, 2 forms, 7 files)\n" +
		"note: the scale is provisional: 4 scored items have no measured b and use their authored difficulty\n" +
		"ok: every file is present and matches the manifest and SHA256SUMS; every file matches its schema\n" +
		"signature: NOT CHECKED: the bundle is signed by key fe812c12f3ab4ce6, but no --pubkey was given; this checked integrity only, not who made the bundle\n"
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
}

type entry struct {
	name     string
	typ      byte
	body     string
	linkname string
}

// rawTar returns an uncompressed tar stream of entries, end marker
// included.
func rawTar(t testing.TB, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Typeflag: e.typ, Mode: 0o644, Size: int64(len(e.body)), Linkname: e.linkname}
		if e.typ != tar.TypeReg {
			h.Size = 0
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(e.body))
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// gzipped compresses data as one gzip member.
func gzipped(t testing.TB, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(data)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func archive(t testing.TB, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Typeflag: e.typ, Mode: 0o644, Size: int64(len(e.body)), Linkname: e.linkname}
		if e.typ != tar.TypeReg {
			h.Size = 0
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(e.body))
	}
	tw.Close()
	zw.Close()
	return buf.Bytes()
}

func TestReadArchiveRejectsUnsafeEntries(t *testing.T) {
	ok := entry{name: "B-1.0.0/manifest.json", typ: tar.TypeReg, body: "{}"}
	small := Limits{MaxFileSize: 10, MaxTotalSize: 15, MaxEntries: 4}
	tests := []struct {
		name    string
		data    []byte
		lim     Limits
		wantErr string
	}{
		{"absolute path", archive(t, entry{name: "/etc/passwd", typ: tar.TypeReg, body: "x"}), DefaultLimits, "/etc/passwd: absolute path"},
		{"dot-dot", archive(t, ok, entry{name: "B-1.0.0/../../evil", typ: tar.TypeReg, body: "x"}), DefaultLimits, "B-1.0.0/../../evil: path goes outside the bundle"},
		{"symlink", archive(t, ok, entry{name: "B-1.0.0/forms/x.json", typ: tar.TypeSymlink, linkname: "/etc/passwd"}), DefaultLimits, "B-1.0.0/forms/x.json: is a symbolic link (to /etc/passwd)"},
		{"hard link", archive(t, ok, entry{name: "B-1.0.0/keys/x.json", typ: tar.TypeLink, linkname: "B-1.0.0/manifest.json"}), DefaultLimits, "is a hard link"},
		{"device", archive(t, ok, entry{name: "B-1.0.0/dev", typ: tar.TypeChar}), DefaultLimits, "B-1.0.0/dev: is a device"},
		{"fifo", archive(t, ok, entry{name: "B-1.0.0/fifo", typ: tar.TypeFifo}), DefaultLimits, "is a named pipe"},
		{"duplicate", archive(t, ok, ok), DefaultLimits, "B-1.0.0/manifest.json: appears twice"},
		{"duplicate after cleaning", archive(t, entry{name: "B-1.0.0/forms/", typ: tar.TypeDir}, entry{name: "B-1.0.0/forms", typ: tar.TypeDir}), DefaultLimits, "appears twice"},
		{"two roots", archive(t, ok, entry{name: "C-1.0.0/manifest.json", typ: tar.TypeReg, body: "{}"}), DefaultLimits, "C-1.0.0/manifest.json: outside the bundle directory B-1.0.0/"},
		{"file at top level", archive(t, entry{name: "manifest.json", typ: tar.TypeReg, body: "{}"}), DefaultLimits, "manifest.json: is a file at the top level"},
		{"not clean", archive(t, entry{name: "B-1.0.0/./x", typ: tar.TypeReg, body: "x"}), DefaultLimits, "path is not clean"},
		{"backslash", archive(t, entry{name: "B-1.0.0\\..\\x", typ: tar.TypeReg, body: "x"}), DefaultLimits, "backslash"},
		{"file too large", archive(t, entry{name: "B-1.0.0/big", typ: tar.TypeReg, body: strings.Repeat("x", 11)}), small, "B-1.0.0/big: is 11 bytes, over the limit of 10"},
		{"total too large", archive(t, entry{name: "B-1.0.0/a", typ: tar.TypeReg, body: "12345678"}, entry{name: "B-1.0.0/b", typ: tar.TypeReg, body: "12345678"}), small, "files total more than 15 bytes"},
		{"too many entries", archive(t, entry{name: "B/", typ: tar.TypeDir}, entry{name: "B/a/", typ: tar.TypeDir}, entry{name: "B/b/", typ: tar.TypeDir}, entry{name: "B/c/", typ: tar.TypeDir}, entry{name: "B/d/", typ: tar.TypeDir}), small, "more than 4 entries"},
		{"not gzip", []byte("just text"), DefaultLimits, "not a gzip-compressed tar archive"},
		{"empty", archive(t), DefaultLimits, "archive is empty"},
		{"truncated", archive(t, ok)[:30], DefaultLimits, ""},
		// Data after the end of the tar stream is what verify never saw,
		// but tar --ignore-zeros (and other readers) would extract it.
		{"a second archive appended", append(archive(t, ok), archive(t, entry{name: "B-1.0.0/forms/evil.json", typ: tar.TypeReg, body: "{}"})...), DefaultLimits, "data after the end of the tar archive"},
		{"entries after the end marker", gzipped(t, append(rawTar(t, ok), rawTar(t, entry{name: "B-1.0.0/l", typ: tar.TypeSymlink, linkname: "/etc"})...)), DefaultLimits, "data after the end of the tar archive"},
		{"garbage after the gzip stream", append(archive(t, ok), "not gzip"...), DefaultLimits, "after the end of the tar archive"},
		{"zeros past the limits", gzipped(t, append(rawTar(t, ok), make([]byte, 2<<20)...)), Limits{MaxFileSize: 10, MaxTotalSize: 15, MaxEntries: 4}, "larger than the limits allow"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadArchive(context.Background(), bytes.NewReader(tt.data), tt.lim)
			var ie *InvalidError
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v; want an InvalidError", err)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %v; want it to contain %q", err, tt.wantErr)
			}
		})
	}
	got, err := ReadArchive(context.Background(), bytes.NewReader(archive(t, entry{name: "B-1.0.0/", typ: tar.TypeDir}, ok)), DefaultLimits)
	if err != nil || got.Name != "B-1.0.0" || string(got.Files["manifest.json"]) != "{}" {
		t.Errorf("a safe archive: %+v, %v", got, err)
	}
	// Zero padding after the end marker (GNU tar pads to 10 KiB records),
	// also in a second gzip member, is fine.
	padded := gzipped(t, append(rawTar(t, ok), make([]byte, 10240)...))
	padded = append(padded, gzipped(t, make([]byte, 512))...)
	if got, err := ReadArchive(context.Background(), bytes.NewReader(padded), DefaultLimits); err != nil || string(got.Files["manifest.json"]) != "{}" {
		t.Errorf("a zero-padded archive: %+v, %v", got, err)
	}
	// A damaged gzip trailer (the CRC of the whole stream) is noticed.
	damaged := archive(t, ok)
	damaged[len(damaged)-8] ^= 0xff
	if _, err := ReadArchive(context.Background(), bytes.NewReader(damaged), DefaultLimits); err == nil {
		t.Error("an archive with a wrong gzip checksum was accepted")
	}
}

func TestOpenDirRejectsLinks(t *testing.T) {
	b := build(t, testbank.ReleaseBank(t), Options{})
	dir, _, err := Write(context.Background(), t.TempDir(), b, WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/etc/passwd", filepath.Join(dir, "forms", "evil.json")); err != nil {
		t.Skip("cannot create symlinks:", err)
	}
	_, err = Open(context.Background(), dir, DefaultLimits)
	var ie *InvalidError
	if !errors.As(err, &ie) || err.Error() != "forms/evil.json: is a symbolic link; a bundle holds regular files only" {
		t.Errorf("err = %v", err)
	}
	if _, err := Open(context.Background(), filepath.Join(dir, "nope"), DefaultLimits); err == nil || errors.As(err, &ie) {
		t.Errorf("a missing path should be a plain error, got %v", err)
	}
}

// TestOpenDirThroughALink: the path named on the command line may be a
// link to a bundle directory (such as dist/current); links inside it may
// not.
func TestOpenDirThroughALink(t *testing.T) {
	b := build(t, testbank.ReleaseBank(t), Options{})
	out := t.TempDir()
	dir, _, err := Write(context.Background(), out, b, WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(out, "current")
	if err := os.Symlink(dir, link); err != nil {
		t.Skip("cannot create symlinks:", err)
	}
	got, err := Open(context.Background(), link, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if r := Verify(got, nil); !r.OK() || len(got.Files) != len(b.Files) {
		t.Errorf("bundle read through a link: %d files, problems %v", len(got.Files), r.Problems)
	}
}

// A form with no scored items has no table, also when the bundle has a
// scale; any other form of a bundle with a scale must have one.
func TestKeyScaleOfFormWithoutScoredItems(t *testing.T) {
	m := &Manifest{Scale: &ManifestScale{ThetaCut: 0}}
	var got []string
	add := func(file, format string, args ...any) { got = append(got, file) }
	checkKeyScale(ManifestForm{Form: "P", KeyFile: "keys/P.json", Scored: 0}, &KeyForm{}, m, add)
	if len(got) != 0 {
		t.Errorf("pretest-only form: problems in %v", got)
	}
	checkKeyScale(ManifestForm{Form: "S", KeyFile: "keys/S.json", Scored: 2}, &KeyForm{}, m, add)
	if len(got) != 1 {
		t.Errorf("scored form without a table: problems in %v", got)
	}
}

func jsonUnmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }
