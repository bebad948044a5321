//go:build (linux || darwin || freebsd || openbsd || dragonfly) && !netbsd

package auth

func isEFTYPE(error) bool { return false }
