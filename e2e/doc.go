// Package e2e holds end-to-end tests that run the real lpdesk binary against
// a real `lpdesk sandbox` process and a real OS keyring. They are built only
// with -tags keyring and run by scripts/test.sh inside scripts/with-keyring.sh.
package e2e
