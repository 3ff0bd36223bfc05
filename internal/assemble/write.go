package assemble

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/qbank/qbank/internal/atomicfile"
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
// when all are written are they put into place (atomicfile), so a failure
// leaves no partial form behind. New forms never overwrite an existing file
// (replace=false); replace=true is for the next version of a form.
func WriteForms(dir string, forms []*bank.Form, replace bool) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	w := new(atomicfile.Writer)
	paths := make([]string, len(forms))
	staged := make([]*atomicfile.Staged, 0, len(forms))
	defer func() {
		for _, s := range staged {
			s.Discard() // a no-op once committed
		}
	}()
	for i, f := range forms {
		if !validFormID(f.Form) {
			return nil, fmt.Errorf("form id %q cannot be a file name", f.Form)
		}
		paths[i] = Path(dir, f.Form)
		var s *atomicfile.Staged
		var err error
		if replace {
			s, err = w.StageReplace(paths[i], Marshal(f))
		} else {
			s, err = w.StageCreate(paths[i], Marshal(f), 0o644)
			if errors.Is(err, fs.ErrExist) {
				return nil, fmt.Errorf("%s already exists; new forms never overwrite a form", paths[i])
			}
		}
		if err != nil {
			return nil, err
		}
		staged = append(staged, s)
	}
	for i, s := range staged {
		// A new form written meanwhile by someone else is never clobbered:
		// the commit fails with fs.ErrExist.
		if err := s.Commit(); err != nil {
			if errors.Is(err, fs.ErrExist) {
				return nil, fmt.Errorf("%s already exists; new forms never overwrite a form", paths[i])
			}
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
