package signing

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// seeded returns a deterministic key pair for tests.
func seeded(b byte) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{b}, ed25519.SeedSize))
}

func TestKeysRoundTrip(t *testing.T) {
	priv := seeded(1)
	pub := priv.Public().(ed25519.PublicKey)
	got, err := ParsePrivateKey("k", EncodePrivateKey(priv))
	if err != nil || !got.Equal(priv) {
		t.Fatalf("private key round trip: %v", err)
	}
	gotPub, err := ParsePublicKey("p", EncodePublicKey(pub))
	if err != nil || !gotPub.Equal(pub) {
		t.Fatalf("public key round trip: %v", err)
	}
	if !strings.HasPrefix(string(EncodePrivateKey(priv)), "-----BEGIN QBANK ED25519 PRIVATE KEY-----\n") {
		t.Errorf("private key file does not start with its PEM header:\n%s", EncodePrivateKey(priv))
	}
	if id := KeyID(pub); len(id) != 16 {
		t.Errorf("KeyID = %q; want 16 hex digits", id)
	}
}

func TestSignVerify(t *testing.T) {
	priv, other := seeded(1), seeded(2)
	pub := priv.Public().(ed25519.PublicKey)
	otherPub := other.Public().(ed25519.PublicKey)
	msg := []byte(`{"exam":"X"}`)
	sig := Sign(priv, "manifest.json", msg)
	enc := sig.Encode()
	if !bytes.Equal(enc, Sign(priv, "manifest.json", msg).Encode()) {
		t.Error("signing twice gave different bytes; bundles would not be reproducible")
	}
	parsed, err := ParseSignature("manifest.sig", enc)
	if err != nil {
		t.Fatal(err)
	}
	if parsed.KeyID != KeyID(pub) || parsed.SignedFile != "manifest.json" {
		t.Errorf("headers = %q, %q", parsed.KeyID, parsed.SignedFile)
	}
	if err := parsed.Verify(pub, msg); err != nil {
		t.Errorf("valid signature rejected: %v", err)
	}
	tests := []struct {
		name string
		pub  ed25519.PublicKey
		msg  []byte
		want string
	}{
		{"changed message", pub, []byte(`{"exam":"Y"}`), "changed after signing"},
		{"other key", otherPub, msg, "made by key " + KeyID(pub)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := parsed.Verify(tt.pub, tt.msg)
			if !errors.Is(err, ErrBadSignature) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Verify = %v; want ErrBadSignature mentioning %q", err, tt.want)
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	pubPEM := EncodePublicKey(seeded(1).Public().(ed25519.PublicKey))
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"not PEM", []byte("hello"), "not a PEM file"},
		{"wrong type", pubPEM, `holds a "QBANK ED25519 PUBLIC KEY" block`},
		{"trailing data", append(EncodePrivateKey(seeded(1)), "junk"...), "unexpected data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParsePrivateKey("k", tt.data)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v; want %q", err, tt.want)
			}
		})
	}
	if _, err := ParseSignature("s", []byte("-----BEGIN QBANK ED25519 SIGNATURE-----\nAAAA\n-----END QBANK ED25519 SIGNATURE-----\n")); err == nil || !strings.Contains(err.Error(), "signature is 3 bytes") {
		t.Errorf("short signature: err = %v", err)
	}
}

func TestWriteKeyPairModesAndNoOverwrite(t *testing.T) {
	dir := t.TempDir()
	privPath, pubPath := filepath.Join(dir, "release.key"), filepath.Join(dir, "release.pub")
	priv := seeded(3)
	if err := WriteKeyPair(privPath, pubPath, priv); err != nil {
		t.Fatal(err)
	}
	for path, mode := range map[string]os.FileMode{privPath: 0o600, pubPath: 0o644} {
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != mode {
			t.Errorf("%s: mode %v; want %v", path, st.Mode().Perm(), mode)
		}
	}
	got, err := ReadPrivateKey(privPath)
	if err != nil || !got.Equal(priv) {
		t.Fatalf("ReadPrivateKey: %v", err)
	}
	before, _ := os.ReadFile(privPath)
	err = WriteKeyPair(privPath, filepath.Join(dir, "other.pub"), seeded(4))
	if !errors.Is(err, ErrExists) {
		t.Fatalf("second WriteKeyPair = %v; want ErrExists", err)
	}
	after, _ := os.ReadFile(privPath)
	if !bytes.Equal(before, after) {
		t.Error("an existing private key was overwritten")
	}
	if _, err := os.Stat(filepath.Join(dir, "other.pub")); !os.IsNotExist(err) {
		t.Error("a refused WriteKeyPair wrote the public key")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

// A private key file that group or others may read draws a warning, as
// ssh's "UNPROTECTED PRIVATE KEY FILE"; 0600 and 0400 do not.
func TestKeyFileWarning(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("permission bits")
	}
	dir := t.TempDir()
	for _, tc := range []struct {
		mode os.FileMode
		warn bool
	}{{0o600, false}, {0o400, false}, {0o640, true}, {0o644, true}, {0o604, true}} {
		p := filepath.Join(dir, fmt.Sprintf("k%o.key", tc.mode))
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, tc.mode); err != nil {
			t.Fatal(err)
		}
		w := KeyFileWarning(p)
		if (w != "") != tc.warn {
			t.Errorf("mode %04o: warning %q; want one: %v", tc.mode, w, tc.warn)
		}
		if tc.warn && !strings.Contains(w, fmt.Sprintf("(mode %04o)", tc.mode)) || tc.warn && !strings.Contains(w, "chmod 600 "+p) {
			t.Errorf("mode %04o: warning %q does not give the mode and the fix", tc.mode, w)
		}
	}
}
