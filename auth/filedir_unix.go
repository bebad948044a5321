//go:build unix

package auth

import (
	"fmt"
	"os"
)

// checkDir refuses a cache directory that users other than its owner may
// write to: they could replace the token cache, or plant links in it. A
// directory NewFileCache created itself is made private (0700) instead.
func checkDir(dir string, created bool) error {
	if created {
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("auth: restricting directory %s: %w", dir, err)
		}
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("auth: directory %s: %w", dir, err)
	}
	if perm := fi.Mode().Perm(); perm&0o022 != 0 {
		return fmt.Errorf("auth: directory %s is writable by group or others (mode %04o): another user could replace the token cache; "+
			"remove their write permission (chmod go-w) or choose a private directory", dir, perm)
	}
	return nil
}
