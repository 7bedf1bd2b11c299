package bench

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
)

// signReqJSON is shared with the Python and Node peers (they read the same
// file), so every implementation signs byte-for-byte the same request.
//
//go:embed signreq.json
var signReqJSON []byte

// SignCase is the typical GET that every signing benchmark signs: six query
// parameters (v=1 among them) and a consumer plus access-token pair. The
// credentials are made up for benchmarking and grant nothing.
type SignCase struct {
	Method         string      `json:"method"`
	BaseURL        string      `json:"baseURL"`
	Path           string      `json:"path"`
	Pairs          [][2]string `json:"query"`
	ConsumerKey    string      `json:"consumerKey"`
	ConsumerSecret string      `json:"consumerSecret"`
	Token          string      `json:"token"`
	TokenSecret    string      `json:"tokenSecret"`
	// CheckNonce and CheckTimestamp fix the otherwise random protocol
	// parameters, so every implementation's signature can be compared with
	// CheckSignature before its timing is trusted.
	CheckNonce     string `json:"checkNonce"`
	CheckTimestamp string `json:"checkTimestamp"`
}

// LoadSignCase returns the request described by bench/signreq.json.
func LoadSignCase() (SignCase, error) {
	var c SignCase
	if err := json.Unmarshal(signReqJSON, &c); err != nil {
		return c, fmt.Errorf("signreq.json: %w", err)
	}
	return c, nil
}

// Query is the request's query as ordered parameters.
func (c SignCase) Query() []oauthsig.Param {
	ps := make([]oauthsig.Param, len(c.Pairs))
	for i, p := range c.Pairs {
		ps[i] = oauthsig.Param{Key: p[0], Value: p[1]}
	}
	return ps
}

// RawQuery is the query encoded per RFC 3986, in file order.
func (c SignCase) RawQuery() string {
	var b strings.Builder
	for i, p := range c.Pairs {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(oauthsig.PercentEncode(p[0]))
		b.WriteByte('=')
		b.WriteString(oauthsig.PercentEncode(p[1]))
	}
	return b.String()
}

// URL is the full request URL, query included.
func (c SignCase) URL() *url.URL {
	u, err := url.Parse(strings.TrimSuffix(c.BaseURL, "/") + "/" + c.Path)
	if err != nil {
		panic(fmt.Sprintf("signreq.json: bad URL: %v", err)) // the file is embedded: a test catches this
	}
	u.RawQuery = c.RawQuery()
	return u
}

// Credentials are the case's credentials in apiclient's form.
func (c SignCase) Credentials() apiclient.Credentials {
	return apiclient.Credentials{ConsumerKey: c.ConsumerKey, ConsumerSecret: c.ConsumerSecret,
		Token: c.Token, TokenSecret: c.TokenSecret}
}

// Protocol is the oauth_* parameter set (without the signature) for a nonce
// and timestamp.
func (c SignCase) Protocol(nonce, timestamp string) []oauthsig.Param {
	return []oauthsig.Param{
		{Key: "oauth_consumer_key", Value: c.ConsumerKey},
		{Key: "oauth_nonce", Value: nonce},
		{Key: "oauth_signature_method", Value: string(oauthsig.HMACSHA1)},
		{Key: "oauth_timestamp", Value: timestamp},
		{Key: "oauth_token", Value: c.Token},
		{Key: "oauth_version", Value: "1.0"},
	}
}

// BaseString is the RFC 5849 signature base string for a nonce and
// timestamp.
func (c SignCase) BaseString(nonce, timestamp string) (string, error) {
	return oauthsig.BaseString(c.Method, c.URL(), nil, c.Protocol(nonce, timestamp))
}

// SigningKey is enc(consumer secret) & enc(token secret).
func (c SignCase) SigningKey() string {
	return oauthsig.PercentEncode(c.ConsumerSecret) + "&" + oauthsig.PercentEncode(c.TokenSecret)
}

// CheckSignature is the reference signature for CheckNonce and
// CheckTimestamp, computed with the shared oauthsig helpers (themselves
// verified against the RFC vectors).
func (c SignCase) CheckSignature() (string, error) {
	base, err := c.BaseString(c.CheckNonce, c.CheckTimestamp)
	if err != nil {
		return "", err
	}
	return oauthsig.Sign(oauthsig.HMACSHA1, c.ConsumerSecret, c.TokenSecret, base)
}
