//! ID token verification against tokens made here: signed with test-only keys
//! (`tests/oidc/test-only-key-*.pem`, used nowhere else), with one claim wrong at a time.

use chrono::{Duration as Span, Utc};
use openidconnect::core::{
    CoreHmacKey, CoreIdToken, CoreIdTokenClaims, CoreIdTokenVerifier, CoreJwsSigningAlgorithm,
    CoreRsaPrivateSigningKey,
};
use openidconnect::{
    Audience, ClientId, ClientSecret, EmptyAdditionalClaims, IssuerUrl, JsonWebKeyId,
    JsonWebKeySet, Nonce, PrivateSigningKey, StandardClaims, SubjectIdentifier,
};

use super::*;

const ISSUER: &str = "https://mnd.example";
const CLIENT: &str = "defcoop";
const SECRET: &str = "client-secret-0123456789abcdef0123456789";
const NONCE: &str = "the-stored-nonce";

fn key(n: u8) -> CoreRsaPrivateSigningKey {
    let pem = match n {
        1 => include_str!("../tests/oidc/test-only-key-1.pem"),
        _ => include_str!("../tests/oidc/test-only-key-2.pem"),
    };
    CoreRsaPrivateSigningKey::from_pem(pem, Some(JsonWebKeyId::new(format!("k{n}")))).unwrap()
}

fn metadata(algs: &str) -> Metadata {
    serde_json::from_value(serde_json::json!({
        "issuer": ISSUER,
        "authorization_endpoint": format!("{ISSUER}/auth"),
        "jwks_uri": format!("{ISSUER}/jwks"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": algs.split(',').collect::<Vec<_>>(),
    }))
    .unwrap()
}

/// The claims of a good token; `f` spoils one.
fn claims(f: impl FnOnce(&mut serde_json::Value)) -> CoreIdTokenClaims {
    let now = Utc::now();
    let good = CoreIdTokenClaims::new(
        IssuerUrl::new(ISSUER.into()).unwrap(),
        vec![Audience::new(CLIENT.into())],
        now + Span::minutes(5),
        now,
        StandardClaims::new(SubjectIdentifier::new("alice".into())),
        EmptyAdditionalClaims {},
    )
    .set_nonce(Some(Nonce::new(NONCE.into())));
    let mut v = serde_json::to_value(&good).unwrap();
    f(&mut v);
    serde_json::from_value(v).unwrap()
}

fn signed(c: CoreIdTokenClaims, k: u8) -> CoreIdToken {
    CoreIdToken::new(
        c,
        &key(k),
        CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
        None,
        None,
    )
    .unwrap()
}

fn check(token: &CoreIdToken, nonce: &str) -> Result<(String, String), String> {
    check_with(token, nonce, "RS256")
}

fn check_with(token: &CoreIdToken, nonce: &str, algs: &str) -> Result<(String, String), String> {
    let verifier = CoreIdTokenVerifier::new_confidential_client(
        ClientId::new(CLIENT.into()),
        ClientSecret::new(SECRET.into()),
        IssuerUrl::new(ISSUER.into()).unwrap(),
        JsonWebKeySet::new(vec![key(1).as_verification_key()]),
    );
    verify_id_token(verifier, &metadata(algs), token, nonce, ISSUER, CLIENT)
}

fn refused(r: Result<(String, String), String>, why: &str) {
    match r {
        Ok(id) => panic!("{why}: accepted as {id:?}"),
        Err(e) => {
            eprintln!("{why}: {e}");
            assert!(!e.is_empty(), "{why}")
        }
    }
}

#[test]
fn a_good_id_token_gives_issuer_and_subject() {
    let token = signed(claims(|_| {}), 1);
    assert_eq!(
        check(&token, NONCE),
        Ok((ISSUER.to_string(), "alice".to_string()))
    );
}

#[test]
fn another_nonce_is_refused() {
    let token = signed(claims(|_| {}), 1);
    let e = check(&token, "the-nonce-of-another-sign-in").unwrap_err();
    assert!(e.to_lowercase().contains("nonce"), "{e}");
    let none = signed(
        claims(|c| drop(c.as_object_mut().unwrap().remove("nonce"))),
        1,
    );
    refused(check(&none, NONCE), "no nonce");
}

#[test]
fn a_token_signed_by_another_key_is_refused() {
    refused(check(&signed(claims(|_| {}), 2), NONCE), "foreign key");
}

#[test]
fn wrong_issuer_audience_or_azp_are_refused() {
    refused(
        check(
            &signed(claims(|c| c["iss"] = "https://other.example".into()), 1),
            NONCE,
        ),
        "iss",
    );
    refused(
        check(
            &signed(claims(|c| c["aud"] = "someone-else".into()), 1),
            NONCE,
        ),
        "aud",
    );
    refused(
        check(
            &signed(
                claims(|c| c["aud"] = serde_json::json!([CLIENT, "other"])),
                1,
            ),
            NONCE,
        ),
        "several audiences without azp",
    );
    refused(
        check(&signed(claims(|c| c["azp"] = "other".into()), 1), NONCE),
        "azp",
    );
    let with_azp = signed(claims(|c| c["azp"] = CLIENT.into()), 1);
    assert!(check(&with_azp, NONCE).is_ok(), "azp of our client");
}

#[test]
fn expired_or_oddly_timed_tokens_are_refused() {
    let now = Utc::now().timestamp();
    refused(
        check(&signed(claims(|c| c["exp"] = (now - 10).into()), 1), NONCE),
        "expired",
    );
    refused(
        check(
            &signed(claims(|c| c["iat"] = (now - IAT_MAX_AGE - 60).into()), 1),
            NONCE,
        ),
        "issued long ago",
    );
    refused(
        check(
            &signed(claims(|c| c["iat"] = (now + IAT_SKEW + 60).into()), 1),
            NONCE,
        ),
        "issued in the future",
    );
}

#[test]
fn symmetric_and_unsigned_algorithms_are_not_accepted_even_when_advertised() {
    let hmac = CoreIdToken::new(
        claims(|_| {}),
        &CoreHmacKey::new(SECRET.as_bytes().to_vec()),
        CoreJwsSigningAlgorithm::HmacSha256,
        None,
        None,
    )
    .unwrap();
    refused(check_with(&hmac, NONCE, "RS256,HS256"), "HS256");
    assert_eq!(
        signing_algs(&metadata("HS256,none")),
        [CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256]
    );
}

#[test]
fn the_token_endpoint_is_told_the_secret_the_way_it_accepts() {
    let with = |methods: serde_json::Value| {
        let mut v = serde_json::to_value(metadata("RS256")).unwrap();
        v["token_endpoint_auth_methods_supported"] = methods;
        auth_type(&serde_json::from_value(v).unwrap())
    };
    assert!(matches!(
        with(serde_json::json!(["client_secret_post"])),
        AuthType::RequestBody
    ));
    assert!(matches!(
        with(serde_json::json!([
            "client_secret_basic",
            "client_secret_post"
        ])),
        AuthType::BasicAuth
    ));
    assert!(matches!(auth_type(&metadata("RS256")), AuthType::BasicAuth));
}
