//! The preview server's HTTP/1.1: a bounded accept loop in front of a
//! fixed pool of worker threads, for a server that a web page in the same
//! browser may try to abuse.
//!
//! Every bound is a constant here: at most [`WORKERS`] requests are
//! answered at once and [`QUEUE`] more wait (anything beyond gets a quick
//! `503`); a request head larger than [`MAX_HEAD`] gets `431`; a client
//! that sends its head slower than [`HEAD_TIMEOUT`] or reads the answer
//! slower than [`WRITE_TIMEOUT`] is dropped. Every answer closes its
//! connection, so no idle connection holds a thread. Requests whose `Host`
//! is not a loopback address or `localhost`, with the server's port, are
//! refused: a page of another site that rebinds its name to 127.0.0.1
//! (DNS rebinding) cannot read the preview. Request heads are parsed by
//! `httparse`.

use std::io::{Read, Write};
use std::net::{IpAddr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::error::{Context, Result, anyhow};

/// Requests answered at once.
pub const WORKERS: usize = 16;
/// Connections accepted and waiting for a worker.
pub const QUEUE: usize = 64;
/// The largest request head (request line and headers) read.
pub const MAX_HEAD: usize = 16 * 1024;
/// How long a client may take to send its request head.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// How long one write of the answer may wait for the client to read.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// What the handler sees of a request.
#[derive(Debug)]
pub struct Request {
    /// `GET`, `HEAD`, ...
    pub method: String,
    /// The request target as sent: path and query.
    pub target: String,
}

/// An answer.
#[derive(Debug)]
pub struct Response {
    /// Status code.
    pub code: u16,
    /// `Content-Type`.
    pub content_type: &'static str,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// A plain-text answer.
    pub fn text(code: u16, body: &str) -> Response {
        Response { code, content_type: "text/plain; charset=utf-8", body: body.as_bytes().to_vec() }
    }
}

/// The handler every worker calls.
pub type Handler = Arc<dyn Fn(&Request) -> Response + Send + Sync>;

/// A running server; dropping it stops the accept loop and the workers.
pub struct Server {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
}

impl Server {
    /// Listens on `ip:port` (0 picks a free port) and answers with
    /// `handler`. On a loopback address only loopback `Host` names are
    /// answered; on another address (`serve --interface`, which the owner
    /// asks for) any `Host` is, since other machines name it their way.
    pub fn start(ip: IpAddr, port: u16, handler: Handler) -> Result<Server> {
        let listener = TcpListener::bind((ip, port)).map_err(|e| {
            anyhow!("cannot listen on {ip}:{port}: {e} (is another server running? pass `--port` to pick another)")
        })?;
        let addr = listener.local_addr().context("the server has no address")?;
        let hosts = Hosts { port: addr.port(), any: !ip.is_loopback() };
        let stop = Arc::new(AtomicBool::new(false));
        let (connections, queue) = std::sync::mpsc::sync_channel::<TcpStream>(QUEUE);
        let queue = Arc::new(Mutex::new(queue));
        let mut threads = Vec::with_capacity(WORKERS + 1);
        for n in 0..WORKERS {
            let (queue, handler) = (queue.clone(), handler.clone());
            let worker = std::thread::Builder::new()
                .name(format!("serve worker {n}"))
                .spawn(move || work(&queue, &handler, hosts))
                .context("failed to start a server thread")?;
            threads.push(worker);
        }
        let accept_stop = stop.clone();
        let accept = std::thread::Builder::new()
            .name("serve accept".into())
            .spawn(move || accept_loop(&listener, &connections, &accept_stop))
            .context("failed to start the server thread")?;
        threads.push(accept);
        Ok(Server { addr, stop, threads })
    }

    /// The address served.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop, which then drops the queue: the workers end.
        let _ = TcpStream::connect(self.addr);
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

fn accept_loop(listener: &TcpListener, connections: &SyncSender<TcpStream>, stop: &AtomicBool) {
    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        let Ok(stream) = stream else { continue };
        match connections.try_send(stream) {
            Ok(()) => {}
            Err(TrySendError::Full(stream)) => {
                // Every worker is busy and the queue is full: say so at
                // once rather than hold the connection.
                let _ = stream.set_write_timeout(Some(Duration::from_millis(200)));
                let _ = respond(&stream, &Response::text(503, "busy: try again\n"), false);
            }
            Err(TrySendError::Disconnected(_)) => return,
        }
    }
}

/// The `Host` names a server answers: loopback ones with its port, or any.
#[derive(Debug, Clone, Copy)]
struct Hosts {
    port: u16,
    any: bool,
}

fn work(queue: &Mutex<Receiver<TcpStream>>, handler: &Handler, hosts: Hosts) {
    loop {
        let stream = {
            let queue = queue.lock().expect("no worker panics holding the queue");
            match queue.recv() {
                Ok(stream) => stream,
                Err(_) => return,
            }
        };
        let _ = serve_connection(stream, handler, hosts);
    }
}

/// Reads one request, answers it and closes the connection.
fn serve_connection(stream: TcpStream, handler: &Handler, hosts: Hosts) -> std::io::Result<()> {
    stream.set_write_timeout(Some(WRITE_TIMEOUT))?;
    let response = match read_head(&stream)? {
        Head::Complete(head) => match parse(&head, hosts) {
            Ok(request) => {
                let head_only = request.method == "HEAD";
                let response = if matches!(request.method.as_str(), "GET" | "HEAD") {
                    handler(&request)
                } else {
                    Response::text(405, "only GET and HEAD\n")
                };
                return respond(&stream, &response, head_only);
            }
            Err(response) => response,
        },
        Head::TooLarge => Response::text(431, "request head too large\n"),
        Head::Closed => return Ok(()),
    };
    respond(&stream, &response, false)
}

enum Head {
    Complete(Vec<u8>),
    TooLarge,
    /// Closed, or too slow.
    Closed,
}

/// Reads up to the blank line that ends the request head, within
/// [`HEAD_TIMEOUT`] and [`MAX_HEAD`] bytes.
fn read_head(mut stream: &TcpStream) -> std::io::Result<Head> {
    let deadline = Instant::now() + HEAD_TIMEOUT;
    let mut head = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Ok(Head::Closed);
        }
        stream.set_read_timeout(Some(left))?;
        let n = match stream.read(&mut chunk) {
            Ok(0) => return Ok(Head::Closed),
            Ok(n) => n,
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
                return Ok(Head::Closed);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        // Only the new bytes (and three before them) can complete the end.
        let from = head.len().saturating_sub(3);
        head.extend_from_slice(&chunk[..n]);
        if let Some(end) = memchr::memmem::find(&head[from..], b"\r\n\r\n") {
            head.truncate(from + end + 4);
            return Ok(Head::Complete(head));
        }
        if head.len() >= MAX_HEAD {
            return Ok(Head::TooLarge);
        }
    }
}

/// The request in `head`, or the answer that refuses it.
fn parse(head: &[u8], hosts: Hosts) -> std::result::Result<Request, Response> {
    let port = hosts.port;
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut request = httparse::Request::new(&mut headers);
    match request.parse(head) {
        Ok(httparse::Status::Complete(_)) => {}
        _ => return Err(Response::text(400, "bad request\n")),
    }
    let host = request.headers.iter().find(|h| h.name.eq_ignore_ascii_case("host")).map(|h| h.value);
    let host_ok = hosts.any || host.and_then(|h| std::str::from_utf8(h).ok()).is_some_and(|h| is_local_host(h, port));
    if !host_ok {
        return Err(Response::text(
            403,
            &format!("paperpress serve answers only requests for 127.0.0.1:{port} or localhost:{port}\n"),
        ));
    }
    Ok(Request {
        method: request.method.unwrap_or_default().to_string(),
        target: request.path.unwrap_or("/").to_string(),
    })
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

fn reason(code: u16) -> &'static str {
    match code {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

fn respond(mut stream: &TcpStream, response: &Response, head_only: bool) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        response.code,
        reason(response.code),
        response.content_type,
        response.body.len()
    );
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(&response.body)?;
    }
    stream.flush()?;
    let _ = stream.shutdown(Shutdown::Write);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_12_only_local_host_names_with_the_port() {
        for host in ["127.0.0.1:1111", "localhost:1111", "LOCALHOST:1111", "[::1]:1111", "127.1.2.3:1111"] {
            assert!(is_local_host(host, 1111), "{host}");
        }
        for host in [
            "evil.example:1111",
            "127.0.0.1",
            "localhost",
            "127.0.0.1:2222",
            "localhost.evil.example:1111",
            "192.168.1.1:1111",
            "[::1]",
            "",
            "127.0.0.1:1111:1111",
        ] {
            assert!(!is_local_host(host, 1111), "{host}");
        }
        assert!(is_local_host("localhost", 80) && is_local_host("[::1]", 80));
    }
}
