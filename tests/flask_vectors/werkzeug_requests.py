"""Records how Flask 3.1 on Werkzeug's own server answers raw HTTP requests whose
paths or cookies are unusual, for `tests/werkzeug_requests.rs` to replay on phial.

Run: pip install Flask==3.1.3   (Werkzeug 3.1.x comes with it)
     python3 werkzeug_requests.py > werkzeug_requests.json

CI does not run this script: its output is checked in. The app below and the one in
`tests/werkzeug_requests.rs` are the same app, route for route. Each request is sent
as raw bytes over a socket (so bytes no client library would send arrive as sent),
and the status, the Location header, the `name=value` of a Set-Cookie header and the
JSON body are recorded.
"""

import json
import socket
import threading
from importlib.metadata import version
from urllib.parse import urlencode

from flask import Flask, jsonify, request
from werkzeug.serving import make_server

app = Flask(__name__)


@app.get("/a/b")
def a_b():
    return jsonify(path=request.path)


@app.get("/<name>/x")
def named(name):
    return jsonify(path=request.path, name=name)


@app.get("/cookies")
def cookies():
    # Every value of every name, in the order sent.
    return jsonify(request.cookies.to_dict(flat=False))


@app.get("/set_cookie")
def set_cookie():
    response = jsonify(msg="set")
    response.set_cookie("a", request.args["value"])
    return response


PATHS = [
    "/a/b",
    "//a/b",
    "///a/b",
    "/%2Fa/b",
    "/%2F%2Fa/b",
    "/a//b",
    "/a/%2Fb",
    "/a%2F/b?q=1",
    "/%2Fsp%20ace//x",
    "/sp%20ace/x",
]

# Cookie header values, as bytes: quoting, escapes, spacing, odd pairs, repeats.
COOKIES = [
    b'access_token_cookie="eyJhbGciOiJIUzI1NiJ9.e30.sig"',
    b"access_token_cookie=eyJhbGciOiJIUzI1NiJ9%2Ee30.sig",
    b'a="x\\"y"',
    b'a="\\101\\102\\103"',
    b'a="\\\\"',
    b'a="\\q\\"',
    b'a="\\377"',
    b'a="\\303\\251t\\303\\251"',
    b'a="x;y"; b=2',
    b'a="x"y; b=2',
    b'a=x"y',
    b'a="unterminated',
    b'a=""',
    b'a="',
    b"a=1; b=2;c=3",
    b"a = 1 ; b= 2 ;  c =3",
    b"a=\t1\t; b=2",
    b"a=b=c",
    b"a",
    b"a; b=2",
    b"=x; b=2",
    b";;a=1;;",
    b"a=1; a=2",
    b"a=%20%3B",
    b"a=caf\xc3\xa9",
    b"a=\xe9t\xe9",
    b'a="caf\xc3\xa9"',
]

# Values given to `response.set_cookie("a", value)`.
SET_COOKIE_VALUES = ["plain", "eyJhbGciOiJIUzI1NiJ9.e30.sig", "", "a b", 'x"y', "x;y,z", "back\\slash",
                     "tab\there", "caf\u00e9", "~!@#$%^&*()[]{}<>?/|`'+=:"]


def send(port, raw):
    with socket.create_connection(("127.0.0.1", port)) as conn:
        conn.sendall(raw)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    location = None
    set_cookie = None
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"location":
            location = value.strip().decode("latin-1")
        if name.strip().lower() == b"set-cookie":
            # Only `name=value`: attributes are compared as parsed attributes elsewhere.
            set_cookie = value.strip().decode("latin-1").split("; ")[0]
    try:
        body = json.loads(body)
    except ValueError:
        body = None
    return {"status": status, "location": location, "set_cookie": set_cookie, "json": body}


def main():
    server = make_server("127.0.0.1", 0, app)
    port = server.server_port
    threading.Thread(target=server.serve_forever, daemon=True).start()
    paths = []
    for path in PATHS:
        raw = f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode()
        paths.append({"path": path, **send(port, raw)})
    cookies = []
    for header in COOKIES:
        raw = b"GET /cookies HTTP/1.1\r\nHost: localhost\r\nCookie: " + header + b"\r\nConnection: close\r\n\r\n"
        cookies.append({"cookie": header.decode("latin-1"), **send(port, raw)})
    # Two Cookie header lines are read as one.
    raw = b"GET /cookies HTTP/1.1\r\nHost: localhost\r\nCookie: a=1\r\nCookie: b=2; a=3\r\nConnection: close\r\n\r\n"
    cookies.append({"cookie": "a=1\nb=2; a=3", **send(port, raw)})
    set_cookies = []
    for value in SET_COOKIE_VALUES:
        raw = f"GET /set_cookie?{urlencode({'value': value})} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        set_cookies.append({"value": value, **send(port, raw.encode())})
    server.shutdown()
    generator = {"flask": version("flask"), "werkzeug": version("werkzeug")}
    print(json.dumps({"generator": generator, "paths": paths, "cookies": cookies,
                      "set_cookie": set_cookies}, indent=1, ensure_ascii=True))


if __name__ == "__main__":
    main()
