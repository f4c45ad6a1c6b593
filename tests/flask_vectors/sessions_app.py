"""Flask and phial side by side, sharing a SECRET_KEY: cookies written by either
side read the same on the other (issue 17's `sessions` example).

Run by hand (CI needs no Python), from the repository's root:

    pip install 'flask==3.1.*'
    cargo build --example sessions
    python3 tests/flask_vectors/sessions_app.py target/debug/examples/sessions

It serves this file's Flask app and the phial example on two loopback ports,
exchanges cookies between them, and prints one line per check; it exits non-zero
on the first disagreement. Both answer with the same bytes (Flask's `jsonify`,
compact, keys sorted) and the same Set-Cookie attributes and Vary header.
"""

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request

from flask import Flask, jsonify, request, session
from werkzeug.serving import make_server

SECRET_KEY = "phial-and-flask-share-this-key"

app = Flask(__name__)
app.config["SECRET_KEY"] = SECRET_KEY


@app.get("/session")
def show():
    return jsonify(dict(session))


@app.post("/session")
def store():
    for key, value in request.get_json().items():
        session[key] = value
    return jsonify(dict(session))


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def call(port, method, body=None, cookie=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}/session", data=data, method=method)
    if body is not None:
        req.add_header("Content-Type", "application/json")
    if cookie:
        req.add_header("Cookie", f"session={cookie}")
    with urllib.request.urlopen(req) as resp:
        set_cookie = resp.headers.get("Set-Cookie")
        value = set_cookie.split(";")[0].split("=", 1)[1] if set_cookie else None
        attributes = sorted(a.strip().split("=")[0] for a in set_cookie.split(";")[1:]) if set_cookie else None
        return resp.read(), value, attributes, resp.headers.get("Vary")


def check(name, ok, detail):
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else f": {detail}"))
    if not ok:
        sys.exit(1)


def main():
    phial_binary = sys.argv[1]
    flask_port, phial_port = free_port(), free_port()
    server = make_server("127.0.0.1", flask_port, app)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = dict(os.environ, SECRET_KEY=SECRET_KEY, PORT=str(phial_port), RUST_LOG="warn")
    phial = subprocess.Popen([phial_binary], env=env)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", phial_port)).close()
                break
            except OSError:
                time.sleep(0.1)
        sessions = [
            {"user": "ada", "visits": 1},
            {"name": "Zoë 東京", "nested": {"b": [1, 2.5, None, True], "a": "x"}},
            {"text": "quote\" backslash\\ </script>", "big": "x" * 3000},
        ]
        for body in sessions:
            for writer, reader in [(flask_port, phial_port), (phial_port, flask_port)]:
                names = {flask_port: "Flask", phial_port: "phial"}
                written, cookie, attributes, vary = call(writer, "POST", body)
                read, _, _, _ = call(reader, "GET", cookie=cookie)
                label = f"{names[writer]} writes, {names[reader]} reads {list(body)}"
                check(label, json.loads(read) == body, read)
                check(label + " (same bytes)", read == written, (read, written))
                check(label + " (cookie attributes)", attributes == ["HttpOnly", "Path"], attributes)
                check(label + " (Vary)", vary == "Cookie", vary)
            # The same session written by both: the same answer, byte for byte.
            flask_bytes = call(flask_port, "POST", body)[0]
            phial_bytes = call(phial_port, "POST", body)[0]
            check(f"both answer POST {list(body)} with the same bytes", flask_bytes == phial_bytes, (flask_bytes, phial_bytes))
        tampered = call(flask_port, "POST", {"user": "ada"})[1].replace("a", "b", 1)
        check("a tampered cookie is an empty session on phial", json.loads(call(phial_port, "GET", cookie=tampered)[0]) == {}, "")
    finally:
        phial.terminate()
        server.shutdown()


if __name__ == "__main__":
    main()
