#!/usr/bin/python3
"""Independent OAuth 1.0a signature check for lpdesk's Go client.

A tiny HTTP server that verifies every request's signature (HMAC-SHA1,
HMAC-SHA256, RSA-SHA1, RSA-SHA256 or PLAINTEXT) with python3-oauthlib
(Debian's python3-oauthlib; RSA needs python3-cryptography and python3-jwt),
not with any of our Go code, and answers 200 when it verifies and 401 when it
does not. The body is JSON: {"ok": bool, "base_string": "...", "reason":
"...", "placement": "header|query|form", "realm": "...", "body_hash": "..."}.

Run with /usr/bin/python3 (the interpreter that has oauthlib). It listens on
127.0.0.1 at the port given as the first argument (default 0 = any free port)
and prints "PORT <n>" on its first stdout line. It exits when stdin closes,
so it cannot outlive the test that started it.

The expected credentials come from the environment, never the command line:
OAUTHLIB_CONSUMER_KEY, OAUTHLIB_CONSUMER_SECRET, OAUTHLIB_TOKEN,
OAUTHLIB_TOKEN_SECRET, and for the RSA methods OAUTHLIB_RSA_PUBLIC_KEY_FILE
(the path of the consumer's PEM public key). Optional:
OAUTHLIB_REALM (an Authorization header must carry exactly this realm),
OAUTHLIB_BODY_HASH=1 (a request whose body is not a form must carry
oauth_body_hash), OAUTHLIB_TLS_CERT and OAUTHLIB_TLS_KEY (PEM files: serve
https instead of http). PLAINTEXT is refused unless the server runs https.

oauth_body_hash (the OAuth Request Body Hash extension), when present, is
checked against the exact body bytes with SHA-256 for the SHA256 methods and
SHA-1 otherwise, and refused on a form-encoded body.

Parameters are gathered exactly as RFC 5849 3.4.1.3.1 says, by oauthlib:
the query, the Authorization header (realm excluded) and a form body when
Content-Type is application/x-www-form-urlencoded.
"""

import base64
import hashlib
import json
import os
import ssl
import sys
import threading
import types
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from oauthlib.common import safe_string_equals
from oauthlib.oauth1.rfc5849 import signature, utils

FORM = "application/x-www-form-urlencoded"

SIGNERS = {
    "HMAC-SHA1": signature.sign_hmac_sha1_with_client,
    "HMAC-SHA256": signature.sign_hmac_sha256_with_client,
}

# The RSA methods and PLAINTEXT go through oauthlib's own verify functions,
# which rebuild the base string from the request's params, uri and method.
VERIFIERS = {
    "RSA-SHA1": lambda req, c: signature.verify_rsa_sha1(req, c["rsa_public_key"]),
    "RSA-SHA256": lambda req, c: signature.verify_rsa_sha256(req, c["rsa_public_key"]),
    "PLAINTEXT": lambda req, c: signature.verify_plaintext(req, c["consumer_secret"], c["token_secret"]),
}


def read_file(env):
    path = os.environ.get(env)
    if not path:
        return None
    with open(path) as f:
        return f.read()


def expected_credentials():
    return {
        "consumer_key": os.environ.get("OAUTHLIB_CONSUMER_KEY", ""),
        "consumer_secret": os.environ.get("OAUTHLIB_CONSUMER_SECRET", ""),
        "token": os.environ.get("OAUTHLIB_TOKEN", ""),
        "token_secret": os.environ.get("OAUTHLIB_TOKEN_SECRET", ""),
        "rsa_public_key": read_file("OAUTHLIB_RSA_PUBLIC_KEY_FILE"),
        "realm": os.environ.get("OAUTHLIB_REALM"),
        "body_hash": os.environ.get("OAUTHLIB_BODY_HASH") == "1",
    }


class Verifier(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    creds = expected_credentials()
    scheme = "http"

    def log_message(self, fmt, *args):  # keep the test output quiet
        pass

    def do_GET(self):
        self.verify()

    def do_POST(self):
        self.verify()

    do_PUT = do_PATCH = do_DELETE = do_POST

    def reply(self, status, ok, base="", reason=""):
        info = getattr(self, "info", {})
        body = json.dumps(dict(info, ok=ok, base_string=base, reason=reason)).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def verify(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw_body = self.rfile.read(length) if length else b""
        try:
            self.check(raw_body)
        except Exception as exc:  # any parsing failure is a refusal, not a crash
            self.reply(401, False, reason="%s: %s" % (type(exc).__name__, exc))

    def check(self, raw_body):
        self.info = {}
        uri = "%s://%s%s" % (self.scheme, self.headers["Host"], self.path)
        query = urllib.parse.urlsplit(self.path).query
        headers = {}
        auth = self.headers.get("Authorization")
        if auth:
            headers["Authorization"] = auth
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        is_form = ctype == FORM
        body = raw_body.decode("utf-8") if is_form and raw_body else None

        params = signature.collect_parameters(
            uri_query=query, body=body, headers=headers, exclude_oauth_signature=False
        )
        proto = {}
        for k, v in params:
            if k.startswith("oauth_"):
                if k in proto:
                    return self.reply(401, False, reason="duplicate %s" % k)
                proto[k] = v
        self.info["placement"] = self.placement(auth, query, body)
        sig = proto.get("oauth_signature")
        if self.info["placement"] in ("query", "form"):
            # collect_parameters decodes a query or form value and then
            # unescapes oauth_* values once more (meant for the header's
            # raw values), so a PLAINTEXT signature, the encoded secrets,
            # would be decoded twice. RFC 5849 3.5.2/3.5.3 decode once.
            source = query if self.info["placement"] == "query" else body
            sig = dict(urllib.parse.parse_qsl(source, keep_blank_values=True)).get("oauth_signature")
        if sig is None:
            return self.reply(401, False, reason="no oauth_signature")
        method = proto.get("oauth_signature_method", "")
        if method not in SIGNERS and method not in VERIFIERS:
            return self.reply(401, False, reason="unsupported method %r" % method)
        if method == "PLAINTEXT" and self.scheme != "https":
            return self.reply(401, False, reason="PLAINTEXT over plain http")
        c = self.creds
        for name, want in (("oauth_consumer_key", c["consumer_key"]), ("oauth_token", c["token"]),
                           ("oauth_version", "1.0")):
            if proto.get(name) != want:
                return self.reply(401, False, reason="%s is %r" % (name, proto.get(name)))
        for name in ("oauth_nonce", "oauth_timestamp"):
            if not proto.get(name):
                return self.reply(401, False, reason="missing %s" % name)

        # The realm is the header's alone, never signed.
        realm = None
        if auth:
            realm = dict(utils.parse_authorization_header(auth)).get("realm")
            if c["realm"] is not None and realm != c["realm"]:
                return self.reply(401, False, reason="realm is %r" % realm)
        self.info["realm"] = realm

        body_hash = proto.get("oauth_body_hash")
        self.info["body_hash"] = body_hash
        if body_hash is not None:
            if is_form:
                return self.reply(401, False, reason="oauth_body_hash on a form body")
            digest = hashlib.sha256 if method.endswith("SHA256") else hashlib.sha1
            if body_hash != base64.b64encode(digest(raw_body).digest()).decode():
                return self.reply(401, False, reason="oauth_body_hash does not match the body")
        elif c["body_hash"] and not is_form:
            return self.reply(401, False, reason="no oauth_body_hash")

        signed = [(k, v) for k, v in params if k != "oauth_signature"]
        norm = signature.normalize_parameters(signed)
        base = signature.signature_base_string(self.command, signature.base_string_uri(uri), norm)
        if method in SIGNERS:
            client = types.SimpleNamespace(client_secret=c["consumer_secret"],
                                           resource_owner_secret=c["token_secret"])
            ok = safe_string_equals(SIGNERS[method](base, client), sig)
        else:
            if method.startswith("RSA") and not c["rsa_public_key"]:
                return self.reply(401, False, base, "no RSA public key configured")
            request = types.SimpleNamespace(params=signed, uri=uri, http_method=self.command, signature=sig)
            ok = VERIFIERS[method](request, c)
        if ok:
            return self.reply(200, True, base)
        return self.reply(401, False, base, "signature mismatch")

    @staticmethod
    def placement(auth, query, body):
        if auth and auth.lower().startswith("oauth "):
            return "header"
        if body and "oauth_signature=" in body:
            return "form"
        if "oauth_signature=" in query:
            return "query"
        return ""


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    server = ThreadingHTTPServer(("127.0.0.1", port), Verifier)
    server.daemon_threads = True
    cert, key = os.environ.get("OAUTHLIB_TLS_CERT"), os.environ.get("OAUTHLIB_TLS_KEY")
    if cert and key:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
        Verifier.scheme = "https"
    print("PORT %d" % server.server_address[1], flush=True)

    def watch_stdin():
        try:
            while sys.stdin.read(4096):
                pass
        finally:
            os._exit(0)

    threading.Thread(target=watch_stdin, daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
