//! The forms that create, edit and delete records: plain HTML forms, one input per field
//! (`fields::form_fields`), read into the record's dataset JSON and written through the same use
//! cases as the API. A refused write shows the form again with each problem beside its field.

use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use defcoop_app::registry::{key_fields, row_key, rows_of};
use defcoop_app::AppError;
use defcoop_domain::marking::Banner;
use defcoop_domain::model::Kind;
use defcoop_domain::Problem;
use defcoop_store::Parts;
use serde_json::{Map, Value};

use super::fields::{field_label, form_fields, kind_label, Input};
use super::show::Lookup;
use super::words::{words, Words};
use super::{csrf_of, html, key_of, kind_in, lang_and_pairs, may_write, record_template, title_of};
use crate::auth::Who;
use crate::error::{Body, Path};
use crate::i18n::{text, Lang, Text};
use crate::{links, AppState, WebError};

/// Most options a field's list of suggestions offers (beyond, the field is typed freely).
const MAX_SUGGESTIONS: usize = 400;

pub struct FormField {
    pub name: &'static str,
    pub label: String,
    /// `text`, `number`, `select`, `checkbox`, `textarea`.
    pub input: &'static str,
    pub value: String,
    pub options: Vec<(String, bool)>,
    pub required: bool,
    pub hint: Option<&'static str>,
    pub error: Option<String>,
    /// A key field of a record being edited: shown, not editable.
    pub fixed: bool,
    /// The id of a `<datalist>` of the records this field may name.
    pub list: Option<String>,
}

pub struct Suggestions {
    pub id: String,
    pub options: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "record_form.html")]
struct FormTemplate {
    lang: &'static str,
    t: &'static Text,
    w: &'static Words,
    banner: Option<String>,
    title: String,
    list_title: &'static str,
    list_href: String,
    action: String,
    cancel: String,
    csrf: String,
    fields: Vec<FormField>,
    suggestions: Vec<Suggestions>,
    errors: Vec<String>,
    creating: bool,
}

/// A field's value in a stored record, as the form shows it.
fn shown(input: Input, v: Option<&Value>) -> String {
    match (input, v) {
        (_, None | Some(Value::Null)) => String::new(),
        (Input::List, Some(Value::Array(items))) => items
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(", "),
        (Input::Json, Some(v)) => serde_json::to_string_pretty(v).unwrap_or_default(),
        (_, Some(Value::String(s))) => s.clone(),
        (_, Some(v)) => v.to_string(),
    }
}

/// The visible records a field may name, as `<datalist>` options (key, name), if few enough.
fn suggestions(look: &Lookup, target: Kind) -> Option<Vec<(String, String)>> {
    let d = look.data;
    let pairs: Vec<(String, String)> = match target {
        Kind::Nation => d
            .nations
            .iter()
            .map(|n| (n.code.clone(), n.name.clone()))
            .collect(),
        Kind::Organization => d
            .organizations
            .iter()
            .map(|o| (o.id.clone(), o.name.clone()))
            .collect(),
        Kind::Domain => d
            .domains
            .iter()
            .map(|x| (x.code.clone(), x.name.clone()))
            .collect(),
        Kind::Standard => d
            .standards
            .iter()
            .map(|s| (s.id.clone(), s.title.clone()))
            .collect(),
        Kind::System => d
            .systems
            .iter()
            .map(|s| (s.id.clone(), s.name.clone()))
            .collect(),
        _ => return None,
    };
    (pairs.len() <= MAX_SUGGESTIONS).then_some(pairs)
}

struct Form<'a> {
    kind: Kind,
    lang: Lang,
    /// The record being edited (`None`: a new one).
    key: Option<&'a str>,
    values: &'a dyn Fn(&str) -> String,
    errors: &'a [Problem],
}

fn form_page(state_view: &defcoop_app::View, who: &Who, f: Form<'_>) -> Result<String, WebError> {
    let w = words(f.lang);
    let look = Lookup::new(state_view.data(), f.lang);
    let mut fields = Vec::new();
    let mut lists: Vec<Suggestions> = Vec::new();
    let mut specs = form_fields(f.kind);
    if f.kind != Kind::Policy {
        specs.push(("label", Input::Json));
    }
    for (name, input) in specs {
        let fixed = f.key.is_some() && key_fields(f.kind).contains(&name);
        let error = f
            .errors
            .iter()
            .filter(|p| field_of(&p.location) == name)
            .map(|p| p.message.clone())
            .collect::<Vec<_>>();
        let value = (f.values)(name);
        let (kind_of_input, options, required) = match input {
            Input::Text { required } => ("text", vec![], required),
            Input::Number => ("number", vec![], false),
            Input::Flag => ("checkbox", vec![], false),
            Input::List => ("text", vec![], false),
            Input::Json => ("textarea", vec![], false),
            Input::Prose { required } => ("textarea", vec![], required),
            Input::Choice { values, required } => {
                let mut options: Vec<(String, bool)> = Vec::new();
                if !required {
                    options.push((String::new(), value.is_empty()));
                }
                options.extend(values.iter().map(|v| (v.to_string(), *v == value)));
                ("select", options, required)
            }
        };
        let target =
            super::fields::refers_to(f.kind, name).filter(|_| matches!(input, Input::Text { .. }));
        let list = target.and_then(|t| {
            let id = format!("suggest-{name}");
            let options = suggestions(&look, t)?;
            lists.push(Suggestions {
                id: id.clone(),
                options,
            });
            Some(id)
        });
        fields.push(FormField {
            name,
            label: field_label(f.lang, name),
            input: kind_of_input,
            value,
            options,
            required,
            hint: match (name, input) {
                ("label", _) => Some(w.label_hint),
                (_, Input::Json) => Some(w.json_hint),
                (_, Input::List) => Some(w.list_hint),
                _ if fixed => Some(w.key_fixed),
                _ => None,
            },
            error: (!error.is_empty()).then(|| error.join("; ")),
            fixed,
            list,
        });
    }
    let known: Vec<&str> = fields.iter().map(|x| x.name).collect();
    let errors: Vec<String> = f
        .errors
        .iter()
        .filter(|p| !known.contains(&field_of(&p.location).as_str()))
        .map(|p| format!("{}: {}", p.location, p.message))
        .collect();
    let mut banner = Banner::default();
    if let Some(key) = f.key {
        if let Some((_, label)) = look.find(f.kind, key) {
            banner.add(label, &look.policies);
        }
    }
    let (title, action, cancel) = match f.key {
        Some(key) => (
            format!(
                "{}: {}",
                w.edit,
                title_of(
                    &rows_of(state_view, f.kind, key).unwrap_or_default(),
                    f.kind
                )
            ),
            format!("{}/edit", links::record(f.kind, key)),
            links::record(f.kind, key),
        ),
        None => (
            super::words::new_kind(f.lang, kind_label(f.lang, f.kind, false)),
            links::list(f.kind),
            links::list(f.kind),
        ),
    };
    let page = FormTemplate {
        lang: f.lang.code(),
        t: text(f.lang),
        w,
        banner: banner.text(),
        title,
        list_title: kind_label(f.lang, f.kind, true),
        list_href: links::list(f.kind),
        action,
        cancel,
        csrf: csrf_of(who),
        fields,
        suggestions: lists,
        errors: if f.errors.is_empty() {
            errors
        } else {
            std::iter::once(w.fix_below.to_string())
                .chain(errors)
                .collect()
        },
        creating: f.key.is_none(),
    };
    Ok(page.render()?)
}

/// The top-level field a problem's location names (`operators[0].nation` → `operators`).
fn field_of(location: &str) -> String {
    location.split(['.', '[']).next().unwrap_or("").to_string()
}

fn forbidden(kind: Kind) -> AppError {
    AppError::Forbidden(format!("your roles may not change {} here", kind.array()))
}

/// `GET /{plural}/new`.
pub async fn new_form(
    State(state): State<AppState>,
    who: Who,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let kind = kind_in(&uri)?;
    let (lang, _) = lang_and_pairs(&uri, &headers);
    if !may_write(&who, kind) {
        return Err(forbidden(kind).into());
    }
    let view = state.app.view(&who.actor, Parts::All).await?;
    let empty = |_: &str| String::new();
    let page = form_page(
        &view,
        &who,
        Form {
            kind,
            lang,
            key: None,
            values: &empty,
            errors: &[],
        },
    )?;
    Ok(html(StatusCode::OK, page))
}

/// `GET /{plural}/{key}/edit`.
pub async fn edit_form(
    State(state): State<AppState>,
    who: Who,
    uri: Uri,
    headers: HeaderMap,
    Path(params): Path<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let kind = kind_in(&uri)?;
    let key = key_of(&params);
    let (lang, _) = lang_and_pairs(&uri, &headers);
    if !may_write(&who, kind) {
        return Err(forbidden(kind).into());
    }
    let view = state.app.view(&who.actor, Parts::All).await?;
    let row = rows_of(&view, kind, &key).ok_or_else(|| {
        AppError::NotFound(format!("{} \"{}\"", kind.noun(), crate::error::cut(&key)))
    })?;
    let specs = form_fields(kind);
    let values = |name: &str| {
        let input = specs
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(Input::Json, |(_, i)| *i);
        shown(input, row.get(name))
    };
    let page = form_page(
        &view,
        &who,
        Form {
            kind,
            lang,
            key: Some(&key),
            values: &values,
            errors: &[],
        },
    )?;
    Ok(html(StatusCode::OK, page))
}

/// A submitted form as the record's dataset JSON; the problems of fields that cannot be read.
fn read_form(kind: Kind, lang: Lang, pairs: &[(String, String)]) -> (Value, Vec<Problem>) {
    let w = words(lang);
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
    };
    let mut out = Map::new();
    let mut problems = Vec::new();
    let mut specs = form_fields(kind);
    if kind != Kind::Policy {
        specs.push(("label", Input::Json));
    }
    for (name, input) in specs {
        let value = get(name).unwrap_or_default();
        match input {
            Input::Flag => {
                out.insert(name.into(), Value::Bool(!value.is_empty()));
            }
            _ if value.is_empty() => {
                if matches!(
                    input,
                    Input::Text { required: true }
                        | Input::Choice { required: true, .. }
                        | Input::Prose { required: true }
                ) {
                    problems.push(Problem::new(name, w.required));
                }
            }
            Input::Text { .. } | Input::Choice { .. } | Input::Prose { .. } => {
                out.insert(name.into(), Value::String(value));
            }
            Input::Number => match value.parse::<u64>() {
                Ok(n) => {
                    out.insert(name.into(), Value::from(n));
                }
                Err(_) => problems.push(Problem::new(name, w.whole_number)),
            },
            Input::List => {
                let items: Vec<Value> = value
                    .split([',', '\n'])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| Value::String(s.to_string()))
                    .collect();
                out.insert(name.into(), Value::Array(items));
            }
            Input::Json => match serde_json::from_str::<Value>(&value) {
                Ok(v) => {
                    out.insert(name.into(), v);
                }
                Err(e) => problems.push(Problem::new(
                    name,
                    format!("{} (line {}, column {})", w.not_json, e.line(), e.column()),
                )),
            },
        }
    }
    (Value::Object(out), problems)
}

fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes(body).unwrap_or_default()
}

/// A refused or accepted write: the form again with its problems, or off to the record.
async fn after_write(
    state: &AppState,
    who: &Who,
    kind: Kind,
    lang: Lang,
    key: Option<&str>,
    pairs: &[(String, String)],
    result: Result<Value, AppError>,
) -> Result<Response, WebError> {
    let problems = match result {
        Ok(record) => {
            let to = links::record(kind, &row_key(kind, &record));
            return Ok((StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response());
        }
        Err(AppError::Invalid(problems)) => problems,
        Err(AppError::Conflict(m)) => vec![Problem::new(key_fields(kind)[0], m)],
        Err(e) => return Err(e.into()),
    };
    let view = state.app.view(&who.actor, Parts::All).await?;
    let values = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let page = form_page(
        &view,
        who,
        Form {
            kind,
            lang,
            key,
            values: &values,
            errors: &problems,
        },
    )?;
    Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page))
}

/// `POST /{plural}`: creates a record from the form.
pub async fn create(
    State(state): State<AppState>,
    who: Who,
    uri: Uri,
    headers: HeaderMap,
    Body(body): Body,
) -> Result<Response, WebError> {
    let kind = kind_in(&uri)?;
    let (lang, _) = lang_and_pairs(&uri, &headers);
    let pairs = form_pairs(&body);
    let (record, problems) = read_form(kind, lang, &pairs);
    let result = if problems.is_empty() {
        state.app.create_record(&who.actor, kind, &record).await
    } else {
        Err(AppError::Invalid(problems))
    };
    after_write(&state, &who, kind, lang, None, &pairs, result).await
}

/// `POST /{plural}/{key}/edit`: saves the edited record.
pub async fn update(
    State(state): State<AppState>,
    who: Who,
    uri: Uri,
    headers: HeaderMap,
    Path(params): Path<Vec<(String, String)>>,
    Body(body): Body,
) -> Result<Response, WebError> {
    let kind = kind_in(&uri)?;
    let key = key_of(&params);
    let (lang, _) = lang_and_pairs(&uri, &headers);
    let pairs = form_pairs(&body);
    let (mut record, problems) = read_form(kind, lang, &pairs);
    // The key is the path's; an empty label keeps the stored one.
    if let Value::Object(o) = &mut record {
        for f in key_fields(kind) {
            o.remove(*f);
        }
    }
    let problems: Vec<Problem> = problems
        .into_iter()
        .filter(|p| !key_fields(kind).contains(&p.location.as_str()))
        .collect();
    let result = if problems.is_empty() {
        state
            .app
            .update_record(&who.actor, kind, &key, &record)
            .await
    } else {
        Err(AppError::Invalid(problems))
    };
    after_write(&state, &who, kind, lang, Some(&key), &pairs, result).await
}

/// `POST /{plural}/{key}/delete`: deletes the record, or shows why not.
pub async fn delete(
    State(state): State<AppState>,
    who: Who,
    uri: Uri,
    headers: HeaderMap,
    Path(params): Path<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let kind = kind_in(&uri)?;
    let key = key_of(&params);
    let (lang, _) = lang_and_pairs(&uri, &headers);
    match state.app.delete_record(&who.actor, kind, &key).await {
        Ok(()) => {
            let to = format!("{}?deleted={}", links::list(kind), links::query_value(&key));
            Ok((StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response())
        }
        Err(AppError::Conflict(m)) => {
            let page = record_template(&state, &who, kind, &key, lang, Some(m)).await?;
            Ok(html(StatusCode::CONFLICT, page))
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_form_becomes_the_records_json() {
        let (v, problems) = read_form(
            Kind::System,
            Lang::En,
            &pairs(&[
                ("id", "k9x"),
                ("name", " K9X "),
                ("aliases", "a, b\nc"),
                ("category", "artillery"),
                ("origin", "KOR"),
                ("operators", "[{\"nation\": \"KOR\"}]"),
                ("illustrative", "on"),
            ]),
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(v["name"], "K9X");
        assert_eq!(v["aliases"], serde_json::json!(["a", "b", "c"]));
        assert_eq!(v["operators"][0]["nation"], "KOR");
        assert_eq!(v["illustrative"], true);
        assert!(v.get("producer").is_none());
    }

    #[test]
    fn unreadable_fields_are_named() {
        let (_, problems) = read_form(
            Kind::System,
            Lang::Ko,
            &pairs(&[("id", "x"), ("operators", "[{")]),
        );
        let fields: Vec<&str> = problems.iter().map(|p| p.location.as_str()).collect();
        assert!(fields.contains(&"name"), "{fields:?}");
        assert!(fields.contains(&"operators"), "{fields:?}");
        assert_eq!(field_of("operators[0].nation"), "operators");
    }
}
