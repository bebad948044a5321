//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package auth

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// openLockFile opens (creating it with mode 0600) the lock file at path
// without following a symbolic link in its last element: a link planted
// there by another user must not make us create or lock a file of their
// choosing. Anything but a regular file is refused too.
func openLockFile(path string) (*os.File, error) {
	// O_NONBLOCK: opening a FIFO planted at path must not block.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0o600)
	if err != nil {
		// Linux and Darwin answer ELOOP for a link; FreeBSD and DragonFly
		// EMLINK; NetBSD EFTYPE.
		if errors.Is(err, syscall.ELOOP) || errors.Is(err, syscall.EMLINK) || isEFTYPE(err) {
			return nil, fmt.Errorf("auth: lock file %s is a symbolic link; refusing to follow it", path)
		}
		return nil, fmt.Errorf("auth: opening lock file %s: %w", path, err)
	}
	fi, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("auth: opening lock file %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		_ = f.Close()
		return nil, fmt.Errorf("auth: lock file %s is not a regular file (%s)", path, fi.Mode().Type())
	}
	return f, nil
}

// tryLock takes flock(2) on f without waiting; false when another holder
// has it.
func tryLock(f *os.File, exclusive bool) (bool, error) {
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	for {
		err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB)
		switch {
		case err == nil:
			return true, nil
		case errors.Is(err, syscall.EWOULDBLOCK):
			return false, nil
		case errors.Is(err, syscall.EINTR):
			continue
		default:
			return false, err
		}
	}
}

// unlockFile releases the lock taken by tryLock (closing f does too).
func unlockFile(f *os.File) { _ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }
