// Package signing creates Ed25519 key pairs, signs release manifests and
// checks signatures, with the standard library's crypto/ed25519.
//
// Every file it writes or reads is a single PEM block (RFC 7468 text
// encoding), so keys and signatures survive copy and paste, e-mail and CI
// secret stores:
//
//	-----BEGIN QBANK ED25519 PRIVATE KEY-----   32-byte seed (RFC 8032)
//	-----BEGIN QBANK ED25519 PUBLIC KEY-----    32-byte public key
//	-----BEGIN QBANK ED25519 SIGNATURE-----     64-byte signature
//	Key-Id: 3f2a9c0d5e6b7a81                    (header: the signer's key id)
//	Signed-File: manifest.json                  (header: what was signed)
//
// A key id is the first 8 bytes of the SHA-256 of the public key, in hex; it
// lets verify say which key signed a bundle without trusting that key.
// Ed25519 signatures are deterministic, so signing the same bytes with the
// same key always gives the same signature file (bundles stay reproducible).
//
// Private key files are created with mode 0600 and public key files with
// 0644; neither is ever overwritten (both are written with
// atomicfile.Create). A private key file that others may read draws a
// warning (KeyFileWarning), as ssh gives.
package signing

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"

	"github.com/qbank/qbank/internal/atomicfile"
)

// PEM block types.
const (
	PrivateKeyType = "QBANK ED25519 PRIVATE KEY"
	PublicKeyType  = "QBANK ED25519 PUBLIC KEY"
	SignatureType  = "QBANK ED25519 SIGNATURE"
)

// maxKeyFile bounds the size of a key or signature file read from disk.
const maxKeyFile = 64 << 10

// Signature is a detached signature with the id of the key that made it
// and the name of the file it covers.
type Signature struct {
	KeyID      string
	SignedFile string
	Sig        []byte
}

// KeyID returns the id of a public key: the hex of the first 8 bytes of
// its SHA-256.
func KeyID(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return hex.EncodeToString(sum[:8])
}

// GenerateKey creates a key pair from rand (crypto/rand.Reader in
// production).
func GenerateKey(rand io.Reader) (ed25519.PublicKey, ed25519.PrivateKey, error) {
	return ed25519.GenerateKey(rand)
}

// EncodePrivateKey returns the PEM text of a private key (its seed).
func EncodePrivateKey(priv ed25519.PrivateKey) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: PrivateKeyType, Bytes: priv.Seed()})
}

// EncodePublicKey returns the PEM text of a public key.
func EncodePublicKey(pub ed25519.PublicKey) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: PublicKeyType, Bytes: pub})
}

// ParsePrivateKey decodes the PEM text of a private key; name labels
// errors.
func ParsePrivateKey(name string, data []byte) (ed25519.PrivateKey, error) {
	b, err := decodeOne(name, data, PrivateKeyType)
	if err != nil {
		return nil, err
	}
	if len(b.Bytes) != ed25519.SeedSize {
		return nil, fmt.Errorf("%s: private key is %d bytes; an Ed25519 seed is %d", name, len(b.Bytes), ed25519.SeedSize)
	}
	return ed25519.NewKeyFromSeed(b.Bytes), nil
}

// ParsePublicKey decodes the PEM text of a public key; name labels errors.
func ParsePublicKey(name string, data []byte) (ed25519.PublicKey, error) {
	b, err := decodeOne(name, data, PublicKeyType)
	if err != nil {
		return nil, err
	}
	if len(b.Bytes) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("%s: public key is %d bytes; an Ed25519 public key is %d", name, len(b.Bytes), ed25519.PublicKeySize)
	}
	return ed25519.PublicKey(b.Bytes), nil
}

// Sign signs msg, the content of the file named signedFile.
func Sign(priv ed25519.PrivateKey, signedFile string, msg []byte) *Signature {
	pub := priv.Public().(ed25519.PublicKey)
	return &Signature{KeyID: KeyID(pub), SignedFile: signedFile, Sig: ed25519.Sign(priv, msg)}
}

// Encode returns the PEM text of the signature.
func (s *Signature) Encode() []byte {
	return pem.EncodeToMemory(&pem.Block{
		Type:    SignatureType,
		Headers: map[string]string{"Key-Id": s.KeyID, "Signed-File": s.SignedFile},
		Bytes:   s.Sig,
	})
}

// ParseSignature decodes the PEM text of a signature; name labels errors.
func ParseSignature(name string, data []byte) (*Signature, error) {
	b, err := decodeOne(name, data, SignatureType)
	if err != nil {
		return nil, err
	}
	if len(b.Bytes) != ed25519.SignatureSize {
		return nil, fmt.Errorf("%s: signature is %d bytes; an Ed25519 signature is %d", name, len(b.Bytes), ed25519.SignatureSize)
	}
	return &Signature{KeyID: b.Headers["Key-Id"], SignedFile: b.Headers["Signed-File"], Sig: b.Bytes}, nil
}

// ErrBadSignature means a signature does not verify with the given key.
var ErrBadSignature = errors.New("signature does not verify")

// Verify checks s over msg with pub. It returns nil when the signature is
// valid, and otherwise an error wrapping ErrBadSignature that says whether
// the signature was made by another key.
func (s *Signature) Verify(pub ed25519.PublicKey, msg []byte) error {
	if ed25519.Verify(pub, msg, s.Sig) {
		return nil
	}
	if id := KeyID(pub); s.KeyID != "" && s.KeyID != id {
		return fmt.Errorf("%w: it was made by key %s, and the public key given is %s", ErrBadSignature, s.KeyID, id)
	}
	return fmt.Errorf("%w with key %s: the signed file was changed after signing, or the signature is forged", ErrBadSignature, KeyID(pub))
}

func decodeOne(name string, data []byte, typ string) (*pem.Block, error) {
	b, rest := pem.Decode(data)
	if b == nil {
		return nil, fmt.Errorf("%s: not a PEM file; expected a %q block", name, typ)
	}
	if b.Type != typ {
		return nil, fmt.Errorf("%s: holds a %q block; expected %q", name, b.Type, typ)
	}
	if len(bytes.TrimSpace(rest)) > 0 {
		return nil, fmt.Errorf("%s: unexpected data after the %q block", name, typ)
	}
	return b, nil
}

// ReadFile reads a key or signature file of at most 64 KiB.
func ReadFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxKeyFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxKeyFile {
		return nil, fmt.Errorf("%s: larger than %d bytes; not a key file", path, maxKeyFile)
	}
	return data, nil
}

// ReadPrivateKey reads a private key file.
func ReadPrivateKey(path string) (ed25519.PrivateKey, error) {
	data, err := ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParsePrivateKey(path, data)
}

// ReadPublicKey reads a public key file.
func ReadPublicKey(path string) (ed25519.PublicKey, error) {
	data, err := ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParsePublicKey(path, data)
}

// ErrExists means a key file already exists; keys are never overwritten.
var ErrExists = fs.ErrExist

// WriteKeyPair writes priv to privPath (mode 0600) and its public key to
// pubPath (mode 0644). It refuses, writing nothing, when either file
// exists.
func WriteKeyPair(privPath, pubPath string, priv ed25519.PrivateKey) error {
	for _, p := range []string{privPath, pubPath} {
		if _, err := os.Lstat(p); err == nil {
			return fmt.Errorf("%s: %w; keys are never overwritten (remove it or choose another name)", p, ErrExists)
		}
	}
	if err := writeNew(privPath, EncodePrivateKey(priv), 0o600); err != nil {
		return err
	}
	if err := writeNew(pubPath, EncodePublicKey(priv.Public().(ed25519.PublicKey)), 0o644); err != nil {
		os.Remove(privPath)
		return err
	}
	return nil
}

// writeNew writes a key file atomically; it never replaces a file.
func writeNew(path string, data []byte, mode os.FileMode) error {
	if err := atomicfile.Create(path, data, mode); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s: %w; keys are never overwritten", path, ErrExists)
		}
		return err
	}
	return nil
}

// KeyFileWarning returns a warning when the private key file at path may
// be read by its group or by others (as ssh warns of an unprotected
// private key), and "" otherwise or where permission bits do not apply.
// Signing still works: the key may already have leaked, and refusing
// would not take it back; the warning says how to fix the mode.
func KeyFileWarning(path string) string {
	if runtime.GOOS == "windows" {
		return ""
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm()&0o077 == 0 {
		return ""
	}
	return fmt.Sprintf("the private key %s can be read by group or others (mode %04o); anyone who can read it can sign bundles in your name: chmod 600 %s", path, st.Mode().Perm(), path)
}
