//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly || windows)

package auth

import (
	"fmt"
	"os"
	"runtime"
)

// openLockFile reports that this system has no cross-process file lock the
// cache can rely on.
func openLockFile(path string) (*os.File, error) {
	return nil, fmt.Errorf("auth: locking %s: file locks are not supported on %s", path, runtime.GOOS)
}

func tryLock(*os.File, bool) (bool, error) { return false, nil }

func unlockFile(*os.File) {}
