//! Sign-in through an organization's own identity provider: OpenID Connect, authorization
//! code flow with PKCE (S256).
//!
//! - `GET /signin/oidc/{id}?next=PATH`: discovery (`.well-known/openid-configuration` and the
//!   JWKS, cached per issuer for [`DISCOVERY_TTL`]), a sign-in under way stored in the database
//!   (`state` hashed, nonce, PKCE verifier, `next`), and a redirect to the provider's
//!   authorization endpoint. The `state` also goes into a short-lived cookie, so a callback is
//!   accepted only in the browser that started it.
//! - `GET /signin/oidc/callback?code&state&iss`: the sign-in is taken once by its `state`;
//!   the `iss` parameter (RFC 9207) must be the provider's issuer, and must be present when the
//!   provider advertises it; the code is exchanged with the PKCE verifier (client_secret_basic,
//!   or client_secret_post when that is all the provider accepts); the ID token is verified
//!   (signature by the provider's JWKS with an asymmetric algorithm it advertises, `iss` equal
//!   to the registered issuer, `aud` containing the client id, `azp` if present, `exp`, `iat`,
//!   the stored nonce); then the application finds the account linked to (issuer, subject)
//!   and starts a session.
//!
//! Every refusal writes nothing but the consumed sign-in, and says only what the user can act
//! on; the details go to the server's log. All outgoing requests have time-outs and follow no
//! redirects.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use defcoop_app::{AppError, LoginBack};
use openidconnect::core::{
    CoreAuthDisplay, CoreAuthenticationFlow, CoreClaimName, CoreClaimType, CoreClient,
    CoreClientAuthMethod, CoreGrantType, CoreJsonWebKey, CoreJweContentEncryptionAlgorithm,
    CoreJweKeyManagementAlgorithm, CoreJwsSigningAlgorithm, CoreResponseMode, CoreResponseType,
    CoreSubjectIdentifierType,
};
use openidconnect::{
    AdditionalProviderMetadata, AuthType, AuthorizationCode, ClientId, ClientSecret, CsrfToken,
    IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier, ProviderMetadata, RedirectUrl,
    TokenResponse,
};
use serde::{Deserialize, Serialize};

use crate::auth::{cookie, over_tls, same_secret, set_cookie, SESSION_COOKIE};
use crate::error::{error_page, Path, Query};
use crate::i18n::Lang;
use crate::signin::{auth_text, safe_next};
use crate::AppState;

/// How long a provider's discovery document and keys are kept before they are fetched again.
pub const DISCOVERY_TTL: Duration = Duration::from_secs(10 * 60);
/// The cookie binding a sign-in under way to the browser that started it.
pub const OIDC_COOKIE: &str = "defcoop_oidc";
/// Time-outs of every request to a provider.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// How far an ID token's `iat` may lie in the future (clock skew) or in the past.
const IAT_SKEW: i64 = 5 * 60;
const IAT_MAX_AGE: i64 = defcoop_app::oidc::LOGIN_TTL + IAT_SKEW;

/// Provider metadata with the one field beyond OpenID Connect Discovery we read (RFC 9207).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct IssParameter {
    #[serde(default)]
    authorization_response_iss_parameter_supported: bool,
}
impl AdditionalProviderMetadata for IssParameter {}

pub type Metadata = ProviderMetadata<
    IssParameter,
    CoreAuthDisplay,
    CoreClientAuthMethod,
    CoreClaimName,
    CoreClaimType,
    CoreGrantType,
    CoreJweContentEncryptionAlgorithm,
    CoreJweKeyManagementAlgorithm,
    CoreJsonWebKey,
    CoreResponseMode,
    CoreResponseType,
    CoreSubjectIdentifierType,
>;

/// The HTTP client for providers, and the discovery cache (the only state a server keeps
/// about sign-ins; everything else is in the database).
pub struct Oidc {
    http: reqwest::Client,
    cache: Mutex<HashMap<String, (Instant, Arc<Metadata>)>>,
}

impl Oidc {
    pub fn new() -> Oidc {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .build()
            .unwrap_or_else(|e| {
                tracing::error!(error = %e, "HTTP client with time-outs; using the default");
                reqwest::Client::new()
            });
        Oidc {
            http,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// The provider's metadata and keys, from the cache while fresh.
    async fn metadata(&self, issuer: &str) -> Result<Arc<Metadata>, String> {
        if let Ok(cache) = self.cache.lock() {
            if let Some((at, m)) = cache.get(issuer) {
                if at.elapsed() < DISCOVERY_TTL {
                    return Ok(m.clone());
                }
            }
        }
        let url = IssuerUrl::new(issuer.to_string()).map_err(|e| format!("issuer: {e}"))?;
        let m = Metadata::discover_async(url, &self.http)
            .await
            .map_err(|e| format!("discovery of {issuer}: {}", chain(&e)))?;
        let m = Arc::new(m);
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(issuer.to_string(), (Instant::now(), m.clone()));
        }
        Ok(m)
    }

    /// Forgets a provider's metadata (its keys may have rotated).
    fn forget(&self, issuer: &str) {
        if let Ok(mut cache) = self.cache.lock() {
            cache.remove(issuer);
        }
    }
}

impl Default for Oidc {
    fn default() -> Self {
        Oidc::new()
    }
}

/// An error with its sources, for the log.
fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        s.push_str(": ");
        s.push_str(&cause.to_string());
        source = cause.source();
    }
    s
}

fn redirect_uri(state: &AppState) -> String {
    format!(
        "{}/signin/oidc/callback",
        state.public_url.trim_end_matches('/')
    )
}

/// The signing algorithms accepted for ID tokens: what the provider advertises, without
/// `none` and without the symmetric ones (RS256, the one every provider supports, if nothing
/// is left).
fn signing_algs(m: &Metadata) -> Vec<CoreJwsSigningAlgorithm> {
    use CoreJwsSigningAlgorithm as A;
    let algs: Vec<A> = m
        .id_token_signing_alg_values_supported()
        .iter()
        .filter(|a| {
            matches!(
                a,
                A::RsaSsaPkcs1V15Sha256
                    | A::RsaSsaPkcs1V15Sha384
                    | A::RsaSsaPkcs1V15Sha512
                    | A::RsaSsaPssSha256
                    | A::RsaSsaPssSha384
                    | A::RsaSsaPssSha512
                    | A::EcdsaP256Sha256
                    | A::EcdsaP384Sha384
                    | A::EdDsa
            )
        })
        .cloned()
        .collect();
    if algs.is_empty() {
        vec![A::RsaSsaPkcs1V15Sha256]
    } else {
        algs
    }
}

/// How the client authenticates at the token endpoint: client_secret_basic unless the
/// provider advertises methods without it but with client_secret_post.
fn auth_type(m: &Metadata) -> AuthType {
    match m.token_endpoint_auth_methods_supported() {
        Some(methods)
            if !methods.contains(&CoreClientAuthMethod::ClientSecretBasic)
                && methods.contains(&CoreClientAuthMethod::ClientSecretPost) =>
        {
            AuthType::RequestBody
        }
        _ => AuthType::BasicAuth,
    }
}

#[derive(Deserialize)]
pub struct StartQuery {
    next: Option<String>,
    lang: Option<String>,
}

/// `GET /signin/oidc/{id}`: off to the provider.
pub async fn start(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<StartQuery>,
    headers: HeaderMap,
) -> Response {
    let lang = Lang::pick(q.lang.as_deref(), &headers);
    let a = auth_text(lang);
    let client = match state.app.identity_provider_client(&id).await {
        Ok(c) => c,
        Err(AppError::NotFound(m)) => return error_page(StatusCode::NOT_FOUND, &m, lang),
        Err(e) => return crate::WebError::from(e).into_response(),
    };
    let metadata = match state.oidc.metadata(&client.provider.issuer).await {
        Ok(m) => m,
        Err(why) => {
            tracing::warn!(provider = %id, %why, "identity provider unavailable");
            return error_page(StatusCode::BAD_GATEWAY, a.oidc_unavailable, lang);
        }
    };
    let redirect = match RedirectUrl::new(redirect_uri(&state)) {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = %e, "the public URL makes no redirect URI");
            return error_page(StatusCode::INTERNAL_SERVER_ERROR, "redirect URI", lang);
        }
    };
    let next = safe_next(q.next.as_deref());
    let login = match state.app.start_oidc_login(&id, &next).await {
        Ok(l) => l,
        Err(e) => return crate::WebError::from(e).into_response(),
    };
    let oidc = CoreClient::from_provider_metadata(
        (*metadata).clone(),
        ClientId::new(client.provider.client_id.clone()),
        None,
    )
    .set_redirect_uri(redirect);
    let challenge =
        PkceCodeChallenge::from_code_verifier_sha256(&PkceCodeVerifier::new(login.verifier));
    let (state_value, nonce) = (login.state.clone(), login.nonce.clone());
    let (url, _, _) = oidc
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            move || CsrfToken::new(state_value),
            move || Nonce::new(nonce),
        )
        .set_pkce_challenge(challenge)
        .url();
    let mut r = Redirect::to(url.as_str()).into_response();
    r.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(
            OIDC_COOKIE,
            &login.state,
            Some(defcoop_app::oidc::LOGIN_TTL),
            over_tls(&headers),
        ),
    );
    r
}

#[derive(Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    iss: Option<String>,
    error: Option<String>,
    lang: Option<String>,
}

/// Why a callback was refused: what the user reads (401 unless said), and what the log says.
struct Refusal {
    status: StatusCode,
    message: &'static str,
    log: String,
}

fn refuse(message: &'static str, log: impl Into<String>) -> Refusal {
    Refusal {
        status: StatusCode::UNAUTHORIZED,
        message,
        log: log.into(),
    }
}

/// `GET /signin/oidc/callback`: back from the provider.
pub async fn callback(
    State(state): State<AppState>,
    Query(q): Query<CallbackQuery>,
    headers: HeaderMap,
) -> Response {
    let lang = Lang::pick(q.lang.as_deref(), &headers);
    let a = auth_text(lang);
    let secure = over_tls(&headers);
    let mut r = match finish(&state, &q, &headers, lang).await {
        Ok(r) => r,
        Err(Ok(refusal)) => {
            tracing::warn!(why = %refusal.log, "OpenID Connect sign-in refused");
            let text = match refusal.status {
                StatusCode::FORBIDDEN if refusal.message == defcoop_app::oidc::NOT_LINKED => {
                    a.oidc_not_linked
                }
                StatusCode::BAD_GATEWAY => a.oidc_unavailable,
                _ => refusal.message,
            };
            error_page(refusal.status, text, lang)
        }
        Err(Err(e)) => e.into_response(),
    };
    // The cookie has done its work, whatever the outcome.
    r.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(OIDC_COOKIE, "", Some(0), secure),
    );
    r
}

type Outcome = Result<Response, Result<Refusal, crate::WebError>>;

async fn finish(state: &AppState, q: &CallbackQuery, headers: &HeaderMap, lang: Lang) -> Outcome {
    let a = auth_text(lang);
    let Some(given) = q.state.as_deref() else {
        return Err(Ok(refuse(a.oidc_not_valid, "no state")));
    };
    match cookie(headers, OIDC_COOKIE) {
        Some(c) if same_secret(c, given) => {}
        _ => {
            return Err(Ok(refuse(
                a.oidc_not_valid,
                "the state is not the one this browser's sign-in started with",
            )))
        }
    }
    let back = match state.app.take_oidc_login(given).await {
        Ok(b) => b,
        Err(AppError::Unauthenticated(m)) => return Err(Ok(refuse(a.oidc_not_valid, m))),
        Err(e) => return Err(Err(e.into())),
    };
    let issuer = back.client.provider.issuer.clone();
    if let Some(error) = &q.error {
        let error = defcoop_app::render::cut(error, 100);
        return Err(Ok(refuse(
            a.oidc_refused,
            format!("{issuer} answered error={error}"),
        )));
    }
    if let Some(iss) = &q.iss {
        if iss != &issuer {
            return Err(Ok(refuse(
                a.oidc_failed,
                format!(
                    "mix-up: the callback's iss {} is not {issuer}",
                    defcoop_app::render::cut(iss, 100)
                ),
            )));
        }
    }
    let metadata = state.oidc.metadata(&issuer).await.map_err(|why| {
        Ok(Refusal {
            status: StatusCode::BAD_GATEWAY,
            message: a.oidc_unavailable,
            log: why,
        })
    })?;
    if q.iss.is_none()
        && metadata
            .additional_metadata()
            .authorization_response_iss_parameter_supported
    {
        return Err(Ok(refuse(
            a.oidc_failed,
            format!("{issuer} sends iss in its answers, and this one has none"),
        )));
    }
    let Some(code) = q.code.clone() else {
        return Err(Ok(refuse(a.oidc_failed, "no code")));
    };
    let (issuer, subject) = verified_identity(state, &metadata, &back, code)
        .await
        .map_err(|why| {
            state.oidc.forget(&issuer);
            Ok(refuse(a.oidc_failed, why))
        })?;
    let old = cookie(headers, SESSION_COOKIE);
    match state
        .app
        .oidc_sign_in(&back.client.provider, &issuer, &subject, old)
        .await
    {
        Ok(session) => {
            let mut r = Redirect::to(&safe_next(Some(&back.next))).into_response();
            r.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(SESSION_COOKIE, &session.secret, None, over_tls(headers)),
            );
            Ok(r)
        }
        Err(AppError::Forbidden(m)) => Err(Ok(Refusal {
            status: StatusCode::FORBIDDEN,
            message: if m == defcoop_app::oidc::NOT_LINKED {
                defcoop_app::oidc::NOT_LINKED
            } else {
                a.oidc_disabled
            },
            log: format!("{issuer} subject {subject}: {m}"),
        })),
        Err(AppError::Unauthenticated(m)) => Err(Ok(refuse(a.oidc_failed, m))),
        Err(e) => Err(Err(e.into())),
    }
}

/// Exchanges the code and verifies the ID token: (issuer, subject), or why not (for the log).
async fn verified_identity(
    state: &AppState,
    metadata: &Metadata,
    back: &LoginBack,
    code: String,
) -> Result<(String, String), String> {
    let p = &back.client.provider;
    let redirect = RedirectUrl::new(redirect_uri(state)).map_err(|e| e.to_string())?;
    let client = CoreClient::from_provider_metadata(
        metadata.clone(),
        ClientId::new(p.client_id.clone()),
        Some(ClientSecret::new(back.client.client_secret.clone())),
    )
    .set_redirect_uri(redirect)
    .set_auth_type(auth_type(metadata));
    let response = client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|e| format!("token request: {e}"))?
        .set_pkce_verifier(PkceCodeVerifier::new(back.verifier.clone()))
        .request_async(&state.oidc.http)
        .await
        .map_err(|e| format!("token request to {}: {}", p.issuer, chain(&e)))?;
    let id_token = response
        .id_token()
        .ok_or_else(|| "the token response has no ID token".to_string())?;
    verify_id_token(
        client.id_token_verifier(),
        metadata,
        id_token,
        &back.nonce,
        &p.issuer,
        &p.client_id,
    )
}

/// Verifies an ID token against the client (keys, issuer, audience, algorithms), the stored
/// nonce, `azp`, and the time of issue; (issuer, subject) when it holds.
fn verify_id_token(
    verifier: openidconnect::core::CoreIdTokenVerifier<'_>,
    metadata: &Metadata,
    id_token: &openidconnect::core::CoreIdToken,
    nonce: &str,
    issuer: &str,
    client_id: &str,
) -> Result<(String, String), String> {
    let now = defcoop_app::accounts::system_now();
    let verifier = verifier
        .set_allowed_algs(signing_algs(metadata))
        .set_issue_time_verifier_fn(move |iat| {
            let iat = iat.timestamp();
            if iat > now + IAT_SKEW {
                Err(format!("issued in the future ({iat})"))
            } else if iat < now - IAT_MAX_AGE {
                Err(format!("issued too long ago ({iat})"))
            } else {
                Ok(())
            }
        });
    let claims = id_token
        .claims(&verifier, &Nonce::new(nonce.to_string()))
        .map_err(|e| format!("ID token: {}", chain(&e)))?;
    if let Some(azp) = claims.authorized_party() {
        if azp.as_str() != client_id {
            return Err(format!("ID token: azp {} is not our client", azp.as_str()));
        }
    } else if claims.audiences().len() > 1 {
        return Err("ID token: several audiences and no azp".into());
    }
    if claims.issuer().as_str() != issuer {
        return Err(format!(
            "ID token: iss {} is not {issuer}",
            claims.issuer().as_str()
        ));
    }
    Ok((issuer.to_string(), claims.subject().as_str().to_string()))
}

#[cfg(test)]
#[path = "oidc_tests.rs"]
mod tests;
