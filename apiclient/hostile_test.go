package apiclient

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// Hostile response bodies: each ends in a clear error (or a documented
// pass-through), never a panic, and with bounded memory.

const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<account><link rel="self" href="h"/><name>&lol9;</name></account>`

// allocatedDuring reports the bytes allocated while f ran.
func allocatedDuring(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Entity expansion: encoding/xml never expands entities declared in a
// DOCTYPE, so the billion laughs is an error at its first reference, naming
// the entity; an external entity is never fetched. A DOCTYPE that only
// declares entities passes through PrettyPrint verbatim.
func TestHostileXMLEntities(t *testing.T) {
	var perr, lerr error
	alloc := allocatedDuring(func() {
		_, perr = PrettyPrint([]byte(billionLaughs), wire.XML)
		_, lerr = wire.ExtractLinks([]byte(billionLaughs), wire.XML)
	})
	for what, err := range map[string]error{"PrettyPrint": perr, "ExtractLinks": lerr} {
		if err == nil || !strings.Contains(err.Error(), "&lol9;") {
			t.Errorf("%s of the billion laughs = %v, want an error naming &lol9;", what, err)
		}
	}
	if alloc > 1<<20 {
		t.Errorf("the billion laughs cost %d bytes", alloc)
	}

	xxe := `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><r><link rel="&xxe;" href="h"/></r>`
	if out, err := PrettyPrint([]byte(xxe), wire.XML); err == nil || bytes.Contains(out, []byte("root:")) {
		t.Errorf("external entity: %v\n%s", err, out)
	}
	if links, err := wire.ExtractLinks([]byte(xxe), wire.XML); err == nil || len(links) != 0 {
		t.Errorf("external entity links: %v %v", links, err)
	}

	declared := `<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><r><link rel="self" href="h"/></r>`
	out, err := PrettyPrint([]byte(declared), wire.XML)
	if err != nil || !bytes.Contains(out, []byte(`<!ENTITY b "&a;&a;&a;&a;&a;">`)) || bytes.Contains(out, []byte("aaaaaaaaaaaaaaaaaaaa")) {
		t.Errorf("declared-only entities: %v\n%s", err, out)
	}
	if links, err := wire.ExtractLinks([]byte(declared), wire.XML); err != nil || len(links) != 1 {
		t.Errorf("declared-only entities links: %v %v", links, err)
	}

	// Through the client: the body comes back as sent, links empty, and an
	// error status still yields an *APIError describing the body.
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/xml")
		if strings.HasSuffix(r.URL.Path, "/fail") {
			w.WriteHeader(500)
		}
		w.Write([]byte(billionLaughs))
	})
	c := newTestClient(t, srv.URL, func(c *Config) { c.MaxRetries = -1 })
	resp, err := c.Get(context.Background(), "ok", nil)
	if err != nil || string(resp.Body) != billionLaughs || len(resp.Links()) != 1 {
		// The one link comes before the first entity reference.
		t.Errorf("200 with entities: %v, %d links", err, len(resp.Links()))
	}
	_, err = c.Get(context.Background(), "fail", nil)
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 500 || !strings.Contains(ae.Message, "application/xml") {
		t.Errorf("500 with entities: %v", err)
	}
}

// Nesting past MaxPrettyDepth / wire.MaxLinkDepth fails with wire.ErrTooDeep
// and an error that names the limit.
func TestHostileDeepNesting(t *testing.T) {
	n := MaxPrettyDepth + 1
	docs := map[wire.Format]string{
		wire.JSON: strings.Repeat(`{"link":[`, n) + strings.Repeat("]}", n),
		wire.XML:  strings.Repeat(`<link rel="a" href="b">`, n) + strings.Repeat("</link>", n),
	}
	limit := fmt.Sprint(MaxPrettyDepth)
	for f, doc := range docs {
		_, err := PrettyPrint([]byte(doc), f)
		if !errors.Is(err, wire.ErrTooDeep) || !strings.Contains(err.Error(), limit) {
			t.Errorf("%s PrettyPrint: %v", f, err)
		}
		_, err = wire.ExtractLinks([]byte(doc), f)
		if !errors.Is(err, wire.ErrTooDeep) || !strings.Contains(err.Error(), fmt.Sprint(wire.MaxLinkDepth)) {
			t.Errorf("%s ExtractLinks: %v", f, err)
		}
	}
	// At the limit both still work.
	for f, doc := range map[wire.Format]string{
		wire.JSON: strings.Repeat(`[`, MaxPrettyDepth) + strings.Repeat("]", MaxPrettyDepth),
		wire.XML:  strings.Repeat(`<a>`, MaxPrettyDepth) + strings.Repeat("</a>", MaxPrettyDepth),
	} {
		if _, err := PrettyPrint([]byte(doc), f); err != nil {
			t.Errorf("%s at the limit: %v", f, err)
		}
	}
	// A very deep body costs no more than its size: the scan stops at the
	// limit.
	huge := strings.Repeat("[", 4<<20)
	alloc := allocatedDuring(func() {
		if _, err := PrettyPrint([]byte(huge), wire.JSON); !errors.Is(err, wire.ErrTooDeep) {
			t.Errorf("4 MiB of [: %v", err)
		}
	})
	if alloc > 64<<20 {
		t.Errorf("4 MiB of [ allocated %d bytes", alloc)
	}
}

// Many deep-but-legal nests indent to hundreds of times their size; the
// output bound stops that with ErrPrettyTooLarge.
func TestHostileIndentAmplification(t *testing.T) {
	nest := strings.Repeat("[", MaxPrettyDepth-1) + strings.Repeat("]", MaxPrettyDepth-1)
	jsonDoc := "[" + strings.TrimSuffix(strings.Repeat(nest+",", (1<<20)/len(nest)), ",") + "]"
	xnest := strings.Repeat("<a>", MaxPrettyDepth-1) + strings.Repeat("</a>", MaxPrettyDepth-1)
	xmlDoc := "<r>" + strings.Repeat(xnest, (1<<20)/len(xnest)) + "</r>"
	for f, doc := range map[wire.Format]string{wire.JSON: jsonDoc, wire.XML: xmlDoc} {
		var err error
		alloc := allocatedDuring(func() { _, err = PrettyPrint([]byte(doc), f) })
		if !errors.Is(err, ErrPrettyTooLarge) {
			t.Errorf("%s amplification: %v", f, err)
		}
		// Growing a slice reallocates, so allow a few times the bound, far
		// below the ~500× the indentation would cost.
		if max := uint64(8 * maxPrettyOutput(len(doc))); alloc > max {
			t.Errorf("%s amplification allocated %d bytes, want at most %d", f, alloc, max)
		}
	}
}

// Invalid UTF-8: JSON bodies are kept byte for byte (the client's body,
// PrettyPrint) and decoded with U+FFFD where a string is read (links, error
// messages), as encoding/json does; XML with invalid UTF-8 is an error.
func TestHostileInvalidUTF8(t *testing.T) {
	js := []byte("{\"account\":{\"name\":\"caf\xe9\",\"link\":{\"@rel\":\"self\",\"@href\":\"https://s/\xff\"}}}")
	out, err := PrettyPrint(js, wire.JSON)
	if err != nil || !bytes.Contains(out, []byte("caf\xe9")) {
		t.Errorf("JSON PrettyPrint: %v\n%q", err, out)
	}
	links, err := wire.ExtractLinks(js, wire.JSON)
	if err != nil || len(links) != 1 || links[0].Href != "https://s/\uFFFD" || !utf8.ValidString(links[0].Href) {
		t.Errorf("JSON links: %q %v", links, err)
	}
	x := []byte("<account><name>caf\xe9</name><link rel=\"self\" href=\"h\"/></account>")
	if _, err := PrettyPrint(x, wire.XML); err == nil || !strings.Contains(err.Error(), "UTF-8") {
		t.Errorf("XML PrettyPrint: %v", err)
	}
	if _, err := wire.ExtractLinks([]byte("<a><link rel=\"\xff\" href=\"h\"/></a>"), wire.XML); err == nil {
		t.Error("XML links with invalid UTF-8 accepted")
	}

	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, "/fail") {
			w.WriteHeader(400)
			w.Write([]byte("{\"error\":{\"message\":\"bad \xff\",\"internalCode\":44}}"))
			return
		}
		w.Write(js)
	})
	c := newTestClient(t, srv.URL, nil)
	resp, err := c.Get(context.Background(), "ok", nil)
	if err != nil || !bytes.Equal(resp.Body, js) || len(resp.Links()) != 1 {
		t.Errorf("client body: %v %q", err, resp.Body)
	}
	_, err = c.Get(context.Background(), "fail", nil)
	var ae *APIError
	if !errors.As(err, &ae) || ae.InternalCode != 44 || ae.Message != "bad \uFFFD" {
		t.Errorf("error body: %v", err)
	}
}

// A body that never ends stops at MaxBodySize with ErrBodyTooLarge
// (TestBodyLimit covers the exact boundary and a declared length).
func TestHostileEndlessBody(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		chunk := bytes.Repeat([]byte(" "), 32<<10)
		for r.Context().Err() == nil {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	c := newTestClient(t, srv.URL, func(c *Config) { c.MaxBodySize = 1 << 20 })
	var err error
	alloc := allocatedDuring(func() { _, err = c.Get(context.Background(), "endless", nil) })
	if !errors.Is(err, ErrBodyTooLarge) || !strings.Contains(err.Error(), "1048576") {
		t.Fatalf("endless body: %v", err)
	}
	if alloc > 16<<20 {
		t.Errorf("endless body allocated %d bytes", alloc)
	}
}

// A server that sends its headers and then trickles the body a byte at a
// time: the per-attempt timeout fires and says it was reading the body.
// The GET is retried as a timeout; a POST is not.
func TestHostileTrickle(t *testing.T) {
	var hits atomic.Int32
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "100")
		w.WriteHeader(200)
		w.(http.Flusher).Flush()
		for i := 0; i < 100; i++ {
			select {
			case <-r.Context().Done():
				return
			case <-time.After(200 * time.Millisecond):
			}
			w.Write([]byte(" "))
			w.(http.Flusher).Flush()
		}
	})
	c := newTestClient(t, srv.URL, func(c *Config) { c.Timeout = 500 * time.Millisecond; c.MaxRetries = 1 })
	_, err := c.Get(context.Background(), "slow", nil)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "timed out reading the response body") ||
		!strings.Contains(err.Error(), "500ms") {
		t.Fatalf("trickled GET: %v", err)
	}
	if hits.Load() != 2 {
		t.Errorf("trickled GET: %d attempts, want 2 (one retry)", hits.Load())
	}
	hits.Store(0)
	_, err = c.Create(context.Background(), "slow", []byte(`{}`), wire.JSON)
	if !strings.Contains(fmt.Sprint(err), "timed out reading the response body") || hits.Load() != 1 {
		t.Errorf("trickled POST: %d attempts, %v", hits.Load(), err)
	}
}
