//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package auth_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/cache"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/office365-go/office365/auth"
)

// TestFileCacheLockFileIsNotFollowed: a symbolic link planted where the
// lock file goes is refused; the file it points to is neither created nor
// touched.
func TestFileCacheLockFileIsNotFollowed(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "cache.json")
	fc, err := auth.NewFileCache(path)
	require.NoError(t, err)
	missing := filepath.Join(dir, "created-by-us")
	require.NoError(t, os.Symlink(missing, path+".lock"))

	err = fc.Export(t.Context(), payload("w", 0), cache.ExportHints{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "symbolic link")
	err = fc.Replace(t.Context(), &checker{}, cache.ReplaceHints{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "symbolic link")
	_, statErr := os.Lstat(missing)
	assert.True(t, errors.Is(statErr, os.ErrNotExist), "the link's target was created")
	_, statErr = os.Stat(path)
	assert.True(t, errors.Is(statErr, os.ErrNotExist), "nothing was written")

	// A link to an existing file of the user is not opened either.
	victim := filepath.Join(dir, "victim")
	require.NoError(t, os.WriteFile(victim, []byte("keep"), 0o644))
	path2 := filepath.Join(dir, "cache2.json")
	require.NoError(t, os.Symlink(victim, path2+".lock"))
	store, err := auth.NewFileAccountStore(path2)
	require.NoError(t, err)
	require.ErrorContains(t, store.SaveAccount(t.Context(), auth.Account{HomeAccountID: "x"}), "symbolic link")
	fi, err := os.Stat(victim)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o644), fi.Mode().Perm(), "the target's mode is untouched")

	// A FIFO there is refused at once rather than blocking.
	path3 := filepath.Join(dir, "cache3.json")
	require.NoError(t, syscall.Mkfifo(path3+".lock", 0o600))
	fc3, err := auth.NewFileCache(path3)
	require.NoError(t, err)
	require.ErrorContains(t, fc3.Export(t.Context(), payload("w", 0), cache.ExportHints{}), "not a regular file")
}

// TestFileCacheRefusesSharedDirectory: a directory group or others may
// write to is refused with a clear error; one the cache creates is private.
func TestFileCacheRefusesSharedDirectory(t *testing.T) {
	t.Parallel()
	for _, mode := range []os.FileMode{0o770, 0o722, 0o757, 0o1777} {
		dir := filepath.Join(t.TempDir(), "shared")
		require.NoError(t, os.Mkdir(dir, 0o700))
		require.NoError(t, os.Chmod(dir, mode))
		_, err := auth.NewFileCache(filepath.Join(dir, "cache.json"))
		require.Error(t, err, "mode %o", mode)
		assert.Contains(t, err.Error(), "writable by group or others", "mode %o", mode)
		assert.Contains(t, err.Error(), dir)
		_, err = auth.NewFileAccountStore(filepath.Join(dir, "account.json"))
		assert.ErrorContains(t, err, "writable by group or others", "mode %o", mode)
	}
	// Group- and world-readable (not writable) is fine: the files are 0600.
	dir := filepath.Join(t.TempDir(), "readable")
	require.NoError(t, os.Mkdir(dir, 0o755))
	require.NoError(t, os.Chmod(dir, 0o755))
	_, err := auth.NewFileCache(filepath.Join(dir, "cache.json"))
	require.NoError(t, err)

	created := filepath.Join(t.TempDir(), "new", "sub")
	_, err = auth.NewFileCache(filepath.Join(created, "cache.json"))
	require.NoError(t, err)
	fi, err := os.Stat(created)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o700), fi.Mode().Perm())
}

func TestFileCacheHonoursCrossProcessLock(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "cache.json")
	fc, err := auth.NewFileCache(path)
	require.NoError(t, err)
	other, err := os.OpenFile(path+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	require.NoError(t, err)
	defer other.Close()
	// A separate open file description: its flock conflicts with ours as
	// another process's would.
	require.NoError(t, unix.Flock(int(other.Fd()), unix.LOCK_EX))

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	err = fc.Export(ctx, payload("w", 0), cache.ExportHints{})
	require.ErrorIs(t, err, context.DeadlineExceeded)
	_, statErr := os.Stat(path)
	assert.True(t, errors.Is(statErr, os.ErrNotExist), "nothing was written while the lock was held")

	ctx2, cancel2 := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel2()
	require.ErrorIs(t, fc.Replace(ctx2, &checker{}, cache.ReplaceHints{}), context.DeadlineExceeded)

	done := make(chan error, 1)
	go func() { done <- fc.Export(context.Background(), payload("w", 1), cache.ExportHints{}) }()
	time.Sleep(50 * time.Millisecond)
	require.NoError(t, unix.Flock(int(other.Fd()), unix.LOCK_UN))
	require.NoError(t, <-done, "the write proceeds once the lock is released")
}
