//! The interviewer's page, embedded in the binary, and the headers every
//! response carries. Nothing is read from the file system: a name that is
//! not in [`asset`]'s table is not found.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

const INDEX_HTML: &str = include_str!("../../assets/live/index.html");
const APP_JS: &str = include_str!("../../assets/live/app.js");
const STYLE_CSS: &str = include_str!("../../assets/live/style.css");

/// The policy for every response: our own script, style, font and images,
/// sockets back to where the page came from, nothing inline, no frames, no
/// forms, no plugins.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// An embedded file by its name in the page's folder.
pub fn asset(name: &str) -> Option<(&'static str, &'static [u8])> {
    Some(match name {
        "" | "index.html" => ("text/html; charset=utf-8", INDEX_HTML.as_bytes()),
        "app.js" => ("text/javascript; charset=utf-8", APP_JS.as_bytes()),
        "style.css" => ("text/css; charset=utf-8", STYLE_CSS.as_bytes()),
        "font.ttf" => ("font/ttf", crate::export::fonts::TEXT_FONT),
        _ => return None,
    })
}

/// A response with the security headers.
pub fn respond(status: StatusCode, content_type: &str, body: Vec<u8>) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::CACHE_CONTROL, "no-store"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::CONTENT_TYPE, content_type),
    ] {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    }
    response
}

/// The embedded file `name`, or "not found".
pub fn serve(name: &str) -> Response {
    match asset(name) {
        Some((content_type, body)) => respond(StatusCode::OK, content_type, body.to_vec()),
        None => not_found(),
    }
}

/// The same answer for a missing file and a wrong token, so a probe
/// learns nothing.
pub fn not_found() -> Response {
    respond(
        StatusCode::NOT_FOUND,
        "text/plain; charset=utf-8",
        b"not found\n".to_vec(),
    )
}

/// A plain-text error.
pub fn plain(status: StatusCode, text: &str) -> Response {
    respond(
        status,
        "text/plain; charset=utf-8",
        format!("{text}\n").into_bytes(),
    )
}

/// A redirect to the page's folder (so relative URLs keep the token).
pub fn to_folder(path: &str) -> Response {
    let mut response = respond(
        StatusCode::PERMANENT_REDIRECT,
        "text/plain; charset=utf-8",
        Vec::new(),
    );
    if let Ok(value) = HeaderValue::from_str(&format!("{path}/")) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// Whether a browser's `Origin` (when sent) names the host it connected
/// to: a page of another site cannot open our socket.
pub fn same_origin(headers: &axum::http::HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let (Ok(origin), Some(Ok(host))) = (
        origin.to_str(),
        headers.get(header::HOST).map(|h| h.to_str()),
    ) else {
        return false;
    };
    let authority = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"));
    authority.is_some_and(|a| a.eq_ignore_ascii_case(host))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderMap;

    fn headers(origin: Option<&str>, host: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::HOST,
            HeaderValue::from_str(host).unwrap_or(HeaderValue::from_static("x")),
        );
        if let Some(o) = origin {
            h.insert(
                header::ORIGIN,
                HeaderValue::from_str(o).unwrap_or(HeaderValue::from_static("x")),
            );
        }
        h
    }

    #[test]
    fn a_socket_from_another_site_is_refused() {
        assert!(
            same_origin(&headers(None, "127.0.0.1:8765")),
            "no Origin: not a browser page"
        );
        assert!(same_origin(&headers(
            Some("http://127.0.0.1:8765"),
            "127.0.0.1:8765"
        )));
        assert!(same_origin(&headers(
            Some("https://relay.example"),
            "relay.example"
        )));
        assert!(!same_origin(&headers(
            Some("http://evil.example"),
            "127.0.0.1:8765"
        )));
        assert!(!same_origin(&headers(
            Some("http://127.0.0.1:9999"),
            "127.0.0.1:8765"
        )));
        assert!(!same_origin(&headers(Some("null"), "127.0.0.1:8765")));
    }

    #[test]
    fn only_the_embedded_files_exist() {
        for name in ["", "index.html", "app.js", "style.css", "font.ttf"] {
            assert!(asset(name).is_some(), "{name}");
        }
        for name in ["../Cargo.toml", "/etc/passwd", "APP.JS", "app.js/", "ws"] {
            assert!(asset(name).is_none(), "{name}");
        }
        let page = asset("index.html").map(|(_, b)| String::from_utf8_lossy(b).into_owned());
        let page = page.unwrap_or_default();
        assert!(
            !page.contains("<script>"),
            "no inline script: the policy would block it"
        );
        assert!(!page.contains("style="), "no inline style");
    }
}
