package apiclient

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"testing/iotest"
)

// oneByOne hides bytes.Reader's WriterTo so readLimited sees short reads.
type oneByOne struct{ r io.Reader }

func (o oneByOne) Read(p []byte) (int, error) {
	if len(p) > 7 {
		p = p[:7]
	}
	return o.r.Read(p)
}

func TestReadLimited(t *testing.T) {
	body := bytes.Repeat([]byte("0123456789abcdef"), 40_000) // 640 KB, several chunks
	for _, tc := range []struct {
		name     string
		data     []byte
		declared int64
		limit    int64
		want     []byte
		tooLarge bool
	}{
		{"exact length", body, int64(len(body)), 1 << 20, body, false},
		{"unknown length", body, -1, 1 << 20, body, false},
		{"unknown, empty", nil, -1, 10, []byte{}, false},
		{"declared shorter than sent", body, 100, 1 << 20, body, false},
		{"declared longer than sent", body[:50], 100, 1 << 20, body[:50], false},
		{"unknown at the limit", body[:1000], -1, 1000, body[:1000], false},
		{"unknown past the limit", body[:1001], -1, 1000, nil, true},
		{"declared past the limit", body, int64(len(body)), 1000, nil, true},
		{"sent past declared and limit", body, 100, 1000, nil, true},
	} {
		for _, slow := range []bool{false, true} {
			var r io.Reader = bytes.NewReader(tc.data)
			if slow {
				r = oneByOne{iotest.HalfReader(r)}
			}
			got, err := readLimited(r, tc.declared, tc.limit)
			if tc.tooLarge {
				if !errors.Is(err, ErrBodyTooLarge) || got != nil {
					t.Errorf("%s (slow %v): err %v, %d bytes", tc.name, slow, err, len(got))
				}
				continue
			}
			if err != nil || !bytes.Equal(got, tc.want) {
				t.Errorf("%s (slow %v): err %v, %d bytes, want %d", tc.name, slow, err, len(got), len(tc.want))
			}
			if tc.declared == int64(len(tc.want)) && cap(got) != len(got) {
				t.Errorf("%s: capacity %d for %d bytes: not sized exactly", tc.name, cap(got), len(got))
			}
		}
	}
	// A read error keeps what arrived, for the message.
	got, err := readLimited(io.MultiReader(bytes.NewReader(body[:10]), iotest.ErrReader(io.ErrUnexpectedEOF)), 100, 1000)
	if !errors.Is(err, io.ErrUnexpectedEOF) || !bytes.Equal(got, body[:10]) {
		t.Errorf("read error: %v, %q", err, got)
	}
}

func TestBodyLimit(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		n := 1000
		if strings.HasSuffix(r.URL.Path, "/big") {
			n = 1001
		}
		if r.URL.Query().Get("chunked") == "" {
			w.Header().Set("Content-Length", fmt.Sprint(n))
		} else {
			w.(http.Flusher).Flush() // no Content-Length: the limit is hit while reading
		}
		w.Write([]byte(strings.Repeat("a", n)))
	})
	c := newTestClient(t, srv.URL, func(c *Config) { c.MaxBodySize = 1000 })
	ctx := context.Background()
	for _, q := range []url.Values{nil, {"chunked": {"1"}}} {
		resp, err := c.Get(ctx, "fits", q)
		if err != nil || len(resp.Body) != 1000 {
			t.Fatalf("at the limit (%v): %v", q, err)
		}
		resp, err = c.Get(ctx, "big", q)
		if !errors.Is(err, ErrBodyTooLarge) {
			t.Fatalf("past the limit (%v): %v", q, err)
		}
		if resp == nil || resp.Status != 200 || resp.Body != nil {
			t.Errorf("past the limit: response %+v", resp)
		}
	}
}
