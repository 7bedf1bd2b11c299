package sandbox

import (
	"crypto/x509"
	"net"
	"testing"
	"time"
)

func TestSelfSignedCertificate(t *testing.T) {
	cert, certPEM, err := SelfSignedCertificate("devbox.internal", "0.0.0.0", "192.0.2.7", "localhost")
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(certPEM) {
		t.Fatal("the PEM holds no certificate")
	}
	for _, name := range []string{"devbox.internal", "localhost", "127.0.0.1", "::1", "192.0.2.7"} {
		if _, err := cert.Leaf.Verify(x509.VerifyOptions{Roots: pool, DNSName: name, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := cert.Leaf.Verify(x509.VerifyOptions{Roots: pool, DNSName: "example.com"}); err == nil {
		t.Error("the certificate is valid for any name")
	}
	for _, ip := range cert.Leaf.IPAddresses {
		if ip.Equal(net.IPv4zero) {
			t.Error("0.0.0.0 in the certificate")
		}
	}
	if len(cert.Leaf.DNSNames) != 2 {
		t.Errorf("names %v: localhost twice?", cert.Leaf.DNSNames)
	}
	if d := time.Until(cert.Leaf.NotAfter); d < 29*24*time.Hour || d > 31*24*time.Hour {
		t.Errorf("valid until %v", cert.Leaf.NotAfter)
	}
}
