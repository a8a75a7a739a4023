//! `paperpress serve`: loopback only, nothing outside the output folder,
//! rebuilds on change, survives a broken template and recovers.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use paperpress::serve::DevServer;

use crate::support::fixture;

/// A raw HTTP/1.1 GET, so the path reaches the server exactly as written.
fn get(server: &DevServer, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let port = server.addr().port();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let response = String::from_utf8_lossy(&response).into_owned();
    let code = response.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let body = response.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (code, body)
}

/// Waits until `done` holds, for at most ten seconds.
fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < Duration::from_secs(10), "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn serves_the_site_on_loopback_with_live_reload() {
    let site = fixture("site");
    let server = DevServer::start(site.path(), 0).unwrap();
    assert!(server.addr().ip().is_loopback());
    let (code, home) = get(&server, "/");
    assert_eq!(code, 200);
    assert!(home.contains("Papers of Aug 5, 2025"));
    assert!(home.contains("/__paperpress/wait"), "pages get the reload script");
    let (code, css) = get(&server, "/style.css");
    assert_eq!(code, 200);
    assert!(css.contains("--accent"));
    let (code, missing) = get(&server, "/papers/nope.html");
    assert_eq!(code, 404);
    assert!(missing.contains("Fixture 404"));
    assert!(!site.path().join("public").exists(), "serve never writes the site's own output folder");
}

#[test]
fn nothing_outside_the_output_folder_is_served() {
    let site = fixture("site");
    let server = DevServer::start(site.path(), 0).unwrap();
    std::fs::write(server.output().parent().unwrap().join("secret.txt"), "top secret").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(server.output().parent().unwrap().join("secret.txt"), server.output().join("leak.txt"))
        .unwrap();
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/papers/..%2f..%2fsecret.txt",
        "/..%5csecret.txt",
        "/%252e%252e/secret.txt",
        "/leak.txt",
        "/../site.toml",
    ] {
        let (code, body) = get(&server, path);
        assert_eq!(code, 404, "{path}");
        assert!(!body.contains("top secret") && !body.contains("Fixture digest\"\n"), "{path} leaked: {body}");
    }
}

#[test]
fn an_edit_rebuilds_and_a_broken_template_keeps_the_last_good_build() {
    let site = fixture("site");
    let server = DevServer::start(site.path(), 0).unwrap();
    let (first, _) = server.status();

    let page = site.path().join("content/papers/hand-written.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replace("This paper was added by hand", "Edited while serving")).unwrap();
    eventually("a rebuild", || server.status().0 > first);
    let (after_edit, error) = server.status();
    assert_eq!(error, None);
    assert!(get(&server, "/papers/2508.00002.html").1.contains("Edited while serving"));

    let template = site.path().join("templates/paper.html");
    std::fs::write(
        &template,
        "{% extends \"base.html\" %}{% block content %}{{ paper.title_html | nosuchfilter }}{% endblock content %}",
    )
    .unwrap();
    eventually("the error is reported", || server.status().1.is_some());
    let error = server.status().1.unwrap();
    assert!(error.contains("paper.html") && error.contains("nosuchfilter"), "{error}");
    let (code, still) = get(&server, "/papers/2508.00002.html");
    assert_eq!(code, 200, "the last good build stays online");
    assert!(still.contains("Edited while serving"));
    assert!(still.contains("nosuchfilter"), "the page carries the error for the overlay");

    std::fs::remove_file(&template).unwrap();
    eventually("the site recovers", || server.status().1.is_none());
    let (_, body) = get(&server, &format!("/__paperpress/wait?since={}", after_edit));
    assert!(body.contains("\"error\":null"), "{body}");
}

#[test]
fn editing_a_paper_page_re_renders_only_the_pages_that_show_it() {
    let site = fixture("site");
    let server = DevServer::start(site.path(), 0).unwrap();
    assert!(server.last_outcome().starts_with("built 5 papers"));
    let search_index = std::fs::read_dir(server.output().join("search")).unwrap().count();
    let page = site.path().join("content/papers/hand-written.md");
    let text = std::fs::read_to_string(&page).unwrap();

    let (before, _) = server.status();
    std::fs::write(&page, text.replace("This paper was added by hand", "Quickly edited")).unwrap();
    eventually("a quick rebuild", || server.status().0 > before);
    assert!(server.last_outcome().starts_with("updated "), "{}", server.last_outcome());
    assert!(get(&server, "/papers/2508.00002.html").1.contains("Quickly edited"));
    assert!(
        get(&server, "/days/2025-08-05.html").1.contains("Quickly edited"),
        "the day's listing shows the new excerpt"
    );
    assert!(get(&server, "/topics/hand-picks.html").1.contains("Quickly edited"), "so does its topic's");
    assert_eq!(std::fs::read_dir(server.output().join("search")).unwrap().count(), search_index);

    let (before, _) = server.status();
    std::fs::write(&page, text.replace("date = 2025-08-05", "date = 2025-08-04")).unwrap();
    eventually("a full rebuild", || server.status().0 > before);
    assert!(
        server.last_outcome().starts_with("built 5 papers"),
        "a new day needs every page: {}",
        server.last_outcome()
    );
    assert!(get(&server, "/days/2025-08-04.html").1.contains("A Hand-Written Paper Page"));
}
