"""Records how Flask serves static files and `send_file` / `send_from_directory`
(Werkzeug does the work), for phial's static-file tests to compare against.

Run: pip install Flask==3.1.3
     python3 static_files.py > static_files.json

CI does not run this script: its output is checked in. It builds a small app root at
the fixed path APP_ROOT (Werkzeug's ETag is "<mtime>-<size>-<adler32 of the absolute
file path>", so the path must not vary), gives every file the fixed mtime MTIME, and
drives `app.test_client()`. The test client percent-decodes the path into PATH_INFO
(as WSGI servers do) but does not remove dot segments (browsers and curl would).

Each case records the request (method, raw path, headers), the status, every response
header except Date as ordered [name, value] pairs with lowercased names, and the body
as "body_text" when it is UTF-8, otherwise "body_base64". `Expires` depends on the
clock, so its value is replaced by "<now+N>", N rounded up to whole seconds. `Allow`
lists a set of methods whose order varies from run to run, so it is sorted here. "url_for" records `url_for(...)` inside `app.test_request_context()`.
"""

import base64
import io
import json
import math
import mimetypes
import os
import platform
import shutil
import sys
import time
import zlib
from importlib.metadata import version

from flask import Flask, send_file, send_from_directory, url_for
from werkzeug.http import parse_date

BASE = "/tmp/phial-static-vectors"
APP_ROOT = BASE + "/app"
STATIC = APP_ROOT + "/static"
MTIME = 1700000000
FRAC_MTIME = 1700000000.25

CSS = "body {\n  color: #333;\n  margin: 0;\n}\n\nh1 { font-size: 2em; }\n"
HELLO = "hello world\n" * 8 + "hello"  # 101 bytes
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"><rect width="1" height="1"/></svg>\n'

FILES = {
    "static/style.css": CSS.encode(),
    "static/hello.txt": HELLO.encode(),
    "static/img/x.svg": SVG.encode(),
    "static/data.bin": bytes(range(256)),
    "static/space name.txt": b"a file with a space in its name\n",
    "static/caf\u00e9.txt": "caf\u00e9 \u2615\n".encode(),
    "static/frac.txt": b"fractional mtime\n",
    "static/empty.txt": b"",
    "secret.txt": b"TOP SECRET, outside static\n",
}


def build_tree():
    shutil.rmtree(BASE, ignore_errors=True)
    for rel, data in FILES.items():
        full = os.path.join(APP_ROOT, rel)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as f:
            f.write(data)
    for rel in FILES:
        stamp = FRAC_MTIME if rel == "static/frac.txt" else MTIME
        os.utime(os.path.join(APP_ROOT, rel), (stamp, stamp))
    os.utime(os.path.join(STATIC, "img"), (MTIME, MTIME))


def make_app():
    app = Flask(__name__, root_path=APP_ROOT)

    @app.route("/download/<path:name>")
    def download(name):
        return send_from_directory(STATIC, name)

    @app.route("/attachment")
    def attachment():
        return send_file(STATIC + "/hello.txt", as_attachment=True)

    @app.route("/attachment-named")
    def attachment_named():
        return send_file(STATIC + "/hello.txt", as_attachment=True,
                         download_name="r\u00e9sum\u00e9 file.txt")

    @app.route("/inline-named")
    def inline_named():
        return send_file(STATIC + "/hello.txt", download_name='quote"and;semi.txt')

    @app.route("/bytes")
    def bytes_():
        return send_file(io.BytesIO(b"some bytes"), mimetype="application/octet-stream",
                         download_name="b.bin")

    @app.route("/bytes-gz")
    def bytes_gz():
        return send_file(io.BytesIO(b"not really gzip"), download_name="a.tar.gz")

    @app.route("/maxage")
    def maxage():
        return send_file(STATIC + "/style.css", max_age=60)

    @app.route("/maxage0")
    def maxage0():
        return send_file(STATIC + "/style.css", max_age=0)

    return app


def header_list(response, now):
    out = []
    for name, value in response.headers.items():
        lower = name.lower()
        if lower == "date":
            continue
        if lower == "allow":
            # Werkzeug joins a set of methods: the order varies with PYTHONHASHSEED.
            value = ", ".join(sorted(value.split(", ")))
        if lower == "expires":
            # Expires is int(time() + max_age), so it lies in (now + N - 1, now + N].
            delta = math.ceil(parse_date(value).timestamp() - now)
            value = f"<now+{delta}>"
        out.append([lower, value])
    return out


def body_fields(data):
    try:
        return {"body_text": data.decode("utf-8")}
    except UnicodeDecodeError:
        return {"body_base64": base64.b64encode(data).decode("ascii")}


def record(client, name, method, path, headers=None, note=None):
    headers = headers or {}
    now = time.time()
    response = client.open(path, method=method, headers=headers)
    data = response.get_data()
    item = {"name": name, "method": method, "path": path, "request_headers": headers,
            "status": response.status_code, "headers": header_list(response, now)}
    item.update(body_fields(data))
    if note:
        item["note"] = note
    response.close()
    return item


def static_cases(client):
    first = client.get("/static/style.css")
    etag = first.headers["ETag"]
    last_modified = first.headers["Last-Modified"]
    first.close()
    bin_etag = client.get("/static/data.bin").headers["ETag"]
    weak = "W/" + etag
    earlier = "Tue, 14 Nov 2023 22:00:00 GMT"  # before MTIME (Tue, 14 Nov 2023 22:13:20 GMT)
    later = "Wed, 15 Nov 2023 00:00:00 GMT"
    wrong = '"not-the-etag"'

    g = "GET"
    cases = [
        ("style.css", g, "/static/style.css", {}),
        ("hello.txt", g, "/static/hello.txt", {}),
        ("svg in a subdirectory", g, "/static/img/x.svg", {}),
        ("binary", g, "/static/data.bin", {}),
        ("space in the name", g, "/static/space%20name.txt", {}),
        ("non-ASCII name", g, "/static/caf%C3%A9.txt", {}),
        ("fractional mtime", g, "/static/frac.txt", {}),
        ("empty file", g, "/static/empty.txt", {}),
        ("HEAD", "HEAD", "/static/style.css", {}),

        ("If-None-Match: current etag", g, "/static/style.css", {"If-None-Match": etag}),
        ("If-None-Match: wrong etag", g, "/static/style.css", {"If-None-Match": wrong}),
        ("If-None-Match: list containing the etag", g, "/static/style.css",
         {"If-None-Match": f'{wrong}, {etag}'}),
        ("If-None-Match: weak form of the etag", g, "/static/style.css", {"If-None-Match": weak}),
        ("If-None-Match: unquoted etag", g, "/static/style.css", {"If-None-Match": etag.strip('"')}),
        ("If-None-Match: *", g, "/static/style.css", {"If-None-Match": "*"}),
        ("If-Modified-Since: equal to Last-Modified", g, "/static/style.css",
         {"If-Modified-Since": last_modified}),
        ("If-Modified-Since: earlier", g, "/static/style.css", {"If-Modified-Since": earlier}),
        ("If-Modified-Since: later", g, "/static/style.css", {"If-Modified-Since": later}),
        ("If-Modified-Since: malformed", g, "/static/style.css", {"If-Modified-Since": "yesterday"}),
        ("If-Modified-Since: same second as a fractional mtime", g, "/static/frac.txt",
         {"If-Modified-Since": "Tue, 14 Nov 2023 22:13:20 GMT"}),
        ("If-None-Match wrong + If-Modified-Since equal", g, "/static/style.css",
         {"If-None-Match": wrong, "If-Modified-Since": last_modified}),
        ("If-None-Match matching + If-Modified-Since earlier", g, "/static/style.css",
         {"If-None-Match": etag, "If-Modified-Since": earlier}),
        ("HEAD + If-None-Match: current etag", "HEAD", "/static/style.css", {"If-None-Match": etag}),
        ("If-Match: current etag", g, "/static/style.css", {"If-Match": etag}),
        ("If-Match: wrong etag", g, "/static/style.css", {"If-Match": wrong}),
        ("If-Match: *", g, "/static/style.css", {"If-Match": "*"}),

        ("Range bytes=0-9", g, "/static/data.bin", {"Range": "bytes=0-9"}),
        ("Range bytes=10-", g, "/static/hello.txt", {"Range": "bytes=10-"}),
        ("Range bytes=-5", g, "/static/hello.txt", {"Range": "bytes=-5"}),
        ("Range bytes=0-0", g, "/static/hello.txt", {"Range": "bytes=0-0"}),
        ("Range bytes=90-200 (past the end)", g, "/static/hello.txt", {"Range": "bytes=90-200"}),
        ("Range bytes=-500 (suffix longer than the file)", g, "/static/hello.txt", {"Range": "bytes=-500"}),
        ("Range bytes=500-600 (unsatisfiable)", g, "/static/hello.txt", {"Range": "bytes=500-600"}),
        ("Range bytes=0-1,5-6 (two ranges)", g, "/static/hello.txt", {"Range": "bytes=0-1,5-6"}),
        ("Range bytes=abc (malformed)", g, "/static/hello.txt", {"Range": "bytes=abc"}),
        ("Range items=0-5 (other unit)", g, "/static/hello.txt", {"Range": "items=0-5"}),
        ("Range without = (malformed)", g, "/static/hello.txt", {"Range": "bytes 0-5"}),
        ("Range bytes=5-2 (end before start)", g, "/static/hello.txt", {"Range": "bytes=5-2"}),
        ("Range bytes=-0", g, "/static/hello.txt", {"Range": "bytes=-0"}),
        ("Range on an empty file", g, "/static/empty.txt", {"Range": "bytes=0-5"}),
        ("HEAD with Range", "HEAD", "/static/data.bin", {"Range": "bytes=0-9"}),
        ("Range + If-Range matching etag", g, "/static/data.bin",
         {"Range": "bytes=0-9", "If-Range": bin_etag}),
        ("Range + If-Range weak form of the etag", g, "/static/data.bin",
         {"Range": "bytes=0-9", "If-Range": "W/" + bin_etag}),
        ("Range + If-Range wrong etag", g, "/static/data.bin",
         {"Range": "bytes=0-9", "If-Range": wrong}),
        ("Range + If-Range date equal to Last-Modified", g, "/static/data.bin",
         {"Range": "bytes=0-9", "If-Range": last_modified}),
        ("Range + If-Range date earlier", g, "/static/data.bin",
         {"Range": "bytes=0-9", "If-Range": earlier}),
        ("Range + If-None-Match matching", g, "/static/data.bin",
         {"Range": "bytes=0-9", "If-None-Match": bin_etag}),
        ("Range + If-Range wrong + If-None-Match matching", g, "/static/data.bin",
         {"Range": "bytes=0-9", "If-Range": wrong, "If-None-Match": bin_etag}),
        ("unsatisfiable Range + If-Range wrong", g, "/static/hello.txt",
         {"Range": "bytes=500-600", "If-Range": wrong}),
        ("If-Range without Range", g, "/static/hello.txt", {"If-Range": wrong}),

        ("traversal: /static/../secret.txt", g, "/static/../secret.txt", {}),
        ("traversal: ..%2f", g, "/static/..%2fsecret.txt", {}),
        ("traversal: %2e%2e/", g, "/static/%2e%2e/secret.txt", {}),
        ("traversal: img/../../", g, "/static/img/../../secret.txt", {}),
        ("harmless dot-dot: img/../style.css", g, "/static/img/../style.css", {}),
        ("dot segment: ./style.css", g, "/static/./style.css", {}),
        ("double slash: //etc/passwd", g, "/static//etc/passwd", {}),
        ("double slash inside: img//x.svg", g, "/static/img//x.svg", {}),
        ("encoded slash first: %2fetc/passwd", g, "/static/%2fetc/passwd", {}),
        ("directory with trailing slash", g, "/static/img/", {}),
        ("directory without trailing slash", g, "/static/img", {}),
        ("static root /static/", g, "/static/", {}),
        ("static root /static", g, "/static", {}),
        ("missing file", g, "/static/nope.css", {}),
        ("trailing slash on a file", g, "/static/style.css/", {}),
        ("download: ../secret.txt", g, "/download/../secret.txt", {}),
        ("download: ..%2fsecret.txt", g, "/download/..%2fsecret.txt", {}),
        ("download: hello.txt", g, "/download/hello.txt", {}),
        ("NUL in the name", g, "/static/style.css%00.txt", {}),
        ("NUL alone", g, "/static/%00", {}),
        ("backslash: ..%5csecret.txt", g, "/static/..%5csecret.txt", {}),
        ("backslash: img%5cx.svg", g, "/static/img%5cx.svg", {}),
        ("query string is ignored", g, "/static/style.css?v=123", {}),
        ("upper-case extension path mismatch", g, "/static/STYLE.CSS", {}),

        ("POST", "POST", "/static/style.css", {}),
        ("PUT", "PUT", "/static/style.css", {}),
        ("OPTIONS", "OPTIONS", "/static/style.css", {}),

        ("send_file as_attachment", g, "/attachment", {}),
        ("send_file as_attachment, non-ASCII download_name", g, "/attachment-named", {}),
        ("send_file inline download_name with quote and semicolon", g, "/inline-named", {}),
        ("send_file BytesIO", g, "/bytes", {}),
        ("send_file BytesIO + If-None-Match *", g, "/bytes", {"If-None-Match": "*"}),
        ("send_file BytesIO + Range", g, "/bytes", {"Range": "bytes=0-3"}),
        ("send_file BytesIO named .tar.gz, inline", g, "/bytes-gz", {}),
        ("send_file max_age=60", g, "/maxage", {}),
        ("send_file max_age=0", g, "/maxage0", {}),
        ("send_file max_age=60 + If-None-Match", g, "/maxage", {"If-None-Match": etag}),
    ]
    return [record(client, *case) for case in cases]


def config_cases(app):
    out = {"SEND_FILE_MAX_AGE_DEFAULT": app.config["SEND_FILE_MAX_AGE_DEFAULT"],
           "USE_X_SENDFILE": app.config["USE_X_SENDFILE"],
           "static_url_path": app.static_url_path, "static_folder": app.static_folder,
           "static_rule": [[r.rule, r.endpoint, sorted(r.methods)] for r in app.url_map.iter_rules()
                           if r.endpoint == "static"],
           "cases": []}
    for value in (3600, 0):
        app.config["SEND_FILE_MAX_AGE_DEFAULT"] = value
        item = record(app.test_client(), f"static with SEND_FILE_MAX_AGE_DEFAULT={value}",
                      "GET", "/static/style.css")
        item["SEND_FILE_MAX_AGE_DEFAULT"] = value
        out["cases"].append(item)
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = None
    return out


URL_FOR = [
    {"filename": "style.css"},
    {"filename": "/img/x.svg"},
    {"filename": "img/x.svg"},
    {"filename": "space name.txt"},
    {"filename": "caf\u00e9.txt"},
    {"filename": "a?b#c.txt"},
    {"filename": "50%.txt"},
    {"filename": "a+b.txt"},
    {"filename": "~user/x"},
    {"filename": "!$&'()*+,;=:@.txt"},
    {"filename": "\"<>\\^`{|}[].txt"},
    {"filename": "../secret.txt"},
    {"filename": ""},
    {"filename": "style.css", "v": "1"},
    {"filename": "style.css", "v": "a b&c=d+e/f?g#h%\u00e9"},
    {"filename": "style.css", "v": ["1", "2"], "a": "x"},
    {"filename": "style.css", "v": None},
    {"filename": "style.css", "_anchor": "top"},
    {"filename": "style.css", "_anchor": "a b#c?d/e%\u00e9"},
    {"filename": "style.css", "_external": True},
    {"filename": "style.css", "_external": True, "_scheme": "https"},
    {"filename": "style.css", "_scheme": "https"},
    {"filename": "style.css", "_external": False, "_scheme": "https"},
]


def url_for_cases(app):
    out = []
    with app.test_request_context():
        for args in URL_FOR:
            try:
                out.append({"args": args, "pairs": list(args.items()), "url": url_for("static", **args)})
            except Exception as e:  # noqa: BLE001 - recording what Flask raises
                out.append({"args": args, "pairs": list(args.items()), "error": f"{type(e).__name__}: {e}"})
    return out


def main():
    build_tree()
    try:
        app = make_app()
        client = app.test_client()
        cases = static_cases(client)
        config = config_cases(app)
        urls = url_for_cases(app)
        etag_check = {
            "style.css": '"%s-%d-%d"' % (
                float(MTIME), len(CSS.encode()),
                zlib.adler32((STATIC + "/style.css").encode()) & 0xFFFFFFFF),
        }
    finally:
        shutil.rmtree(BASE, ignore_errors=True)
    generator = {
        "flask": version("flask"), "werkzeug": version("werkzeug"),
        "python": platform.python_version(), "platform": sys.platform,
        "app_root": APP_ROOT, "mtime": MTIME, "frac_mtime": FRAC_MTIME,
        "mimetypes_files_read": [f for f in mimetypes.knownfiles if os.path.exists(f)],
        "etag_note": "ETag = '\"' + str(float(st_mtime)) + '-' + str(st_size) + '-' "
                     "+ str(adler32(absolute path as UTF-8) & 0xFFFFFFFF) + '\"'; it depends on "
                     "app_root, so the tree is always built there. expected_etags checks it.",
        "expected_etags": etag_check,
        "allow_note": "Allow's methods are sorted here; Flask's order follows set iteration and varies.",
        "expires_note": "Expires is http_date(int(time() + max_age)); recorded as <now+N> (N rounded up). Date is left out; make_conditional adds it for GET/HEAD.",
        "content_type_note": "Content-Type comes from Python's mimetypes.guess_type, which also "
                             "reads the system files in mimetypes_files_read.",
    }
    files = {rel: {"size": len(data),
                   "mtime": FRAC_MTIME if rel == "static/frac.txt" else MTIME,
                   "base64": base64.b64encode(data).decode()} for rel, data in FILES.items()}
    print(json.dumps({"generator": generator, "files": files, "config": config,
                      "cases": cases, "url_for": urls}, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
