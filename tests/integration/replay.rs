//! A local HTTP server on 127.0.0.1 that replays recorded responses, and
//! misbehaves on purpose (closes a connection mid-body, answers late), for
//! the fetch tests. Every request it gets is logged. It speaks just enough
//! HTTP/1.1 for a client: one request per connection, then it closes.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One scripted answer.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A status, extra headers and a body.
    Send(u16, Vec<(String, String)>, Vec<u8>),
    /// A 200 that announces `length` bytes, sends `body` (fewer) and closes.
    CloseMidBody { length: usize, body: Vec<u8> },
    /// Waits, then answers.
    Late(Duration, Box<Reply>),
}

impl Reply {
    /// A 200 with `body`.
    pub fn ok(body: impl Into<Vec<u8>>) -> Reply {
        Reply::Send(200, Vec::new(), body.into())
    }

    /// `status` with `body`.
    pub fn status(status: u16, body: impl Into<Vec<u8>>) -> Reply {
        Reply::Send(status, Vec::new(), body.into())
    }
}

/// A request as the server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    /// Path and query, as sent.
    pub target: String,
    /// Headers, names in lowercase.
    pub headers: HashMap<String, String>,
}

#[derive(Default)]
struct Routes {
    /// Path and query -> the answers still to give; the last one repeats.
    replies: HashMap<String, Vec<Reply>>,
    log: Vec<Seen>,
}

/// The server; it stops when dropped.
pub struct Replay {
    port: u16,
    routes: Arc<Mutex<Routes>>,
    stop: Arc<AtomicBool>,
}

impl Replay {
    /// Starts a server with no routes (every request gets a 404).
    pub fn start() -> Replay {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let routes = Arc::new(Mutex::new(Routes::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let (r, s) = (routes.clone(), stop.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if s.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let routes = r.clone();
                std::thread::spawn(move || serve(stream, &routes));
            }
        });
        Replay { port, routes, stop }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Answers requests for `target` (path and query) with `replies` in turn.
    pub fn route(&self, target: &str, replies: Vec<Reply>) -> &Replay {
        self.routes.lock().unwrap().replies.insert(target.to_string(), replies);
        self
    }

    /// Every request so far, in order.
    pub fn log(&self) -> Vec<Seen> {
        self.routes.lock().unwrap().log.clone()
    }

    /// The targets requested so far, in order.
    pub fn targets(&self) -> Vec<String> {
        self.log().into_iter().map(|s| s.target).collect()
    }
}

impl Drop for Replay {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn serve(stream: TcpStream, routes: &Mutex<Routes>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let mut headers = HashMap::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_string());
        }
    }
    let target = request_line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let reply = {
        let mut routes = routes.lock().unwrap();
        routes.log.push(Seen { target: target.clone(), headers });
        match routes.replies.get_mut(&target) {
            Some(queue) if queue.len() > 1 => queue.remove(0),
            Some(queue) => queue[0].clone(),
            None => Reply::status(404, format!("{{\"error\": \"no route for {target}\"}}")),
        }
    };
    send(stream, reply);
}

fn send(mut stream: TcpStream, reply: Reply) {
    match reply {
        Reply::Send(status, headers, body) => {
            let mut head = format!(
                "HTTP/1.1 {status} {}\r\nContent-Length: {}\r\nConnection: close\r\n",
                reason(status),
                body.len()
            );
            for (name, value) in headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str("\r\n");
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
        Reply::CloseMidBody { length, body } => {
            let head = format!("HTTP/1.1 200 OK\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n");
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
        Reply::Late(wait, reply) => {
            std::thread::sleep(wait);
            send(stream, *reply);
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}
