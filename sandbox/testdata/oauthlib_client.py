#!/usr/bin/python3
"""Sign requests for the sandbox's signature-method tests with
python3-oauthlib, an OAuth 1.0a implementation that is not lpdesk's.

Reads one JSON object per line on stdin and answers one per line on stdout,
{"url": …, "headers": {…}, "body": …} or {"error": "…"}. A request names
everything the client needs:

  method, url, body (a string or null), headers (e.g. Content-Type),
  key, secret, token, token_secret, rsa_key (PEM text), signature_method,
  signature_type ("header", "query" or "body"), realm, callback, verifier,
  body_hash: "auto"   oauthlib's own rule (it always hashes with SHA-1),
             "method" the hash with the signature method's digest (SHA-256
                      for HMAC-SHA256 and RSA-SHA256, SHA-1 otherwise),
             "none"   no oauth_body_hash,
             "wrong"  the hash of other bytes.

The body hash is computed here with hashlib, independently of lpdesk's
code. Exits when stdin closes. Run with Debian's /usr/bin/python3
(python3-oauthlib, python3-cryptography and python3-jwt for RSA).
"""

import base64
import hashlib
import json
import sys

from oauthlib.oauth1 import (SIGNATURE_TYPE_AUTH_HEADER, SIGNATURE_TYPE_BODY,
                             SIGNATURE_TYPE_QUERY, Client)

TYPES = {"header": SIGNATURE_TYPE_AUTH_HEADER, "query": SIGNATURE_TYPE_QUERY, "body": SIGNATURE_TYPE_BODY}


def digest(method, data):
    h = hashlib.sha256 if method in ("HMAC-SHA256", "RSA-SHA256") else hashlib.sha1
    return base64.b64encode(h(data.encode("utf-8")).digest()).decode()


class BodyHashClient(Client):
    """oauthlib's Client with the body hash under the test's control."""

    def __init__(self, *args, body_hash_mode="auto", **kwargs):
        super().__init__(*args, **kwargs)
        self.body_hash_mode = body_hash_mode

    def get_oauth_params(self, request):
        params = super().get_oauth_params(request)
        mode = self.body_hash_mode
        if mode == "auto":
            return params
        params = [p for p in params if p[0] != "oauth_body_hash"]
        body = request.body if request.body is not None else ""
        if mode == "method":
            params.append(("oauth_body_hash", digest(self.signature_method, body)))
        elif mode == "wrong":
            params.append(("oauth_body_hash", digest(self.signature_method, body + " tampered")))
        return params


def sign(req):
    client = BodyHashClient(
        req["key"],
        client_secret=req.get("secret") or None,
        resource_owner_key=req.get("token") or None,
        resource_owner_secret=req.get("token_secret") or None,
        rsa_key=req.get("rsa_key") or None,
        signature_method=req.get("signature_method") or "HMAC-SHA1",
        signature_type=TYPES[req.get("signature_type") or "header"],
        realm=req.get("realm") or None,
        callback_uri=req.get("callback") or None,
        verifier=req.get("verifier") or None,
        body_hash_mode=req.get("body_hash") or "auto",
    )
    uri, headers, body = client.sign(req["url"], http_method=req["method"], body=req.get("body"),
                                     headers=req.get("headers") or {})
    if isinstance(body, bytes):
        body = body.decode("utf-8")
    return {"url": uri, "headers": dict(headers), "body": body}


print("READY", flush=True)
for line in sys.stdin:
    try:
        out = sign(json.loads(line))
    except Exception as e:  # reported to the test, which fails
        out = {"error": "%s: %s" % (type(e).__name__, e)}
    print(json.dumps(out), flush=True)
