package sandbox

import (
	"strings"
	"testing"
)

func TestSafeNext(t *testing.T) {
	for _, ok := range []string{
		"/console",
		"/",
		"/oauth/authorize?oauth_token=0123abcd",
		"/console?done=settings&x=a-b_c.d~e+f",
		"/a%41b",
	} {
		if got := safeNext(ok); got != ok {
			t.Errorf("safeNext(%q) = %q, want it kept", ok, got)
		}
	}
	for _, bad := range []string{
		"", "console", "https://evil.example/", "//evil.example/", "/\\evil.example/", "\\\\evil.example",
		"/\t/evil.example/", "/\n/evil.example/", "/\r\n/evil.example", " /console", "/console ",
		"/%09/evil.example/", "/%2F/evil.example/", "/%2f%2fevil.example", "/%5Cevil.example", "/%0d%0aSet-Cookie:x",
		"/%zz", "/a%20b", "/javascript:alert(1)", "/@evil.example", "/console#frag", "/x\x00", "/\u2215\u2215evil.example",
		"/" + strings.Repeat("a", 1024),
	} {
		if got := safeNext(bad); got != dashboardPath {
			t.Errorf("safeNext(%q) = %q, want %q", bad, got, dashboardPath)
		}
	}
}
