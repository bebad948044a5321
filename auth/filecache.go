package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/cache"
)

// lockTimeout bounds the wait for the file lock when the caller's context has
// no deadline (cache.ExportReplace asks implementations for a default).
const lockTimeout = 30 * time.Second

// lockRetry is how often a busy file lock is tried again.
const lockRetry = 5 * time.Millisecond

// FileCache is a persistent MSAL token cache (cache.ExportReplace) in one
// file, shared by every credential, goroutine and process that uses the same
// path. Pass it as CredentialOptions.Cache.
//
//   - The file is written with mode 0600 (it holds refresh and access
//     tokens), through a temporary file in the same directory renamed over the
//     old one, so readers never see a partial file.
//   - Reads and writes hold a lock on path+".lock" across processes
//     (flock(2) on Unix, LockFileEx on Windows), and a mutex per path within
//     the process. The lock file is opened without following a symbolic
//     link: a link (or anything but a regular file) there is an error.
//   - On Unix the directory must not be writable by group or others (another
//     user could swap the file): NewFileCache refuses such a directory with
//     an error saying so, and makes a directory it creates itself 0700.
//   - A missing or empty file is an empty cache, not an error (first run),
//     and so is a file MSAL cannot parse: the next write replaces it.
//
// MSAL reads the whole cache before each token lookup and writes it after
// each token response. Between two processes, a write can therefore drop a
// token the other process wrote a moment before; that token is simply
// requested again later. The cache holds tokens of every account and app that
// uses the file.
type FileCache struct {
	path string
	mu   *sync.RWMutex
}

var (
	_ cache.ExportReplace = (*FileCache)(nil)
	_ AccountStore        = (*FileAccountStore)(nil)
)

// pathLocks holds one mutex per cache file path, so that several FileCache
// values for the same file in one process exclude each other even where file
// locks are per process.
var pathLocks sync.Map // absolute path -> *sync.RWMutex

// NewFileCache returns a FileCache stored at path. The directory is created
// (mode 0700) if needed; the file is created by the first write. A
// directory writable by group or others is an error (Unix).
func NewFileCache(path string) (*FileCache, error) {
	abs, err := prepareFile(path)
	if err != nil {
		return nil, err
	}
	mu, _ := pathLocks.LoadOrStore(abs, new(sync.RWMutex))
	return &FileCache{path: abs, mu: mu.(*sync.RWMutex)}, nil
}

// prepareFile validates path, creates its directory and returns it absolute.
func prepareFile(path string) (string, error) {
	if path == "" {
		return "", errors.New("auth: file path is empty")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("auth: file path %q: %w", path, err)
	}
	dir := filepath.Dir(abs)
	_, statErr := os.Stat(dir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("auth: creating directory for %q: %w", path, err)
	}
	if err := checkDir(dir, errors.Is(statErr, fs.ErrNotExist)); err != nil {
		return "", err
	}
	if fi, err := os.Stat(abs); err == nil && fi.IsDir() {
		return "", fmt.Errorf("auth: %q is a directory", path)
	}
	return abs, nil
}

// Path returns the absolute path of the cache file.
func (c *FileCache) Path() string { return c.path }

// Replace loads the file into MSAL's in-memory cache. A missing, empty or
// unparsable file leaves the in-memory cache as it is and returns nil.
func (c *FileCache) Replace(ctx context.Context, u cache.Unmarshaler, _ cache.ReplaceHints) error {
	data, err := c.read(ctx)
	if err != nil || len(data) == 0 {
		return err
	}
	// An unparsable file (foreign or damaged content) is treated like an
	// empty one: failing here would fail every token request until someone
	// deletes the file, while the next Export overwrites it anyway. MSAL's
	// Unmarshal keeps its in-memory cache when it fails.
	_ = u.Unmarshal(data)
	return nil
}

// Export writes MSAL's in-memory cache to the file.
func (c *FileCache) Export(ctx context.Context, m cache.Marshaler, _ cache.ExportHints) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	data, err := m.Marshal()
	if err != nil {
		return fmt.Errorf("auth: marshaling token cache: %w", err)
	}
	return c.write(ctx, data)
}

// read returns the file's content, nil if it is missing or blank.
func (c *FileCache) read(ctx context.Context) ([]byte, error) {
	return readLocked(ctx, c.path, c.mu)
}

func (c *FileCache) write(ctx context.Context, data []byte) error {
	return writeLocked(ctx, c.path, c.mu, data)
}

func readLocked(ctx context.Context, path string, mu *sync.RWMutex) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	mu.RLock()
	defer mu.RUnlock()
	unlock, err := lockFile(ctx, path, false)
	if err != nil {
		return nil, err
	}
	defer unlock()
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("auth: reading %s: %w", path, err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil
	}
	return data, nil
}

func writeLocked(ctx context.Context, path string, mu *sync.RWMutex, data []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	mu.Lock()
	defer mu.Unlock()
	unlock, err := lockFile(ctx, path, true)
	if err != nil {
		return err
	}
	defer unlock()
	return writeFileAtomic(path, data)
}

// lockFile takes the cross-process lock of path (shared or exclusive) on
// path+".lock" and returns its release. A busy lock is tried again every
// lockRetry until ctx ends (lockTimeout when ctx has no deadline).
func lockFile(ctx context.Context, path string, exclusive bool) (func(), error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, lockTimeout)
		defer cancel()
	}
	lockPath := path + ".lock"
	f, err := openLockFile(lockPath)
	if err != nil {
		return nil, err
	}
	var retry *time.Timer
	for {
		ok, err := tryLock(f, exclusive)
		if err != nil {
			_ = f.Close()
			return nil, fmt.Errorf("auth: locking %s: %w", lockPath, err)
		}
		if ok {
			return func() {
				unlockFile(f)
				_ = f.Close()
			}, nil
		}
		if retry == nil {
			retry = time.NewTimer(lockRetry)
			defer retry.Stop()
		} else {
			retry.Reset(lockRetry)
		}
		select {
		case <-ctx.Done():
			_ = f.Close()
			return nil, fmt.Errorf("auth: waiting for lock %s: %w", lockPath, ctx.Err())
		case <-retry.C:
		}
	}
}

// writeFileAtomic writes data to a temporary file (mode 0600) next to path,
// syncs it and renames it over path.
func writeFileAtomic(path string, data []byte) (err error) {
	dir, base := filepath.Split(path)
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("auth: writing %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
			err = fmt.Errorf("auth: writing %s: %w", path, err)
		}
	}()
	// CreateTemp creates the file with mode 0600 on Unix; say so explicitly
	// rather than rely on it.
	if err = tmp.Chmod(0o600); err != nil {
		return err
	}
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// FileAccountStore is an AccountStore in a small JSON file, written like
// FileCache (mode 0600, temporary file + rename, cross-process lock). Keep it
// next to the FileCache of the same credential.
type FileAccountStore struct {
	path string
	mu   *sync.RWMutex
}

// NewFileAccountStore returns a FileAccountStore at path. The directory is
// created (mode 0700) if needed.
func NewFileAccountStore(path string) (*FileAccountStore, error) {
	abs, err := prepareFile(path)
	if err != nil {
		return nil, err
	}
	mu, _ := pathLocks.LoadOrStore(abs, new(sync.RWMutex))
	return &FileAccountStore{path: abs, mu: mu.(*sync.RWMutex)}, nil
}

// Path returns the absolute path of the account file.
func (s *FileAccountStore) Path() string { return s.path }

// LoadAccount reads the stored account; a missing or empty file means none.
func (s *FileAccountStore) LoadAccount(ctx context.Context) (Account, error) {
	data, err := readLocked(ctx, s.path, s.mu)
	if err != nil || data == nil {
		return Account{}, err
	}
	var a Account
	if err := json.Unmarshal(data, &a); err != nil {
		return Account{}, fmt.Errorf("auth: reading account file %s: %w", s.path, err)
	}
	return a, nil
}

// SaveAccount stores a; the zero Account empties the file.
func (s *FileAccountStore) SaveAccount(ctx context.Context, a Account) error {
	var data []byte
	if !a.IsZero() {
		var err error
		if data, err = json.MarshalIndent(a, "", "  "); err != nil {
			return fmt.Errorf("auth: encoding account: %w", err)
		}
		data = append(data, '\n')
	}
	return writeLocked(ctx, s.path, s.mu, data)
}
