// Package conformance checks the sandbox against LivePerson's own
// documentation (LivePersonInc/developer-center): its tests build the
// lpdesk binary, run a real `lpdesk sandbox` process and send it every
// documented method's example request (sandbox/testdata/docs-methods.json),
// a whole visitor↔agent conversation and Domain API discovery across
// listeners. Chat Agent and monitoring requests are signed by
// python3-oauthlib. scripts/test.sh runs them with the core packages.
package conformance
