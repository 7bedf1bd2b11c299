#!/usr/bin/python3
"""Peer benchmark: python3-oauthlib (Debian's package) signing lpdesk's typical GET.

Usage: /usr/bin/python3 bench/py/oauthlib_sign.py bench/signreq.json [seconds]

Times oauthlib.oauth1.Client.sign in-process with timeit, once with the
signature in the Authorization header and once in the query, and prints one
JSON object: nanoseconds per signed request for each placement, plus each
placement's signature for the file's fixed nonce and timestamp so that the
caller can check oauthlib signed the same request as everyone else.
"""
import json
import sys
import timeit
import urllib.parse

import oauthlib
from oauthlib.oauth1 import SIGNATURE_TYPE_AUTH_HEADER, SIGNATURE_TYPE_QUERY, Client


def request_url(case):
    query = "&".join(
        urllib.parse.quote(k, safe="~") + "=" + urllib.parse.quote(v, safe="~")
        for k, v in case["query"]
    )
    return case["baseURL"].rstrip("/") + "/" + case["path"] + "?" + query


def client(case, placement, **fixed):
    return Client(
        case["consumerKey"],
        client_secret=case["consumerSecret"],
        resource_owner_key=case["token"],
        resource_owner_secret=case["tokenSecret"],
        signature_type=placement,
        **fixed,
    )


def signature(case, url, placement):
    c = client(case, placement, nonce=case["checkNonce"], timestamp=case["checkTimestamp"])
    uri, headers, _ = c.sign(url, http_method=case["method"])
    if placement == SIGNATURE_TYPE_QUERY:
        params = urllib.parse.parse_qsl(urllib.parse.urlsplit(uri).query)
    else:
        auth = headers["Authorization"][len("OAuth "):]
        params = [(k.strip(), urllib.parse.unquote(v.strip().strip('"'))) for k, v in
                  (p.split("=", 1) for p in auth.split(","))]
    return dict(params)["oauth_signature"]


def ns_per_op(case, url, placement, seconds):
    c = client(case, placement)
    t = timeit.Timer(lambda: c.sign(url, http_method=case["method"]))
    number, took = t.autorange()
    # Enough repeats to fill the time budget, best of them (timeit's advice:
    # the minimum is the least disturbed by the rest of the machine).
    repeat = max(3, int(seconds / max(took, 1e-9)))
    return min(t.repeat(repeat=repeat, number=number)) / number * 1e9


def main():
    with open(sys.argv[1]) as f:
        case = json.load(f)
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 1.5
    url = request_url(case)
    out = {"impl": "python3-oauthlib " + oauthlib.__version__}
    for name, placement in (("header", SIGNATURE_TYPE_AUTH_HEADER), ("query", SIGNATURE_TYPE_QUERY)):
        out[name + "_check"] = signature(case, url, placement)
        out[name + "_ns"] = ns_per_op(case, url, placement, seconds)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
