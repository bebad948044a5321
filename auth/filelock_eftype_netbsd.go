package auth

import (
	"errors"

	"golang.org/x/sys/unix"
)

func isEFTYPE(err error) bool { return errors.Is(err, unix.EFTYPE) }
