package auth_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/cache"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365/auth"
)

// Environment of the cross-process writer (see TestMain).
const (
	envWriterPath = "AUTH_TEST_FILECACHE_WRITER"
	envWriterID   = "AUTH_TEST_FILECACHE_WRITER_ID"
	writerRounds  = 40
)

// TestMain doubles as the cross-process cache writer when the test binary is
// started by TestFileCacheConcurrentProcesses.
func TestMain(m *testing.M) {
	if path := os.Getenv(envWriterPath); path != "" {
		if err := hammer(path, os.Getenv(envWriterID), writerRounds); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// blob is a cache payload that is big enough for torn writes to show.
type blob []byte

func (b blob) Marshal() ([]byte, error) { return b, nil }

func payload(writer string, round int) blob {
	data, _ := json.Marshal(map[string]any{
		"writer": writer,
		"round":  round,
		"pad":    strings.Repeat(writer, 16<<10/max(1, len(writer))),
	})
	return data
}

// checker is a cache.Unmarshaler that insists on complete payloads.
type checker struct {
	calls int
	last  []byte
}

func (c *checker) Unmarshal(b []byte) error {
	c.calls++
	c.last = append(c.last[:0], b...)
	var v struct {
		Writer string `json:"writer"`
		Pad    string `json:"pad"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("torn or invalid cache content (%d bytes): %w", len(b), err)
	}
	if v.Writer == "" || len(v.Pad) < 16<<10-len(v.Writer) {
		return fmt.Errorf("incomplete cache content from %q", v.Writer)
	}
	return nil
}

// hammer alternates writes and verified reads through its own FileCache.
func hammer(path, writer string, rounds int) error {
	fc, err := auth.NewFileCache(path)
	if err != nil {
		return err
	}
	ctx := context.Background()
	for i := range rounds {
		if err := fc.Export(ctx, payload(writer, i), cache.ExportHints{}); err != nil {
			return fmt.Errorf("%s: export: %w", writer, err)
		}
		var c checker
		if err := fc.Replace(ctx, &c, cache.ReplaceHints{}); err != nil {
			return fmt.Errorf("%s: replace: %w", writer, err)
		}
		if c.calls != 1 {
			return fmt.Errorf("%s: replace did not load the file", writer)
		}
		// Replace ignores Unmarshal errors by design, so check the content here.
		if err := (&checker{}).Unmarshal(c.last); err != nil {
			return fmt.Errorf("%s: %w", writer, err)
		}
	}
	return nil
}

func TestFileCacheMissingAndEmptyFileAreEmptyCaches(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "dir", "cache.json")
	fc, err := auth.NewFileCache(path)
	require.NoError(t, err)
	assert.Equal(t, path, fc.Path())
	ctx := context.Background()

	var c checker
	require.NoError(t, fc.Replace(ctx, &c, cache.ReplaceHints{}), "missing file")
	assert.Zero(t, c.calls, "nothing to unmarshal")
	fi, err := os.Stat(filepath.Dir(path))
	require.NoError(t, err, "the directory was created")
	assert.Equal(t, os.FileMode(0o700), fi.Mode().Perm())

	for _, content := range []string{"", "  \n"} {
		require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
		require.NoError(t, fc.Replace(ctx, &c, cache.ReplaceHints{}), "empty file %q", content)
		assert.Zero(t, c.calls)
	}

	// Damaged content does not fail token requests either.
	require.NoError(t, os.WriteFile(path, []byte(`{"AccessToken": {`), 0o600))
	require.NoError(t, fc.Replace(ctx, &c, cache.ReplaceHints{}))
	assert.Equal(t, 1, c.calls)
}

func TestFileCacheExportWritesPrivateFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "cache.json")
	// A pre-existing world-readable file is replaced by a private one.
	require.NoError(t, os.WriteFile(path, []byte("{}"), 0o644))
	require.NoError(t, os.Chmod(path, 0o644))
	fc, err := auth.NewFileCache(path)
	require.NoError(t, err)
	ctx := context.Background()

	want := payload("w", 1)
	require.NoError(t, fc.Export(ctx, want, cache.ExportHints{}))
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, []byte(want), got)
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())

	var c checker
	require.NoError(t, fc.Replace(ctx, &c, cache.ReplaceHints{}))
	assert.Equal(t, []byte(want), c.last)

	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	assert.ElementsMatch(t, []string{"cache.json", "cache.json.lock"}, names, "no temporary files are left")

	ctx, cancel := context.WithCancel(ctx)
	cancel()
	require.ErrorIs(t, fc.Export(ctx, want, cache.ExportHints{}), context.Canceled)
	require.ErrorIs(t, fc.Replace(ctx, &c, cache.ReplaceHints{}), context.Canceled)
}

func TestFileCacheRejectsDirectory(t *testing.T) {
	t.Parallel()
	_, err := auth.NewFileCache(t.TempDir())
	require.Error(t, err)
	_, err = auth.NewFileCache("")
	require.Error(t, err)
}

// TestFileCacheHonoursCrossProcessLock holds the lock file the way another
// process would and checks that writes and reads wait for it.
// TestFileCacheConcurrentWriters: goroutines on two FileCache values for the
// same file, and two other processes, write and read at the same time. Every
// read sees a complete payload and the file ends up valid.
func TestFileCacheConcurrentWriters(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "cache.json")

	var procs []*exec.Cmd
	var outputs []*bytes.Buffer
	for i := range 2 {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), envWriterPath+"="+path, envWriterID+"=proc"+strconv.Itoa(i))
		out := &bytes.Buffer{}
		cmd.Stdout, cmd.Stderr = out, out
		require.NoError(t, cmd.Start())
		procs, outputs = append(procs, cmd), append(outputs, out)
	}

	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Go(func() { errs <- hammer(path, "goroutine"+strconv.Itoa(i), writerRounds) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
	for i, cmd := range procs {
		assert.NoError(t, cmd.Wait(), "writer process %d: %s", i, outputs[i])
	}

	data, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, (&checker{}).Unmarshal(data), "the file is one complete payload")
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	leftovers, err := filepath.Glob(filepath.Join(filepath.Dir(path), ".cache.json.tmp-*"))
	require.NoError(t, err)
	assert.Empty(t, leftovers)
}

func TestFileAccountStore(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "account.json")
	s, err := auth.NewFileAccountStore(path)
	require.NoError(t, err)
	assert.Equal(t, path, s.Path())
	ctx := context.Background()

	a, err := s.LoadAccount(ctx)
	require.NoError(t, err, "missing file")
	assert.True(t, a.IsZero())

	want := auth.Account{HomeAccountID: "oid.tid", Username: "adele@contoso.example", TenantID: "contoso"}
	require.NoError(t, s.SaveAccount(ctx, want))
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())

	other, err := auth.NewFileAccountStore(path)
	require.NoError(t, err)
	got, err := other.LoadAccount(ctx)
	require.NoError(t, err)
	assert.Equal(t, want, got)

	require.NoError(t, s.SaveAccount(ctx, auth.Account{}))
	got, err = other.LoadAccount(ctx)
	require.NoError(t, err, "empty file")
	assert.True(t, got.IsZero())

	require.NoError(t, os.WriteFile(path, []byte("not json"), 0o600))
	_, err = other.LoadAccount(ctx)
	require.Error(t, err)
}
