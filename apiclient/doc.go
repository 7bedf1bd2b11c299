// Package apiclient makes one request to the LivePerson-style REST platform
// the way the platform insists on: v=1 on every request, the response format
// by Accept header or path extension, OAuth 1.0a signing (RFC 5849) in the
// Authorization header or the query, PUT and DELETE tunnelled through POST
// with X-HTTP-Method-Override, typed errors parsed from either format, links
// extracted from the body, and account discovery (the Domain API, or the
// redirect from the global API host).
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
