package htmlreport

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/qbank/qbank/internal/atomicfile"
)

// WriteFile renders a page with render and writes it to path in one step
// (atomicfile): a new file is created, an existing report is replaced.
// Nothing is written when render fails.
func WriteFile(path string, render func(io.Writer) error) error {
	var b bytes.Buffer
	if err := render(&b); err != nil {
		return err
	}
	if st, err := os.Stat(path); err == nil {
		if !st.Mode().IsRegular() {
			return fmt.Errorf("--out %s is not a regular file", path)
		}
		return atomicfile.Replace(path, b.Bytes(), nil)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return atomicfile.Create(path, b.Bytes(), 0o644)
}
