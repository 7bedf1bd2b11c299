package apiclient

import (
	"mime"
)

// isForm reports whether a Content-Type is a form body, whose parameters
// RFC 5849 §3.4.1.3.1 includes in the signature.
func isForm(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "application/x-www-form-urlencoded"
}
