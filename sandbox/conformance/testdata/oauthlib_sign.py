#!/usr/bin/python3
"""Sign requests for the conformance tests with python3-oauthlib, an OAuth
1.0a implementation that is not lpdesk's.

Reads one JSON object per line on stdin: {"method": "POST", "url": "http://…"}
and answers one per line on stdout: {"authorization": "OAuth …"} or
{"error": "…"}. The credentials come from the environment:
OAUTHLIB_CONSUMER_KEY, OAUTHLIB_CONSUMER_SECRET, OAUTHLIB_TOKEN,
OAUTHLIB_TOKEN_SECRET. Bodies are JSON or XML, which OAuth 1.0a does not
sign, so none is passed. Exits when stdin closes.
"""

import json
import os
import sys

from oauthlib.oauth1 import SIGNATURE_HMAC_SHA1, SIGNATURE_TYPE_AUTH_HEADER, Client

client = Client(
    os.environ["OAUTHLIB_CONSUMER_KEY"],
    client_secret=os.environ["OAUTHLIB_CONSUMER_SECRET"],
    resource_owner_key=os.environ["OAUTHLIB_TOKEN"],
    resource_owner_secret=os.environ["OAUTHLIB_TOKEN_SECRET"],
    signature_method=SIGNATURE_HMAC_SHA1,
    signature_type=SIGNATURE_TYPE_AUTH_HEADER,
)

print("READY", flush=True)
for line in sys.stdin:
    try:
        req = json.loads(line)
        _, headers, _ = client.sign(req["url"], http_method=req["method"])
        out = {"authorization": headers["Authorization"]}
    except Exception as e:  # reported to the test, which fails the case
        out = {"error": "%s: %s" % (type(e).__name__, e)}
    print(json.dumps(out), flush=True)
