package api

import (
	"fmt"
	"io"

	"github.com/lpdesk/lpdesk/apiclient"
)

// printSigned writes a dry run: the request line, every header lpdesk sets
// (Authorization with its signature; a PLAINTEXT one masked), the signature
// base string and the body's size. net/http adds Host, Content-Length and
// Accept-Encoding when it sends.
func printSigned(w io.Writer, s *apiclient.Signed) error {
	fmt.Fprintf(w, "%s %s\n", s.Method, s.URL)
	for _, l := range apiclient.HeaderLines(s.Header) {
		fmt.Fprintln(w, l)
	}
	fmt.Fprintln(w)
	if s.BaseString != "" {
		fmt.Fprintf(w, "Signature method: %s\nSignature base string:\n%s\n", s.SignatureMethod, s.BaseString)
	} else {
		fmt.Fprintln(w, "Signature base string: none (the request is not OAuth-signed)")
	}
	if s.Body == nil {
		fmt.Fprintln(w, "Body: none")
	} else {
		fmt.Fprintf(w, "Body: %d bytes\n", len(s.Body))
	}
	_, err := fmt.Fprintln(w, "Not sent (--dry-run).")
	return err
}
