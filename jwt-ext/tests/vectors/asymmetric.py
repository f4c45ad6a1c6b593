#!/usr/bin/env python3
"""Asymmetric interop vectors for phial-jwt (jwt-ext/tests/asymmetric_interop.rs).
CI has no Python, so keys and output are checked in.

    pip install "PyJWT[crypto]==2.10.1"
    python3 jwt-ext/tests/vectors/asymmetric.py           # keys (once) + asymmetric.json
    PHIAL_WRITE_VECTORS=1 cargo test -p phial-jwt --test asymmetric_interop
    python3 jwt-ext/tests/vectors/asymmetric.py --check   # PyJWT verifies phial's tokens

1. Keys: made once with `cryptography` into jwt-ext/tests/keys/ in every format
   PyJWT reads (PKCS#8, PKCS#1, SEC1, SPKI, OpenSSH); re-running keeps them, so the
   deterministic tokens (RS*, EdDSA) stay the same bytes.
2. asymmetric.json: for every algorithm, a token PyJWT signed with the private key
   (with and without a `kid` header), and the claims PyJWT decodes from it with the
   public key. phial must verify each one, and for RS* and EdDSA produce the very
   same string.
3. --check: reads phial_tokens.json (tokens phial signed, written by the Rust test)
   and verifies each with PyJWT and the public key, writing the verdicts to
   phial_tokens_checked.json, which the Rust test requires to be all true.
"""

import json
import platform
import sys
from pathlib import Path

import cryptography
import jwt
from cryptography.hazmat.primitives import serialization as ser
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

HERE = Path(__file__).parent
KEYS = HERE.parent / "keys"

PEM = ser.Encoding.PEM
NOENC = ser.NoEncryption()

# name -> (generator, private formats, public formats)
KEY_SPECS = {
    "rsa2048": lambda: rsa.generate_private_key(65537, 2048),
    "rsa3072": lambda: rsa.generate_private_key(65537, 3072),
    "rsa1024": lambda: rsa.generate_private_key(65537, 1024),
    "p256": lambda: ec.generate_private_key(ec.SECP256R1()),
    "p384": lambda: ec.generate_private_key(ec.SECP384R1()),
    "p521": lambda: ec.generate_private_key(ec.SECP521R1()),
    "ed25519": ed25519.Ed25519PrivateKey.generate,
}

ALGORITHMS = {
    "RS256": "rsa2048", "RS384": "rsa2048", "RS512": "rsa3072",
    "PS256": "rsa2048", "PS384": "rsa3072", "PS512": "rsa2048",
    "ES256": "p256", "ES384": "p384", "ES512": "p521",
    "EdDSA": "ed25519",
}

CLAIMS = {
    "fresh": False,
    "iat": 1700000000,
    "jti": "0b3c4a6e-0f5d-4c3e-9a61-2b8f8d1f7c11",
    "type": "access",
    "sub": "alice",
    "nbf": 1700000000,
    "exp": 4102444800,
}


def write_keys():
    """Each key in the formats PyJWT accepts; made only if missing."""
    for name, make in KEY_SPECS.items():
        private_path = KEYS / f"{name}_private.pem"
        if private_path.exists():
            continue
        key = make()
        public = key.public_key()
        private_path.write_bytes(key.private_bytes(PEM, ser.PrivateFormat.PKCS8, NOENC))
        (KEYS / f"{name}_public.pem").write_bytes(public.public_bytes(PEM, ser.PublicFormat.SubjectPublicKeyInfo))
        (KEYS / f"{name}.pub").write_bytes(public.public_bytes(ser.Encoding.OpenSSH, ser.PublicFormat.OpenSSH) + b" phial-test\n")
        if name.startswith("rsa"):
            (KEYS / f"{name}_private_pkcs1.pem").write_bytes(key.private_bytes(PEM, ser.PrivateFormat.TraditionalOpenSSL, NOENC))
            (KEYS / f"{name}_public_pkcs1.pem").write_bytes(public.public_bytes(PEM, ser.PublicFormat.PKCS1))
        elif name.startswith("p"):
            (KEYS / f"{name}_private_sec1.pem").write_bytes(key.private_bytes(PEM, ser.PrivateFormat.TraditionalOpenSSL, NOENC))


def private(name):
    return (KEYS / f"{name}_private.pem").read_text()


def public(name):
    return (KEYS / f"{name}_public.pem").read_text()


def generate():
    KEYS.mkdir(exist_ok=True)
    write_keys()
    tokens = []
    for alg, key in ALGORITHMS.items():
        for headers in (None, {"kid": f"{key}-1"}):
            token = jwt.encode(CLAIMS, private(key), algorithm=alg, headers=headers)
            claims = jwt.decode(token, public(key), algorithms=[alg])
            tokens.append({"alg": alg, "key": key, "headers": headers or {}, "token": token, "claims": claims})
    out = {
        "generator": {
            "python": platform.python_version(),
            "pyjwt": jwt.__version__,
            "cryptography": cryptography.__version__,
        },
        "claims": CLAIMS,
        "tokens": tokens,
    }
    (HERE / "asymmetric.json").write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {len(tokens)} PyJWT tokens to asymmetric.json")


def check():
    made = json.loads((HERE / "phial_tokens.json").read_text())
    verdicts = []
    for entry in made["tokens"]:
        try:
            claims = jwt.decode(entry["token"], public(entry["key"]), algorithms=[entry["alg"]])
            header = jwt.get_unverified_header(entry["token"])
            verdicts.append({"alg": entry["alg"], "key": entry["key"], "token": entry["token"],
                             "verified": True, "claims": claims, "header": header})
        except jwt.PyJWTError as err:
            verdicts.append({"alg": entry["alg"], "key": entry["key"], "token": entry["token"],
                             "verified": False, "error": str(err)})
    out = {"checker": {"pyjwt": jwt.__version__, "cryptography": cryptography.__version__}, "verdicts": verdicts}
    (HERE / "phial_tokens_checked.json").write_text(json.dumps(out, indent=1) + "\n")
    bad = [v for v in verdicts if not v["verified"]]
    print(f"PyJWT verified {len(verdicts) - len(bad)} of {len(verdicts)} phial tokens")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    check() if "--check" in sys.argv else generate()
