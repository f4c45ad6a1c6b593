//! itsdangerous's `URLSafeTimedSerializer` around any payload bytes.

use super::TimestampSigner;
use crate::Error;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use miniz_oxide::deflate::core::{
    CompressionStrategy, CompressorOxide, TDEFLFlush, TDEFLStatus, compress_to_output,
    create_comp_flags_from_zip_params,
};
use miniz_oxide::inflate::TINFLStatus;
use std::time::SystemTime;

/// The most bytes a compressed payload may inflate to (1 MiB). A browser keeps
/// cookies of at most 4093 bytes; a session that inflates past a mebibyte did not
/// come from one.
pub const MAX_PAYLOAD_LEN: usize = 1 << 20;

/// zlib's default compression level (`zlib.compress(data)` uses `Z_DEFAULT_COMPRESSION`, 6).
const ZLIB_DEFAULT_LEVEL: u8 = 6;

/// miniz_oxide's `window_bits` above zero: a zlib header and Adler-32 trailer, as `zlib.compress` writes.
const ZLIB_WRAPPER: i32 = 1;

/// itsdangerous's `URLSafeTimedSerializer`, for payloads already serialised to
/// bytes (JSON, usually): zlib when that is shorter (marked by a leading `.`),
/// base64url without padding, then a [`TimestampSigner`].
///
/// The payload is compressed at zlib's default level, as `zlib.compress` does, and
/// kept compressed only when that saves at least two bytes (itsdangerous's rule).
/// The compressor is miniz_oxide (pure Rust), not CPython's zlib: the two write
/// different bytes for the same input, so a compressed value is not byte-identical
/// to itsdangerous's (each side reads the other's). The choice to compress is the
/// same unless the two compressors land on either side of the two-byte line: rare
/// (about one small session in 300 in a one-off measurement of 20,000 generated
/// sessions), and then the two values differ but read the same. Uncompressed
/// values are otherwise byte-identical.
///
/// Decompression stops at [`MAX_PAYLOAD_LEN`] bytes, so a small value that inflates
/// to gigabytes (a zip bomb, which would need the secret key anyway) is refused
/// rather than read.
///
/// ```
/// use phial::sessions::{KeyDerivation, TimestampSigner, UrlSafeTimedSerializer};
/// use std::time::{Duration, UNIX_EPOCH};
///
/// // Python: URLSafeTimedSerializer(SECRET_KEY, salt="email-confirm").dumps(...)
/// // (itsdangerous's default key derivation; its JSON is compact, keys unsorted).
/// let signer = TimestampSigner::new(["SECRET_KEY"], "email-confirm", KeyDerivation::DjangoConcat)?;
/// let serializer = UrlSafeTimedSerializer::new(signer);
/// let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
/// let token = serializer.dumps(br#"{"email":"a@example.com"}"#, now);
/// assert_eq!(serializer.loads(&token, Some(3600), now)?, br#"{"email":"a@example.com"}"#);
/// # Ok::<(), phial::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct UrlSafeTimedSerializer {
    signer: TimestampSigner,
}

impl UrlSafeTimedSerializer {
    /// A serializer that signs with `signer`.
    pub fn new(signer: TimestampSigner) -> UrlSafeTimedSerializer {
        UrlSafeTimedSerializer { signer }
    }

    /// `dumps`: the payload, compressed if that is shorter, in base64url, signed at `now`.
    pub fn dumps(&self, payload: &[u8], now: SystemTime) -> String {
        let compressed = compress(payload);
        let encoded = if let Some(compressed) = compressed.filter(|compressed| compressed.len() + 1 < payload.len()) {
            let mut encoded = String::from(".");
            URL_SAFE_NO_PAD.encode_string(&compressed, &mut encoded);
            encoded
        } else {
            URL_SAFE_NO_PAD.encode(payload)
        };
        self.signer.sign(&encoded, now)
    }

    /// `loads`: checks the signature and age (see [`TimestampSigner::unsign`]),
    /// then gives back the payload bytes, or [`Error::BadPayload`] when they are
    /// not base64url, not zlib, or inflate past [`MAX_PAYLOAD_LEN`].
    pub fn loads(&self, signed: &str, max_age: Option<u64>, now: SystemTime) -> Result<Vec<u8>, Error> {
        let (encoded, _) = self.signer.unsign(signed, max_age, now)?;
        let (compressed, encoded) = match encoded.strip_prefix('.') {
            Some(rest) => (true, rest),
            None => (false, encoded),
        };
        let bytes = URL_SAFE_NO_PAD
            .decode(encoded)
            .map_err(|err| Error::BadPayload { message: format!("the payload is not base64url ({err})") })?;
        if !compressed {
            return Ok(bytes);
        }
        miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&bytes, MAX_PAYLOAD_LEN).map_err(|err| {
            let message = match err.status {
                TINFLStatus::HasMoreOutput => {
                    format!("the compressed payload inflates to more than {MAX_PAYLOAD_LEN} bytes")
                }
                _ => format!("the payload is marked compressed but is not zlib data ({err})"),
            };
            Error::BadPayload { message }
        })
    }
}

/// `zlib.compress(payload)`, as short as miniz_oxide makes it: zlib writes a block
/// with fixed or dynamic Huffman codes, whichever is shorter, where miniz_oxide
/// takes dynamic codes for all but the smallest blocks, so both are tried. Small
/// sessions are where the choice to compress is made, and there the shorter of
/// the two decides as CPython's zlib does far more often than either alone.
fn compress(payload: &[u8]) -> Option<Vec<u8>> {
    let dynamic = compress_with(payload, CompressionStrategy::Default);
    let fixed = compress_with(payload, CompressionStrategy::Fixed);
    match (dynamic, fixed) {
        (Some(dynamic), Some(fixed)) => Some(if fixed.len() < dynamic.len() { fixed } else { dynamic }),
        (dynamic, fixed) => dynamic.or(fixed),
    }
}

/// One zlib stream of `payload` at zlib's default level.
fn compress_with(payload: &[u8], strategy: CompressionStrategy) -> Option<Vec<u8>> {
    let flags = create_comp_flags_from_zip_params(i32::from(ZLIB_DEFAULT_LEVEL), ZLIB_WRAPPER, strategy as i32);
    let mut compressor = CompressorOxide::new(flags);
    let mut out = Vec::with_capacity(payload.len() / 2 + 16);
    let (status, _) = compress_to_output(&mut compressor, payload, TDEFLFlush::Finish, |chunk| {
        out.extend_from_slice(chunk);
        true
    });
    (status == TDEFLStatus::Done).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sessions::KeyDerivation;
    use std::time::{Duration, UNIX_EPOCH};

    const NOW: u64 = 1_700_000_000;

    fn serializer() -> UrlSafeTimedSerializer {
        UrlSafeTimedSerializer::new(TimestampSigner::new(["secret"], "cookie-session", KeyDerivation::Hmac).unwrap())
    }

    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds)
    }

    /// A value signed with the serializer's key around `encoded`, as if a writer
    /// holding the key had produced it.
    fn signed(encoded: &str) -> String {
        TimestampSigner::new(["secret"], "cookie-session", KeyDerivation::Hmac).unwrap().sign(encoded, at(NOW))
    }

    fn error(text: &str) -> String {
        serializer().loads(text, Some(60), at(NOW)).unwrap_err().to_string()
    }

    #[test]
    fn short_payloads_stay_plain_and_match_itsdangerous() {
        // What Flask 3.1 sets for session["a"] = "b" with SECRET_KEY "secret" at 1700000000.
        let cookie = serializer().dumps(br#"{"a":"b"}"#, at(NOW));
        assert_eq!(cookie, "eyJhIjoiYiJ9.ZVPxAA.PhTJqJD4o4C_KAaxhzqAxkKHI5s");
        assert_eq!(serializer().loads(&cookie, Some(60), at(NOW)).unwrap(), br#"{"a":"b"}"#);
    }

    #[test]
    fn long_repetitive_payloads_are_compressed_behind_a_dot() {
        let payload = format!(r#"{{"a":"{}"}}"#, "x".repeat(500));
        let cookie = serializer().dumps(payload.as_bytes(), at(NOW));
        assert!(cookie.starts_with('.') && cookie.len() < 100, "{cookie}");
        assert_eq!(serializer().loads(&cookie, Some(60), at(NOW)).unwrap(), payload.as_bytes());
    }

    #[test]
    fn compression_is_kept_only_when_it_saves_two_bytes() {
        // Compressing adds six bytes of zlib framing: short payloads never gain.
        for length in 1..40 {
            let payload = "x".repeat(length);
            let cookie = serializer().dumps(payload.as_bytes(), at(NOW));
            let compressed = compress(payload.as_bytes()).unwrap();
            assert_eq!(cookie.starts_with('.'), compressed.len() + 1 < length, "{length}");
        }
    }

    #[test]
    fn small_payloads_are_compressed_where_cpythons_zlib_compresses_them() {
        // 72 bytes that CPython's zlib shrinks to 63 with fixed Huffman codes, where
        // miniz_oxide's default (dynamic codes) would write 73 and not compress.
        let payload = br#"{"cl\u00e9":"\u00e9t\u00e9","name":"Zo\u00eb \u6771\u4eac \ud83e\udd80"}"#;
        assert_eq!(payload.len(), 72);
        let cookie = serializer().dumps(payload, at(NOW));
        assert!(cookie.starts_with('.'), "{cookie}");
        assert_eq!(serializer().loads(&cookie, None, at(NOW)).unwrap(), payload);
    }

    #[test]
    fn a_signed_payload_that_cannot_be_read_is_a_bad_payload() {
        assert!(error(&signed("*not base64*")).contains("the payload is not base64url"));
        assert!(error(&signed(".eyJhIjoiYiJ9")).contains("is marked compressed but is not zlib data"));
        let mut truncated = miniz_oxide::deflate::compress_to_vec_zlib(&[b'x'; 1000], 6);
        truncated.pop();
        assert!(error(&signed(&format!(".{}", URL_SAFE_NO_PAD.encode(&truncated)))).contains("not zlib data"));
    }

    #[test]
    fn a_zip_bomb_is_refused_at_the_limit() {
        let bomb = miniz_oxide::deflate::compress_to_vec_zlib(&vec![b'x'; MAX_PAYLOAD_LEN + 1], 6);
        let text = signed(&format!(".{}", URL_SAFE_NO_PAD.encode(&bomb)));
        assert!(text.len() < 4096, "small enough for a cookie: {}", text.len());
        assert!(error(&text).contains("inflates to more than 1048576 bytes"));
        let at_limit = miniz_oxide::deflate::compress_to_vec_zlib(&vec![b'x'; MAX_PAYLOAD_LEN], 6);
        let text = signed(&format!(".{}", URL_SAFE_NO_PAD.encode(&at_limit)));
        assert_eq!(serializer().loads(&text, Some(60), at(NOW)).unwrap().len(), MAX_PAYLOAD_LEN);
    }

    #[test]
    fn the_signature_is_checked_before_the_payload_is_read() {
        let tampered = signed(".AAAA").replacen("AAAA", "AAAB", 1);
        assert!(matches!(serializer().loads(&tampered, Some(60), at(NOW)), Err(Error::BadSignature { .. })));
    }
}
