//! The preview server's HTTP/1.1, on hyper and a small tokio runtime, for
//! a server that a web page in the same browser may try to abuse.
//!
//! Every bound is in [`Limits`]: at most [`Limits::connections`]
//! connections are open at once (further ones wait in the listen queue,
//! unaccepted, holding neither a task nor a buffer); a request head larger
//! than [`Limits::head_bytes`] gets `431`; a client that takes longer than
//! [`Limits::head_timeout`] to send a head (idle keep-alive connections
//! included) or that stops reading an answer for [`Limits::write_timeout`]
//! is dropped. The runtime has [`WORKER_THREADS`] threads and at most
//! [`BLOCKING_THREADS`] more for file reads, however many clients there
//! are; a request that waits (the live-reload long poll) is a future, not
//! a thread. Requests whose `Host` is not a loopback address or
//! `localhost`, with the server's port, are refused: a page of another site
//! that rebinds its name to 127.0.0.1 (DNS rebinding) cannot read the
//! preview. Only `GET` and `HEAD` are answered. Connections are kept alive
//! between requests, within those bounds.

use std::convert::Infallible;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{self, HeaderValue};
use hyper::{Method, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;

use crate::error::{Context, Result, anyhow};

/// Threads that run the server's futures.
pub const WORKER_THREADS: usize = 2;
/// Threads that read files for it, at most (started on demand; an idle
/// one ends after ten seconds).
pub const BLOCKING_THREADS: usize = 4;

/// The bounds of a server.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Connections open at once.
    pub connections: usize,
    /// The largest request head (request line and headers) read.
    pub head_bytes: usize,
    /// How long a client may take to send a request head, counted from
    /// the connection or from the end of the previous answer.
    pub head_timeout: Duration,
    /// How long a write of an answer may wait for the client to read.
    pub write_timeout: Duration,
}

impl Limits {
    /// The preview server's bounds.
    pub const PREVIEW: Limits = Limits {
        connections: 256,
        head_bytes: 16 * 1024,
        head_timeout: Duration::from_secs(10),
        write_timeout: Duration::from_secs(10),
    };
}

/// What the handler sees of a request (a `GET` or a `HEAD`: no other
/// method reaches it, and hyper leaves the body out of `HEAD` answers).
#[derive(Debug)]
pub struct Request {
    /// The request target's path and query, as sent.
    pub target: String,
}

/// An answer.
#[derive(Debug)]
pub struct Response {
    /// Status code.
    pub code: u16,
    /// `Content-Type`.
    pub content_type: String,
    /// The body (left out for `HEAD`, its length kept).
    pub body: Bytes,
    /// `Location`, for a redirect.
    pub location: Option<String>,
}

impl Response {
    /// A plain-text answer.
    pub fn text(code: u16, body: &str) -> Response {
        Response::new(code, "text/plain; charset=utf-8", body.to_string())
    }

    /// An answer of `content_type`.
    pub fn new(code: u16, content_type: impl Into<String>, body: impl Into<Bytes>) -> Response {
        Response { code, content_type: content_type.into(), body: body.into(), location: None }
    }

    /// A permanent redirect to `location`, a path on this server.
    pub fn redirect(location: String) -> Response {
        Response { location: Some(location), ..Response::text(301, "moved\n") }
    }
}

/// What the handler returns: the answer, once it is ready.
pub type Answer = Pin<Box<dyn Future<Output = Response> + Send>>;

/// The handler every request that passes the checks goes to. It runs on
/// the runtime: it may wait, and reads files with
/// `tokio::task::spawn_blocking`.
pub type Handler = Arc<dyn Fn(Request) -> Answer + Send + Sync>;

/// A running server; dropping it closes the listener and every connection
/// and ends its threads.
pub struct Server {
    addr: SocketAddr,
    runtime: Option<tokio::runtime::Runtime>,
}

impl Server {
    /// Listens on `ip:port` (0 picks a free port) and answers with
    /// `handler`, within [`Limits::PREVIEW`]. On a loopback address only
    /// loopback `Host` names are answered; on another address (`serve
    /// --interface`, which the owner asks for) any `Host` is, since other
    /// machines name it their way.
    pub fn start(ip: IpAddr, port: u16, handler: Handler) -> Result<Server> {
        Server::start_with(ip, port, handler, Limits::PREVIEW)
    }

    /// Like [`Server::start`], within `limits`.
    pub fn start_with(ip: IpAddr, port: u16, handler: Handler, limits: Limits) -> Result<Server> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(WORKER_THREADS)
            .max_blocking_threads(BLOCKING_THREADS)
            .thread_name("serve")
            .enable_all()
            .build()
            .context("failed to start the server's threads")?;
        // tokio's listener: SO_REUSEADDR (a restart right after Ctrl-C
        // finds the port free) and a listen queue of 128 connections
        // (more are refused by the system until it has room).
        let listener = runtime.block_on(TcpListener::bind((ip, port))).map_err(|e| {
            anyhow!("cannot listen on {ip}:{port}: {e} (is another server running? pass `--port` to pick another)")
        })?;
        let addr = listener.local_addr().context("the server has no address")?;
        let hosts = Hosts { port: addr.port(), any: !ip.is_loopback() };
        runtime.spawn(accept_loop(listener, handler, hosts, limits));
        Ok(Server { addr, runtime: Some(runtime) })
    }

    /// The address served.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Starts listening for Ctrl-C, SIGTERM and SIGHUP; [`Signals::wait`]
    /// returns once one of them has come, even before it was called.
    pub fn signals(&self) -> Result<Signals> {
        let runtime = self.runtime.as_ref().expect("the runtime lives as long as the server");
        let _inside = runtime.enter();
        Signals::listen().context("failed to listen for Ctrl-C and SIGTERM")
    }

    /// Blocks until one of `signals` comes.
    pub fn wait_for(&self, signals: Signals) {
        let runtime = self.runtime.as_ref().expect("the runtime lives as long as the server");
        runtime.block_on(signals.wait());
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            // Drops the listener and every connection at once; a file read
            // under way gets a moment to end.
            runtime.shutdown_timeout(Duration::from_secs(1));
        }
    }
}

/// The signals that stop a server, listened for from their creation on.
pub struct Signals {
    #[cfg(unix)]
    unix: [tokio::signal::unix::Signal; 3],
}

impl Signals {
    #[cfg(unix)]
    fn listen() -> std::io::Result<Signals> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Signals {
            unix: [signal(SignalKind::interrupt())?, signal(SignalKind::terminate())?, signal(SignalKind::hangup())?],
        })
    }

    #[cfg(not(unix))]
    fn listen() -> std::io::Result<Signals> {
        Ok(Signals {})
    }

    /// Returns when one of the signals has come.
    #[cfg(unix)]
    async fn wait(self) {
        let [mut interrupt, mut terminate, mut hangup] = self.unix;
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
            _ = hangup.recv() => {}
        }
    }

    #[cfg(not(unix))]
    async fn wait(self) {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Accepts connections while fewer than `limits.connections` are open.
async fn accept_loop(listener: TcpListener, handler: Handler, hosts: Hosts, limits: Limits) {
    let open = Arc::new(Semaphore::new(limits.connections));
    loop {
        let permit = open.clone().acquire_owned().await.expect("the semaphore is never closed");
        match listener.accept().await {
            Ok((stream, _)) => {
                let handler = handler.clone();
                tokio::spawn(async move {
                    serve_connection(stream, handler, hosts, limits).await;
                    drop(permit);
                });
            }
            // Out of file descriptors, or a connection reset before it
            // was accepted: try again shortly rather than spin.
            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
}

/// Answers the requests of one connection until it closes or times out.
async fn serve_connection(stream: TcpStream, handler: Handler, hosts: Hosts, limits: Limits) {
    let _ = stream.set_nodelay(true);
    let mut stream = tokio_io_timeout::TimeoutStream::new(stream);
    stream.set_write_timeout(Some(limits.write_timeout));
    let io = TokioIo::new(Box::pin(stream));
    let service = hyper::service::service_fn(move |request| answer(request, handler.clone(), hosts));
    let _ = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.head_timeout)
        .max_header_size(limits.head_bytes)
        .serve_connection(io, service)
        .await;
}

/// The `Host` names a server answers: loopback ones with its port, or any.
#[derive(Debug, Clone, Copy)]
struct Hosts {
    port: u16,
    any: bool,
}

/// Checks a request, has the handler answer it, and adds the headers every
/// answer carries.
async fn answer(
    request: hyper::Request<Incoming>,
    handler: Handler,
    hosts: Hosts,
) -> std::result::Result<hyper::Response<Full<Bytes>>, Infallible> {
    let response = match check(&request, hosts) {
        Ok(request) => handler(request).await,
        Err(refusal) => refusal,
    };
    Ok(into_hyper(response))
}

/// The request the handler gets, or the answer that refuses it.
fn check<B>(request: &hyper::Request<B>, hosts: Hosts) -> std::result::Result<Request, Response> {
    let port = hosts.port;
    // Two `Host` headers are refused, whichever one a proxy would read.
    let mut given = request.headers().get_all(header::HOST).iter();
    let host = given.next().and_then(|h| h.to_str().ok()).filter(|_| given.next().is_none());
    // A request for an absolute URL names its host there too.
    let authority = request.uri().authority().map(|a| a.as_str());
    let local = |name: Option<&str>| name.is_some_and(|h| is_local_host(h, port));
    if !hosts.any && !(local(host) && (authority.is_none() || local(authority))) {
        return Err(Response::text(
            403,
            &format!("paperpress serve answers only requests for 127.0.0.1:{port} or localhost:{port}\n"),
        ));
    }
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return Err(Response::text(405, "only GET and HEAD\n"));
    }
    let target = request.uri().path_and_query().map_or("/", |p| p.as_str()).to_string();
    Ok(Request { target })
}

/// `response` as hyper sends it (hyper leaves the body out for `HEAD` and
/// keeps its `Content-Length`).
fn into_hyper(response: Response) -> hyper::Response<Full<Bytes>> {
    let code = StatusCode::from_u16(response.code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let content_type =
        HeaderValue::from_str(&response.content_type).unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let mut answer = hyper::Response::new(Full::new(response.body));
    *answer.status_mut() = code;
    let headers = answer.headers_mut();
    headers.insert(header::CONTENT_TYPE, content_type);
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if let Some(location) = response.location.and_then(|l| HeaderValue::from_str(&l).ok()) {
        headers.insert(header::LOCATION, location);
    }
    if code == StatusCode::METHOD_NOT_ALLOWED {
        headers.insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
    }
    answer
}

/// Whether a `Host` header names this server: a loopback address or
/// `localhost`, with `port` (which a browser leaves out only for 80).
pub fn is_local_host(host: &str, port: u16) -> bool {
    let (name, rest) = match host.strip_prefix('[') {
        Some(inner) => match inner.split_once(']') {
            Some(split) => split,
            None => return false,
        },
        None => match host.find(':') {
            Some(at) => (&host[..at], &host[at..]),
            None => (host, ""),
        },
    };
    let given = match rest {
        "" => Some(80),
        rest => rest.strip_prefix(':').and_then(|p| p.parse::<u16>().ok()),
    };
    given == Some(port)
        && (name.eq_ignore_ascii_case("localhost") || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback()))
}

#[cfg(test)]
mod tests;
