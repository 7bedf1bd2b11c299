#!/usr/bin/python3
"""Independent OAuth 1.0a signature check for lpdesk's Go client.

A tiny HTTP server that verifies every request's HMAC-SHA1 (or HMAC-SHA256)
signature with python3-oauthlib (Debian's python3-oauthlib), not with any of
our Go code, and answers 200 when it verifies and 401 when it does not. The
body is JSON: {"ok": bool, "base_string": "...", "reason": "..."}.

Run with /usr/bin/python3 (the interpreter that has oauthlib). It listens on
127.0.0.1 at the port given as the first argument (default 0 = any free port)
and prints "PORT <n>" on its first stdout line. It exits when stdin closes,
so it cannot outlive the test that started it.

The expected credentials come from the environment, never the command line:
OAUTHLIB_CONSUMER_KEY, OAUTHLIB_CONSUMER_SECRET, OAUTHLIB_TOKEN,
OAUTHLIB_TOKEN_SECRET.

Parameters are gathered exactly as RFC 5849 3.4.1.3.1 says, by oauthlib:
the query, the Authorization header (realm excluded) and a form body when
Content-Type is application/x-www-form-urlencoded.
"""

import json
import os
import sys
import threading
import types
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from oauthlib.common import safe_string_equals
from oauthlib.oauth1.rfc5849 import signature

FORM = "application/x-www-form-urlencoded"

SIGNERS = {
    "HMAC-SHA1": signature.sign_hmac_sha1_with_client,
    "HMAC-SHA256": signature.sign_hmac_sha256_with_client,
}


def expected_credentials():
    return {
        "consumer_key": os.environ.get("OAUTHLIB_CONSUMER_KEY", ""),
        "consumer_secret": os.environ.get("OAUTHLIB_CONSUMER_SECRET", ""),
        "token": os.environ.get("OAUTHLIB_TOKEN", ""),
        "token_secret": os.environ.get("OAUTHLIB_TOKEN_SECRET", ""),
    }


class Verifier(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    creds = expected_credentials()

    def log_message(self, fmt, *args):  # keep the test output quiet
        pass

    def do_GET(self):
        self.verify()

    def do_POST(self):
        self.verify()

    def reply(self, status, ok, base="", reason=""):
        body = json.dumps({"ok": ok, "base_string": base, "reason": reason}).encode()
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
        uri = "http://%s%s" % (self.headers["Host"], self.path)
        query = urllib.parse.urlsplit(self.path).query
        headers = {}
        if self.headers.get("Authorization"):
            headers["Authorization"] = self.headers["Authorization"]
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        body = raw_body.decode("utf-8") if ctype == FORM and raw_body else None

        params = signature.collect_parameters(
            uri_query=query, body=body, headers=headers, exclude_oauth_signature=False
        )
        proto = {}
        for k, v in params:
            if k.startswith("oauth_"):
                if k in proto:
                    return self.reply(401, False, reason="duplicate %s" % k)
                proto[k] = v
        sig = proto.get("oauth_signature")
        if sig is None:
            return self.reply(401, False, reason="no oauth_signature")
        method = proto.get("oauth_signature_method", "")
        if method not in SIGNERS:
            return self.reply(401, False, reason="unsupported method %r" % method)
        c = self.creds
        for name, want in (("oauth_consumer_key", c["consumer_key"]), ("oauth_token", c["token"]),
                           ("oauth_version", "1.0")):
            if proto.get(name) != want:
                return self.reply(401, False, reason="%s is %r" % (name, proto.get(name)))
        for name in ("oauth_nonce", "oauth_timestamp"):
            if not proto.get(name):
                return self.reply(401, False, reason="missing %s" % name)

        signed = [(k, v) for k, v in params if k != "oauth_signature"]
        norm = signature.normalize_parameters(signed)
        base = signature.signature_base_string(self.command, signature.base_string_uri(uri), norm)
        client = types.SimpleNamespace(client_secret=c["consumer_secret"],
                                       resource_owner_secret=c["token_secret"])
        want = SIGNERS[method](base, client)
        if safe_string_equals(want, sig):
            return self.reply(200, True, base)
        return self.reply(401, False, base, "signature mismatch")


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    server = ThreadingHTTPServer(("127.0.0.1", port), Verifier)
    server.daemon_threads = True
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
