"""What Werkzeug's ProxyFix makes of forwarded headers, as Flask 3.1 answers.

Run by hand (CI needs no Python): python3 proxy_fix.py > proxy_fix.json
tests/proxy_fix.rs replays every case on phial with the same ProxyFix settings.
"""

import json
import sys

from importlib.metadata import version

from flask import Flask, jsonify, request, url_for
from werkzeug.middleware.proxy_fix import ProxyFix

CASES = [
    ("no headers", {}, {}),
    ("for and proto, one proxy", {}, {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}),
    ("the nearest value wins", {}, {"X-Forwarded-For": "198.51.100.1, 203.0.113.7", "X-Forwarded-Proto": "http, https"}),
    ("two proxies", {"x_for": 2, "x_proto": 2}, {"X-Forwarded-For": "198.51.100.1, 203.0.113.7", "X-Forwarded-Proto": "https, http"}),
    ("fewer values than proxies", {"x_for": 2}, {"X-Forwarded-For": "203.0.113.7"}),
    ("host not trusted by default", {}, {"X-Forwarded-Host": "evil.example"}),
    ("host trusted", {"x_host": 1}, {"X-Forwarded-Host": "app.example.com", "X-Forwarded-Proto": "https"}),
    ("host and port", {"x_host": 1, "x_port": 1}, {"X-Forwarded-Host": "app.example.com:8080", "X-Forwarded-Port": "8443"}),
    ("prefix", {"x_prefix": 1}, {"X-Forwarded-Prefix": "/myapp"}),
    ("nothing trusted", {"x_for": 0, "x_proto": 0}, {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}),
]


def app_with(settings):
    app = Flask(__name__)

    @app.get("/info")
    def info():
        return jsonify(
            remote_addr=request.remote_addr,
            scheme=request.scheme,
            host=request.host,
            script_root=request.script_root,
            url=request.url,
            external=url_for("info", _external=True),
            relative=url_for("info"),
        )

    @app.get("/slash/")
    def slash():
        return "slash"

    app.wsgi_app = ProxyFix(app.wsgi_app, **settings)
    return app


def main():
    out = {"generator": {"flask": version("flask"), "werkzeug": version("werkzeug")}, "cases": []}
    for name, settings, headers in CASES:
        client = app_with(settings).test_client()
        environ = {"REMOTE_ADDR": "127.0.0.1"}
        info = client.get("/info?q=1", headers=headers, environ_base=environ)
        redirect = client.get("/slash", headers=headers, environ_base=environ)
        out["cases"].append({
            "name": name,
            "settings": {"x_for": 1, "x_proto": 1, "x_host": 0, "x_port": 0, "x_prefix": 0, **settings},
            "headers": headers,
            "info": info.get_json(),
            "redirect_status": redirect.status_code,
            "redirect_location": redirect.headers.get("Location"),
        })
    json.dump(out, sys.stdout, indent=2, sort_keys=True)
    print()


if __name__ == "__main__":
    main()
