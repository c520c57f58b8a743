//! A small HTTP/1.1 server for the stateful fakes of remote services (CROUS/Izly, ESC-R) that cannot be
//! reached from the tests: the real reqwest client talks to it over loopback exactly as to the real host.
//!
//! It runs on its own thread with its own current-thread tokio runtime, so it serves plain `#[test]`s,
//! `#[tokio::test]`s and benchmarks alike, also while the test thread blocks on a child process. It keeps
//! connections alive (reqwest pools them), reads `Content-Length` bodies, honours `Connection: close` and
//! HTTP/1.0, and never panics on what a client sends: a malformed request gets a 400 and the connection is
//! closed. Chunked request bodies are not supported (our client always sends `Content-Length`): they get a
//! 501 and the connection is closed.
//!
//! Self-contained (std + tokio + serde_json): the tests include it as `support::http_fake`, the benchmarks
//! with `#[path]` inside a `mod support { … }`.
#![allow(dead_code)]

#[path = "http_fake_wire.rs"]
mod wire;

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::mpsc;
use tokio::task::JoinSet;

/// Largest request head accepted (request line and headers); more gets a 431.
const MAX_HEAD: usize = 64 * 1024;
/// Largest request body accepted; more gets a 413.
const MAX_BODY: usize = 16 * 1024 * 1024;

/// One request as the fakes see it.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub method: String,
    /// The path without the query string, percent-decoded.
    pub path: String,
    /// The query string's pairs in order, percent-decoded (`+` is a space).
    pub query: Vec<(String, String)>,
    /// Header names lower-cased, values trimmed, in order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    /// The first value of a header; the name is matched case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON, or `None` when it is empty or not JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The first value of a query parameter.
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// One response; `Content-Length` and `Connection` are added by the server.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn json(status: u16, value: &serde_json::Value) -> Response {
        Response {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: value.to_string().into_bytes(),
        }
    }

    pub fn empty(status: u16) -> Response {
        Response {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Response {
        self.headers.push((name.to_ascii_lowercase(), value.into()));
        self
    }
}

/// What the handler wants done with a request.
#[derive(Debug, Clone)]
pub enum Reply {
    Now(Response),
    /// Answer after a delay, to make a client time out.
    After(Duration, Response),
    /// Close the connection without answering.
    Drop,
}

/// The request handler of a fake; it runs on the server's thread, one request at a time.
pub type Handler = Arc<dyn Fn(&Request) -> Reply + Send + Sync>;

/// A failure the tests inject into a fake, checked before the fake's normal handling.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// An error status with a body in the fake's own error format.
    Status {
        status: u16,
        code: Option<String>,
        message: String,
    },
    /// 429 with a `Retry-After` header (seconds).
    TooManyRequests { retry_after_secs: u64 },
    /// The normal answer, sent after this delay. The request's effect is applied at once, as a server
    /// that is slow to answer would already have done the work: the client times out on a change that
    /// did happen (the interesting case for exactly-once).
    Slow(Duration),
    /// Close the connection without answering.
    Drop,
}

impl Failure {
    pub fn status(status: u16, code: Option<&str>, message: &str) -> Failure {
        Failure::Status {
            status,
            code: code.map(str::to_string),
            message: message.into(),
        }
    }
}

/// Which requests an injected failure applies to, and how many times.
#[derive(Debug, Clone, PartialEq)]
pub struct Injection {
    /// `None` matches every method; otherwise compared case-insensitively.
    pub method: Option<String>,
    /// Matches when the decoded path contains this ("" matches every path).
    pub path_contains: String,
    /// How many matching requests fail; 0 = every one until the injections are cleared.
    pub times: u32,
    pub reply: Failure,
}

impl Injection {
    /// A failure for the next `times` requests (0 = until cleared) of `method` whose path contains `path`.
    pub fn new(method: Option<&str>, path_contains: &str, times: u32, reply: Failure) -> Injection {
        Injection {
            method: method.map(str::to_string),
            path_contains: path_contains.into(),
            times,
            reply,
        }
    }
}

/// The injected failures of one fake, in the order they were added: the first match wins.
#[derive(Debug, Default)]
pub struct Injections {
    list: Mutex<Vec<Injection>>,
}

impl Injections {
    pub fn add(&self, injection: Injection) {
        lock(&self.list).push(injection);
    }

    pub fn clear(&self) {
        lock(&self.list).clear();
    }

    /// The failure for this request, if one matches; a counted injection is used up by the match.
    pub fn take(&self, method: &str, path: &str) -> Option<Failure> {
        let mut list = lock(&self.list);
        let index = list.iter().position(|i| {
            i.method
                .as_deref()
                .is_none_or(|m| m.eq_ignore_ascii_case(method))
                && path.contains(i.path_contains.as_str())
        })?;
        let entry = list.get_mut(index)?;
        let failure = entry.reply.clone();
        if entry.times > 0 {
            entry.times -= 1;
            if entry.times == 0 {
                list.remove(index);
            }
        }
        Some(failure)
    }
}

/// One request a fake received, for the tests' assertions.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub method: String,
    pub path: String,
    /// The status answered; 0 when the connection was dropped without an answer.
    pub status: u16,
    /// The request body, when it was JSON.
    pub body: Option<serde_json::Value>,
    /// The `uid` header (CROUS smart-card PATCH).
    pub uid_header: Option<String>,
}

impl Call {
    pub fn new(request: &Request, status: u16) -> Call {
        Call {
            method: request.method.clone(),
            path: request.path.clone(),
            status,
            body: request.json(),
            uid_header: request.header("uid").map(str::to_string),
        }
    }
}

/// Answers a request: an injected failure when one matches (rendered by `error` in the fake's own error
/// format), otherwise `normal`. Returns the reply and the status to log (0 for a dropped connection).
pub fn answer(
    injections: &Injections,
    request: &Request,
    error: fn(u16, Option<&str>, &str) -> Response,
    normal: impl FnOnce() -> Response,
) -> (Reply, u16) {
    match injections.take(&request.method, &request.path) {
        None => {
            let response = normal();
            let status = response.status;
            (Reply::Now(response), status)
        }
        Some(Failure::Slow(delay)) => {
            let response = normal();
            let status = response.status;
            (Reply::After(delay, response), status)
        }
        Some(Failure::Drop) => (Reply::Drop, 0),
        Some(Failure::TooManyRequests { retry_after_secs }) => {
            let response = error(429, None, "Too Many Requests")
                .with_header("retry-after", &retry_after_secs.to_string());
            (Reply::Now(response), 429)
        }
        Some(Failure::Status {
            status,
            code,
            message,
        }) => (Reply::Now(error(status, code.as_deref(), &message)), status),
    }
}

/// Locks a mutex, also after a panic in another holder (a failed assertion must not hide the state).
pub fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

enum Command {
    Online(bool, std::sync::mpsc::Sender<io::Result<()>>),
    Stop,
}

/// A running server on 127.0.0.1; stops when dropped.
pub struct HttpFake {
    port: u16,
    commands: mpsc::UnboundedSender<Command>,
    accepted: Arc<AtomicU64>,
    thread: Option<JoinHandle<()>>,
}

impl HttpFake {
    /// Starts serving on a free port of 127.0.0.1.
    pub fn start(handler: Handler) -> HttpFake {
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let (commands, command_rx) = mpsc::unbounded_channel();
        let accepted = Arc::new(AtomicU64::new(0));
        let counter = accepted.clone();
        let thread = std::thread::Builder::new()
            .name("http-fake".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                runtime.block_on(serve(handler, command_rx, ready_tx, counter));
            })
            .expect("spawn the fake server's thread");
        let port = ready_rx
            .recv()
            .expect("the fake server's thread ended before listening")
            .expect("bind the fake server on 127.0.0.1");
        HttpFake {
            port,
            commands,
            accepted,
            thread: Some(thread),
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// How many connections were accepted so far (keep-alive keeps this low).
    pub fn connections_accepted(&self) -> u64 {
        self.accepted.load(Ordering::SeqCst)
    }

    /// Offline: the port refuses connections and the open ones are closed. Online again: the same port
    /// listens again. Returns once the change is in effect.
    ///
    /// A client's next request on a pooled keep-alive connection may fail with another transport error
    /// than a refused connection (hyper writes the request before it notices the close and reports an
    /// incomplete message), as with a real server going down; later requests are refused.
    pub fn set_offline(&self, offline: bool) {
        let (ack_tx, ack_rx) = std::sync::mpsc::channel();
        self.commands
            .send(Command::Online(!offline, ack_tx))
            .expect("the fake server is running");
        ack_rx
            .recv()
            .expect("the fake server answers its commands")
            .expect("re-bind the fake server's port");
    }
}

impl Drop for HttpFake {
    fn drop(&mut self) {
        let _ = self.commands.send(Command::Stop);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn bind(port: u16) -> io::Result<TcpListener> {
    let socket = TcpSocket::new_v4()?;
    socket.set_reuseaddr(true)?;
    socket.bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))?;
    socket.listen(1024)
}

/// Binds the same port again; another socket may hold it for a moment after the listener was closed.
async fn rebind(port: u16) -> io::Result<TcpListener> {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        match bind(port) {
            Ok(listener) => return Ok(listener),
            Err(e) if Instant::now() >= deadline => return Err(e),
            Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
        }
    }
}

async fn accept(listener: &Option<TcpListener>) -> io::Result<TcpStream> {
    match listener {
        Some(listener) => listener.accept().await.map(|(stream, _)| stream),
        None => std::future::pending().await,
    }
}

async fn serve(
    handler: Handler,
    mut commands: mpsc::UnboundedReceiver<Command>,
    ready: std::sync::mpsc::Sender<io::Result<u16>>,
    accepted: Arc<AtomicU64>,
) {
    let first = bind(0).and_then(|l| Ok((l.local_addr()?.port(), l)));
    let (port, listener) = match first {
        Ok(pair) => pair,
        Err(e) => {
            let _ = ready.send(Err(e));
            return;
        }
    };
    let _ = ready.send(Ok(port));
    let mut listener = Some(listener);
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            command = commands.recv() => match command {
                None | Some(Command::Stop) => break,
                Some(Command::Online(false, ack)) => {
                    listener = None;
                    connections.abort_all();
                    while connections.join_next().await.is_some() {}
                    let _ = ack.send(Ok(()));
                }
                Some(Command::Online(true, ack)) => {
                    let mut result = Ok(());
                    if listener.is_none() {
                        match rebind(port).await {
                            Ok(l) => listener = Some(l),
                            Err(e) => result = Err(e),
                        }
                    }
                    let _ = ack.send(result);
                }
            },
            stream = accept(&listener) => match stream {
                Ok(stream) => {
                    accepted.fetch_add(1, Ordering::SeqCst);
                    let _ = stream.set_nodelay(true);
                    connections.spawn(wire::connection(stream, handler.clone()));
                }
                // Out of file descriptors or a connection reset before accept: wait a little.
                Err(_) => tokio::time::sleep(Duration::from_millis(5)).await,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    connections.abort_all();
    while connections.join_next().await.is_some() {}
}

/// Percent-decoding; a malformed escape is kept as it is.
pub fn decode(text: &str, plus_is_space: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = |j: usize| bytes.get(j).and_then(|c| (*c as char).to_digit(16));
        match (b, hex(i + 1), hex(i + 2)) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (b'+', _, _) if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
