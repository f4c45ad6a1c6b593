#!/usr/bin/env python3
"""Writes vectors.json: tokens made by PyJWT and judged by PyJWT, for phial-jwt's
interop test (jwt-ext/tests/interop.rs). CI has no Python, so the output is checked in.

    pip install PyJWT==2.10.1
    python3 jwt-ext/tests/vectors/generate.py

Every vector holds a token and how to decode it (secret, allowed algorithms, clock,
leeway, audience, issuer, verify_sub), as flask-jwt-extended 4.7.1 configures PyJWT,
and PyJWT's verdict: the header and claims, or the error message flask-jwt-extended
sends. Vectors of tokens PyJWT created also say how (secret, algorithm, additional
headers, claims in order), so the test can check that phial's encoder produces the
same string.

Vectors under "differences" are cases where phial is deliberately stricter than PyJWT
(see jwt-attacks.md and DECISIONS.md): PyJWT's verdict is recorded, and phial's
expected verdict is written here by hand, marked as such.

The output is deterministic: fixed claims and secrets, and PyJWT's clock is frozen.
"""

import base64
import hashlib
import hmac
import json
import platform
import sys
from datetime import datetime, timezone
from pathlib import Path

import jwt
import jwt.api_jwt

PYJWT_VERSION = "2.10.1"
if jwt.__version__ != PYJWT_VERSION:
    sys.exit(f"PyJWT {PYJWT_VERSION} is required, found {jwt.__version__}")

# 2026-01-01T00:00:00Z: after every iat/nbf below, before every non-expired exp.
NOW = 1767225600


class FrozenDatetime(datetime):
    """PyJWT reads `datetime.now(tz=timezone.utc)` when validating claims."""

    @classmethod
    def now(cls, tz=None):
        return datetime.fromtimestamp(NOW, tz)


jwt.api_jwt.datetime = FrozenDatetime

SECRETS = {
    "short": b"super-secret",  # upstream's examples
    "upstream-tests": b"foobarbaz",  # upstream's test suite
    "64-bytes": bytes(range(64)),  # full strength for HS512
}

IAT = 1700000000
EXP_FUTURE = 4102444800  # 2100-01-01
EXP_PAST = IAT + 900  # an access token created at IAT, long expired
JTI = "2b479b54-0f3c-4b4e-9a53-2f6a7f1c0e11"
CSRF = "0c8a7a1e-0b39-4d4a-8f0e-3d7c3c5b9f20"
HEADER = b'{"alg":"HS256","typ":"JWT"}'


def layout(token_type="access", fresh=False, sub="test", exp=EXP_FUTURE, aud=None, iss=None, extra=()):
    """Claims in flask-jwt-extended's order (tokens.py `_encode_jwt`)."""
    claims = [("fresh", fresh), ("iat", IAT), ("jti", JTI), ("type", token_type), ("sub", sub), ("nbf", IAT), ("csrf", CSRF)]
    if aud is not None:
        claims.append(("aud", aud))
    if iss is not None:
        claims.append(("iss", iss))
    if exp is not None:
        claims.append(("exp", exp))
    # Additional claims: existing keys keep their place, as dict.update does.
    merged = dict(claims)
    merged.update(extra)
    return list(merged.items())


def decode_like_flask_jwt_extended(token, secret, algorithms, audience=None, issuer=None, leeway=0, verify_sub=True):
    """`_decode_jwt_from_config` + `_decode_jwt` of flask-jwt-extended 4.7.1."""
    jwt.decode(token, algorithms=algorithms, options={"verify_signature": False})
    jwt.get_unverified_header(token)
    complete = jwt.decode_complete(
        token,
        secret,
        algorithms=algorithms,
        audience=audience,
        issuer=issuer,
        leeway=leeway,
        options={"verify_aud": audience is not None, "verify_sub": verify_sub},
    )
    return complete["header"], complete["payload"]


def verdict(token, decode):
    try:
        header, claims = decode_like_flask_jwt_extended(
            token,
            bytes.fromhex(decode["secret_hex"]),
            decode["algorithms"],
            audience=decode["audience"],
            issuer=decode["issuer"],
            leeway=decode["leeway"],
            verify_sub=decode["verify_sub"],
        )
        return {"header": header, "claims": claims}
    except jwt.ExpiredSignatureError:
        return {"error": "Token has expired"}  # flask-jwt-extended's expired_token_loader
    except jwt.PyJWTError as e:
        return {"error": str(e)}
    except Exception as e:  # noqa: BLE001 - upstream answers these with a 500
        return {"crash": f"{type(e).__name__}: {e}"}


def decode_options(secret, algorithms, audience=None, issuer=None, leeway=0, verify_sub=True):
    return {
        "secret_hex": secret.hex(),
        "algorithms": algorithms,
        "now": NOW,
        "leeway": leeway,
        "audience": audience,
        "issuer": issuer,
        "verify_sub": verify_sub,
    }


def made_by_pyjwt(name, claims, secret, algorithm, headers=None, **decode):
    token = jwt.encode(dict(claims), secret, algorithm=algorithm, headers=headers)
    used = (headers or {}).get("alg") or algorithm
    options = decode_options(decode.pop("verify_secret", secret), decode.pop("algorithms", [used]), **decode)
    return {
        "name": name,
        "token": token,
        "encode": {"secret_hex": secret.hex(), "algorithm": algorithm, "headers": headers or {}, "claims": claims},
        "decode": options,
        "expect": verdict(token, options),
    }


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hand_made(name, header, payload, secret=SECRETS["short"], sign_with="HS256", **decode):
    """A token with exactly these header and payload bytes, correctly signed."""
    signing_input = f"{b64(header)}.{b64(payload)}"
    digest = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}[sign_with]
    signature = hmac.new(secret, signing_input.encode(), digest).digest()
    return raw(name, f"{signing_input}.{b64(signature)}", secret=secret, **decode)


def raw(name, token, secret=SECRETS["short"], algorithms=("HS256",), **decode):
    options = decode_options(secret, list(algorithms), **decode)
    return {"name": name, "token": token, "decode": options, "expect": verdict(token, options)}


def positive_vectors():
    vectors = []
    for label, secret in SECRETS.items():
        for alg in ("HS256", "HS384", "HS512"):
            vectors.append(made_by_pyjwt(f"access token, {alg}, {label} secret", layout(), secret, alg))
    short = SECRETS["short"]
    vectors += [
        made_by_pyjwt("refresh token", layout("refresh"), short, "HS256"),
        made_by_pyjwt("fresh until a float timestamp", layout(fresh=1795872479.553766), short, "HS256"),
        made_by_pyjwt("never expires (expires_delta=False)", layout(exp=None), short, "HS256"),
        made_by_pyjwt("aud and iss claims", layout(aud="api", iss="auth.example"), short, "HS256", audience="api", issuer="auth.example"),
        made_by_pyjwt("aud list, one accepted", layout(aud=["web", "api"]), short, "HS384", audience="api"),
        made_by_pyjwt(
            "unicode claims",
            layout(sub="Zoë 🦀", extra=[("name", "東京"), ("quote", "\"</script>\\\u007f\n\t\u2028")]),
            short,
            "HS256",
        ),
        made_by_pyjwt(
            "additional claims of every JSON type",
            layout(
                extra=[
                    ("roles", ["admin", "user"]),
                    ("nested", {"a": 1, "b": [True, None]}),
                    ("floats", [0.1, 1.5, 100.0, 1e16, 1.5e-07, -0.0, 1.7976931348623157e308]),
                    ("ints", [0, -1, 2**53 + 1, 2**64 - 1, -(2**63)]),
                    ("type", "app"),  # overrides the default claim in place
                ]
            ),
            short,
            "HS512",
        ),
        made_by_pyjwt("additional header kid", layout(), short, "HS256", headers={"kid": "key-1"}),
        made_by_pyjwt("additional headers, unicode and typ", layout(), short, "HS256", headers={"typ": "at+jwt", "x-ünï": "código"}),
        made_by_pyjwt("typ removed by a null additional header", layout(), short, "HS256", headers={"typ": None}),
        made_by_pyjwt("alg additional header chooses the algorithm", layout(), short, "HS256", headers={"alg": "HS512"}),
        made_by_pyjwt("b64 true additional header is dropped", layout(), short, "HS384", headers={"b64": True}),
        made_by_pyjwt("expired within the leeway", layout(exp=NOW - 5), short, "HS256", leeway=10),
        made_by_pyjwt("non-string sub with verify_sub off", layout(sub=42), short, "HS256", verify_sub=False),
        made_by_pyjwt("float exp in the future", layout(exp=4102444800.75), short, "HS256"),
        made_by_pyjwt("upstream's minimal foreign token", [("sub", "test")], SECRETS["upstream-tests"], "HS256"),
    ]
    return vectors


def negative_vectors():
    short = SECRETS["short"]
    good = jwt.encode(dict(layout()), short, algorithm="HS256")
    h, p, s = good.split(".")
    return [
        made_by_pyjwt("wrong secret", layout(), short, "HS256", verify_secret=b"another-secret"),
        made_by_pyjwt("HS512 token, only HS256 allowed", layout(), short, "HS512", algorithms=["HS256"]),
        made_by_pyjwt("HS256 token, only HS384 allowed", layout(), short, "HS256", algorithms=["HS384"]),
        made_by_pyjwt("empty alg additional header: signed, but unverifiable", layout(), short, "HS256", headers={"alg": ""}, algorithms=["HS256"]),
        made_by_pyjwt("expired", layout(exp=EXP_PAST), short, "HS256"),
        made_by_pyjwt("expired despite a leeway", layout(exp=NOW - 10), short, "HS256", leeway=10),
        made_by_pyjwt("aud missing", layout(), short, "HS256", audience="api"),
        made_by_pyjwt("aud does not match", layout(aud=["web"]), short, "HS256", audience="api"),
        made_by_pyjwt("aud of the wrong shape", layout(aud=[1]), short, "HS256", audience="api"),
        made_by_pyjwt("iss missing", layout(), short, "HS256", issuer="auth.example"),
        made_by_pyjwt("iss does not match", layout(iss="evil.example"), short, "HS256", issuer="auth.example"),
        made_by_pyjwt("sub not a string", layout(sub=42), short, "HS256"),
        made_by_pyjwt("jti not a string", layout(extra=[("jti", 7)]), short, "HS256"),
        made_by_pyjwt("iat in the future", layout(extra=[("iat", EXP_FUTURE)]), short, "HS256"),
        made_by_pyjwt("nbf in the future", layout(extra=[("nbf", EXP_FUTURE)]), short, "HS256"),
        made_by_pyjwt("iat not a number", layout(extra=[("iat", "soon")]), short, "HS256"),
        made_by_pyjwt("nbf not a number", layout(extra=[("nbf", "later")]), short, "HS256"),
        made_by_pyjwt("exp not a number", layout(extra=[("exp", "never")]), short, "HS256"),
        raw("alg none (unsigned)", jwt.encode(dict(layout()), None, algorithm="none")),
        raw("tampered payload", f"{h}.{b64(json.dumps(dict(layout(sub='admin')), separators=(',', ':')).encode())}.{s}"),
        raw("signature stripped", f"{h}.{p}."),
        raw("signature truncated to 30 bytes", f"{h}.{p}.{s[:40]}"),
        raw("not enough segments", f"{h}.{p}"),
        raw("upstream's a.b.c.d", "a.b.c.d"),
        hand_made("header not an object", b'["HS256"]', b"{}"),
        hand_made("payload not an object", HEADER, b'["sub"]'),
        hand_made("no alg", b'{"typ":"JWT"}', b"{}"),
        hand_made("alg not a string", b'{"alg":256}', b"{}"),
        hand_made("kid not a string", b'{"alg":"HS256","kid":1}', b"{}"),
        hand_made("RS256 header over an HMAC signature", b'{"alg":"RS256","typ":"JWT"}', b"{}", algorithms=["HS256"]),
    ]


def differences():
    """phial is stricter here on purpose; `expect_phial` is written by hand."""
    short = SECRETS["short"]
    good = jwt.encode(dict(layout()), short, algorithm="HS256")
    h, p, s = good.split(".")
    cases = [
        (
            raw("padded base64url (AWS ALB style)", f"{h}.{p}.{s}="),
            "Invalid crypto padding",
            "canonical base64url only: one spelling per signature",
        ),
        (
            hand_made("duplicate alg in the header", b'{"alg":"HS256","alg":"HS256"}', b"{}"),
            'Invalid header string: duplicate key "alg"',
            "duplicate top-level keys are refused",
        ),
        (
            hand_made("duplicate exp in the claims", HEADER, b'{"exp":1,"exp":4102444800}'),
            'Invalid payload string: duplicate key "exp"',
            "duplicate top-level keys are refused",
        ),
        (
            hand_made("crit lists an extension", b'{"alg":"HS256","crit":["exp"]}', b"{}"),
            "Invalid header string: the crit header lists extensions, and none are supported",
            "RFC 7515 4.1.11: unknown critical extensions are refused",
        ),
        (
            made_by_pyjwt("exp as a numeric string", layout(extra=[("exp", "4102444800")]), short, "HS256"),
            "Expiration Time claim (exp) must be an integer.",
            "time claims must be JSON numbers (CVE-2026-25537)",
        ),
        (
            made_by_pyjwt("exp is null", layout(exp=None, extra=[("exp", None)]), short, "HS256"),
            "Expiration Time claim (exp) must be an integer.",
            "PyJWT raises TypeError (HTTP 500 upstream); phial answers 422",
        ),
    ]
    out = []
    for vector, message, why in cases:
        vector["expect_phial"] = {"error": message}
        vector["why"] = why
        out.append(vector)
    return out


def main():
    document = {
        "generator": "jwt-ext/tests/vectors/generate.py",
        "pyjwt_version": jwt.__version__,
        "python_version": platform.python_version(),
        "now": NOW,
        "vectors": positive_vectors() + negative_vectors(),
        "differences": differences(),
    }
    out = Path(__file__).with_name("vectors.json")
    out.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(document['vectors'])} vectors and {len(document['differences'])} differences to {out}")


if __name__ == "__main__":
    main()
