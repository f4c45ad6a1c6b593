"""Records how flask-cors answers CORS requests to the quickstart app, for
`tests/cors.rs` to compare with `examples/cors.rs` (tower-http's CorsLayer behind
phial's `cors_like_flask`).

Run: pip install Flask==3.1.3 flask-jwt-extended==4.7.1 flask-cors==6.0.2
     python3 cors.py > cors.json

CI does not run this script: its output is checked in. The app is flask-jwt-extended's
quickstart with `CORS(app, origins=["http://localhost:3000"], supports_credentials=True)`.
Only the headers that CORS concerns are recorded (Access-Control-*, Allow, Vary),
with the status.
"""

import json
from importlib.metadata import version

from flask import Flask, jsonify, request
from flask_cors import CORS
from flask_jwt_extended import JWTManager, create_access_token, get_jwt_identity, jwt_required

app = Flask(__name__)
app.config["JWT_SECRET_KEY"] = "cors-vectors-secret-that-is-32-bytes!"
jwt = JWTManager(app)
CORS(app, origins=["http://localhost:3000"], supports_credentials=True)


@app.route("/login", methods=["POST"])
def login():
    username = request.json.get("username", None)
    password = request.json.get("password", None)
    if username != "test" or password != "test":
        return jsonify({"msg": "Bad username or password"}), 401
    return jsonify(access_token=create_access_token(identity=username))


@app.route("/protected", methods=["GET"])
@jwt_required()
def protected():
    return jsonify(logged_in_as=get_jwt_identity()), 200


FRONT_END = "http://localhost:3000"
OTHER = "http://evil.example"

CASES = [
    ("preflight from the front end", "OPTIONS", "/protected",
     {"Origin": FRONT_END, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization"}),
    ("preflight from another origin", "OPTIONS", "/protected",
     {"Origin": OTHER, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization"}),
    ("GET from the front end", "GET", "/protected", {"Origin": FRONT_END, "Authorization": "Bearer {token}"}),
    ("GET from another origin", "GET", "/protected", {"Origin": OTHER, "Authorization": "Bearer {token}"}),
    ("GET without an Origin", "GET", "/protected", {"Authorization": "Bearer {token}"}),
    ("401 from the front end", "GET", "/protected", {"Origin": FRONT_END}),
    ("plain OPTIONS", "OPTIONS", "/protected", {}),
    ("OPTIONS from the front end without a requested method", "OPTIONS", "/protected", {"Origin": FRONT_END}),
]


def cors_headers(response):
    keep = {}
    for name, value in response.headers.items():
        lower = name.lower()
        if lower.startswith("access-control-") or lower in ("allow", "vary"):
            keep[lower] = value
    return keep


def main():
    client = app.test_client()
    token = client.post("/login", json={"username": "test", "password": "test"}).get_json()["access_token"]
    results = []
    for name, method, path, headers in CASES:
        headers = {k: v.replace("{token}", token) for k, v in headers.items()}
        response = client.open(path, method=method, headers=headers)
        results.append({"name": name, "method": method, "path": path,
                        "headers": {k: v for k, v in headers.items() if k != "Authorization"},
                        "authorized": "Authorization" in headers,
                        "status": response.status_code, "cors": cors_headers(response)})
    generator = {"flask": version("flask"), "flask-cors": version("flask-cors"),
                 "flask-jwt-extended": version("flask-jwt-extended")}
    print(json.dumps({"generator": generator, "cases": results}, indent=1))


if __name__ == "__main__":
    main()
