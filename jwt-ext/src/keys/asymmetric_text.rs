//! Recognising asymmetric key text, as PyJWT does before it uses bytes as an HMAC
//! secret: a PEM block or an OpenSSH public key is a key, never a secret.

/// The PEM labels PyJWT 2.10 recognises (`jwt.utils._PEMS`).
const PEM_LABELS: [&[u8]; 16] = [
    b"CERTIFICATE",
    b"TRUSTED CERTIFICATE",
    b"PRIVATE KEY",
    b"PUBLIC KEY",
    b"ENCRYPTED PRIVATE KEY",
    b"OPENSSH PRIVATE KEY",
    b"DSA PRIVATE KEY",
    b"RSA PRIVATE KEY",
    b"RSA PUBLIC KEY",
    b"EC PRIVATE KEY",
    b"DH PARAMETERS",
    b"NEW CERTIFICATE REQUEST",
    b"CERTIFICATE REQUEST",
    b"SSH2 PUBLIC KEY",
    b"SSH2 ENCRYPTED PRIVATE KEY",
    b"X509 CRL",
];

/// PyJWT's `is_pem_format`: somewhere in the secret, a `----[- ]BEGIN <label>[- ]----`
/// line, at least one more line, and the matching `----[- ]END <label>[- ]----`.
pub(super) fn is_pem(secret: &[u8]) -> bool {
    (0..secret.len()).any(|start| {
        let Some(after_dashes) = boundary(secret, start, b"BEGIN ") else {
            return false;
        };
        PEM_LABELS.iter().any(|label| {
            let Some(rest) = secret[after_dashes..].strip_prefix(*label) else {
                return false;
            };
            let Some(rest) = closing_dashes(rest) else {
                return false;
            };
            let rest = rest.strip_prefix(b"\r").unwrap_or(rest);
            let Some(body) = rest.strip_prefix(b"\n") else {
                return false;
            };
            // `.+?\r?\n`: at least one byte of body before the newline of the END line.
            (1..body.len()).any(|newline| {
                body[newline] == b'\n'
                    && boundary(body, newline + 1, b"END ")
                        .and_then(|at| body[at..].strip_prefix(*label))
                        .is_some_and(|end| closing_dashes(end).is_some())
            })
        })
    })
}

/// At `start`: `----`, a `-` or space, then `word`; returns the index after `word`.
fn boundary(bytes: &[u8], start: usize, word: &[u8]) -> Option<usize> {
    let rest = bytes.get(start..)?.strip_prefix(b"----")?;
    let (first, rest) = rest.split_first()?;
    if *first != b'-' && *first != b' ' {
        return None;
    }
    rest.strip_prefix(word)?;
    Some(start + 5 + word.len())
}

/// `[- ]----` at the start of `rest`; returns what follows.
fn closing_dashes(rest: &[u8]) -> Option<&[u8]> {
    let (first, rest) = rest.split_first()?;
    if *first != b'-' && *first != b' ' {
        return None;
    }
    rest.strip_prefix(b"----")
}

/// PyJWT's `is_ssh_key`: the secret starts with an OpenSSH public key type.
pub(super) fn is_ssh_key(secret: &[u8]) -> bool {
    const SSH_KEY_TYPES: [&[u8]; 6] = [
        b"ssh-ed25519",
        b"ssh-rsa",
        b"ssh-dss",
        b"ecdsa-sha2-nistp256",
        b"ecdsa-sha2-nistp384",
        b"ecdsa-sha2-nistp521",
    ];
    SSH_KEY_TYPES.iter().any(|prefix| secret.starts_with(prefix))
}
