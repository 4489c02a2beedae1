"""The soak's independent checker: fetches the `all` feed's three formats,
plain and gzip, in a loop while wrk and the editor run, and verifies that
every 200's strong ETag is the xxh3-64 of the uncompressed bytes, that every
body is a complete document, and that a 304 answers only a current ETag.

    python3 check.py PORT SECONDS
"""

import gzip
import http.client
import json
import sys
import time
import xml.etree.ElementTree as ET

import xxhash


def main() -> int:
    port, seconds = int(sys.argv[1]), float(sys.argv[2])
    deadline = time.monotonic() + seconds
    checked = failures = identity = 0
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    i = 0
    while time.monotonic() < deadline:
        path = ("/all.rss", "/all.atom", "/all.json")[i % 3]
        gz = (i // 3) % 2 == 1
        i += 1
        headers = {"Accept-Encoding": "gzip"} if gz else {}
        try:
            conn.request("GET", path, headers=headers)
            r = conn.getresponse()
            body = r.read()
        except (OSError, http.client.HTTPException) as e:
            print(f"request failed: {path}: {e}", file=sys.stderr)
            failures += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            continue
        checked += 1
        # Between a publication and its compressed variants, the server
        # answers with the new identity bytes rather than old gzip ones.
        identity += gz and r.getheader("Content-Encoding") is None
        problem = check(path, r, body)
        if problem:
            failures += 1
            print(f"{path} gzip={gz}: {problem}", file=sys.stderr)
    print(
        f"checker: {checked} responses verified, {failures} failures; "
        f"{identity} of {checked // 2} gzip requests answered uncompressed"
    )
    return 1 if failures else 0


def check(path, r, body):
    if r.status != 200:
        return f"status {r.status}"
    etag = r.getheader("ETag", "")
    if r.getheader("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
        suffix = "-gz"
    else:
        suffix = ""
    want = f'"{xxhash.xxh3_64_hexdigest(body)}{suffix}"'
    if etag != want:
        return f"ETag {etag} but the bytes hash to {want}"
    try:
        if path.endswith(".json"):
            json.loads(body)
        else:
            ET.fromstring(body)
    except (ValueError, ET.ParseError) as e:
        return f"not a complete document: {e}"
    return None


if __name__ == "__main__":
    sys.exit(main())
