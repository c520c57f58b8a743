//! The shared HTTP/1.1 server: parsing, keep-alive, `Connection: close`, slow and dropped answers,
//! malformed input, offline/online, throughput, and the injection list.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::support::http_fake::{
    Failure, HttpFake, Injection, Injections, Reply, Request, Response, decode,
};
use super::{assert_offline, call, client, client_with_timeout, send};

/// Echoes what the server parsed; `/slow` answers after 500 ms, `/drop` closes, `/close` asks to close.
fn echo_server() -> HttpFake {
    HttpFake::start(Arc::new(|request: &Request| {
        let echo = json!({
            "method": request.method,
            "path": request.path,
            "query": request.query,
            "headers": request.headers,
            "body": String::from_utf8_lossy(&request.body),
            "json": request.json(),
            "x_test": request.header("X-Test"),
            "q": request.query_param("q"),
        });
        let response = Response::json(200, &echo);
        match request.path.as_str() {
            "/slow" => Reply::After(Duration::from_millis(500), response),
            "/drop" => Reply::Drop,
            "/close" => Reply::Now(response.with_header("Connection", "close")),
            "/empty" => Reply::Now(Response::empty(204)),
            _ => Reply::Now(response),
        }
    }))
}

/// Writes raw bytes and reads until the server closes the connection.
fn raw_exchange(port: u16, bytes: &[u8]) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect to the fake");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("set a read timeout");
    stream.write_all(bytes).expect("write the request");
    let mut out = Vec::new();
    stream
        .read_to_end(&mut out)
        .expect("the server closes the connection");
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test]
async fn parses_method_path_query_headers_and_body() {
    let server = echo_server();
    let url = format!(
        "{}/a%20b/urn%3Aschac%3Aesi?q=caf%C3%A9+cr%C3%A8me&empty=&flag",
        server.url()
    );
    let body = json!({"identifier": "Zoé"});
    let answer = call(&client(), "PATCH", &url, &[("X-Test", "yes")], Some(&body)).await;
    assert_eq!(answer.status, 200);
    let echo = answer.json;
    assert_eq!(echo["method"], "PATCH");
    assert_eq!(echo["path"], "/a b/urn:schac:esi");
    assert_eq!(
        echo["query"],
        json!([["q", "café crème"], ["empty", ""], ["flag", ""]])
    );
    assert_eq!(echo["q"], "café crème");
    assert_eq!(echo["x_test"], "yes");
    assert_eq!(echo["json"], body);
    let names: Vec<&str> = echo["headers"]
        .as_array()
        .expect("headers")
        .iter()
        .filter_map(|h| h[0].as_str())
        .collect();
    assert!(names.contains(&"x-test"), "names lower-cased: {names:?}");
    assert!(names.contains(&"content-length"), "{names:?}");
}

#[test]
fn percent_decoding_keeps_malformed_escapes() {
    assert_eq!(decode("%41%4a%2", false), "AJ%2");
    assert_eq!(decode("a+b%zz", true), "a b%zz");
    assert_eq!(decode("a+b", false), "a+b");
    assert_eq!(decode("%C3%A9", false), "é");
    assert_eq!(decode("%FF", false), "\u{FFFD}");
}

#[tokio::test]
async fn keeps_connections_alive() {
    let server = echo_server();
    let client = client();
    for i in 0..50 {
        let answer = call(
            &client,
            "GET",
            &format!("{}/n/{i}", server.url()),
            &[],
            None,
        )
        .await;
        assert_eq!(answer.json["path"], format!("/n/{i}"));
    }
    assert_eq!(server.connections_accepted(), 1);
    // A 204 has no body and no length, and the connection stays usable.
    let answer = call(
        &client,
        "GET",
        &format!("{}/empty", server.url()),
        &[],
        None,
    )
    .await;
    assert_eq!(answer.status, 204);
    call(&client, "GET", &server.url(), &[], None).await;
    assert_eq!(server.connections_accepted(), 1);
}

#[test]
fn honours_connection_close_and_http_1_0() {
    let server = echo_server();
    let port = server.port();
    let out = raw_exchange(
        port,
        b"GET /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
    );
    assert!(out.starts_with("HTTP/1.1 200 OK\r\n"), "{out}");
    assert!(out.contains("connection: close\r\n"), "{out}");
    let out = raw_exchange(port, b"GET /y HTTP/1.0\r\n\r\n");
    assert!(out.starts_with("HTTP/1.1 200 OK\r\n"), "{out}");
    // The handler's own `Connection: close` closes too.
    let out = raw_exchange(port, b"GET /close HTTP/1.1\r\nHost: a\r\n\r\n");
    assert!(out.contains("connection: close\r\n"), "{out}");
}

#[test]
fn answers_pipelined_requests_in_order() {
    let server = echo_server();
    let out = raw_exchange(
        server.port(),
        b"POST /one HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloGET /two HTTP/1.1\r\nConnection: close\r\n\r\n",
    );
    let one = out.find("\"path\":\"/one\"").expect("first answer");
    let two = out.find("\"path\":\"/two\"").expect("second answer");
    assert!(one < two, "{out}");
    assert!(out.contains("\"body\":\"hello\""), "{out}");
}

#[test]
fn rejects_malformed_requests_without_dying() {
    let server = echo_server();
    let port = server.port();
    for (input, status) in [
        (&b"NONSENSE\r\n\r\n"[..], "400"),
        (b"GET /x HTTP/1.1 extra\r\n\r\n", "400"),
        (b"GET /x SPDY/3\r\n\r\n", "400"),
        (b"GET /x HTTP/1.1\r\nno colon here\r\n\r\n", "400"),
        (b"POST /x HTTP/1.1\r\nContent-Length: -1\r\n\r\n", "400"),
        (
            b"POST /x HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n",
            "413",
        ),
        (
            b"POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            "501",
        ),
        (b"\xff\xfe /\xc3 HTTP/1.1\r\n\r\n", "400"),
    ] {
        let out = raw_exchange(port, input);
        assert!(
            out.starts_with(&format!("HTTP/1.1 {status} ")),
            "{:?} → {out}",
            String::from_utf8_lossy(input)
        );
    }
    let mut huge = b"GET /x HTTP/1.1\r\nX: ".to_vec();
    huge.extend(std::iter::repeat_n(b'a', 70 * 1024));
    let out = raw_exchange(port, &huge);
    assert!(out.starts_with("HTTP/1.1 431 "), "{out}");
    // A client that disappears mid-body is no harm either.
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .write_all(b"POST /x HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc")
        .expect("write");
    drop(stream);
    let out = raw_exchange(port, b"GET /still HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert!(out.contains("\"path\":\"/still\""), "{out}");
}

#[tokio::test]
async fn slow_answers_time_clients_out_and_drops_close() {
    let server = echo_server();
    let impatient = client_with_timeout(Duration::from_millis(150));
    let error = send(
        &impatient,
        "GET",
        &format!("{}/slow", server.url()),
        &[],
        None,
    )
    .await
    .expect_err("the answer comes after the client's timeout");
    assert!(error.is_timeout(), "{error}");
    let patient = client();
    let started = Instant::now();
    let answer = call(
        &patient,
        "GET",
        &format!("{}/slow", server.url()),
        &[],
        None,
    )
    .await;
    assert_eq!(answer.json["path"], "/slow");
    assert!(started.elapsed() >= Duration::from_millis(450));
    let error = send(
        &patient,
        "GET",
        &format!("{}/drop", server.url()),
        &[],
        None,
    )
    .await
    .expect_err("no answer");
    assert!(!error.is_timeout(), "{error}");
    let answer = call(&patient, "GET", &server.url(), &[], None).await;
    assert_eq!(answer.status, 200);
}

#[tokio::test]
async fn offline_refuses_connections_and_online_uses_the_same_port() {
    let server = echo_server();
    let port = server.port();
    let client = client();
    call(&client, "GET", &server.url(), &[], None).await;
    // An open connection is closed by going offline.
    let mut open = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    open.set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    server.set_offline(true);
    let mut byte = [0u8; 1];
    let read = open.read(&mut byte);
    assert!(
        matches!(read, Ok(0)) || read.is_err_and(|e| e.kind() == ErrorKind::ConnectionReset),
        "the open connection is closed"
    );
    let refused = TcpStream::connect(("127.0.0.1", port)).expect_err("offline");
    assert_eq!(refused.kind(), ErrorKind::ConnectionRefused);
    assert_offline(&client, &server.url(), &[]).await;
    server.set_offline(true); // twice is harmless
    server.set_offline(false);
    assert_eq!(server.port(), port);
    let answer = call(&client, "GET", &format!("{}/back", server.url()), &[], None).await;
    assert_eq!(answer.json["path"], "/back");
    server.set_offline(false); // twice is harmless
    call(&client, "GET", &server.url(), &[], None).await;
}

#[tokio::test]
async fn sustains_thousands_of_requests() {
    let server = echo_server();
    let client = client();
    let started = Instant::now();
    let body = json!({"n": 1});
    for i in 0..3000 {
        let answer = call(
            &client,
            "POST",
            &format!("{}/r/{i}", server.url()),
            &[],
            Some(&body),
        )
        .await;
        assert_eq!(answer.status, 200);
    }
    let elapsed = started.elapsed();
    eprintln!("3000 requests in {elapsed:?}");
    assert!(elapsed < Duration::from_secs(30), "{elapsed:?}");
    assert_eq!(server.connections_accepted(), 1);
}

#[test]
fn stops_when_dropped() {
    let server = echo_server();
    let port = server.port();
    drop(server);
    let refused = TcpStream::connect(("127.0.0.1", port)).expect_err("stopped");
    assert_eq!(refused.kind(), ErrorKind::ConnectionRefused);
}

#[test]
fn injections_match_in_order_and_count_down() {
    let injections = Injections::default();
    let teapot = Failure::status(418, Some("T"), "teapot");
    injections.add(Injection::new(Some("post"), "/cards", 2, Failure::Drop));
    injections.add(Injection::new(None, "/cards", 0, teapot.clone()));
    assert_eq!(injections.take("GET", "/persons"), None);
    assert_eq!(injections.take("POST", "/v2/cards/1"), Some(Failure::Drop));
    assert_eq!(injections.take("GET", "/v2/cards/1"), Some(teapot.clone()));
    assert_eq!(injections.take("POST", "/v2/cards"), Some(Failure::Drop));
    // The counted one is used up; the permanent one stays until cleared.
    for _ in 0..3 {
        assert_eq!(injections.take("POST", "/v2/cards"), Some(teapot.clone()));
    }
    injections.clear();
    assert_eq!(injections.take("POST", "/v2/cards"), None);
    let everything = Injection::new(None, "", 1, Failure::Slow(Duration::from_millis(1)));
    injections.add(everything);
    assert!(matches!(
        injections.take("DELETE", "/x"),
        Some(Failure::Slow(_))
    ));
    assert_eq!(injections.take("DELETE", "/x"), None);
}

#[test]
fn request_helpers() {
    let request = Request {
        method: "GET".into(),
        path: "/".into(),
        query: vec![("a".into(), "1".into()), ("a".into(), "2".into())],
        headers: vec![("uid".into(), "04AB".into())],
        body: b"{\"k\": true}".to_vec(),
    };
    assert_eq!(request.query_param("a"), Some("1"));
    assert_eq!(request.query_param("b"), None);
    assert_eq!(request.header("UID"), Some("04AB"));
    assert_eq!(request.json(), Some(json!({"k": true})));
    let not_json = Request {
        body: b"{".to_vec(),
        ..request
    };
    assert_eq!(not_json.json(), None::<Value>);
}
