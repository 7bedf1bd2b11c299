package logging

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
)

func TestRedactString(t *testing.T) {
	tests := []struct {
		name, in string
		gone     []string // must not survive
		kept     []string // must survive
	}{
		{
			name: "oauth header value",
			in:   `OAuth oauth_consumer_key="k", oauth_nonce="n", oauth_signature="JA0PvBbTAxmtLmzIWINpSVLshrY%3D", oauth_token="tok"`,
			gone: []string{"JA0PvBbTAxmtLmzIWINpSVLshrY", "oauth_nonce"},
			kept: []string{"OAuth " + Redacted},
		},
		{
			name: "oauth header with realm",
			in:   `OAuth realm="x", oauth_signature="c2lnbmF0dXJl"`,
			gone: []string{"c2lnbmF0dXJl"},
		},
		{
			name: "authorization header line in prose",
			in:   "sent Authorization: Basic YWRtaW46ZGVtbw== to the console",
			gone: []string{"YWRtaW46ZGVtbw"},
			kept: []string{"sent Authorization: " + Redacted},
		},
		{
			name: "liveperson appKey header",
			in:   "LivePerson appKey=25dfd026beff1bf9913f6148f63a7f81",
			gone: []string{"25dfd026beff1bf9913f6148f63a7f81"},
			kept: []string{"LivePerson appKey=" + Redacted},
		},
		{
			name: "bearer token",
			in:   "Bearer 9f2c1e7a-4b8d-4c1e-9a55-0e4d2f6b7c11",
			gone: []string{"9f2c1e7a"},
			kept: []string{"Bearer " + Redacted},
		},
		{
			name: "bearer in prose stays",
			in:   "missing Bearer token in the request",
			kept: []string{"missing Bearer token in the request"},
		},
		{
			name: "query parameters",
			in:   "https://h.example/api/account/1/skills?v=1&oauth_signature=abc%2Bdef%3D&oauth_token=tok&oauth_verifier=ver123&appKey=key42",
			gone: []string{"abc%2Bdef", "ver123", "key42"},
			kept: []string{"https://h.example/api/account/1/skills?v=1&oauth_signature=" + Redacted + "&oauth_token=tok&oauth_verifier=" + Redacted + "&appKey=" + Redacted},
		},
		{
			name: "form body with token secret",
			in:   "oauth_token=t1&oauth_token_secret=s3cr3tvalue&oauth_callback_confirmed=true",
			gone: []string{"s3cr3tvalue"},
			kept: []string{"oauth_token=t1&", "&oauth_callback_confirmed=true"},
		},
		{
			name: "signature method is not a secret",
			in:   "oauth_signature_method=HMAC-SHA1&oauth_signature=zzzzzz",
			gone: []string{"zzzzzz"},
			kept: []string{"oauth_signature_method=HMAC-SHA1"},
		},
		{
			name: "json pair",
			in:   `{"oauth_token_secret":"jsonsecret1","password": "pw-json-2","name":"ok"}`,
			gone: []string{"jsonsecret1", "pw-json-2"},
			kept: []string{`"name":"ok"`},
		},
		{
			name: "struct rendering",
			in:   "{ConsumerKey:k ConsumerSecret:cs-123456 Token:t TokenSecret:ts-abcdef}",
			gone: []string{"cs-123456", "ts-abcdef"},
			kept: []string{"ConsumerKey:k", "Token:t"},
		},
		{
			name: "cookie line",
			in:   "Cookie: session=abcdef123456",
			gone: []string{"abcdef123456"},
		},
		{
			name: "prose with colon space stays",
			in:   "401 Unauthorized: bad signature: the base string was GET&x",
			kept: []string{"bad signature: the base string was GET&x"},
		},
		{
			name: "nothing to do",
			in:   "GET /skills?v=1 200",
			kept: []string{"GET /skills?v=1 200"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := RedactString(tt.in)
			for _, g := range tt.gone {
				if strings.Contains(got, g) {
					t.Errorf("RedactString(%q) = %q, still contains %q", tt.in, got, g)
				}
			}
			for _, k := range tt.kept {
				if !strings.Contains(got, k) {
					t.Errorf("RedactString(%q) = %q, want it to contain %q", tt.in, got, k)
				}
			}
		})
	}
}

func TestSensitiveKey(t *testing.T) {
	yes := []string{"Authorization", "authorization", "Proxy-Authorization", "oauth_signature", "oauth_token_secret",
		"token_secret", "TokenSecret", "secret", "consumerSecret", "verifier", "oauth_verifier", "password",
		"cookie", "Set-Cookie", "bearer", "appKey", "X-Api-Key", "credentials"}
	no := []string{"oauth_token", "token", "oauth_signature_method", "method", "path", "status", "Content-Type", "ETag", ""}
	for _, k := range yes {
		if !SensitiveKey(k) {
			t.Errorf("SensitiveKey(%q) = false, want true", k)
		}
	}
	for _, k := range no {
		if SensitiveKey(k) {
			t.Errorf("SensitiveKey(%q) = true, want false", k)
		}
	}
}

func TestRedactURLPassword(t *testing.T) {
	got := RedactURL("https://admin:hunter22@h.example/x?oauth_signature=sig&v=1")
	if strings.Contains(got, "hunter22") || strings.Contains(got, "=sig") {
		t.Fatalf("RedactURL = %q", got)
	}
	if !strings.Contains(got, "admin:"+Redacted+"@h.example") || !strings.Contains(got, "v=1") {
		t.Fatalf("RedactURL = %q, want user and v=1 kept", got)
	}
}

// logLine logs with a fresh text logger at debug level and returns the output.
func logLine(f func(l *slog.Logger)) string {
	var buf bytes.Buffer
	f(New(&buf, slog.LevelDebug))
	return buf.String()
}

func TestHandlerAttributes(t *testing.T) {
	hdr := http.Header{"Authorization": {`OAuth oauth_signature="hs1"`}, "Accept": {"application/json"}, "Cookie": {"sid=c00kie"}}
	u, _ := url.Parse("http://127.0.0.1/x?oauth_signature=urlsig1&v=1")
	tests := []struct {
		name string
		log  func(l *slog.Logger)
		gone []string
		kept []string
	}{
		{"sensitive keys", func(l *slog.Logger) {
			l.Info("m", "authorization", "anything-at-all", "OAuth_Token_Secret", "ots-1", "password", "pw-2", "status", 200)
		}, []string{"anything-at-all", "ots-1", "pw-2"}, []string{"authorization=" + Redacted, "status=200"}},
		{"key inside a group", func(l *slog.Logger) {
			l.Info("m", slog.Group("req", slog.String("method", "GET"), slog.Group("creds", slog.String("token_secret", "grp-secret"))))
		}, []string{"grp-secret"}, []string{"req.method=GET", "req.creds.token_secret=" + Redacted}},
		{"group named like a secret", func(l *slog.Logger) {
			l.Info("m", slog.Group("credentials", slog.String("a", "inner-1"), slog.Int("n", 5)))
		}, []string{"inner-1"}, nil},
		{"WithGroup named like a secret", func(l *slog.Logger) {
			l.WithGroup("secrets").Info("m", "plain", "inner-2")
		}, []string{"inner-2"}, nil},
		{"WithAttrs", func(l *slog.Logger) {
			l.With("verifier", "v-333", "path", "/skills?oauth_verifier=v-444").Info("m")
		}, []string{"v-333", "v-444"}, []string{`path="/skills?oauth_verifier=` + Redacted}},
		{"header value by shape", func(l *slog.Logger) {
			l.Info("m", "h", `OAuth oauth_consumer_key="k", oauth_signature="shape-sig"`)
		}, []string{"shape-sig"}, nil},
		{"http.Header", func(l *slog.Logger) {
			l.Info("m", "headers", hdr)
		}, []string{"hs1", "c00kie"}, []string{"application/json"}},
		{"url", func(l *slog.Logger) {
			l.Info("m", "url", u)
		}, []string{"urlsig1"}, []string{"v=1"}},
		{"url.Values", func(l *slog.Logger) {
			l.Info("m", "q", url.Values{"appKey": {"ak-555"}, "skill": {"Support"}})
		}, []string{"ak-555"}, []string{"Support"}},
		{"error", func(l *slog.Logger) {
			l.Error("m", "err", fmt.Errorf("post: %w", errors.New("form oauth_verifier=err-verif")))
		}, []string{"err-verif"}, []string{"post: form"}},
		{"bytes", func(l *slog.Logger) {
			l.Info("m", "body", []byte("oauth_token=t&oauth_token_secret=byte-secret"))
		}, []string{"byte-secret"}, nil},
		{"struct", func(l *slog.Logger) {
			l.Info("m", "cfg", struct{ Name, ConsumerSecret string }{"app", "struct-secret"})
		}, []string{"struct-secret"}, []string{"app"}},
		{"LogValuer", func(l *slog.Logger) {
			l.Info("m", "v", valuer{"Bearer lv-token-1234567890"})
		}, []string{"lv-token"}, nil},
		{"message", func(l *slog.Logger) {
			l.Info("calling https://h/x?oauth_signature=msg-sig&v=1")
		}, []string{"msg-sig"}, []string{"v=1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := logLine(tt.log)
			if out == "" {
				t.Fatal("nothing logged")
			}
			for _, g := range tt.gone {
				if strings.Contains(out, g) {
					t.Errorf("log %q still contains %q", out, g)
				}
			}
			for _, k := range tt.kept {
				if !strings.Contains(out, k) {
					t.Errorf("log %q lacks %q", out, k)
				}
			}
		})
	}
}

type valuer struct{ s string }

func (v valuer) LogValue() slog.Value { return slog.StringValue(v.s) }

func TestRegisteredSecretInMessage(t *testing.T) {
	secret := "Zq9-registered/secret+value"
	RegisterSecret(secret)
	out := logLine(func(l *slog.Logger) {
		l.Warn("the keyring returned " + secret + " for profile default")
		l.Info("m", "free", "x"+secret+"y", "encoded", url.QueryEscape(secret), "oauth", oauthsig.PercentEncode(secret))
	})
	for _, form := range []string{secret, url.QueryEscape(secret), oauthsig.PercentEncode(secret), "registered"} {
		if strings.Contains(out, form) {
			t.Fatalf("log still contains %q:\n%s", form, out)
		}
	}
	if !strings.Contains(out, "the keyring returned "+Redacted+" for profile default") {
		t.Fatalf("message not kept around the secret:\n%s", out)
	}
	if got := RedactString("err: " + secret); got != "err: "+Redacted {
		t.Fatalf("RedactString = %q", got)
	}
}

func TestShortSecretIgnored(t *testing.T) {
	RegisterSecret("demo")
	if got := RedactString("lpdesk-demo-app"); got != "lpdesk-demo-app" {
		t.Fatalf("a short registered string blanked ordinary text: %q", got)
	}
}

func TestJSONHandler(t *testing.T) {
	var buf bytes.Buffer
	l := slog.New(NewHandler(slog.NewJSONHandler(&buf, nil)))
	l.Info("m", "authorization", "Bearer json-tok-123456789", "n", 3, "h", http.Header{"Accept": {"a/b"}})
	var rec map[string]any
	if err := json.Unmarshal(buf.Bytes(), &rec); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, buf.String())
	}
	if rec["authorization"] != Redacted || rec["n"] != float64(3) {
		t.Fatalf("record = %v", rec)
	}
	if h, ok := rec["h"].(map[string]any); !ok || h["Accept"] == nil {
		t.Fatalf("a header without secrets should keep its shape: %v", rec["h"])
	}
}

// countingHandler counts what reaches it.
type countingHandler struct {
	level   slog.Level
	handled int
}

func (c *countingHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= c.level }
func (c *countingHandler) Handle(context.Context, slog.Record) error    { c.handled++; return nil }
func (c *countingHandler) WithAttrs([]slog.Attr) slog.Handler           { return c }
func (c *countingHandler) WithGroup(string) slog.Handler                { return c }

type countingValuer struct{ n *int }

func (v countingValuer) LogValue() slog.Value { *v.n++; return slog.StringValue("x") }

func TestDisabledLevelDoesNoWork(t *testing.T) {
	inner := &countingHandler{level: slog.LevelInfo}
	l := slog.New(NewHandler(inner))
	resolved := 0
	l.Debug("oauth_signature=abc", "v", countingValuer{&resolved})
	if inner.handled != 0 || resolved != 0 {
		t.Fatalf("disabled debug record reached the handler (%d) or resolved values (%d)", inner.handled, resolved)
	}
	if allocs := testing.AllocsPerRun(100, func() { l.Debug("x", "a", "oauth_signature=abc") }); allocs > 0 {
		t.Fatalf("disabled debug call allocates %v times", allocs)
	}
	l.Info("y")
	if inner.handled != 1 {
		t.Fatalf("enabled record not handled")
	}
}

func TestDefault(t *testing.T) {
	t.Cleanup(func() { SetDefault(nil) })
	if DebugEnabled() {
		t.Fatal("the initial default should not write debug records")
	}
	var buf bytes.Buffer
	SetDefault(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if !DebugEnabled() {
		t.Fatal("DebugEnabled false after SetDefault at debug level")
	}
	Default().Debug("d", "oauth_verifier", "def-verif")
	if strings.Contains(buf.String(), "def-verif") || !strings.Contains(buf.String(), "oauth_verifier="+Redacted) {
		t.Fatalf("SetDefault did not make the logger redact: %s", buf.String())
	}
	l := Default()
	if Redacting(l) != l {
		t.Fatal("Redacting wrapped an already redacting logger")
	}
	if h := NewHandler(l.Handler()); h != l.Handler() {
		t.Fatal("NewHandler wrapped an already redacting handler")
	}
}

func TestRedactHeaderCopies(t *testing.T) {
	h := http.Header{"Authorization": {"OAuth x"}}
	r := RedactHeader(h)
	if h.Get("Authorization") != "OAuth x" || r.Get("Authorization") != Redacted {
		t.Fatalf("original %v, redacted %v", h, r)
	}
}
