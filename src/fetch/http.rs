//! The HTTP policy of `fetch`: every request it makes goes through
//! [`Client::get`], which sets the timeouts and the User-Agent, keeps a
//! minimum interval between requests (arXiv asks for 3 seconds), and
//! retries what may pass on a second try: a connection that fails or breaks
//! off, a timeout, a 5xx or a 429, waiting longer each time, or as long as
//! the server's `Retry-After` says, at most [`Policy::tries`] times.
//! Requests are made by `ureq`; nothing here knows what the bodies mean.

use std::cell::Cell;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

/// The User-Agent of every request: paperpress, its version and where it lives.
pub const USER_AGENT: &str =
    concat!("paperpress/", env!("CARGO_PKG_VERSION"), " (+", env!("CARGO_PKG_REPOSITORY"), ")");

/// The largest body read; a larger one is an error (a day of Daily Papers
/// is about 100 KB, a page of 100 arXiv entries about 250 KB).
const MAX_BODY: u64 = 64 << 20;
/// The largest error body kept, for its message.
const MAX_ERROR_BODY: u64 = 64 << 10;

/// Waits for a while; tests record the waits instead.
pub type Sleep = Arc<dyn Fn(Duration) + Send + Sync>;

/// How patient fetching is.
#[derive(Clone)]
pub struct Policy {
    /// Time to open a connection. Default: 15 s.
    pub connect_timeout: Duration,
    /// Time for a whole request, from connecting to the last byte. Default: 60 s.
    pub timeout: Duration,
    /// Attempts per request, the first included. Default: 5.
    pub tries: u32,
    /// The wait before the first retry; each later one waits twice as long
    /// (1, 2, 4, 8 s). Default: 1 s.
    pub backoff: Duration,
    /// The longest `Retry-After` waited for; a server asking for more gets
    /// no retry. Default: 5 min.
    pub max_retry_after: Duration,
    /// How waiting is done. Default: `std::thread::sleep`.
    pub sleep: Sleep,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            connect_timeout: Duration::from_secs(15),
            timeout: Duration::from_secs(60),
            tries: 5,
            backoff: Duration::from_secs(1),
            max_retry_after: Duration::from_secs(300),
            sleep: Arc::new(std::thread::sleep),
        }
    }
}

impl fmt::Debug for Policy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Policy")
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("tries", &self.tries)
            .field("backoff", &self.backoff)
            .field("max_retry_after", &self.max_retry_after)
            .finish_non_exhaustive()
    }
}

impl Policy {
    /// The default policy with every wait (backoff, `Retry-After`, the
    /// interval between requests) multiplied by `factor`, for tests that
    /// run the real binary against a local server.
    pub fn with_waits_scaled(factor: f64) -> Policy {
        let base = Policy::default();
        let sleep: Sleep = Arc::new(move |d: Duration| std::thread::sleep(d.mul_f64(factor)));
        Policy { sleep, ..base }
    }

    /// The wait before retry number `retry` (1 = the first retry).
    fn backoff(&self, retry: u32) -> Duration {
        self.backoff.saturating_mul(1 << (retry - 1).min(16))
    }
}

/// A request that failed for good.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpError {
    /// The URL asked for.
    pub url: String,
    /// The last HTTP status, if a response came.
    pub status: Option<u16>,
    /// What went wrong, and after how many tries.
    pub message: String,
    /// The start of the error body, for the message a server put in it.
    pub body: Vec<u8>,
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.status {
            Some(status) => write!(f, "GET {} answered HTTP {status} {}", self.url, self.message),
            None => write!(f, "GET {} failed: {}", self.url, self.message),
        }
    }
}

impl std::error::Error for HttpError {}

/// One try that did not give a body.
struct Failure {
    status: Option<u16>,
    message: String,
    body: Vec<u8>,
    retry: bool,
    retry_after: Option<Duration>,
}

/// Makes requests under a [`Policy`], at most one per `interval`.
pub struct Client {
    agent: ureq::Agent,
    policy: Policy,
    interval: Duration,
    last: Cell<Option<Instant>>,
}

impl Client {
    /// A client; `interval` is the least time between the end of one
    /// request and the start of the next.
    pub fn new(policy: Policy, interval: Duration) -> Client {
        let agent = ureq::Agent::config_builder()
            .timeout_connect(Some(policy.connect_timeout))
            .timeout_global(Some(policy.timeout))
            .http_status_as_error(false)
            .user_agent(USER_AGENT)
            .build()
            .new_agent();
        Client { agent, policy, interval, last: Cell::new(None) }
    }

    /// The body of `GET url` with a 2xx status, after the retries the
    /// policy allows.
    pub fn get(&self, url: &str) -> Result<Vec<u8>, HttpError> {
        let mut tries = 0;
        loop {
            tries += 1;
            self.pace();
            let outcome = self.try_once(url);
            self.last.set(Some(Instant::now()));
            let failure = match outcome {
                Ok(body) => return Ok(body),
                Err(failure) => failure,
            };
            let wait = failure.retry_after.unwrap_or_else(|| self.policy.backoff(tries));
            let give_up = !failure.retry || tries >= self.policy.tries || wait > self.policy.max_retry_after;
            if give_up {
                let mut message = failure.message;
                if failure.retry && tries >= self.policy.tries {
                    message.push_str(&format!(" (after {tries} tries)"));
                } else if failure.retry {
                    message.push_str(&format!(" (the server asks to wait {} s: try again later)", wait.as_secs()));
                }
                return Err(HttpError { url: url.to_string(), status: failure.status, message, body: failure.body });
            }
            log::debug!("GET {url}: {}; trying again in {wait:?}", failure.message);
            (self.policy.sleep)(wait);
        }
    }

    /// Waits until `interval` has passed since the last request.
    fn pace(&self) {
        if let Some(last) = self.last.get() {
            let since = last.elapsed();
            if since < self.interval {
                (self.policy.sleep)(self.interval - since);
            }
        }
    }

    fn try_once(&self, url: &str) -> Result<Vec<u8>, Failure> {
        let mut response = self.agent.get(url).call().map_err(|e| transport_failure(&e))?;
        let status = response.status();
        if status.is_success() {
            return response.body_mut().with_config().limit(MAX_BODY).read_to_vec().map_err(|e| Failure {
                status: None,
                message: body_failure(&e),
                body: Vec::new(),
                retry: !matches!(e, ureq::Error::BodyExceedsLimit(_)),
                retry_after: None,
            });
        }
        let retry_after = response.headers().get("retry-after").and_then(|v| v.to_str().ok()).and_then(retry_after);
        let body = response.body_mut().with_config().limit(MAX_ERROR_BODY).read_to_vec().unwrap_or_default();
        Err(Failure {
            status: Some(status.as_u16()),
            message: status.canonical_reason().unwrap_or_default().to_string(),
            body,
            retry: status.is_server_error() || status.as_u16() == 429,
            retry_after,
        })
    }
}

/// A failure before any response came.
fn transport_failure(error: &ureq::Error) -> Failure {
    let (message, retry) = match error {
        ureq::Error::Timeout(_) => (format!("no complete response in time ({error})"), true),
        ureq::Error::Io(_) | ureq::Error::ConnectionFailed | ureq::Error::HostNotFound | ureq::Error::Protocol(_) => {
            (error.to_string(), true)
        }
        _ => (error.to_string(), false),
    };
    Failure { status: None, message, body: Vec::new(), retry, retry_after: None }
}

/// A failure while reading a 2xx body.
fn body_failure(error: &ureq::Error) -> String {
    match error {
        ureq::Error::BodyExceedsLimit(limit) => format!("the response is larger than {} MiB", limit >> 20),
        ureq::Error::Timeout(_) => format!("the response did not arrive in time ({error})"),
        _ => format!("the connection broke off before the whole response arrived ({error})"),
    }
}

/// The wait a `Retry-After` value asks for: seconds, or an HTTP date.
fn retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(SystemTime::now()).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_takes_seconds_or_a_date() {
        assert_eq!(retry_after(" 7 "), Some(Duration::from_secs(7)));
        let in_a_minute = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(61));
        let wait = retry_after(&in_a_minute).unwrap();
        assert!(wait > Duration::from_secs(55) && wait <= Duration::from_secs(61), "{wait:?}");
        assert_eq!(retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), Some(Duration::ZERO), "a date gone by");
        assert_eq!(retry_after("soon"), None);
    }

    #[test]
    fn backoff_doubles() {
        let policy = Policy::default();
        let waits: Vec<u64> = (1..=4).map(|r| policy.backoff(r).as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 8]);
    }

    #[test]
    fn the_user_agent_names_paperpress_and_its_version() {
        assert!(
            USER_AGENT.starts_with(&format!("paperpress/{} (+https://", env!("CARGO_PKG_VERSION"))),
            "{USER_AGENT}"
        );
    }
}
