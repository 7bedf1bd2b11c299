package onboarding

import (
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
)

// A provider's answer is redacted before it is cut to 300 bytes, so a
// secret across the cut leaves nothing of itself behind.
func TestClassifyRedactsBeforeCutting(t *testing.T) {
	secret := "verifier-" + strings.Repeat("s", 40)
	body := strings.Repeat("x", 290) + secret
	err := classify("access token", 401, []byte(body), encodedSecrets(secret))
	if strings.Contains(err.Error(), "verifier-") {
		t.Errorf("part of the secret survived: %v", err)
	}
}

// A base string a provider quotes back holds the secrets encoded twice.
func TestEncodedSecretsCoverBaseStrings(t *testing.T) {
	secret := "c+s/=="
	quoted := "PLAINTEXT base: oauth_signature%3D" + oauthsig.PercentEncode(oauthsig.PercentEncode(secret))
	if got := redact(quoted, encodedSecrets(secret)...); strings.Contains(got, oauthsig.PercentEncode(oauthsig.PercentEncode(secret))) {
		t.Errorf("double-encoded secret kept: %s", got)
	}
}
