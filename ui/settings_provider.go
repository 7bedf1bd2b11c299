package ui

import "fyne.io/fyne/v2/widget"

// providerDetails adds what Settings shows of another provider's profile:
// which provider, the signature method, and where the application's own
// secret or private key is kept. A platform profile's rows stay as they
// were.
func providerDetails(f *widget.Form, p ProfileInfo) {
	if p.Provider != "" {
		f.Append("Provider", widget.NewLabel(p.Provider))
		method := string(p.SignatureMethod)
		if method == "" {
			method = "HMAC-SHA1"
		}
		f.Append("Signature", widget.NewLabel(method))
	}
	if p.AppSecretLocation != "" {
		what := "Application secret"
		if p.SignatureMethod.IsRSA() {
			what = "Application private key"
		}
		f.Append(what, wrapped("kept in "+p.AppSecretLocation+"; never shown"))
	}
}
