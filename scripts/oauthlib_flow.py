#!/usr/bin/python3
"""Drive a running lpdesk sandbox with an OAuth 1.0a client that is not ours.

Uses Debian's python3-oauthlib (run with /usr/bin/python3) and urllib only:
three-legged flow with an oob callback (approval through the provider's
POST /oauth/authorize with HTTP Basic), then signed calls in both placements,
a query full of awkward characters, and a tampered request that must be
refused. Prints one line per check; exits non-zero if any check fails.

Usage: oauthlib_flow.py BASE_URL [--account 12345678] [--key K --secret S]
       [--admin-user admin --admin-password demo]
"""

import argparse
import base64
import json
import sys
import urllib.error
import urllib.parse
import urllib.request

import oauthlib
from oauthlib.oauth1 import (SIGNATURE_HMAC_SHA1, SIGNATURE_HMAC_SHA256,
                             SIGNATURE_TYPE_AUTH_HEADER, SIGNATURE_TYPE_QUERY,
                             Client)

DEMO_KEY = "lpdesk-demo-app"
DEMO_SECRET = "demo-consumer-secret-not-for-production"  # public demo app

failures = 0


def report(ok, name, detail=""):
    global failures
    if not ok:
        failures += 1
    line = ("ok    " if ok else "FAIL  ") + name
    if detail:
        line += ": " + detail
    print(line, flush=True)
    return ok


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


opener = urllib.request.build_opener(NoRedirect)


def send(method, url, headers=None, body=None):
    """Returns (status, headers, body text); HTTP errors are results too."""
    data = body.encode() if isinstance(body, str) else body
    if method == "POST" and data is None:
        data = b""
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with opener.open(req, timeout=15) as resp:
            return resp.status, resp.headers, resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode("utf-8", "replace")


def short(text, n=300):
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n] + "…"


def internal_code(text):
    try:
        return json.loads(text)["error"]["internalCode"]
    except (ValueError, KeyError, TypeError):
        return None


def signed(client, method, url):
    uri, headers, body = client.sign(url, http_method=method)
    return send(method, uri, headers, body)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("base", help="sandbox base URL, e.g. http://127.0.0.1:8088")
    ap.add_argument("--account", default="12345678")
    ap.add_argument("--key", default=DEMO_KEY)
    ap.add_argument("--secret", default=DEMO_SECRET)
    ap.add_argument("--admin-user", default="admin")
    ap.add_argument("--admin-password", default="demo")
    args = ap.parse_args()
    base = args.base.rstrip("/")
    account = base + "/api/account/" + args.account
    print("oauthlib %s against %s" % (oauthlib.__version__, base), flush=True)

    # 1. Temporary credentials (oob callback, signature in the header).
    c = Client(args.key, client_secret=args.secret, callback_uri="oob")
    status, _, text = signed(c, "POST", base + "/oauth/request_token")
    creds = urllib.parse.parse_qs(text)
    ok = status == 200 and creds.get("oauth_callback_confirmed") == ["true"] and "oauth_token" in creds
    if not report(ok, "request token", "" if ok else "%d %s" % (status, short(text))):
        return 1
    rtoken, rsecret = creds["oauth_token"][0], creds["oauth_token_secret"][0]

    # 2. The administrator approves (HTTP Basic, plain-text answer).
    basic = base64.b64encode(("%s:%s" % (args.admin_user, args.admin_password)).encode()).decode()
    status, _, text = send("POST", base + "/oauth/authorize",
                           {"Authorization": "Basic " + basic, "Accept": "text/plain",
                            "Content-Type": "application/x-www-form-urlencoded"},
                           urllib.parse.urlencode({"oauth_token": rtoken, "decision": "approve"}))
    ok = status == 200 and text.startswith("oauth_verifier=")
    if not report(ok, "approve (POST /oauth/authorize, Basic, text/plain)", "" if ok else "%d %s" % (status, short(text))):
        return 1
    verifier = text.strip().split("=", 1)[1]

    # 3. Token credentials.
    c = Client(args.key, client_secret=args.secret, resource_owner_key=rtoken,
               resource_owner_secret=rsecret, verifier=verifier)
    status, _, text = signed(c, "POST", base + "/oauth/access_token")
    creds = urllib.parse.parse_qs(text)
    ok = status == 200 and "oauth_token" in creds and "oauth_token_secret" in creds
    if not report(ok, "access token", "" if ok else "%d %s" % (status, short(text))):
        return 1
    token, secret = creds["oauth_token"][0], creds["oauth_token_secret"][0]

    def client(sig_type=SIGNATURE_TYPE_AUTH_HEADER, method=SIGNATURE_HMAC_SHA1):
        return Client(args.key, client_secret=args.secret, resource_owner_key=token,
                      resource_owner_secret=secret, signature_type=sig_type, signature_method=method)

    # 4. Signed calls in both placements.
    for name, cl in [("header", client()), ("query", client(SIGNATURE_TYPE_QUERY)),
                     ("header HMAC-SHA256", client(method=SIGNATURE_HMAC_SHA256))]:
        status, _, text = signed(cl, "GET", account + "?v=1")
        ok = status == 200 and '"account"' in text
        report(ok, "signed GET account base (%s)" % name, "" if ok else "%d %s" % (status, short(text)))

    # 5. A query with repeated keys (out of order), spaces as + and %20, a
    #    literal + (%2B), unreserved ~, sub-delimiters !*'() both raw and
    #    encoded, a percent sign and non-ASCII text. Unknown skills are just
    #    unavailable, so every value is legal for the resource.
    query = ("v=1&skill=zeta&skill=Caf%C3%A9+au%20lait&skill=a%2Bb~c&skill=!*'()"
             "&skill=%21%2A%27%28%29&skill=100%25&skill=%E6%97%A5%E6%9C%AC&skill=alpha")
    for name, cl in [("header", client()), ("query", client(SIGNATURE_TYPE_QUERY))]:
        status, _, text = signed(cl, "GET", account + "/chat/availability?" + query)
        ok = status == 200 and "availability" in text
        report(ok, "signed GET with repeated keys and special characters (%s)" % name,
               "" if ok else "%d %s" % (status, short(text)))

    # 6. A tampered request: signed for one skill, sent with another.
    uri, headers, _ = client().sign(account + "/chat/availability?v=1&skill=Support", http_method="GET")
    status, _, text = send("GET", uri.replace("skill=Support", "skill=Sales"), headers)
    ok = status == 401 and internal_code(text) == 30
    report(ok, "tampered request refused (401, internalCode 30)", "" if ok else "%d %s" % (status, short(text)))

    # 7. Revocation, signed with the token it revokes; the token then fails.
    status, _, text = signed(client(), "POST", base + "/oauth/revoke")
    report(status == 200, "revoke (POST /oauth/revoke)", "" if status == 200 else "%d %s" % (status, short(text)))
    status, _, text = signed(client(), "GET", account + "?v=1")
    ok = status == 401 and internal_code(text) == 33
    report(ok, "revoked token refused (401, internalCode 33)", "" if ok else "%d %s" % (status, short(text)))

    print("%d check(s) failed" % failures if failures else "all checks passed", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
