package oauthsig

import "mime"

// IsForm reports whether a Content-Type is a form body
// (application/x-www-form-urlencoded), whose parameters RFC 5849
// §3.4.1.3.1 includes in the signature.
func IsForm(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "application/x-www-form-urlencoded"
}
