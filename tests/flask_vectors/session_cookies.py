"""Records Flask's session cookies, written and read by Flask 3.1 with the clock
frozen, for phial's session codec tests to compare against; and reads the cookies
phial writes, to prove that Flask accepts them.

Run: pip install Flask==3.1.3
     python3 session_cookies.py > session_cookies.json
     PHIAL_WRITE_SESSION_VECTORS=1 cargo test -p phial-workspace --test session_cookies
     python3 session_cookies.py verify session_cookies_phial.json

CI does not run this script: its output is checked in. The first step writes
session_cookies.json; the test run then writes session_cookies_phial.json (the
cookie phial writes for each session below); the last step reads each of those
with Flask and records what Flask sees, in the same file.

Time: itsdangerous reads the clock in TimestampSigner.get_timestamp, patched here
to return CLOCK["now"], so every cookie is signed at SIGNED_AT and read at the
case's "now".

"sessions": Flask writes each session through a real request (a view that sets the
values, flash() and session.permanent included) with SECRET_KEY and
SECRET_KEY_FALLBACKS; "cookie" is the Set-Cookie value.

"reads": cookies (those, plus ones signed with other keys, expired, tampered,
truncated, or signed around a payload Flask never writes) and how Flask reads them:
"error" is the exception itsdangerous's loads raises (or null), "request" what a
view sees in `session` for that cookie (or the exception the request raised).

Values are described as JSON: null, booleans, numbers, strings and lists as they
are; {"$dict": {..}}, {"$tuple": [..]}, {"$bytes": "<base64>"}, {"$markup": ".."},
{"$uuid": ".."}, {"$datetime": <unix seconds>} for the rest.
"""

import base64
import json
import platform
import sys
import zlib
from datetime import datetime, timezone
from importlib.metadata import version
from uuid import UUID

from flask import Flask, flash, session
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from markupsafe import Markup

SIGNED_AT = 1700000000
SECRET_KEY = "phial-and-flask-share-this-key"
FALLBACKS = ["an-even-older-key", "an-old-key"]
MAX_AGE = 31 * 24 * 3600
CLOCK = {"now": SIGNED_AT}

TimestampSigner.get_timestamp = lambda self: CLOCK["now"]


def describe(value):
    if isinstance(value, Markup):
        return {"$markup": str(value)}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [describe(item) for item in value]
    if isinstance(value, tuple):
        return {"$tuple": [describe(item) for item in value]}
    if isinstance(value, dict):
        return {"$dict": {key: describe(item) for key, item in value.items()}}
    if isinstance(value, bytes):
        return {"$bytes": base64.b64encode(value).decode()}
    if isinstance(value, UUID):
        return {"$uuid": str(value)}
    if isinstance(value, datetime):
        return {"$datetime": int(value.timestamp())}
    raise TypeError(f"cannot describe {value!r}")


def hex_chain(count):
    """Text that does not repeat: hex digits compress, but not to nothing."""
    out, block = [], b"phial"
    for _ in range(count):
        block = zlib.crc32(block).to_bytes(4, "big") + block[:12]
        out.append(block.hex())
    return "".join(out)


def set_values(**values):
    def apply():
        session.update(values)
    return apply


def flashes():
    flash("Logged in")
    flash("Wrong password", "error")
    flash(Markup("<b>Welcome</b> back"), "info")


def permanent():
    session.permanent = True
    session["user_id"] = 1


# name -> what the view does to the session.
SESSIONS = {
    "string": set_values(user="alice"),
    "non_ascii": set_values(name="Zo\u00eb \u6771\u4eac \U0001f980", **{"cl\u00e9": "\u00e9t\u00e9"}),
    "escapes": set_values(text="tab\t newline\n quote\" backslash\\ nul\x00 del\x7f </script>"),
    "integers": set_values(zero=0, negative=-42, big=18446744073709551615, small=-9223372036854775808),
    "floats": set_values(half=1.5, one=1.0, big=1e16, tiny=1e-07, tenth=0.1, negative=-2.5e100, zero=-0.0),
    "booleans_and_none": set_values(yes=True, no=False, nothing=None),
    "empty_containers": set_values(d={}, l=[], s="", t=()),
    "nested": set_values(user={"id": 7, "roles": ["admin", "ops"], "prefs": {"theme": "dark", "tz": None}}),
    "list": set_values(items=[1, "two", [3, [4.0]], {"five": 5}]),
    "tuple": set_values(point=(1, 2), pair=("a", (True, None)), one=(1,)),
    "bytes": set_values(raw=b"\x00\xff binary \x80", empty=b""),
    "markup": set_values(html=Markup("<b>bold</b> &amp; <i>it</i>")),
    "uuid": set_values(id=UUID("12345678-1234-5678-1234-567812345678"), nil=UUID(int=0)),
    "datetime": set_values(
        aware=datetime(2024, 2, 29, 12, 34, 56, tzinfo=timezone.utc),
        naive_with_micros=datetime(2023, 11, 14, 22, 13, 20, 999999),
        before_1970=datetime(1969, 7, 20, 20, 17, 40),
    ),
    "tag_like_keys": set_values(wrapped={" t": 1}, nested={" di": {" b": "not bytes"}}, two={" t": 1, "x": 2}),
    "only_key_is_a_tag": set_values(**{" t": "the whole session is one tag-like key"}),
    "flashes": flashes,
    "permanent": permanent,
    "compressed_list": set_values(items=[f"item {i}" for i in range(200)]),
    "compressed_text": set_values(text=hex_chain(40)),
    "compressed_everything": set_values(
        everything=[("x" * 50, b"y" * 50, Markup("<p>" * 20), UUID(int=1), datetime(2000, 1, 1)), {" t": ["z"] * 40}]
    ),
    "short_repetitive": set_values(a="aaaaaaaaaaaaaaaaaaaa"),
}


def make_app(secret_key=SECRET_KEY, fallbacks=FALLBACKS):
    app = Flask(__name__)
    app.config.update(SECRET_KEY=secret_key, SECRET_KEY_FALLBACKS=list(fallbacks), TESTING=True)

    @app.post("/write/<name>")
    def write(name):
        SESSIONS[name]()
        return ""

    @app.get("/read")
    def read():
        return json.dumps(describe(dict(session)))

    return app


def write_cookie(app, name):
    CLOCK["now"] = SIGNED_AT
    client = app.test_client()
    response = client.post(f"/write/{name}")
    cookie = client.get_cookie("session")
    assert response.status_code == 200 and cookie is not None, name
    return cookie.value


def read_cookie(app, cookie, now):
    """How Flask reads `cookie` at `now`: itsdangerous's verdict, and a view's session."""
    CLOCK["now"] = now
    with app.app_context():
        serializer = app.session_interface.get_signing_serializer(app)
        try:
            serializer.loads(cookie, max_age=MAX_AGE)
            error = None
        except Exception as e:  # noqa: BLE001 - recording what itsdangerous raises
            error = type(e).__name__
    client = app.test_client()
    client.set_cookie("session", cookie)
    try:
        response = client.get("/read")
        request = {"session": json.loads(response.get_data(as_text=True))}
    except Exception as e:  # noqa: BLE001 - recording what the request raised
        request = {"raised": type(e).__name__}
    return {"error": error, "request": request}


def signed(text, secret_key=SECRET_KEY):
    """`text` signed as Flask signs session cookies: a payload Flask would never write."""
    CLOCK["now"] = SIGNED_AT
    signer = TimestampSigner(secret_key, salt="cookie-session", key_derivation="hmac")
    return signer.sign(text).decode()


def change(text, index, replacement):
    return text[:index] + replacement + text[index + 1:]


def main():
    app = make_app()
    sessions = []
    for name in SESSIONS:
        cookie = write_cookie(app, name)
        with app.app_context():
            value = app.session_interface.get_signing_serializer(app).loads(cookie)
        sessions.append({"name": name, "cookie": cookie, "compressed": cookie.startswith("."),
                         "value": describe(value)})

    plain = sessions[0]["cookie"]
    payload, timestamp, signature = plain.split(".")
    keys = {"secret_key": SECRET_KEY, "fallbacks": FALLBACKS}
    crafted = [
        ("signed_by_newest_fallback", write_cookie(make_app("an-old-key", []), "string"), SIGNED_AT + 60),
        ("signed_by_oldest_fallback", write_cookie(make_app("an-even-older-key", []), "string"), SIGNED_AT + 60),
        ("signed_by_another_key", write_cookie(make_app("someone-else", []), "string"), SIGNED_AT + 60),
        ("at_max_age", plain, SIGNED_AT + MAX_AGE),
        ("expired", plain, SIGNED_AT + MAX_AGE + 1),
        ("from_the_future", plain, SIGNED_AT - 1),
        ("tampered_payload", change(plain, 3, "X" if plain[3] != "X" else "Y"), SIGNED_AT + 60),
        ("tampered_timestamp", f"{payload}.{change(timestamp, 5, 'B')}.{signature}", SIGNED_AT + 60),
        ("tampered_signature", change(plain, len(plain) - 2, "A" if plain[-2] != "A" else "B"), SIGNED_AT + 60),
        ("truncated", plain[:-5], SIGNED_AT + 60),
        ("payload_only", payload, SIGNED_AT + 60),
        ("no_timestamp", f"{payload}.{signature}", SIGNED_AT + 60),
        ("empty", "", SIGNED_AT + 60),
        ("garbage", "not a session cookie", SIGNED_AT + 60),
        ("other_salt", URLSafeTimedSerializer(SECRET_KEY, salt="other", signer_kwargs={"key_derivation": "hmac"})
         .dumps({"user": "alice"}), SIGNED_AT + 60),
        ("itsdangerous_default_derivation", URLSafeTimedSerializer(SECRET_KEY, salt="cookie-session")
         .dumps({"user": "alice"}), SIGNED_AT + 60),
        ("signed_not_base64", signed("*not base64*"), SIGNED_AT + 60),
        ("signed_not_zlib", signed(".eyJhIjoiYiJ9"), SIGNED_AT + 60),
        ("signed_not_json", signed(base64.urlsafe_b64encode(b"{nope").decode().rstrip("=")), SIGNED_AT + 60),
        ("signed_not_a_dict", signed(base64.urlsafe_b64encode(b"[1,2]").decode().rstrip("=")), SIGNED_AT + 60),
    ]
    reads = [{"name": s["name"], "cookie": s["cookie"], "now": SIGNED_AT + 60,
              **read_cookie(app, s["cookie"], SIGNED_AT + 60)} for s in sessions]
    reads += [{"name": name, "cookie": cookie, "now": now, **read_cookie(app, cookie, now)}
              for name, cookie, now in crafted]

    # itsdangerous used directly, as apps sign their own tokens (default derivation, unsorted compact JSON).
    CLOCK["now"] = SIGNED_AT
    token = URLSafeTimedSerializer(SECRET_KEY, salt="email-confirm").dumps(
        {"email": "zo\u00eb@example.com", "action": "confirm"})
    encoded = token.split(".")[0]
    itsdangerous_tokens = [{
        "secret_key": SECRET_KEY, "salt": "email-confirm", "signed_at": SIGNED_AT,
        # The JSON bytes itsdangerous signed (its compact JSON keeps non-ASCII as UTF-8).
        "payload": base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode(),
        "token": token,
    }]

    generator = {
        "flask": version("flask"), "itsdangerous": version("itsdangerous"), "werkzeug": version("werkzeug"),
        "python": platform.python_version(), "zlib": zlib.ZLIB_RUNTIME_VERSION, "platform": sys.platform,
        "note": "Sessions are written at signed_at with secret_key (fallbacks verify only); "
                "every read uses secret_key and fallbacks with max_age (PERMANENT_SESSION_LIFETIME) at its 'now'.",
    }
    print(json.dumps({"generator": generator, "signed_at": SIGNED_AT, "max_age": MAX_AGE, **keys,
                      "sessions": sessions, "reads": reads, "itsdangerous_tokens": itsdangerous_tokens},
                     indent=1, ensure_ascii=False))


def verify(path):
    """Reads each cookie phial wrote (path: session_cookies_phial.json) with Flask."""
    with open(path, encoding="utf-8") as f:
        phial = json.load(f)
    app = make_app()
    for case in phial["cookies"]:
        case["flask"] = read_cookie(app, case["cookie"], SIGNED_AT + 60)
    phial["verified_by"] = {"flask": version("flask"), "itsdangerous": version("itsdangerous"),
                            "python": platform.python_version(), "zlib": zlib.ZLIB_RUNTIME_VERSION}
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(phial, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    if sys.argv[1:2] == ["verify"]:
        verify(sys.argv[2])
    else:
        main()
