package oauthsig

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
)

// ErrEncryptedKey is returned for a passphrase-protected PEM key: lpdesk
// keeps the key in the OS keyring instead, so it wants it unencrypted once.
var ErrEncryptedKey = errors.New("the private key is encrypted; decrypt it first (openssl pkey -in KEY -out PLAIN)")

// ParsePrivateKey reads an RSA private key from PEM, PKCS#1 ("RSA PRIVATE
// KEY") or PKCS#8 ("PRIVATE KEY"), the two forms providers' guides produce.
func ParsePrivateKey(data []byte) (*rsa.PrivateKey, error) {
	block, err := firstBlock(data, "private key")
	if err != nil {
		return nil, err
	}
	switch block.Type {
	case "RSA PRIVATE KEY":
		if block.Headers["Proc-Type"] != "" {
			return nil, ErrEncryptedKey
		}
		k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("RSA private key (PKCS#1): %w", err)
		}
		return k, nil
	case "PRIVATE KEY":
		k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("private key (PKCS#8): %w", err)
		}
		rk, ok := k.(*rsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("the private key is %T, not RSA: OAuth 1.0a's RSA methods need an RSA key", k)
		}
		return rk, nil
	case "ENCRYPTED PRIVATE KEY":
		return nil, ErrEncryptedKey
	}
	return nil, fmt.Errorf("PEM block %q is not a private key (want RSA PRIVATE KEY or PRIVATE KEY)", block.Type)
}

// ParsePublicKey reads an RSA public key from PEM: PKIX ("PUBLIC KEY"),
// PKCS#1 ("RSA PUBLIC KEY") or a certificate, the forms providers ask
// consumers to register.
func ParsePublicKey(data []byte) (*rsa.PublicKey, error) {
	block, err := firstBlock(data, "public key")
	if err != nil {
		return nil, err
	}
	var k any
	switch block.Type {
	case "PUBLIC KEY":
		k, err = x509.ParsePKIXPublicKey(block.Bytes)
	case "RSA PUBLIC KEY":
		k, err = x509.ParsePKCS1PublicKey(block.Bytes)
	case "CERTIFICATE":
		var c *x509.Certificate
		if c, err = x509.ParseCertificate(block.Bytes); err == nil {
			k = c.PublicKey
		}
	default:
		return nil, fmt.Errorf("PEM block %q is not a public key (want PUBLIC KEY, RSA PUBLIC KEY or CERTIFICATE)", block.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", block.Type, err)
	}
	rk, ok := k.(*rsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("the public key is %T, not RSA", k)
	}
	return rk, nil
}

// PublicKeyPEM renders k as a PKIX "PUBLIC KEY" block, the form to register
// with a provider.
func PublicKeyPEM(k *rsa.PublicKey) ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(k)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), nil
}

func firstBlock(data []byte, what string) (*pem.Block, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, fmt.Errorf("no PEM %s found (a file starting with -----BEGIN …-----)", what)
	}
	return block, nil
}
