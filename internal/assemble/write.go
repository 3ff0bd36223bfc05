package assemble

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/qbank/qbank/internal/bank"
)

// Modeline is the first line of every form file qbank writes: it points
// YAML editors at the form schema (for a bank in <repo>/bank, whose
// schemas are in <repo>/schema).
const Modeline = "# yaml-language-server: $schema=../../schema/form.schema.json"

// Marshal renders a form in the layout of FORMAT.md: the header fields,
// then one flow mapping per item in delivery order.
func Marshal(f *bank.Form) []byte {
	var b strings.Builder
	b.WriteString(Modeline + "\n")
	fmt.Fprintf(&b, "form: %s\nversion: %d\nexam: %s\nspec: %s\n", f.Form, f.Version, yamlString(f.Exam), yamlString(f.Spec))
	if f.HasSeed {
		fmt.Fprintf(&b, "seed: %d\n", f.Seed)
	}
	if len(f.Items) == 0 {
		b.WriteString("items: []\n")
		return []byte(b.String())
	}
	b.WriteString("items:\n")
	for _, e := range f.Items {
		fmt.Fprintf(&b, "  - {id: %s, revision: %d, role: %s}\n", e.ID, e.Revision, e.Role)
	}
	return []byte(b.String())
}

// yamlString quotes s when it would not read back as the same plain string.
func yamlString(s string) string {
	plain := s != ""
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			plain = false
		}
	}
	switch strings.ToLower(s) {
	case "true", "false", "yes", "no", "on", "off", "null", "~", "y", "n":
		plain = false
	}
	if plain && (s[0] >= '0' && s[0] <= '9' || s[0] == '-' || s[0] == '.') {
		plain = false
	}
	if plain {
		return s
	}
	return fmt.Sprintf("%q", s)
}

// Path returns the file of form id in dir.
func Path(dir, id string) string { return filepath.Join(dir, id+".yaml") }

// WriteForms writes the forms to dir (created when missing) atomically:
// every file is first written in full to a temporary file in dir, and only
// when all are written are they renamed into place, so a failure leaves no
// partial form behind. New forms never overwrite an existing file
// (replace=false); replace=true is for the next version of a form.
func WriteForms(dir string, forms []*bank.Form, replace bool) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	paths := make([]string, len(forms))
	temps := make([]string, 0, len(forms))
	cleanup := func() {
		for _, t := range temps {
			os.Remove(t)
		}
	}
	for i, f := range forms {
		if !validFormID(f.Form) {
			cleanup()
			return nil, fmt.Errorf("form id %q cannot be a file name", f.Form)
		}
		paths[i] = Path(dir, f.Form)
		if !replace {
			if _, err := os.Lstat(paths[i]); err == nil {
				cleanup()
				return nil, fmt.Errorf("%s already exists; new forms never overwrite a form", paths[i])
			} else if !errors.Is(err, fs.ErrNotExist) {
				cleanup()
				return nil, err
			}
		}
		tmp, err := writeTemp(dir, Marshal(f))
		if err != nil {
			cleanup()
			return nil, err
		}
		temps = append(temps, tmp)
	}
	for i, tmp := range temps {
		var err error
		if replace {
			err = os.Rename(tmp, paths[i])
		} else {
			// A hard link fails when the target exists, so a form written
			// meanwhile by someone else is never clobbered.
			if err = os.Link(tmp, paths[i]); err == nil {
				err = os.Remove(tmp)
			}
		}
		if err != nil {
			cleanup()
			return nil, err
		}
	}
	return paths, nil
}

func validFormID(id string) bool {
	if id == "" || id[0] == '-' {
		return false
	}
	for _, r := range id {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

func writeTemp(dir string, data []byte) (string, error) {
	f, err := os.CreateTemp(dir, ".qbank-form-*.tmp")
	if err != nil {
		return "", err
	}
	name := f.Name()
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(name)
		return "", err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(name)
		return "", err
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		os.Remove(name)
		return "", err
	}
	if err := f.Close(); err != nil {
		os.Remove(name)
		return "", err
	}
	return name, nil
}
