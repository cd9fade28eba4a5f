#!/usr/bin/env python3
"""Trunk post-build hook: puts the SHA-256 of every inline <script> of the staged
index.html into its Content-Security-Policy, in place of CSP_SCRIPT_HASHES, so that
the page allows exactly Trunk's loader and no other inline script ('unsafe-inline'
is never used). Fails the build if the placeholder is missing."""
import base64
import hashlib
import os
import re
import sys

staging = os.environ.get("TRUNK_STAGING_DIR")
if not staging:
    sys.exit("csp.py: TRUNK_STAGING_DIR is not set (run it as a Trunk hook)")
path = os.path.join(staging, "index.html")
html = open(path, encoding="utf-8").read()
if "CSP_SCRIPT_HASHES" not in html:
    sys.exit("csp.py: no CSP_SCRIPT_HASHES placeholder in index.html")
scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, flags=re.S)
hashes = " ".join(
    "'sha256-%s'" % base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode()
    for s in scripts
)
html = html.replace("CSP_SCRIPT_HASHES", hashes)
open(path, "w", encoding="utf-8").write(html)
print(f"csp.py: {len(scripts)} inline script(s) hashed into the CSP")
