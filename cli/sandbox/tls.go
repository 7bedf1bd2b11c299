package sandbox

import (
	"crypto/sha256"
	"crypto/tls"
	"fmt"
	"net"
	"os"
	"strings"

	"github.com/lpdesk/lpdesk/sandbox"
)

// selfSigned makes the --tls certificate for the addresses the sandbox
// listens on and the names it answers to, writes it to opts.TLSCertOut when
// set, and returns the server configuration and a line for the banner.
func selfSigned(opts *Options, addrs []string) (*tls.Config, string, error) {
	var hosts []string
	for _, a := range append(addrs, opts.AllowHosts...) {
		h, _, err := net.SplitHostPort(a)
		if err != nil {
			h = strings.Trim(a, "[]") // a name without a port
		}
		hosts = append(hosts, h)
	}
	cert, certPEM, err := sandbox.SelfSignedCertificate(hosts...)
	if err != nil {
		return nil, "", err
	}
	sum := sha256.Sum256(cert.Leaf.Raw)
	line := fmt.Sprintf("  TLS:             self-signed certificate for %s (SHA-256 %X)\n",
		strings.Join(append(cert.Leaf.DNSNames, ipStrings(cert.Leaf.IPAddresses)...), ", "), sum[:8])
	if opts.TLSCertOut != "" {
		// A certificate is public: readable by all, like any CA file.
		if err := os.WriteFile(opts.TLSCertOut, certPEM, 0o644); err != nil {
			return nil, "", fmt.Errorf("--tls-cert-out: %w", err)
		}
		line += fmt.Sprintf("                   written to %s: trust it with curl --cacert %s or SSL_CERT_FILE=%s\n",
			opts.TLSCertOut, opts.TLSCertOut, opts.TLSCertOut)
	}
	return sandbox.TLSConfig(cert), line, nil
}

func ipStrings(ips []net.IP) []string {
	out := make([]string, len(ips))
	for i, ip := range ips {
		out[i] = ip.String()
	}
	return out
}
