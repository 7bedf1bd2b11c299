package store

import (
	"errors"
	"syscall"
)

// errorNoSuchLogonSession is what Credential Manager answers in a logon
// session that has no credential store of its own: an SSH or other network
// logon, a service, a scheduled task without a stored password.
const errorNoSuchLogonSession = syscall.Errno(1312)

// classifyPlatform maps Credential Manager's errors (wincred returns the
// Win32 error as a syscall.Errno) that mean "no usable keyring here".
func classifyPlatform(err error) *UnavailableError {
	if errors.Is(err, errorNoSuchLogonSession) {
		return &UnavailableError{
			Reason: "Windows Credential Manager has no store in this logon session (an SSH, service or network logon)",
			Hint:   "run lpdesk in your desktop session",
			Err:    err,
		}
	}
	return nil
}
