package bench

import (
	"net/http"
	"net/http/httptest"
	"strconv"

	"github.com/lpdesk/lpdesk/apiclient"
)

// Trivial is an HTTP server on a loopback port that answers every request
// with one fixed record, shaped like the sandbox's skills/1, and checks
// nothing: no signature, no appKey, no route. Measured against it, the
// signed apiclient and raw net/http differ only by what the client does,
// because the server does the same (nothing) for both.
type Trivial struct {
	Target
	srv *httptest.Server
}

// StartTrivial serves the record on 127.0.0.1. Its Target carries made-up
// credentials: the client signs with them and nobody checks.
func StartTrivial() *Trivial {
	t := &Trivial{}
	var body []byte
	hdr := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
	t.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for k, v := range hdr {
			h[k] = v
		}
		h["Content-Length"] = []string{strconv.Itoa(len(body))}
		_, _ = w.Write(body)
	}))
	t.BaseURL = t.srv.URL + "/api/account/12345678"
	body = []byte(`{"skill":{"@id":"1","@revision":"1","name":"Support","description":"Chats about support","maxWaitTime":60,` +
		`"link":{"@rel":"self","@href":"` + t.BaseURL + `/skills/1"}}}`)
	t.Credentials = apiclient.Credentials{ConsumerKey: "trivial-app", ConsumerSecret: "trivial-consumer-secret",
		Token: "trivial-token", TokenSecret: "trivial-token-secret"}
	return t
}

// Close stops the server.
func (t *Trivial) Close() { t.srv.Close() }
