"""Generates manager-level interop vectors for phial-jwt with flask-jwt-extended.

Run: pip install PyJWT==2.10.1 flask-jwt-extended==4.7.1 Flask==3.1.3
     python3 generate.py > vectors.json

CI does not run this script: the output is checked in. `tests/flask_interop.rs`
checks that phial's JWTManager decodes tokens made by flask-jwt-extended itself to
the same claims, and refuses the negative ones with upstream's messages. (The
token-format vectors, byte for byte against PyJWT, are in `../vectors/`.)
"""

import json
from importlib.metadata import version

import jwt
from flask import Flask
from flask_jwt_extended import JWTManager, create_access_token, create_refresh_token

SHORT_SECRET = "super-secret"
LONG_SECRET = "0123456789abcdef" * 4  # 64 bytes: strong enough for HS512

# flask-jwt-extended's claim layout, in its order, with fixed values.
ACCESS_CLAIMS = [
    ("fresh", False),
    ("iat", 1700000000),
    ("jti", "8f6e8c2a-8b1e-4d4e-9f52-6f1c2d3e4a5b"),
    ("type", "access"),
    ("sub", "test"),
    ("nbf", 1700000000),
    ("csrf", "0d6a2f6b-3c1e-4b8e-a0a5-9d2c7e1f3b4a"),
    ("exp", 4102444800),  # 2100-01-01: valid for a long time
]


def signed(claims, secret, algorithm, headers=None):
    payload = dict(claims)  # Python dicts keep insertion order, as PyJWT writes them
    return jwt.encode(payload, secret, algorithm=algorithm, headers=headers)


def negative_vectors():
    good = signed(ACCESS_CLAIMS, SHORT_SECRET, "HS256")
    expired = [(k, 1700000060 if k == "exp" else v) for k, v in ACCESS_CLAIMS]
    return [
        {"name": "signed with another secret", "token": signed(ACCESS_CLAIMS, "another-secret", "HS256"),
         "secret": SHORT_SECRET, "allowed": ["HS256"], "message": "Signature verification failed"},
        {"name": "HS512 when only HS256 is allowed", "token": signed(ACCESS_CLAIMS, SHORT_SECRET, "HS512"),
         "secret": SHORT_SECRET, "allowed": ["HS256"], "message": "The specified alg value is not allowed"},
        {"name": "alg none", "token": jwt.encode(dict(ACCESS_CLAIMS), None, algorithm="none"),
         "secret": SHORT_SECRET, "allowed": ["HS256"], "message": "The specified alg value is not allowed"},
        {"name": "payload swapped", "token": good.split(".")[0] + "." + signed(expired, SHORT_SECRET, "HS256").split(".")[1]
         + "." + good.split(".")[2], "secret": SHORT_SECRET, "allowed": ["HS256"],
         "message": "Signature verification failed"},
        {"name": "expired", "token": signed(expired, SHORT_SECRET, "HS256"), "secret": SHORT_SECRET,
         "allowed": ["HS256"], "message": "Token has expired"},
    ]


def flask_jwt_extended_tokens():
    """Tokens made by flask-jwt-extended itself (random jti/csrf, current time)."""
    app = Flask(__name__)
    app.config["JWT_SECRET_KEY"] = SHORT_SECRET
    app.config["JWT_ACCESS_TOKEN_EXPIRES"] = False  # never expires, so the vectors stay valid
    app.config["JWT_REFRESH_TOKEN_EXPIRES"] = False
    JWTManager(app)
    with app.app_context():
        tokens = {
            "access": create_access_token(identity="test"),
            "fresh access": create_access_token(identity="test", fresh=True, additional_claims={"role": "admin"}),
            "refresh": create_refresh_token(identity="test"),
        }
    out = []
    for name, token in tokens.items():
        out.append({
            "name": name,
            "token": token,
            "secret": SHORT_SECRET,
            "claims": jwt.decode(token, SHORT_SECRET, algorithms=["HS256"]),
            "header": jwt.get_unverified_header(token),
        })
    return out


if __name__ == "__main__":
    print(json.dumps({
        "generator": {"PyJWT": version("PyJWT"), "flask-jwt-extended": version("flask-jwt-extended"),
                      "Flask": version("Flask")},
        "negative": negative_vectors(),
        "flask_jwt_extended": flask_jwt_extended_tokens(),
    }, indent=2, ensure_ascii=False))
