//! The JSON API's description, OpenAPI 3.1, generated from the code and served at
//! `GET /api/openapi.json`.
//!
//! Each route's operation is a `#[utoipa::path]` annotation on its handler (`api.rs`,
//! `interop.rs`, `workspace/api.rs`, `lib.rs`), listed in [`ApiDoc`]'s `paths`. The registry's records are described
//! by the domain's own types (`defcoop-domain`'s `openapi` feature derives their schemas); the
//! answers the engine and the application serialize by hand are described in [`schema`].
//!
//! `docs/openapi.json` holds the same document; a test fails when it drifts (regenerate it with
//! `DEFCOOP_BLESS=1 cargo test -p defcoop-web --test openapi`), and another checks that the
//! router and the document name the same routes and methods.

pub mod schema;
mod schema_matchmaking;

use std::sync::OnceLock;

use axum::http::header;
use axum::response::IntoResponse;
use utoipa::OpenApi;

/// The document: every route of the JSON API (and `/healthz`, `/readyz`), with its parameters,
/// bodies and answers.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "defcoop",
        description = "The defcoop registry and interoperability engine for programs. Every \
            answer is computed over what the request's reader may see: a hidden record is \
            \"not found\", exactly like an absent one. Every error under `/api` is \
            `{\"error\": message}` JSON. Programs authenticate with an API token \
            (`Authorization: Bearer TOKEN`, made with `defcoop token create`); browsers with the \
            session cookie of a sign-in, and then send the session's CSRF token \
            (`X-CSRF-Token`) with every state-changing request.",
        license(name = "Apache-2.0", identifier = "Apache-2.0"),
    ),
    paths(
        crate::api::transfers,
        crate::api::transfer,
        crate::api::record,
        crate::api::label,
        crate::api::put_label,
        crate::interop::pair,
        crate::interop::matrix,
        crate::interop_api::whatif,
        crate::interop_api::plan,
        crate::interop_api::flows,
        crate::signin::me,
        crate::records::list,
        crate::records::get,
        crate::records::create,
        crate::records::update,
        crate::records::delete,
        crate::records::create_transfer,
        crate::records::update_transfer,
        crate::records::delete_transfer,
        crate::search::api,
        crate::search::suggest,
        crate::calendar::create_feed,
        crate::calendar::feeds,
        crate::calendar::revoke_feed,
        crate::matchmaking::check,
        crate::matchmaking::matches,
        crate::matchmaking::build,
        crate::matchmaking::brokerage,
        crate::matchmaking::agenda,
        crate::workspace::api::meetings,
        crate::workspace::api::meeting,
        crate::workspace::api::close_meeting,
        crate::workspace::api::cancel_meeting,
        crate::workspace::api::circulate_minutes,
        crate::workspace::api::approve_minutes,
        crate::workspace::api::comment_minutes,
        crate::workspace::api::correct_minutes,
        crate::workspace::api::minutes_markdown,
        crate::workspace::api::move_proposal,
        crate::workspace::api::table_plan,
        crate::workspace::api::assign_plan,
        crate::workspace::api::actions,
        crate::workspace::api::action,
        crate::workspace::api::set_action_status,
        crate::workspace::api::timeline,
        crate::workspace::api::network,
        crate::healthz,
        crate::readyz,
        spec,
    ),
    components(schemas(
        schema::Error,
        schema::Record,
        schema::RecordKind,
        schema::SearchKind,
        schema::LabelledKind,
        schema::LabelFormat,
        schema::Filter,
        schema::Level,
        schema::Counts,
        schema::ListKind,
        schema::PluralKind,
        schema::ListPage,
        schema::FieldError,
        schema::FieldErrors,
        defcoop_domain::Policy,
        defcoop_domain::Nation,
        defcoop_domain::Bloc,
        defcoop_domain::Organization,
        defcoop_domain::Person,
        defcoop_domain::Domain,
        defcoop_domain::Standard,
        defcoop_domain::Profile,
        defcoop_domain::System,
        defcoop_domain::Conformance,
        defcoop_domain::Gateway,
        defcoop_domain::Transfer,
        defcoop_domain::Body,
        defcoop_domain::Meeting,
        defcoop_domain::Minutes,
        defcoop_domain::Proposal,
        defcoop_domain::Decision,
        defcoop_domain::ActionItem,
        defcoop_domain::Engagement,
        defcoop_domain::Document,
        defcoop_domain::CapabilityArea,
        defcoop_domain::Need,
        defcoop_domain::Offer,
        defcoop_domain::Instrument,
        defcoop_domain::Label,
        schema::MeetingList,
        schema::MeetingView,
        schema::ShownTime,
        schema::ShownWhy,
        schema::ActionState,
        schema::ActionView,
        schema::ActionList,
        schema::Change,
        schema::ChangeKind,
        schema::AssignedItems,
        schema::Timeline,
        schema::TimelineEntry,
        schema::EntryKind,
        schema::Network,
        schema::NetworkNode,
        schema::NetworkEdge,
        schema::MatchList,
        schema::MatchEntry,
        schema::MatchPart,
        schema::Side,
        schema::BuildAnswer,
        schema::BuiltConsortium,
        schema::BuiltMember,
        schema::BrokerageSchedule,
        schema::BrokerageSlot,
        schema::BrokerageMeeting,
        schema::BrokerageUnplaced,
        schema::BrokerageAgenda,
        schema::BrokerageAgendaEntry,
        defcoop_domain::matchmaking::brokerage_event::EventFile,
    ), responses(schema::Unavailable, schema::Unauthenticated, schema::WriteForbidden)),
    modifiers(&Security),
    security(("bearer" = []), ("session" = [])),
    tags(
        (name = "transfers", description = "Arms transfers (SIPRI deals)."),
        (name = "records", description = "Any record as its dataset JSON, and its label."),
        (name = "interop", description = "The interoperability engine (docs/INTEROP.md)."),
        (name = "search", description = "Search across every record the reader may see."),
        (name = "calendar", description = "Calendar feeds: secret URLs of a user's calendar \
            (docs/WORKSPACE.md#calendars)."),
        (name = "matchmaking", description = "Joint R&D matchmaking: consortia checked against \
            funding instruments' rules (docs/MATCHMAKING.md)."),
        (name = "workspace", description = "The consultative body's workspace: meetings, \
            minutes, proposals, action items, timelines and who met whom (docs/WORKSPACE.md)."),
        (name = "service", description = "Health, readiness and this document."),
    ),
)]
pub struct ApiDoc;

/// The ways to authenticate: an API token, or a browser's session cookie.
struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{
            ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme,
        };
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An API token, made with `defcoop token create --user NAME`.",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::SESSION_COOKIE,
                "The session cookie of a sign-in at /signin (browsers).",
            ))),
        );
    }
}

/// The document, with the crate's version.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").to_string();
    doc
}

/// The document as pretty-printed JSON with a final newline: the bytes of `docs/openapi.json`
/// and of `GET /api/openapi.json`. Objects keep a fixed order (paths and components sorted by
/// name, properties in declaration order), so the text only changes when the API does.
pub fn openapi_json() -> String {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        // A document of strings, numbers and maps always serializes.
        let mut text = serde_json::to_string_pretty(&openapi()).unwrap_or_default();
        text.push('\n');
        text
    })
    .clone()
}

/// `GET /api/openapi.json`: this document.
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    tag = "service",
    operation_id = "openapi",
    security(()),
    responses(
        (status = 200, description = "This OpenAPI 3.1 document.",
            content_type = "application/json", body = Object),
        (status = 503, response = schema::Unavailable),
    ),
)]
pub async fn spec() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], openapi_json())
}
