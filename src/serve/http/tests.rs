use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpStream};

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

/// Short bounds, so that the tests see them act.
const SMALL: Limits = Limits {
    connections: 3,
    head_bytes: 8 * 1024,
    head_timeout: Duration::from_millis(300),
    write_timeout: Duration::from_millis(300),
};

/// A server on 127.0.0.1 whose handler answers `/` with `home`, `/big`
/// with 64 MiB, and never answers `/wait`.
fn server(limits: Limits) -> Server {
    let handler: Handler = Arc::new(|request: Request| -> Answer {
        Box::pin(async move {
            match request.target.as_str() {
                "/wait" => std::future::pending().await,
                "/big" => Response::new(200, "application/octet-stream", vec![b'x'; 64 << 20]),
                target => Response::text(200, &format!("home {target}")),
            }
        })
    });
    Server::start_with(IpAddr::V4(Ipv4Addr::LOCALHOST), 0, handler, limits).unwrap()
}

fn connect(server: &Server) -> TcpStream {
    let stream = TcpStream::connect(server.addr()).unwrap();
    // Generous: a read that hits it means the server did not answer.
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    stream
}

/// Sends a GET for `path` and reads one answer (its head, and a body of
/// `Content-Length` bytes), leaving the connection open.
fn exchange(stream: &mut TcpStream, server: &Server, path: &str) -> (u16, String) {
    let port = server.addr().port();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").unwrap();
    read_answer(stream)
}

/// Reads the head of an answer, up to its blank line.
fn read_head(stream: &mut TcpStream) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).unwrap() == 0 {
            break;
        }
        head.push(byte[0]);
    }
    String::from_utf8(head).unwrap()
}

/// Reads one answer: its code, and its head and body as text.
fn read_answer(stream: &mut TcpStream) -> (u16, String) {
    let head = read_head(stream);
    let code = head.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let length: usize = head
        .lines()
        .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length: ").map(|v| v.trim().parse().unwrap()))
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).unwrap();
    (code, format!("{head}{}", String::from_utf8_lossy(&body)))
}

/// Whether the server closes `stream` within the read timeout (20 s).
fn closed(stream: &mut TcpStream) -> bool {
    match stream.read_to_end(&mut Vec::new()) {
        Ok(_) => true,
        Err(e) => e.kind() == std::io::ErrorKind::ConnectionReset,
    }
}

#[test]
fn keep_alive_answers_several_requests_on_one_connection() {
    let server = server(Limits::PREVIEW);
    let mut stream = connect(&server);
    for path in ["/", "/a.css", "/b.js?x=1"] {
        let (code, answer) = exchange(&mut stream, &server, path);
        assert_eq!(code, 200, "{answer}");
        assert!(answer.ends_with(&format!("home {path}")), "{answer}");
        assert!(answer.to_ascii_lowercase().contains("cache-control: no-store"), "{answer}");
        assert!(answer.to_ascii_lowercase().contains("x-content-type-options: nosniff"), "{answer}");
    }
}

#[test]
fn idle_and_slow_clients_are_dropped_after_the_head_timeout() {
    let server = server(SMALL);
    // Idle after an answer (keep-alive)...
    let mut kept = connect(&server);
    assert_eq!(exchange(&mut kept, &server, "/").0, 200);
    // ... idle from the start...
    let mut idle = connect(&server);
    // ... and sending its head a byte at a time, too slowly.
    let mut slow = connect(&server);
    slow.write_all(b"GET / HTTP/1.1\r\nHo").unwrap();
    for stream in [&mut kept, &mut idle, &mut slow] {
        assert!(closed(stream), "the server closes the connection");
    }
}

#[test]
fn past_the_connection_bound_clients_wait_until_a_connection_closes() {
    let server = server(Limits { head_timeout: Duration::from_secs(30), ..SMALL });
    let held: Vec<TcpStream> = (0..SMALL.connections).map(|_| connect(&server)).collect();
    let mut waiting = connect(&server);
    let port = server.addr().port();
    write!(waiting, "GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").unwrap();
    waiting.set_read_timeout(Some(Duration::from_millis(500))).unwrap();
    let mut byte = [0u8; 1];
    let early = waiting.read(&mut byte);
    assert!(early.is_err(), "no answer while every connection is taken: {early:?}");
    drop(held);
    waiting.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let (code, answer) = read_answer(&mut waiting);
    assert_eq!(code, 200, "answered once a connection closed: {answer}");
    assert!(answer.ends_with("home /"), "{answer}");
}

#[test]
fn a_client_that_stops_reading_is_dropped_and_frees_its_connection() {
    let server = server(Limits { connections: 1, ..SMALL });
    let mut reader = connect(&server);
    let port = server.addr().port();
    write!(reader, "GET /big HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").unwrap();
    // `reader` never reads its 64 MiB; the only connection comes free.
    let mut next = connect(&server);
    assert_eq!(exchange(&mut next, &server, "/").0, 200);
}

#[test]
fn requests_that_wait_hold_no_thread() {
    let server = server(Limits::PREVIEW);
    let port = server.addr().port();
    // Many more waiting requests than the server has threads.
    let waiting: Vec<TcpStream> = (0..4 * (WORKER_THREADS + BLOCKING_THREADS))
        .map(|_| {
            let mut stream = connect(&server);
            write!(stream, "GET /wait HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").unwrap();
            stream
        })
        .collect();
    for path in ["/", "/style.css", "/list.js", "/saved.js", "/search.js", "/syntax.css", "/favicon.svg"] {
        let mut stream = connect(&server);
        assert_eq!(exchange(&mut stream, &server, path).0, 200, "{path}");
    }
    for mut stream in waiting {
        stream.set_nonblocking(true).unwrap();
        let still = stream.read(&mut [0u8; 1]);
        assert!(still.is_err_and(|e| e.kind() == std::io::ErrorKind::WouldBlock), "still waiting");
    }
}

#[test]
fn issue_12_heads_past_the_bound_get_431() {
    let server = server(SMALL);
    let mut stream = connect(&server);
    let port = server.addr().port();
    let mut head = format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Big: ").into_bytes();
    head.extend(std::iter::repeat_n(b'a', 2 * SMALL.head_bytes));
    head.extend(b"\r\n\r\n");
    let _ = stream.write_all(&head);
    assert_eq!(read_answer(&mut stream).0, 431);
    // A head just under the bound is answered.
    let mut stream = connect(&server);
    write!(stream, "GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Big: {}\r\n\r\n", "a".repeat(SMALL.head_bytes - 100))
        .unwrap();
    assert_eq!(read_answer(&mut stream).0, 200);
}

#[test]
fn only_get_and_head_for_the_local_host() {
    let server = server(Limits::PREVIEW);
    let port = server.addr().port();
    let ask = |request: String| {
        let mut stream = connect(&server);
        stream.write_all(request.as_bytes()).unwrap();
        read_answer(&mut stream)
    };
    let (code, answer) = ask(format!("POST / HTTP/1.1\r\nHost: localhost:{port}\r\nContent-Length: 0\r\n\r\n"));
    assert_eq!(code, 405);
    assert!(answer.to_ascii_lowercase().contains("allow: get, head"), "{answer}");
    let mut stream = connect(&server);
    write!(stream, "HEAD /x HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n").unwrap();
    let head = read_head(&mut stream);
    assert!(head.starts_with("HTTP/1.1 200 "), "{head}");
    let length = "home /x".len();
    assert!(head.to_ascii_lowercase().contains(&format!("content-length: {length}\r\n")), "{head}");
    // No body follows: the next answer's head comes right after.
    let (code, answer) = exchange(&mut stream, &server, "/y");
    assert_eq!(code, 200);
    assert!(answer.ends_with("home /y"), "no body for HEAD: {answer}");
    // An absolute URL for another host, with a local Host header.
    let (code, _) = ask(format!("GET http://evil.example:{port}/ HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n"));
    assert_eq!(code, 403);
    let (code, _) = ask(format!("GET http://localhost:{port}/ HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n"));
    assert_eq!(code, 200);
    let (code, _) = ask(format!("GET / HTTP/1.1\r\nHost: evil.example:{port}\r\n\r\n"));
    assert_eq!(code, 403);
}

#[test]
fn on_another_interface_any_host_is_answered() {
    let handler: Handler = Arc::new(|_| -> Answer { Box::pin(async { Response::text(200, "ok") }) });
    // 0.0.0.0 is not loopback: `--interface` asked for it. The test
    // connects through loopback, still on this machine.
    let server = Server::start_with(IpAddr::V4(Ipv4Addr::UNSPECIFIED), 0, handler, SMALL).unwrap();
    let mut stream = TcpStream::connect((Ipv4Addr::LOCALHOST, server.addr().port())).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    stream.write_all(b"GET / HTTP/1.1\r\nHost: my-laptop.local:8080\r\n\r\n").unwrap();
    assert_eq!(read_answer(&mut stream).0, 200);
}

#[test]
fn dropping_the_server_closes_its_connections_and_port() {
    let server = server(Limits::PREVIEW);
    let addr = server.addr();
    let mut waiting = connect(&server);
    write!(waiting, "GET /wait HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n", addr.port()).unwrap();
    drop(server);
    assert!(closed(&mut waiting), "a waiting request ends with the server");
    assert!(TcpStream::connect(addr).is_err(), "nothing listens any more");
}
