// Package apiclient makes one request to the LivePerson-style REST platform
// the way the platform insists on: v=1 on every request, the response format
// by Accept header or path extension, OAuth 1.0a signing (RFC 5849) in the
// Authorization header or the query, PUT and DELETE tunnelled through POST
// with X-HTTP-Method-Override, typed errors parsed from either format, links
// extracted from the body, and account discovery (the Domain API, or the
// redirect from the global API host).
//
// Any other OAuth 1.0a provider is reached with Config.Dialect set to
// DialectGeneric: requests go out as written (no v=1, real PUT, DELETE and
// PATCH, no format games, every path under BaseURL), signed with any of
// oauthsig.Methods (HMAC-SHA1/-SHA256, RSA-SHA1/-SHA256, PLAINTEXT over
// https only), with an optional realm and oauth_body_hash, the credentials
// in the header, the query or a form body.
//
// The signature inspector: Response.Signed, APIError.Signed and DryRun give
// the request as sent (or as it would be), its signature base string
// included and no secret; Signed.Curl renders it as a curl command.
//
// An account's services may live on hosts of their own (Config.Services,
// as Discover finds them): a relative path goes to the base of the service
// ServiceFor names, an origin the Client signs for on purpose. What a
// person types is made a valid URL with EncodeTypedURL first; links from
// responses are sent exactly as given.
//
// Signing happens inside the Client's RoundTripper, once per attempt, so a
// retry or a same-origin redirect is signed for the URL it is actually sent
// to. A redirect to another origin is refused with a
// *CrossOriginRedirectError: credentials and bodies never leave the origin
// (scheme, host, port) a request was sent to.
package apiclient
