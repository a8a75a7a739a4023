//! `paperpress serve`: a preview server for editing a site.
//!
//! It builds into a temporary folder (never the site's `public/`), serves it
//! on 127.0.0.1 only, rebuilds when the content, templates, theme, static
//! files or `site.toml` change, and reloads open tabs. The last build stays
//! in memory: an edit to a paper page re-renders only the pages that show
//! that paper (milliseconds, whatever the size of the site); anything else
//! is a build with the record of the last one, which renders only what
//! changed (see [`crate::incremental`], the engine `paperpress build` uses
//! too). A failed rebuild
//! keeps the last good build online and shows the error in the terminal
//! and on the page until the files are fixed. Nothing outside the output
//! folder is ever served: `..` segments (also percent-encoded) are refused
//! and every path is resolved, symlinks included, before it is opened.
//! The HTTP side (bounds, timeouts, `Host` check) is [`http`]'s. Ctrl-C
//! and SIGTERM stop the server and remove the preview folder.

mod http;

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::Notify;

use crate::config::Site;
use crate::error::{Context, Result};
use crate::{BuildOptions, Built, build_and_keep};
use http::{Request, Response};

mod watch;

/// Where the live-reload script asks whether the site changed.
const WAIT_PATH: &str = "/__paperpress/wait";
/// How long a reload request waits for a change before answering anyway.
const WAIT_TIMEOUT: Duration = Duration::from_secs(20);
/// Reload requests waiting at once (one per open tab); more get `503`
/// (the page's script then asks again a second later), so waiting tabs
/// never take every connection the server keeps open.
const MAX_WAITING: usize = 32;
const _: () = assert!(MAX_WAITING < http::Limits::PREVIEW.connections / 2);

/// The state of the preview: which build is online, and whether the last
/// rebuild failed.
#[derive(Debug, Default)]
struct Status {
    /// Increases at every rebuild, good or bad.
    generation: u64,
    /// The error of the last rebuild, if it failed.
    error: Option<String>,
    /// Whether any build has succeeded yet.
    built: bool,
    /// What the last rebuild did (`built 72 papers`, `updated 4 pages`).
    outcome: String,
    /// The line the last rebuild printed.
    message: String,
}

/// The status, and the waiting reload requests, woken at every rebuild.
type Shared = Arc<(Mutex<Status>, Notify)>;

/// A running preview server. Dropping it stops the server and removes the
/// preview folder.
pub struct DevServer {
    addr: SocketAddr,
    output: PathBuf,
    status: Shared,
    // Fields drop in this order: the server stops before its folder goes.
    server: http::Server,
    _watch: Arc<watch::SiteWatch>,
    _temp: tempfile::TempDir,
}

/// How to serve.
#[derive(Debug, Clone, Default)]
pub struct ServeOptions {
    /// Port to listen on; 0 picks a free one.
    pub port: u16,
    /// Address to listen on; 127.0.0.1 unless asked.
    pub interface: Option<IpAddr>,
    /// The address the preview's feeds and canonical links use; the
    /// server's own address by default.
    pub base_url: Option<String>,
}

impl DevServer {
    /// Builds the site at `root` and starts serving it on `127.0.0.1:port`
    /// (port 0 picks a free one), watching it for changes.
    pub fn start(root: &Path, port: u16) -> Result<DevServer> {
        DevServer::start_with(root, &ServeOptions { port, ..ServeOptions::default() })
    }

    /// Like [`DevServer::start`], with every option.
    pub fn start_with(root: &Path, options: &ServeOptions) -> Result<DevServer> {
        Site::load(root)?;
        let temp = tempfile::tempdir().context("failed to create a temporary folder for the preview")?;
        let output = temp.path().join("public");
        let status: Shared = Arc::default();
        let handler: http::Handler = {
            let (output, status, waiting) = (output.clone(), status.clone(), Arc::new(AtomicUsize::new(0)));
            Arc::new(move |request: Request| -> http::Answer {
                Box::pin(respond(request, output.clone(), status.clone(), waiting.clone()))
            })
        };
        let ip = options.interface.unwrap_or(IpAddr::V4(std::net::Ipv4Addr::LOCALHOST));
        let server = http::Server::start(ip, options.port, handler)?;
        let addr = server.addr();
        // Events name canonical paths; so must the paths they are compared with.
        let root = root.canonicalize().with_context(|| format!("failed to resolve `{}`", root.display()))?;
        let base_url = options.base_url.clone().unwrap_or_else(|| format!("http://{addr}/"));
        let mut rebuilder = Rebuilder {
            root: root.clone(),
            output: output.clone(),
            base_url,
            status: status.clone(),
            cache: temp.path().join("cache"),
            built: None,
            report: None,
        };
        rebuilder.run(&[]);

        let (sender, events) = std::sync::mpsc::channel::<Vec<PathBuf>>();
        let watch = Arc::new(watch::SiteWatch::start(&root, sender)?);
        let following = Arc::downgrade(&watch);

        std::thread::spawn(move || {
            while let Ok(mut changed) = events.recv() {
                // An editor's save is a burst of events: wait for it to end.
                while let Ok(more) = events.recv_timeout(Duration::from_millis(25)) {
                    changed.extend(more);
                }
                changed.sort();
                changed.dedup();
                let Some(watch) = following.upgrade() else { return };
                watch.follow(&changed);
                let names: Vec<String> = changed.iter().map(|p| watch.relative(p).display().to_string()).collect();
                drop(watch);
                rebuilder.run_after(&changed, &names);
            }
        });
        Ok(DevServer { addr, output, status, server, _watch: watch, _temp: temp })
    }

    /// The address being served.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The folder being served.
    pub fn output(&self) -> &Path {
        &self.output
    }

    /// The number of rebuilds so far and the last error, if any.
    pub fn status(&self) -> (u64, Option<String>) {
        let status = self.status.0.lock().expect("no thread panics holding the status");
        (status.generation, status.error.clone())
    }

    /// What the last successful rebuild did: `built N papers` for a full
    /// build, `updated N pages` for a quick one.
    pub fn last_outcome(&self) -> String {
        self.status.0.lock().expect("no thread panics holding the status").outcome.clone()
    }

    /// The line the last rebuild printed (`rebuilt: site.toml (built 72
    /// papers), 380 ms`, or its error).
    pub fn last_message(&self) -> String {
        self.status.0.lock().expect("no thread panics holding the status").message.clone()
    }

    /// Serves until Ctrl-C or SIGTERM (SIGHUP too), then stops and removes
    /// the preview folder. The signals are listened for before `ready`
    /// runs, so a signal sent once the address is announced stops cleanly.
    pub fn wait(self, ready: impl FnOnce(&DevServer)) -> Result<()> {
        let signals = self.server.signals()?;
        ready(&self);
        self.server.wait_for(signals);
        drop(self);
        Ok(())
    }
}

/// The rebuild thread's state: the last good build, kept in memory so that
/// an edit to one paper page re-renders only the pages that show it.
struct Rebuilder {
    root: PathBuf,
    output: PathBuf,
    base_url: String,
    status: Shared,
    /// The record of the last build, so that a rebuild renders only what changed.
    cache: PathBuf,
    built: Option<Built>,
    /// The files that changed, for the next message.
    report: Option<String>,
}

impl Rebuilder {
    /// Rebuilds after `changed` files changed, and says which and how long
    /// it took (`rebuilt: content/papers/x.md (3 pages), 38 ms`).
    fn run_after(&mut self, changed: &[PathBuf], names: &[String]) {
        self.report = Some(changed_names(names));
        self.run(changed);
    }

    /// Rebuilds after `changed` files changed (none: the first build), and
    /// publishes the outcome to the open pages.
    fn run(&mut self, changed: &[PathBuf]) {
        let start = Instant::now();
        let result = match self.quick(changed) {
            Ok(Some(pages)) => Ok(format!("updated {pages} pages")),
            Ok(None) => self.full(),
            Err(e) => Err(e),
        };
        let (lock, notify) = &*self.status;
        let mut status = lock.lock().expect("no thread panics holding the status");
        status.generation += 1;
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        match result {
            Ok(what) => {
                status.message = match self.report.take() {
                    Some(names) => format!("rebuilt: {names} ({what}), {ms:.0} ms"),
                    None => format!("{what} in {ms:.0} ms"),
                };
                eprintln!("{}", crate::terminal::escape(&status.message));
                status.error = None;
                status.built = true;
                status.outcome = what;
            }
            Err(e) => {
                let message = format!("{e:#}");
                let names = self.report.take().map(|n| format!(" after a change to {n}")).unwrap_or_default();
                let serving = if status.built {
                    "still serving the last good build"
                } else {
                    "nothing to serve until the site builds: fix it and save"
                };
                status.message = format!("error{names}: {message}\n({serving})");
                eprintln!("{}", crate::terminal::escape(&status.message));
                status.error = Some(message);
            }
        }
        notify.notify_waiters();
    }

    /// A full build, rereading `site.toml`.
    fn full(&mut self) -> Result<String> {
        let site = Site::load(&self.root)?;
        let options = BuildOptions {
            base_url: Some(self.base_url.clone()),
            output: Some(self.output.clone()),
            cache: Some(self.cache.clone()),
        };
        let (report, built) = build_and_keep(&site, &options)?;
        for problem in report.skipped.iter().chain(&report.data_skipped).chain(&report.warnings) {
            eprintln!("warning: {}", crate::terminal::escape_line(&problem.to_string()));
        }
        self.built = Some(built);
        Ok(format!("built {} papers", report.papers))
    }

    /// When only paper pages changed, and only in what their own and their
    /// listing pages show, re-renders those pages and returns how many;
    /// `None` when a full build is needed.
    fn quick(&mut self, changed: &[PathBuf]) -> Result<Option<usize>> {
        let Some(built) = &mut self.built else { return Ok(None) };
        let papers = self.root.join("content").join("papers");
        let all_pages = changed.iter().all(|p| p.starts_with(&papers) && p.extension().is_some_and(|e| e == "md"));
        if changed.is_empty() || !all_pages || !changed.iter().all(|p| p.is_file()) {
            return Ok(None);
        }
        crate::incremental::update_paper_pages(built, changed, &self.output, &self.cache)
    }
}

/// The changed files for a message: up to three, then how many more.
fn changed_names(names: &[String]) -> String {
    let mut out = names.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
    if names.len() > 3 {
        out.push_str(&format!(" and {} more", names.len() - 3));
    }
    out
}

/// Answers a request: the reload long poll, or a file (read on a thread
/// of the server's small pool, never on one that runs the futures).
async fn respond(request: Request, output: PathBuf, status: Shared, waiting: Arc<AtomicUsize>) -> Response {
    let Some(query) = request.target.strip_prefix(WAIT_PATH) else {
        let read = tokio::task::spawn_blocking(move || file_response(&request.target, &output, &status));
        return read.await.unwrap_or_else(|_| Response::text(500, "the file could not be read\n"));
    };
    let Some(_waiting) = Waiting::enter(&waiting) else {
        return Response::text(503, "too many tabs are waiting\n");
    };
    let since = query.trim_start_matches("?since=").parse().unwrap_or(0);
    json(wait_for_change(&status, since).await)
}

/// One waiting reload request, counted while it waits: also when the tab
/// goes away and its request is dropped half-way.
struct Waiting<'a>(&'a AtomicUsize);

impl<'a> Waiting<'a> {
    fn enter(count: &'a AtomicUsize) -> Option<Waiting<'a>> {
        if count.fetch_add(1, Ordering::SeqCst) >= MAX_WAITING {
            count.fetch_sub(1, Ordering::SeqCst);
            return None;
        }
        Some(Waiting(count))
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Waits until the generation passes `since` (or a timeout), then reports
/// it. A future: a waiting tab holds a connection, not a thread.
async fn wait_for_change(status: &Shared, since: u64) -> String {
    let (lock, changed) = &**status;
    let deadline = tokio::time::Instant::now() + WAIT_TIMEOUT;
    loop {
        // Registered before the generation is read, so a rebuild that
        // ends in between still wakes it.
        let mut woken = std::pin::pin!(changed.notified());
        woken.as_mut().enable();
        {
            let status = lock.lock().expect("no thread panics holding the status");
            if status.generation > since {
                return state_json(&status);
            }
        }
        if tokio::time::timeout_at(deadline, woken).await.is_err() {
            return state_json(&lock.lock().expect("no thread panics holding the status"));
        }
    }
}

fn state_json(status: &Status) -> String {
    serde_json::json!({ "generation": status.generation, "error": status.error }).to_string()
}

fn json(body: String) -> Response {
    Response::new(200, "application/json", body)
}

fn file_response(url: &str, output: &Path, status: &Shared) -> Response {
    let state = {
        let status = status.0.lock().expect("no thread panics holding the status");
        (status.generation, status.error.clone(), status.built)
    };
    let (generation, error, built) = state;
    if !built {
        let page = format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed</title></head><body><h1>The site does not build yet</h1>{}</body></html>",
            reload_script(generation, error.as_deref())
        );
        return html(page.into_bytes(), 500);
    }
    if let Some(location) = folder_location(output, url) {
        return Response::redirect(location);
    }
    let (path, code) = match resolve(output, url) {
        Some(path) => (path, 200),
        None => (output.join("404.html"), 404),
    };
    let Ok(bytes) = std::fs::read(&path) else {
        return Response::text(404, "not found");
    };
    if path.extension().is_some_and(|e| e == "html") {
        return html(inject(bytes, &reload_script(generation, error.as_deref())), code);
    }
    Response::new(code, content_type(&path), bytes)
}

fn html(body: Vec<u8>, code: u16) -> Response {
    Response::new(code, "text/html; charset=utf-8", body)
}

/// The file `url` names inside `output`, or `None` when there is none or
/// the path would leave `output` (`..`, encoded or not; symlinks out).
pub fn resolve(output: &Path, url: &str) -> Option<PathBuf> {
    let mut file = local_path(output, url)?;
    if file.is_dir() {
        file.push("index.html");
    }
    let file = file.canonicalize().ok()?;
    let root = output.canonicalize().ok()?;
    (file.starts_with(&root) && file.is_file()).then_some(file)
}

/// The path `url` names under `output`, not yet checked: `None` when it
/// is not UTF-8 once decoded, holds a NUL or a backslash, or climbs out
/// with `..`.
fn local_path(output: &Path, url: &str) -> Option<PathBuf> {
    let path = url.split(['?', '#']).next()?;
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8().ok()?;
    if decoded.contains(['\0', '\\']) {
        return None;
    }
    let mut file = output.to_path_buf();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return None,
            s => file.push(s),
        }
    }
    Some(file)
}

/// Where a folder asked for without its final slash is (`/topics` is at
/// `/topics/`), so that its index page's relative links work, as on
/// GitHub Pages; `None` for anything else.
fn folder_location(output: &Path, url: &str) -> Option<String> {
    let (path, query) = url.split_once('?').map_or((url, None), |(p, q)| (p, Some(q)));
    if path.ends_with('/') || !local_path(output, path)?.is_dir() {
        return None;
    }
    resolve(output, &format!("{path}/"))?;
    // One leading slash: `//host/` would name another site.
    let mut location = format!("/{}/", path.trim_start_matches('/'));
    if let Some(query) = query {
        location.push('?');
        location.push_str(query);
    }
    Some(location)
}

/// The `Content-Type` of a file, by its extension (`mime_guess`); text
/// is UTF-8, as everything a build writes is.
fn content_type(path: &Path) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let text = mime.type_() == mime_guess::mime::TEXT || mime.subtype() == mime_guess::mime::JAVASCRIPT;
    if text && mime.get_param(mime_guess::mime::CHARSET).is_none() {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

/// Puts `script` before `</body>` (or at the end).
fn inject(mut page: Vec<u8>, script: &str) -> Vec<u8> {
    let at = page.windows(7).rposition(|w| w.eq_ignore_ascii_case(b"</body>")).unwrap_or(page.len());
    page.splice(at..at, script.bytes());
    page
}

/// The live-reload script: asks the server to wait for a rebuild, then
/// reloads the page, or shows the rebuild error over it.
fn reload_script(generation: u64, error: Option<&str>) -> String {
    let error = script_string(error);
    format!(
        r#"<script>(function () {{
  var seen = {generation};
  function show(message) {{
    var box = document.getElementById("paperpress-error");
    if (!message) {{ if (box) box.remove(); return; }}
    if (!box) {{
      box = document.createElement("pre");
      box.id = "paperpress-error";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;left:0;right:0;bottom:0;max-height:50vh;overflow:auto;margin:0;padding:1rem;background:#3a0d0d;color:#ffe1e1;font:13px/1.45 ui-monospace,monospace;white-space:pre-wrap;z-index:2147483647";
      document.body.appendChild(box);
    }}
    box.textContent = "paperpress: the last rebuild failed; this is the previous build.\n\n" + message;
  }}
  function wait() {{
    fetch("{WAIT_PATH}?since=" + seen).then(function (r) {{ return r.json(); }}).then(function (s) {{
      if (s.generation > seen) {{
        if (!s.error) {{ location.reload(); return; }}
        seen = s.generation;
        show(s.error);
      }}
      wait();
    }}).catch(function () {{ setTimeout(wait, 1000); }});
  }}
  show({error});
  wait();
}})();</script>"#
    )
}

/// `text` as a JavaScript value inside a `<script>` element: JSON with
/// `<`, `>` and `&` written as `\u003c`..., so no file name or message
/// (`<!--<script>`, `</script>`) can end the script or change how the
/// page reads it.
fn script_string(text: Option<&str>) -> String {
    serde_json::to_string(&text)
        .expect("a string serializes")
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_output_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(out.join("papers")).unwrap();
        std::fs::write(out.join("index.html"), "home").unwrap();
        std::fs::write(out.join("papers/a b.html"), "paper").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        assert_eq!(resolve(&out, "/").unwrap(), out.join("index.html").canonicalize().unwrap());
        assert!(resolve(&out, "/papers/a%20b.html?x=1").is_some());
        for bad in [
            "/../secret.txt",
            "/papers/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E%2Fsecret.txt",
            "/..%2fsecret.txt",
            "/papers/..%5c..%5csecret.txt",
            "/%252e%252e/secret.txt",
            "/nothing.html",
            "/%ff.html",
            "/index.html%00.txt",
            "/index.html%00",
        ] {
            assert_eq!(resolve(&out, bad), None, "{bad}");
        }
    }

    #[test]
    fn folders_without_their_slash_redirect_to_it() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(out.join("topics/agents")).unwrap();
        std::fs::create_dir_all(out.join("empty")).unwrap();
        std::fs::create_dir_all(dir.path().join("outside")).unwrap();
        std::fs::write(out.join("topics/agents/index.html"), "agents").unwrap();
        std::fs::write(dir.path().join("outside/index.html"), "outside").unwrap();
        assert_eq!(folder_location(&out, "/topics/agents").as_deref(), Some("/topics/agents/"));
        assert_eq!(folder_location(&out, "/topics/agents?x=1").as_deref(), Some("/topics/agents/?x=1"));
        assert_eq!(folder_location(&out, "//topics/agents").as_deref(), Some("/topics/agents/"), "never `//host`");
        for none in ["/topics/agents/", "/topics/agents/index.html", "/empty", "/nothing", "/../outside", "/"] {
            assert_eq!(folder_location(&out, none), None, "{none}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_the_output_folder_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), out.join("link.txt")).unwrap();
        std::os::unix::fs::symlink(dir.path(), out.join("up")).unwrap();
        assert_eq!(resolve(&out, "/link.txt"), None);
        assert_eq!(resolve(&out, "/up/secret.txt"), None);
    }

    #[test]
    fn content_types_follow_the_extension() {
        for (name, expected) in [
            ("style.css", "text/css; charset=utf-8"),
            ("list.js", "text/javascript; charset=utf-8"),
            ("index.html", "text/html; charset=utf-8"),
            ("notes.txt", "text/plain; charset=utf-8"),
            ("atom.xml", "text/xml; charset=utf-8"),
            ("favicon.svg", "image/svg+xml"),
            ("search/index.json", "application/json"),
            ("fig.png", "image/png"),
            ("fig.JPG", "image/jpeg"),
            ("font.woff2", "font/woff2"),
            ("paper.pdf", "application/pdf"),
            ("module.wasm", "application/wasm"),
            ("CNAME", "application/octet-stream"),
            ("data.unknown-ext", "application/octet-stream"),
        ] {
            assert_eq!(content_type(Path::new(name)), expected, "{name}");
        }
    }

    #[test]
    fn the_reload_script_goes_before_the_end_of_body() {
        let page = inject(b"<html><body><p>x</p></body></html>".to_vec(), "<script></script>");
        assert_eq!(String::from_utf8(page).unwrap(), "<html><body><p>x</p><script></script></body></html>");
        let script = reload_script(3, Some("</script><b>x"));
        assert!(!script.contains("</script><b>"), "an error message cannot close the script");
    }

    #[test]
    fn issue_12_the_error_overlay_shows_file_names_as_text() {
        let error = "failed to read `content/<!--<script>x.md`: </script><script>alert(1)</script> & \u{2028}";
        let script = reload_script(1, Some(error));
        let body = script.trim_start_matches("<script>").trim_end_matches("</script>");
        for bad in ["<!--", "<script", "</script", "&", "\u{2028}"] {
            assert!(!body.contains(bad), "{bad} in {body}");
        }
        let value: Option<String> = serde_json::from_str(&script_string(Some(error))).unwrap();
        assert_eq!(value.as_deref(), Some(error), "the overlay shows the message as it is");
    }
}
