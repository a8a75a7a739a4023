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

/// Waits until no rebuild has happened for half a second: the events of
/// earlier changes (a folder made, then a file in it) are all handled.
fn settled(server: &DevServer) {
    let start = Instant::now();
    let (mut seen, mut since) = (server.status().0, Instant::now());
    while since.elapsed() < Duration::from_millis(500) {
        assert!(start.elapsed() < Duration::from_secs(10), "timed out waiting for the rebuilds to end");
        std::thread::sleep(Duration::from_millis(50));
        let now = server.status().0;
        if now != seen {
            (seen, since) = (now, Instant::now());
        }
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
        "/index.html%00.txt",
        "/secret.txt%00",
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
    let edit = text.replace("This paper was added by hand", "Quickly edited").replace("A Hand-Written", "A Retitled");
    std::fs::write(&page, edit).unwrap();
    eventually("a quick rebuild", || server.status().0 > before);
    assert!(server.last_outcome().starts_with("updated "), "{}", server.last_outcome());
    assert!(get(&server, "/papers/2508.00002.html").1.contains("Quickly edited"));
    assert!(
        get(&server, "/days/2025-08-05.html").1.contains("Quickly edited"),
        "the day's listing shows the new excerpt"
    );
    assert!(get(&server, "/topics/hand-picks.html").1.contains("A Retitled"), "so does its topic's");
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

#[test]
fn folders_created_after_the_start_are_watched_and_the_change_is_named() {
    let site = fixture("site");
    std::fs::remove_dir_all(site.path().join("templates")).unwrap();
    let server = DevServer::start(site.path(), 0).unwrap();
    assert!(!get(&server, "/").1.contains("extra.css"));

    let (before, _) = server.status();
    std::fs::create_dir(site.path().join("static")).unwrap();
    std::fs::write(site.path().join("static/extra.css"), "body { color: teal; }\n").unwrap();
    // The status moves on once the new build is in place.
    eventually("the new static/ is seen", || server.status().0 > before && get(&server, "/").1.contains("extra.css"));
    assert_eq!(get(&server, "/extra.css").1, "body { color: teal; }\n");
    let message = server.last_message();
    assert!(message.starts_with("rebuilt: static") && message.ends_with(" ms"), "{message}");

    std::fs::create_dir(site.path().join("templates")).unwrap();
    std::fs::write(site.path().join("templates/404.html"), "<p>Made after the start</p>").unwrap();
    eventually("the new templates/ is seen", || get(&server, "/nope.html").1.contains("Made after the start"));
    settled(&server);
    let (before, _) = server.status();
    std::fs::write(site.path().join("templates/404.html"), "<p>And edited again</p>").unwrap();
    eventually("an edit inside it is seen too", || {
        server.status().0 > before && get(&server, "/nope.html").1.contains("And edited again")
    });
    assert!(
        server.last_message().starts_with("rebuilt: templates/404.html (built 5 papers), "),
        "{}",
        server.last_message()
    );
}

#[test]
fn site_toml_replaced_by_a_rename_is_seen_every_time() {
    let site = fixture("site");
    let config = site.path().join("site.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    let server = DevServer::start(site.path(), 0).unwrap();
    for title in ["Renamed once", "Renamed twice", "Renamed thrice"] {
        // As `sed -i` and many editors save: a new file, renamed over the old one.
        let new = site.path().join("site.toml.new~");
        std::fs::write(&new, text.replace("Fixture digest", title)).unwrap();
        let (before, _) = server.status();
        std::fs::rename(&new, &config).unwrap();
        eventually(&format!("the title `{title}`"), || {
            server.status().0 > before && get(&server, "/").1.contains(title)
        });
        let message = server.last_message();
        assert!(message.starts_with("rebuilt: site.toml (built 5 papers), "), "{message}");
    }
}

#[test]
fn a_failed_first_build_claims_no_last_good_build() {
    let site = fixture("site");
    std::fs::write(site.path().join("templates/index.html"), "{{ broken").unwrap();
    let server = DevServer::start(site.path(), 0).unwrap();
    let message = server.last_message();
    assert!(message.contains("nothing to serve until the site builds"), "{message}");
    assert!(!message.contains("last good build"), "{message}");
    let (code, page) = get(&server, "/");
    assert_eq!(code, 500);
    assert!(page.contains("does not build yet"));
    std::fs::remove_file(site.path().join("templates/index.html")).unwrap();
    eventually("the site builds", || get(&server, "/").0 == 200);
}

#[test]
fn serve_takes_a_base_url() {
    let site = fixture("site");
    let options = paperpress::serve::ServeOptions {
        port: 0,
        base_url: Some("https://user.github.io/repo/".into()),
        ..Default::default()
    };
    let server = DevServer::start_with(site.path(), &options).unwrap();
    let (_, paper) = get(&server, "/papers/2508.00002.html");
    assert!(paper.contains("https://user.github.io/repo/papers/2508.00002.html"), "the canonical link uses it");
    assert!(server.addr().ip().is_loopback(), "still on loopback");
}

/// `serve --open` starts the browser (`$BROWSER`) on the served address.
#[cfg(unix)]
#[test]
fn serve_open_starts_the_browser_on_the_site() {
    use std::os::unix::fs::PermissionsExt;
    let site = fixture("site");
    let opened = site.path().join("opened.txt");
    let browser = site.path().join("browser.sh");
    std::fs::write(&browser, format!("#!/bin/sh\necho \"$1\" > '{}'\n", opened.display())).unwrap();
    std::fs::set_permissions(&browser, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_paperpress"))
        .args(["serve", "--port", "0", "--open", "--root"])
        .arg(site.path())
        .env("BROWSER", &browser)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(child.stdout.take().unwrap()), &mut line).unwrap();
    eventually("the browser is started", || {
        opened.is_file() && std::fs::read_to_string(&opened).unwrap().ends_with('\n')
    });
    child.kill().unwrap();
    child.wait().unwrap();
    let url = std::fs::read_to_string(&opened).unwrap();
    assert!(url.starts_with("http://127.0.0.1:") && url.trim_end().ends_with('/'), "{url}");
    assert!(line.contains(url.trim_end()), "the address it serves: {line}");
}

/// Sends `request` as it is and returns the status code of the answer.
fn status_of(server: &DevServer, request: &[u8]) -> u16 {
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    // The server may answer (and close) before it has read everything.
    let _ = stream.write_all(request);
    let head = read_head(&mut stream);
    head.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0)
}

/// Reads the head of an answer (the connection may stay open after it).
fn read_head(stream: &mut TcpStream) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && matches!(stream.read(&mut byte), Ok(1)) {
        head.push(byte[0]);
    }
    String::from_utf8_lossy(&head).into_owned()
}

/// Reads one answer on a kept-alive connection: its status and body.
fn read_answer(stream: &mut TcpStream) -> (u16, String) {
    let head = read_head(stream);
    let code = head.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let length = head
        .lines()
        .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length: ").and_then(|v| v.trim().parse().ok()))
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).unwrap();
    (code, String::from_utf8_lossy(&body).into_owned())
}

/// Sends a GET for `path` on a kept-alive connection and reads the answer.
fn exchange(stream: &mut TcpStream, port: u16, path: &str) -> (u16, String) {
    write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").unwrap();
    read_answer(stream)
}

/// A reload request, as the page's script sends it, left waiting.
fn long_poll(server: &DevServer, since: u64) -> TcpStream {
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let port = server.addr().port();
    write!(stream, "GET /__paperpress/wait?since={since} HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n").unwrap();
    stream
}

/// Whether `stream` has had no answer yet.
fn unanswered(stream: &TcpStream) -> bool {
    stream.set_nonblocking(true).unwrap();
    let waiting = (&*stream).read(&mut [0u8; 1]).is_err_and(|e| e.kind() == std::io::ErrorKind::WouldBlock);
    stream.set_nonblocking(false).unwrap();
    waiting
}

/// The files a page loads while it renders: stylesheets, scripts, icons.
fn assets_of(page: &str) -> Vec<String> {
    let mut files = Vec::new();
    for tag in page.split('<').filter(|t| t.starts_with("link ") || t.starts_with("script ")) {
        let loads = tag.starts_with("script ") || tag.contains("rel=\"stylesheet\"") || tag.contains("rel=\"icon\"");
        let attr = if tag.starts_with("script ") { "src=\"" } else { "href=\"" };
        if let Some(url) = tag.split(attr).nth(1).and_then(|r| r.split('"').next()).filter(|_| loads) {
            // The theme's files sit at the root; pages name them relatively.
            files.push(format!("/{}", url.trim_start_matches("../").trim_start_matches("./")));
        }
    }
    files
}

#[test]
fn a_page_and_its_files_load_while_reload_requests_wait() {
    let site = fixture("site");
    let server = DevServer::start(site.path(), 0).unwrap();
    let port = server.addr().port();
    let (since, _) = server.status();
    // Eight open tabs, each with its reload request waiting.
    let mut polls: Vec<TcpStream> = (0..8).map(|_| long_poll(&server, since)).collect();
    // A browser loads the page, then its files on at most six kept-alive
    // connections (the page's own among them).
    let mut connections: Vec<TcpStream> = (0..6).map(|_| TcpStream::connect(server.addr()).unwrap()).collect();
    for c in &connections {
        c.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    }
    let (code, page) = exchange(&mut connections[0], port, "/papers/2508.00002.html");
    assert_eq!(code, 200);
    let mut files = assets_of(&page);
    // ...and those its scripts load: list.js the others, search.js the index.
    files.extend(["/search.js", "/list.js", "/saved.js", "/syntax.css", "/search/index.js"].map(String::from));
    assert!(files.len() >= 8, "{files:?}");
    for (i, file) in files.iter().enumerate() {
        let (code, body) = exchange(&mut connections[i % 6], port, file);
        assert_eq!(code, 200, "{file}");
        assert!(!body.is_empty(), "{file}");
    }
    assert!(polls.iter().all(unanswered), "every file came while the reload requests still waited");

    // A change answers every waiting tab, on its kept-alive connection.
    let page = site.path().join("content/papers/hand-written.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replace("This paper was added by hand", "Edited while polling")).unwrap();
    for poll in &mut polls {
        let (code, body) = read_answer(poll);
        assert_eq!(code, 200);
        let state: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert!(state["generation"].as_u64().unwrap() > since, "{body}");
    }
    let (code, _) = exchange(&mut polls[0], port, "/style.css");
    assert_eq!(code, 200, "the connection stays open for the next request");
}

#[test]
fn waiting_reload_requests_are_bounded_and_leave_with_their_tab() {
    let site = fixture("site");
    let server = DevServer::start(site.path(), 0).unwrap();
    let (since, _) = server.status();
    let mut polls = Vec::new();
    let refused = loop {
        assert!(polls.len() < 100, "waiting tabs are bounded well below the server's connections");
        let mut poll = long_poll(&server, since);
        poll.set_read_timeout(Some(Duration::from_millis(300))).unwrap();
        let head = read_head(&mut poll);
        if !head.is_empty() {
            break head;
        }
        polls.push(poll);
    };
    assert!(refused.starts_with("HTTP/1.1 503"), "{refused}");
    assert!(polls.len() >= 8, "at least a few tabs may wait: {}", polls.len());
    // The tabs close: their places come free.
    drop(polls);
    eventually("a new reload request waits again", || {
        let mut poll = long_poll(&server, since);
        poll.set_read_timeout(Some(Duration::from_millis(300))).unwrap();
        read_head(&mut poll).is_empty()
    });
}

#[test]
fn files_have_their_content_types_and_head_their_length() {
    let site = fixture("site");
    let server = DevServer::start(site.path(), 0).unwrap();
    let port = server.addr().port();
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    for (path, content_type) in [
        ("/", "text/html; charset=utf-8"),
        ("/style.css", "text/css; charset=utf-8"),
        ("/list.js", "text/javascript; charset=utf-8"),
        ("/favicon.svg", "image/svg+xml"),
        ("/atom.xml", "text/xml; charset=utf-8"),
    ] {
        write!(stream, "GET {path} HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n").unwrap();
        let head = read_head(&mut stream);
        assert!(head.to_ascii_lowercase().contains(&format!("content-type: {content_type}\r\n")), "{path}: {head}");
        let length: usize = head
            .lines()
            .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length: ").and_then(|v| v.trim().parse().ok()))
            .unwrap();
        stream.read_exact(&mut vec![0u8; length]).unwrap();
        write!(stream, "HEAD {path} HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n").unwrap();
        let head = read_head(&mut stream);
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        assert!(head.to_ascii_lowercase().contains(&format!("content-length: {length}\r\n")), "HEAD {path}: {head}");
    }
    assert!(unanswered(&stream), "HEAD answers carry no body");
    let (code, _) = exchange(&mut stream, port, "/");
    assert_eq!(code, 200);
}

#[test]
fn issue_12_only_requests_for_the_local_host_are_answered() {
    let site = fixture("site");
    let server = DevServer::start(site.path(), 0).unwrap();
    let port = server.addr().port();
    let ask = |host: &str| status_of(&server, format!("GET / HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes());
    assert_eq!(ask(&format!("127.0.0.1:{port}")), 200);
    assert_eq!(ask(&format!("localhost:{port}")), 200);
    for host in [format!("evil.example:{port}"), "127.0.0.1".into(), format!("127.0.0.1:{}", port.wrapping_add(1))] {
        assert_eq!(ask(&host), 403, "{host}");
    }
    assert_eq!(status_of(&server, b"GET / HTTP/1.1\r\n\r\n"), 403, "no Host at all");
    let twice = format!("GET / HTTP/1.1\r\nHost: localhost:{port}\r\nHost: evil.example:{port}\r\n\r\n");
    assert_eq!(status_of(&server, twice.as_bytes()), 403, "two Host headers");
}

#[test]
fn a_folder_is_its_index_page_and_asked_without_its_slash_redirects() {
    let site = fixture("site");
    let server = DevServer::start(site.path(), 0).unwrap();
    // The list of days is `days/index.html`.
    let name = "days";
    let (code, page) = get(&server, &format!("/{name}/"));
    assert_eq!(code, 200);
    assert!(page.contains("</html>"), "{page}");
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let port = server.addr().port();
    write!(stream, "GET /{name} HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n").unwrap();
    let head = read_head(&mut stream).to_ascii_lowercase();
    assert!(head.starts_with("http/1.1 301"), "{head}");
    assert!(head.contains(&format!("location: /{name}/\r\n")), "{head}");
    // A folder with no index page is not listed.
    std::fs::create_dir_all(server.output().join("listing")).unwrap();
    std::fs::write(server.output().join("listing/notes.txt"), "notes").unwrap();
    for path in ["/listing/", "/listing"] {
        let (code, body) = get(&server, path);
        assert_eq!(code, 404, "{path}");
        assert!(!body.contains("notes.txt"), "{path}: {body}");
    }
}

#[test]
fn issue_12_huge_headers_are_refused() {
    let site = fixture("site");
    let server = DevServer::start(site.path(), 0).unwrap();
    let port = server.addr().port();
    // A header line of 1 MiB: refused once the head passes 16 KiB.
    let mut huge = format!("GET / HTTP/1.1\r\nHost: localhost:{port}\r\nX-Big: ").into_bytes();
    huge.extend(std::iter::repeat_n(b'a', 1 << 20));
    assert_eq!(status_of(&server, &huge), 431);
    assert_eq!(status_of(&server, format!("GET / HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n").as_bytes()), 200);
}

/// `paperpress serve` on a copy of the fixture site, with the address and
/// the preview folder it prints.
#[cfg(unix)]
fn serve_process() -> (tempfile::TempDir, std::process::Child, String, std::path::PathBuf) {
    use std::io::BufRead;
    let site = fixture("site");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_paperpress"))
        .args(["serve", "--port", "0", "--root"])
        .arg(site.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let addr = line.split("http://").nth(1).and_then(|r| r.split('/').next()).unwrap().to_string();
    let folder = line.split(" from ").nth(1).and_then(|r| r.split(" (Ctrl-C").next()).unwrap();
    (site, child, addr, std::path::PathBuf::from(folder))
}

#[cfg(target_os = "linux")]
#[test]
fn issue_12_idle_connections_take_no_threads() {
    let (_site, mut child, addr, _) = serve_process();
    let threads = || std::fs::read_dir(format!("/proc/{}/task", child.id())).unwrap().count();
    // Its signal handler thread starts just after it prints its address.
    std::thread::sleep(Duration::from_millis(300));
    let before = threads();
    // Half-open clients that never send a request (slowloris).
    let idle: Vec<TcpStream> = (0..200).filter_map(|_| TcpStream::connect(&addr).ok()).collect();
    assert_eq!(idle.len(), 200, "connections made");
    std::thread::sleep(Duration::from_millis(500));
    let during = threads();
    assert!(during <= before + 1, "{before} threads before, {during} with 200 idle connections");
    let port = addr.rsplit(':').next().unwrap();
    let mut stream = TcpStream::connect(&addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(stream, "GET / HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    assert!(
        response.starts_with("HTTP/1.1 200"),
        "answered while they wait: {}",
        response.lines().next().unwrap_or("")
    );
    drop(idle);
    eventually("the server answers again", || {
        let Ok(mut stream) = TcpStream::connect(&addr) else { return false };
        let _ = write!(stream, "GET / HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n");
        let mut response = String::new();
        let _ = stream.read_to_string(&mut response);
        response.starts_with("HTTP/1.1 200")
    });
    child.kill().unwrap();
    child.wait().unwrap();
}

#[cfg(unix)]
#[test]
fn issue_12_sigterm_and_ctrl_c_remove_the_preview_folder() {
    for signal in ["TERM", "INT"] {
        let (_site, mut child, _, preview) = serve_process();
        assert!(preview.join("index.html").is_file(), "{}", preview.display());
        let status = std::process::Command::new("kill").args([&format!("-{signal}"), &child.id().to_string()]).status();
        assert!(status.unwrap().success());
        let code = child.wait().unwrap();
        assert!(code.success(), "SIG{signal}: a clean stop, {code:?}");
        assert!(!preview.parent().unwrap().exists(), "SIG{signal}: {} is removed", preview.display());
    }
}

#[cfg(unix)]
#[test]
fn sigterm_stops_the_server_while_idle_connections_are_open() {
    let (_site, mut child, addr, preview) = serve_process();
    let idle: Vec<TcpStream> = (0..100).filter_map(|_| TcpStream::connect(&addr).ok()).collect();
    assert_eq!(idle.len(), 100);
    std::thread::sleep(Duration::from_millis(300));
    let status = std::process::Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    assert!(status.unwrap().success());
    // Generous: no connection holds the stop for its head timeout.
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        assert!(start.elapsed() < Duration::from_secs(8), "still running 8 s after SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(child.wait().unwrap().success());
    assert!(!preview.parent().unwrap().exists(), "{} is removed", preview.display());
    drop(idle);
}
