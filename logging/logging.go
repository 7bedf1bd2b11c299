// Package logging is lpdesk's structured logging (log/slog) with secrets
// taken out before anything is written.
//
// Every logger this package hands out wraps its slog.Handler in a redacting
// handler (NewHandler) that rewrites each record on its way through:
//
//   - attributes whose key names a secret — case, '-', '_' and '.' ignored,
//     also inside groups and under a group whose name is sensitive — keep
//     their key and lose their value: keys containing authorization,
//     signature (oauth_signature, not oauth_signature_method), secret
//     (oauth_token_secret, token_secret, consumer secret), verifier
//     (oauth_verifier), password, passwd, cookie, bearer, appkey, apikey or
//     credential;
//   - string values, the message and error texts go through RedactString:
//     "Authorization: …" and "Cookie: …" header lines, the credentials of
//     "OAuth …", "LivePerson appKey=…" and "Bearer …" values, and the values of
//     sensitive name=value pairs in URLs, query strings and form bodies
//     (oauth_signature=REDACTED&v=1: the rest stays readable);
//   - http.Header, url.Values, *url.URL, []byte, errors and other values are
//     rendered and checked the same way;
//   - secrets registered with RegisterSecret (the consumer secret, a token
//     secret read from the keyring, a proxy's bearer token) are replaced
//     wherever they occur, plain or percent-encoded.
//
// Redaction costs nothing when a level is off: the handler's Enabled defers to
// the wrapped handler, so a disabled Debug call never builds a record.
//
// The CLI's global --debug flag is expected to call
// SetDefault(New(os.Stderr, slog.LevelDebug)); packages that log
// (apiclient through its Config.Logger, the proxy) read Default() when they
// are built.
package logging

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"sync/atomic"
)

// New returns a redacting logger writing slog's text format to w, with
// records below level dropped before any redaction work.
func New(w io.Writer, level slog.Leveler) *slog.Logger {
	return slog.New(NewHandler(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level})))
}

// NewHandler wraps h so that every record reaching it has been redacted (see
// the package documentation). Wrapping an already redacting handler returns it
// unchanged.
func NewHandler(h slog.Handler) slog.Handler {
	if r, ok := h.(*handler); ok {
		return r
	}
	return &handler{inner: h}
}

// Redacting returns l if its handler already redacts, and otherwise a logger
// whose handler wraps l's. nil gives a logger that discards everything.
func Redacting(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.New(slog.DiscardHandler)
	}
	if _, ok := l.Handler().(*handler); ok {
		return l
	}
	return slog.New(NewHandler(l.Handler()))
}

var defaultLogger atomic.Pointer[slog.Logger]

func init() { defaultLogger.Store(New(os.Stderr, slog.LevelWarn)) }

// Default is the process-wide redacting logger. Until SetDefault is called it
// writes warnings and errors as text to os.Stderr. Read it when building a
// component (apiclient.Config.Logger, the proxy), not once at package init,
// so that --debug, parsed later, takes effect.
func Default() *slog.Logger { return defaultLogger.Load() }

// SetDefault replaces the process-wide logger; l is wrapped by Redacting, so
// whatever is set still redacts. nil restores the initial one (warnings to
// stderr). It does not touch slog.Default.
func SetDefault(l *slog.Logger) {
	if l == nil {
		l = New(os.Stderr, slog.LevelWarn)
	}
	defaultLogger.Store(Redacting(l))
}

// DebugEnabled reports whether the default logger writes Debug records, i.e.
// whether --debug is on.
func DebugEnabled() bool {
	return Default().Enabled(context.Background(), slog.LevelDebug)
}

// handler is the redacting slog.Handler. sensitive is set under a group
// whose name is itself sensitive: everything in it is withheld.
type handler struct {
	inner     slog.Handler
	sensitive bool
}

func (h *handler) Enabled(ctx context.Context, l slog.Level) bool { return h.inner.Enabled(ctx, l) }

func (h *handler) Handle(ctx context.Context, r slog.Record) error {
	nr := slog.NewRecord(r.Time, r.Level, RedactString(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		nr.AddAttrs(redactAttr(a, h.sensitive))
		return true
	})
	return h.inner.Handle(ctx, nr)
}

// WithAttrs redacts now, against the secrets registered so far: the inner
// handler may pre-format them.
func (h *handler) WithAttrs(as []slog.Attr) slog.Handler {
	out := make([]slog.Attr, len(as))
	for i, a := range as {
		out[i] = redactAttr(a, h.sensitive)
	}
	return &handler{inner: h.inner.WithAttrs(out), sensitive: h.sensitive}
}

func (h *handler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	return &handler{inner: h.inner.WithGroup(name), sensitive: h.sensitive || SensitiveKey(name)}
}

func redactAttr(a slog.Attr, sensitive bool) slog.Attr {
	a.Value = a.Value.Resolve()
	sensitive = sensitive || SensitiveKey(a.Key)
	if a.Value.Kind() == slog.KindGroup {
		g := a.Value.Group()
		out := make([]slog.Attr, len(g))
		for i, ga := range g {
			out[i] = redactAttr(ga, sensitive)
		}
		return slog.Attr{Key: a.Key, Value: slog.GroupValue(out...)}
	}
	if sensitive {
		return slog.String(a.Key, Redacted)
	}
	switch a.Value.Kind() {
	case slog.KindString:
		a.Value = slog.StringValue(RedactString(a.Value.String()))
	case slog.KindAny:
		a.Value = redactAny(a.Value)
	}
	return a
}

// redactAny keeps a value's type when nothing in it needed redacting, so
// that a JSON handler still renders it as before.
func redactAny(v slog.Value) slog.Value {
	switch x := v.Any().(type) {
	case nil:
		return v
	case http.Header:
		return slog.AnyValue(RedactHeader(x))
	case url.Values:
		return slog.AnyValue(RedactValues(x))
	case *url.URL:
		if x == nil {
			return v
		}
		return slog.StringValue(RedactURL(x.String()))
	case url.URL:
		return slog.StringValue(RedactURL(x.String()))
	case []byte:
		s := string(x)
		if r := RedactString(s); r != s {
			return slog.StringValue(r)
		}
		return v
	case error:
		s := x.Error()
		if r := RedactString(s); r != s {
			return slog.StringValue(r)
		}
		return v
	default:
		s := fmt.Sprintf("%+v", x)
		if r := RedactString(s); r != s {
			return slog.StringValue(r)
		}
		return v
	}
}
