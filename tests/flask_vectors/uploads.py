"""Records how Flask 3.1 (Werkzeug's form parser) reads multipart/form-data and
urlencoded bodies, and what Werkzeug's `secure_filename` returns, for
`tests/uploads.rs` to replay on phial.

Run: pip install "Flask==3.1.*"   (Werkzeug 3.1.x comes with it)
     python3 uploads.py > uploads.json

CI does not run this script: its output is checked in.

Every case is a raw request body sent with Flask's test client to `POST /echo`, a
view that returns what `request.form` and `request.files` hold. Bodies are written
as a list of segments so that large ones stay small in the JSON: {"text": s} (UTF-8),
{"base64": s}, or {"repeat": s, "count": n} (s, UTF-8, n times). A case may set
config keys for its request ("config"); Flask reads them per request.

The view summarises values so that the JSON stays small and both sides can compute
the same summary: a string of at most 64 characters as itself, a longer one as
{"len": characters, "head": first 16, "tail": last 16}; file contents as
{"len": bytes, "base64": the first 48 bytes}.

"client_cases" are bodies built by Flask's test client from `data={...}` (files as
(BytesIO, filename[, content_type]) tuples): the test builds the same request with
phial's `Multipart` builder and compares what the view sees.

"werkzeug_error" is what Werkzeug's form parser raises for the body when it is not
told to be silent: Flask's request is, so a ValueError there (a malformed body)
leaves `request.form` and `request.files` empty and the view answers 200.

"secure_filename" holds Werkzeug's results on this machine (os.name "posix": "/" is
the only separator, device names are left alone) and, under
"secure_filename_windows", its results with `os` made to look like Windows ("\\"
and "/" separators, device names prefixed with "_"), as Werkzeug decides at call
time.
"""

import base64
import json
import platform
import sys
import types
from importlib.metadata import version
from io import BytesIO

import werkzeug.utils
from flask import Flask, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.formparser import FormDataParser
from werkzeug.http import parse_options_header
from werkzeug.utils import secure_filename

B = "b0undary"
CT = f"multipart/form-data; boundary={B}"


def summary(text):
    if len(text) <= 64:
        return text
    return {"len": len(text), "head": text[:16], "tail": text[-16:]}


def data_summary(data):
    return {"len": len(data), "base64": base64.b64encode(data[:48]).decode()}


def make_app():
    app = Flask(__name__)

    @app.post("/echo")
    def echo():
        form = [[k, summary(v)] for k, v in request.form.items(multi=True)]
        files = []
        for key, f in request.files.items(multi=True):
            data = f.read()
            files.append([key, {
                "name": f.name,
                "filename": f.filename,
                "content_type": f.content_type,
                "mimetype": f.mimetype,
                "mimetype_params": [[k, v] for k, v in f.mimetype_params.items()],
                "headers": [[k.lower(), v] for k, v in f.headers.items()],
                "data": data_summary(data),
            }])
        return jsonify(form_len=len(form), form=form[:40], files=files)

    return app


def part(name, value, filename=None, content_type=None, extra=""):
    """One browser-style part (CRLF line breaks), as text."""
    disposition = f'form-data; name="{name}"'
    if filename is not None:
        disposition += f'; filename="{filename}"'
    head = f"--{B}\r\nContent-Disposition: {disposition}{extra}\r\n"
    if content_type is not None:
        head += f"Content-Type: {content_type}\r\n"
    return head + "\r\n" + value + "\r\n"


END = f"--{B}--\r\n"


def text(s):
    return [{"text": s}]


# (name, content type, segments, config, note)
CASES = [
    ("text fields and a file", CT,
     text(part("title", "Holiday") + part("tags", "sea") +
          part("photo", "PNGDATA\x00\x01", filename="beach.png", content_type="image/png") + END),
     None, None),
    ("several files under one name, a field between them", CT,
     text(part("docs", "first", filename="a.txt", content_type="text/plain") +
          part("note", "between") +
          part("docs", "second", filename="b.txt", content_type="text/plain") +
          part("docs", "", filename="c.txt", content_type="text/plain") + END),
     None, None),
    ("repeated text fields", CT,
     text(part("tag", "a") + part("tag", "b") + part("tag", "") + END), None, None),
    ("empty file input (filename=\"\")", CT,
     text(part("title", "x") + part("file", "", filename="", content_type="application/octet-stream") + END),
     None, "what a browser sends for a file input left empty"),
    ("file part without Content-Type", CT,
     text(part("file", "raw", filename="raw.bin") + END), None, None),
    ("text field with a Content-Type and no filename is a form field", CT,
     text(part("meta", '{"a": 1}', content_type="application/json") + END), None, None),
    ("file content types: params, case", CT,
     text(part("a", "x", filename="a.txt", content_type="text/plain; charset=utf-8") +
          part("b", "y", filename="b.png", content_type="IMAGE/PNG") +
          part("c", "z", filename="c.csv", content_type='text/csv; charset="latin-1"; header=present') + END),
     None, None),
    ("raw UTF-8 filename and field name", CT,
     text(part("caf\u00e9", "\u2615", filename="r\u00e9sum\u00e9 \u65e5\u672c.txt", content_type="text/plain") + END),
     None, "what browsers send: the name as UTF-8 bytes in the quoted string"),
    ("RFC 2231 filename*", CT,
     text(f"--{B}\r\nContent-Disposition: form-data; name=\"f\"; filename*=UTF-8''caf%C3%A9%20menu.txt\r\n"
          f"Content-Type: text/plain\r\n\r\nmenu\r\n" + END), None, None),
    ("filename and filename*: the later one wins", CT,
     text(f"--{B}\r\nContent-Disposition: form-data; name=\"f\"; filename=\"fallback.txt\"; "
          f"filename*=UTF-8''r%C3%A9sum%C3%A9.txt\r\n\r\n1\r\n"
          f"--{B}\r\nContent-Disposition: form-data; name=\"g\"; filename*=UTF-8''r%C3%A9sum%C3%A9.txt; "
          f"filename=\"fallback.txt\"\r\n\r\n2\r\n" + END), None, None),
    ("filename* in ISO-8859-1, and with an unknown charset", CT,
     text(f"--{B}\r\nContent-Disposition: form-data; name=\"f\"; filename*=iso-8859-1'en'%E9t%E9.txt\r\n\r\n1\r\n"
          f"--{B}\r\nContent-Disposition: form-data; name=\"g\"; filename*=koi8-r''%C1.txt\r\n\r\n2\r\n" + END),
     None, None),
    ("quotes and backslashes in a filename", CT,
     text(f"--{B}\r\nContent-Disposition: form-data; name=\"f\"; filename=\"say %22hi%22.txt\"\r\n\r\n1\r\n"
          f"--{B}\r\nContent-Disposition: form-data; name=\"g\"; filename=\"a \\\"b\\\" \\\\ c.txt\"\r\n\r\n2\r\n"
          f"--{B}\r\nContent-Disposition: form-data; name=\"h\"; filename=\"C:\\Users\\me\\photo.jpg\"\r\n\r\n3\r\n"
          + END), None, "browsers write %22 for a quote; old IE sent the whole Windows path"),
    ("unquoted parameters, upper-case names, spaces", CT,
     text(f"--{B}\r\ncontent-disposition: FORM-DATA; NAME=plain; FILENAME=plain.txt\r\n\r\n1\r\n"
          f"--{B}\r\nContent-Disposition: form-data ;  name = \"spaced\"\r\n\r\n2\r\n"
          f"--{B}\r\nContent-Disposition: form-data; name=\"semi;colon\"\r\n\r\n3\r\n" + END), None, None),
    ("a text field in ISO-8859-1, in ASCII, and with invalid UTF-8", CT,
     [{"text": part("latin", "", content_type="text/plain; charset=iso-8859-1")[:-2]},
      {"base64": base64.b64encode(b"caf\xe9\r\n").decode()},
      {"text": part("ascii", "", content_type="text/plain; charset=us-ascii")[:-2]},
      {"base64": base64.b64encode(b"caf\xe9\r\n").decode()},
      {"text": part("broken", "")[:-2]},
      {"base64": base64.b64encode(b"a\xffb\xe2\x82c\xf0\x9f\x98\r\n").decode()},
      {"text": part("other", "", content_type="text/plain; charset=koi8-r")[:-2]},
      {"base64": base64.b64encode(b"\xc1\xc2\r\n").decode()},
      {"text": END}], None, None),
    ("binary file content with CR, LF and boundary-like bytes", CT,
     [{"text": f"--{B}\r\nContent-Disposition: form-data; name=\"bin\"; filename=\"x.bin\"\r\n"
               f"Content-Type: application/octet-stream\r\n\r\n"},
      {"base64": base64.b64encode(b"\r\n--b0undar\r\n-\r--" + bytes(range(256)) + b"\r\n\r\n").decode()},
      {"text": "\r\n" + END}], None, None),
    ("extra part headers", CT,
     text(f"--{B}\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\n"
          f"Content-Type: text/plain\r\nX-Custom:  value  \r\nContent-Length: 3\r\n\r\nabc\r\n" + END), None, None),
    ("preamble and epilogue are ignored", CT,
     text("This is a preamble.\r\n" + part("a", "1") + END + "This is an epilogue.\r\n"), None, None),
    ("transport padding after a boundary", CT,
     text(f"--{B}  \t\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--{B}--\r\n"), None, None),
    ("quoted boundary parameter", f'multipart/form-data; boundary="{B}"',
     text(part("a", "1") + END), None, None),
    ("upper-case media type", f"Multipart/Form-Data; Boundary={B}",
     text(part("a", "1") + END), None, None),
    ("charset parameter before the boundary", f"multipart/form-data; charset=utf-8; boundary={B}",
     text(part("a", "1") + END), None, None),
    ("no parts", CT, text(END), None, None),
    ("empty body", CT, [], None, None),
    ("closing boundary without its CRLF", CT, text(part("a", "1") + f"--{B}--"), None, None),

    # Limits.
    ("text field of exactly MAX_FORM_MEMORY_SIZE bytes", CT,
     [{"text": part("big", "")[:-2]}, {"repeat": "a", "count": 500_000}, {"text": "\r\n" + END}], None, None),
    ("text field one byte over MAX_FORM_MEMORY_SIZE", CT,
     [{"text": part("big", "")[:-2]}, {"repeat": "a", "count": 500_001}, {"text": "\r\n" + END}], None, None),
    ("two text fields of 300 kB each (the limit is per field)", CT,
     [{"text": part("one", "")[:-2]}, {"repeat": "a", "count": 300_000}, {"text": "\r\n"},
      {"text": part("two", "")[:-2]}, {"repeat": "b", "count": 300_000}, {"text": "\r\n" + END}], None, None),
    ("a 600 kB file (files are not limited by MAX_FORM_MEMORY_SIZE)", CT,
     [{"text": part("f", "", filename="big.bin", content_type="application/octet-stream")[:-2]},
      {"repeat": "z", "count": 600_000}, {"text": "\r\n" + END}], None, None),
    ("MAX_FORM_MEMORY_SIZE = None", CT,
     [{"text": part("big", "")[:-2]}, {"repeat": "a", "count": 600_000}, {"text": "\r\n" + END}],
     {"MAX_FORM_MEMORY_SIZE": None}, None),
    ("a field over the limit before a malformed end", CT,
     [{"text": part("big", "")[:-2]}, {"repeat": "a", "count": 500_001}, {"text": "\r\n--" + B + "\r\nbroken"}],
     None, None),
    ("MAX_FORM_PARTS parts", CT, [{"repeat": part("p", "v"), "count": 1000}, {"text": END}], None, None),
    ("MAX_FORM_PARTS + 1 parts", CT, [{"repeat": part("p", "v"), "count": 1001}, {"text": END}], None, None),
    ("files count as parts (MAX_FORM_PARTS = 5)", CT,
     [{"repeat": part("t", "v"), "count": 3}, {"repeat": part("f", "v", filename="f.txt"), "count": 3},
      {"text": END}], {"MAX_FORM_PARTS": 5}, None),
    ("MAX_FORM_PARTS = 5, five parts", CT,
     [{"repeat": part("t", "v"), "count": 2}, {"repeat": part("f", "v", filename="f.txt"), "count": 3},
      {"text": END}], {"MAX_FORM_PARTS": 5}, None),
    ("too many parts before a malformed end (MAX_FORM_PARTS = 2)", CT,
     [{"repeat": part("t", "v"), "count": 3}, {"text": f"--{B}\r\nbroken"}], {"MAX_FORM_PARTS": 2}, None),
    ("MAX_FORM_PARTS = None", CT,
     [{"repeat": part("p", "v"), "count": 1200}, {"text": END}], {"MAX_FORM_PARTS": None}, None),
    ("wrong boundary on a body over MAX_FORM_MEMORY_SIZE", CT,
     [{"repeat": "--0ther\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n" + "x" * 1000 + "\r\n",
       "count": 600}, {"text": "--0ther--\r\n"}], None,
     "Werkzeug buffers the preamble while it looks for the first boundary, within the limit"),

    ("epilogue over MAX_FORM_MEMORY_SIZE", CT,
     [{"text": part("a", "1") + END}, {"repeat": "e", "count": 600_000}], None,
     "Werkzeug keeps the epilogue in its buffer until the body ends"),
    ("part headers over MAX_FORM_MEMORY_SIZE", CT,
     [{"text": f"--{B}\r\nContent-Disposition: form-data; name=\"a\"\r\nX-Big: "}, {"repeat": "h", "count": 600_000},
      {"text": "\r\n\r\n1\r\n" + END}], None, None),
    ("a text field over the limit with no closing boundary", CT,
     [{"text": part("big", "")[:-2]}, {"repeat": "a", "count": 500_001}], None, None),

    # Malformed bodies.
    ("no boundary parameter", "multipart/form-data", text(part("a", "1") + END), None, None),
    ("empty boundary parameter", "multipart/form-data; boundary=", text(part("a", "1") + END), None, None),
    ("wrong boundary", "multipart/form-data; boundary=other", text(part("a", "1") + END), None, None),
    ("truncated inside a value", CT, text(part("a", "1") + f"--{B}\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\nhal"),
     None, None),
    ("truncated inside part headers", CT, text(part("a", "1") + f"--{B}\r\nContent-Disposition: form-da"), None, None),
    ("no closing boundary", CT, text(part("a", "1")), None, None),
    ("closing boundary without its dashes", CT, text(part("a", "1") + f"--{B}\r\n"), None, None),
    ("part without Content-Disposition", CT,
     text(f"--{B}\r\nContent-Type: text/plain\r\n\r\n1\r\n" + END), None, None),
    ("part with Content-Disposition but no name", CT,
     text(f"--{B}\r\nContent-Disposition: form-data\r\n\r\n1\r\n" + part("b", "2") + END), None, None),
    ("LF line breaks instead of CRLF", CT,
     text(f"--{B}\nContent-Disposition: form-data; name=\"a\"\n\n1\n--{B}--\n"), None, None),
    ("an empty value without its CRLF (as Werkzeug's test client writes it)", CT,
     text(f"\r\n--{B}\r\nContent-Disposition: form-data; name=\"e\"\r\n\r\n--{B}\r\n"
          f"Content-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--{B}--\r\n"), None, None),
    ("33 headers in a part", CT,
     text(f"--{B}\r\nContent-Disposition: form-data; name=\"a\"\r\n" +
          "".join(f"X-H{i}: {i}\r\n" for i in range(32)) + "\r\n1\r\n" + END), None, None),
    ("non-UTF-8 bytes in part headers", CT,
     [{"text": f"--{B}\r\nContent-Disposition: form-data; name=\"a\"; filename=\""},
      {"base64": base64.b64encode(b"caf\xe9.txt").decode()},
      {"text": "\"\r\n\r\n1\r\n" + END}], None, None),

    # urlencoded bodies and other types.
    ("urlencoded", "application/x-www-form-urlencoded", text("a=1&b=%C3%A9&a=2&c=&d"), None, None),
    ("urlencoded over MAX_FORM_MEMORY_SIZE", "application/x-www-form-urlencoded",
     [{"text": "a="}, {"repeat": "x", "count": 500_000}], None,
     "Werkzeug 3.1.9 no longer applies the limit to urlencoded bodies"),
    ("multipart/mixed is not read", f"multipart/mixed; boundary={B}", text(part("a", "1") + END), None, None),
    ("text/plain is not read", "text/plain", text("a=1"), None, None),
]

CLIENT_CASES = [
    ("a field and a file", [["text", "name", "value"], ["file", "upload", "a.txt", None, "hello"]]),
    ("guessed content types", [["file", "a", "photo.png", None, "x"], ["file", "b", "noext", None, "y"],
                               ["file", "c", "page.HTML", None, "z"]]),
    ("an explicit content type", [["file", "a", "data.bin", "application/x-custom", "x"]]),
    ("several files under one name", [["file", "docs", "a.txt", None, "1"], ["file", "docs", "b.txt", None, "2"]]),
    ("non-ASCII names", [["text", "caf\u00e9", "\u00e9t\u00e9"], ["file", "f", "r\u00e9sum\u00e9.txt", None, "x"]]),
    ("an empty file and an empty filename", [["file", "a", "empty.txt", None, ""], ["file", "b", "", None, "x"]]),
]

SECURE_FILENAMES = [
    "My cool movie.mov",
    "../../../etc/passwd",
    "i contain cool \u00fcml\u00e4uts.txt",
    "../../etc/passwd",
    "/etc/passwd",
    "CON",
    "con.txt",
    "NUL.tar.gz",
    "com1",
    "LPT9.log",
    "CONIN$",
    "aux_file.txt",
    "  .hidden",
    ".hidden",
    "...",
    "__init__.py",
    "_.-",
    "a/b\\c",
    "C:\\Users\\me\\photo.jpg",
    "r\u00e9sum\u00e9.pdf",
    "\u65e5\u672c\u8a9e.txt",
    "\uff21\uff22\uff23.txt",
    "\ufb01le.txt",
    "\u2460\u2461.txt",
    "x\u00b2 \u00bd.txt",
    "tab\there\nnewline\r\x0b\x0c.txt",
    "\x1c\x1d\x1e\x1f.txt",
    "a\x00b.txt",
    "a\u00a0b\u3000c.txt",
    "  spaces   inside  .txt  ",
    "semi;colon,comma'quote\"dq<>|?*.txt",
    "%2e%2e%2fetc",
    "",
    "   ",
    "file.tar.gz",
    "-rf",
    "a..b",
    "\u0130stanbul \u00c5ngstr\u00f6m \u00d8re \u00df \u00e6.txt",
    "emoji \U0001F600.png",
]


def build_body(segments):
    out = bytearray()
    for seg in segments:
        if "text" in seg:
            out += seg["text"].encode()
        elif "base64" in seg:
            out += base64.b64decode(seg["base64"])
        else:
            out += seg["repeat"].encode() * seg["count"]
    return bytes(out)


DEFAULTS = {"MAX_FORM_MEMORY_SIZE": 500_000, "MAX_FORM_PARTS": 1_000}


def record(app, client, name, content_type, segments, config, note):
    for key, value in DEFAULTS.items():
        app.config[key] = value
    for key, value in (config or {}).items():
        app.config[key] = value
    body = build_body(segments)
    response = client.post("/echo", data=body, headers={"Content-Type": content_type})
    item = {"name": name, "content_type": content_type, "segments": segments, "body_len": len(body),
            "status": response.status_code}
    if config:
        item["config"] = config
    if response.status_code == 200:
        item["json"] = response.get_json()
    error = werkzeug_error(app, content_type, body)
    if error:
        item["werkzeug_error"] = error
    if note:
        item["note"] = note
    return item


def werkzeug_error(app, content_type, body):
    """What Werkzeug's parser raises for the body when it is not told to be silent
    (Flask's request is: a ValueError there leaves request.form empty)."""
    mimetype, options = parse_options_header(content_type)
    parser = FormDataParser(max_form_memory_size=app.config["MAX_FORM_MEMORY_SIZE"],
                            max_form_parts=app.config["MAX_FORM_PARTS"], silent=False)
    try:
        parser.parse(BytesIO(body), mimetype.lower(), len(body), options)
    except RequestEntityTooLarge:
        return "RequestEntityTooLarge"
    except ValueError as e:
        return f"{type(e).__name__}: {e}"
    return None


def client_data(spec):
    data = []
    for entry in spec:
        if entry[0] == "text":
            data.append((entry[1], entry[2]))
        else:
            _, key, filename, content_type, content = entry
            value = (BytesIO(content.encode()), filename)
            if content_type is not None:
                value = value + (content_type,)
            data.append((key, value))
    return data


def record_client(app, client, name, spec):
    for key, value in DEFAULTS.items():
        app.config[key] = value
    # A list of pairs keeps repeated keys; Werkzeug's test client takes a MultiDict.
    from werkzeug.datastructures import MultiDict
    response = client.post("/echo", data=MultiDict(client_data(spec)))
    return {"name": name, "data": spec, "status": response.status_code, "json": response.get_json()}


def windows_secure_filename(name):
    real_os = werkzeug.utils.os
    werkzeug.utils.os = types.SimpleNamespace(name="nt", sep="\\", path=types.SimpleNamespace(altsep="/"))
    try:
        return secure_filename(name)
    finally:
        werkzeug.utils.os = real_os


def main():
    app = make_app()
    client = app.test_client()
    config = {key: app.config[key] for key in ("MAX_CONTENT_LENGTH", "MAX_FORM_MEMORY_SIZE", "MAX_FORM_PARTS")}
    cases = [record(app, client, *case) for case in CASES]
    client_cases = [record_client(app, client, *case) for case in CLIENT_CASES]
    names = [[name, secure_filename(name)] for name in SECURE_FILENAMES]
    windows = [[name, windows_secure_filename(name)] for name in SECURE_FILENAMES]
    generator = {"flask": version("flask"), "werkzeug": version("werkzeug"),
                 "python": platform.python_version(), "platform": sys.platform,
                 "unicode": __import__("unicodedata").unidata_version}
    print(json.dumps({"generator": generator, "boundary": B, "config": config, "cases": cases,
                      "client_cases": client_cases, "secure_filename": names,
                      "secure_filename_windows": windows}, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
