package wire

// Internal codes carried in the error body's internalCode. The sandbox sets
// them and the client reads them, so a caller can tell, for example, a
// revoked token from a bad signature without parsing English.
const (
	CodeMissingVersion     = 10 // v=1 absent (400)
	CodeBadVersion         = 11 // v present with another value (400)
	CodeUnsupportedMedia   = 20 // request body neither JSON nor XML (415)
	CodeMalformedBody      = 21 // body does not parse; message names line/column (400)
	CodeUnknownFormat      = 22 // extension or Accept the platform does not serve, e.g. ".XML" (404/406)
	CodeBadSignature       = 30 // signature does not verify (401)
	CodeStaleTimestamp     = 31 // oauth_timestamp outside ±300 s; message names the server's time (401)
	CodeNonceReused        = 32 // replayed nonce (401)
	CodeTokenRevoked       = 33 // access token unknown or revoked (401)
	CodeUnknownConsumer    = 34 // consumer key not registered (401)
	CodeUnsignedRefused    = 35 // appKey-only call on an account that refuses them (403)
	CodeMissingAuth        = 36 // no credentials at all (401)
	CodeUnsupportedSigning = 37 // signature method the application does not sign with, or PLAINTEXT without TLS (400)
	CodeBadOAuthParams     = 38 // malformed or duplicated oauth_* parameters (400)
	CodeQuotaExceeded      = 39 // consumer key or token over its share of nonces or pending request tokens; Retry-After says when (429)
	CodeNotFound           = 40 // (404)
	CodeMethodNotAllowed   = 41 // (405)
	CodePreconditionFailed = 42 // If-Match does not match the current revision (412)
	CodeConflict           = 43 // (409)
	CodeValidation         = 44 // well-formed body with missing/invalid fields (400)
	CodeMisdirected        = 46 // Host is not one of the server's names (421)
	CodeInternal           = 50 // (500)
)
