package office365_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// TestDocCommentsSpeakToUsers: doc comments describe the SDK to its users;
// notes about how a statement was researched ("unverified", "row marked
// …", "Graph-equivalent row") do not belong in them.
func TestDocCommentsSpeakToUsers(t *testing.T) {
	notes := []string{"unverified", "row marked", "graph-equivalent row", "graph equivalent row", `inferred "?"`, `marks them "?"`}
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") && path != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			return err
		}
		for _, cg := range f.Comments {
			text := strings.ToLower(cg.Text())
			for _, n := range notes {
				if strings.Contains(text, n) {
					t.Errorf("%s: comment contains the working note %q: %s", fset.Position(cg.Pos()), n, strings.TrimSpace(cg.Text()))
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
