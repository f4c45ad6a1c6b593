//! The compact serialization: three base64url segments joined by dots.
//!
//! Splitting follows PyJWT (`PyJWS._load`) so that malformed tokens get upstream's
//! messages: the signature is what follows the *last* dot, the header what precedes
//! the *first*, and the payload everything in between. A token with four segments
//! therefore fails on its payload (`"a.b"` is not base64url) or, as in upstream's
//! `a.b.c.d` test, on its header.
//!
//! Decoding is stricter than PyJWT's (which pads and then ignores stray
//! characters): `URL_SAFE_NO_PAD` refuses `=` padding, the `+`/`/` alphabet, any other
//! character, impossible lengths and non-zero trailing bits, so every signature and
//! payload has exactly one spelling (see `jwt-attacks.md`, non-canonical base64url).

use crate::JwtError;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// The three segments of a compact JWS, still encoded.
#[derive(Clone, Copy, Debug)]
pub(super) struct Segments<'a> {
    /// `header "." payload`: the bytes the signature covers.
    pub(super) signing_input: &'a str,
    pub(super) header: &'a str,
    pub(super) payload: &'a str,
    pub(super) signature: &'a str,
}

impl<'a> Segments<'a> {
    /// Splits a token as PyJWT does; fewer than two dots is "Not enough segments".
    pub(super) fn split(token: &'a str) -> Result<Segments<'a>, JwtError> {
        let not_enough = || JwtError::decode("Not enough segments");
        let (signing_input, signature) = token.rsplit_once('.').ok_or_else(not_enough)?;
        let (header, payload) = signing_input.split_once('.').ok_or_else(not_enough)?;
        Ok(Segments { signing_input, header, payload, signature })
    }
}

/// Appends the decoded bytes of one segment to `out`; `Err` if the segment is not
/// canonical unpadded base64url.
pub(super) fn decode_into(segment: &str, out: &mut Vec<u8>) -> Result<(), base64::DecodeError> {
    URL_SAFE_NO_PAD.decode_vec(segment, out)
}

/// Appends the unpadded base64url spelling of `bytes` to `out`.
pub(crate) fn encode_into(bytes: &[u8], out: &mut String) {
    URL_SAFE_NO_PAD.encode_string(bytes, out);
}

/// An upper bound of the bytes that `encoded_len` characters decode to.
pub(super) fn decoded_len_bound(encoded_len: usize) -> usize {
    base64::decoded_len_estimate(encoded_len)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(segment: &str) -> Result<Vec<u8>, base64::DecodeError> {
        let mut out = Vec::new();
        decode_into(segment, &mut out).map(|()| out)
    }

    #[test]
    fn splits_on_the_last_dot_then_the_first() {
        let s = Segments::split("h.p.s").unwrap();
        assert_eq!((s.header, s.payload, s.signature, s.signing_input), ("h", "p", "s", "h.p"));
        let s = Segments::split("a.b.c.d").unwrap();
        assert_eq!((s.header, s.payload, s.signature, s.signing_input), ("a", "b.c", "d", "a.b.c"));
        let s = Segments::split("..").unwrap();
        assert_eq!((s.header, s.payload, s.signature, s.signing_input), ("", "", "", "."));
    }

    #[test]
    fn fewer_than_three_segments_is_not_enough() {
        for token in ["", "xxx", "foobarbaz", "2", "a.b", ".", "eyJhbGciOiJIUzI1NiJ9.e30"] {
            assert_eq!(Segments::split(token).unwrap_err(), JwtError::decode("Not enough segments"), "{token:?}");
        }
    }

    #[test]
    fn canonical_unpadded_base64url_decodes() {
        assert_eq!(decode("").unwrap(), b"");
        assert_eq!(decode("e30").unwrap(), b"{}");
        assert_eq!(decode("-_8").unwrap(), [0xfb, 0xff]);
    }

    #[test]
    fn padding_standard_alphabet_stray_characters_and_trailing_bits_are_refused() {
        for segment in [
            "e30=",  // padding
            "e3==",  // padding
            "+_8",   // standard alphabet
            "-/8",   // standard alphabet
            "e3 0",  // whitespace
            "e30\n", // newline
            "a",     // impossible length
            "e31",   // non-zero trailing bits ("e30" is the only spelling of "{}")
            "-_9",   // non-zero trailing bits
        ] {
            assert!(decode(segment).is_err(), "{segment:?} was accepted");
        }
    }

    #[test]
    fn encoding_has_no_padding_and_uses_the_url_alphabet() {
        let mut out = String::new();
        encode_into(&[0xfb, 0xff], &mut out);
        assert_eq!(out, "-_8");
    }

    #[test]
    fn the_bound_covers_each_segment() {
        for len in 0..200 {
            let bytes = vec![0xa5u8; len];
            let mut encoded = String::new();
            encode_into(&bytes, &mut encoded);
            assert!(decoded_len_bound(encoded.len()) >= len);
        }
    }
}
