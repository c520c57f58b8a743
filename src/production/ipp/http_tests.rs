use std::io::Cursor;
use std::net::TcpListener;
use std::thread;

use super::*;

fn target() -> Target {
    Target::Tcp {
        host: "127.0.0.1".into(),
        port: 631,
    }
}

fn parse(raw: &[u8]) -> Result<Response, HttpError> {
    read_response(&mut Cursor::new(raw), &target())
}

#[test]
fn chunked_bodies_decode() {
    let raw =
        b"4;ext=1\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nX-Trailer: y\r\n\r\n";
    let body = read_chunked(&mut Cursor::new(&raw[..]), &target()).unwrap();
    assert_eq!(body, b"Wikipedia in\r\n\r\nchunks.");
    // Upper-case hex and a server that closes right after the last chunk.
    let body = read_chunked(
        &mut Cursor::new(&b"A\r\n0123456789\r\n0\r\n"[..]),
        &target(),
    );
    assert_eq!(body.unwrap(), b"0123456789");
}

#[test]
fn broken_chunked_bodies_are_errors() {
    for raw in [
        &b"zz\r\nabc\r\n0\r\n\r\n"[..],
        b"5\r\nabc",
        b"3\r\nabcX\r\n0\r\n\r\n",
        b"3\r\nabc\r\n",
        b"ffffffffffffffffffff\r\n",
        b"7fffffffffffffff\r\nab\r\n",
    ] {
        assert!(
            read_chunked(&mut Cursor::new(raw), &target()).is_err(),
            "{raw:?}"
        );
    }
}

#[test]
fn responses_are_framed_by_length_chunks_or_close() {
    let r = parse(
        b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Type: application/ipp\r\n\r\nabcdef",
    )
    .unwrap();
    assert_eq!(
        (r.status, r.reason.as_str(), r.body.as_slice()),
        (200, "OK", &b"abc"[..])
    );
    assert_eq!(r.header("content-type"), Some("application/ipp"));
    let r = parse(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n").unwrap();
    assert_eq!(r.body, b"ok");
    let r = parse(b"HTTP/1.0 404 Not Found\r\n\r\nno such queue").unwrap();
    assert_eq!((r.status, r.body.as_slice()), (404, &b"no such queue"[..]));
}

#[test]
fn malformed_responses_are_errors_and_never_panic() {
    for raw in [
        &b""[..],
        b"SSH-2.0-OpenSSH\r\n",
        b"HTTP/1.1 abc OK\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nno colon\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
        b"HTTP/1.1 200 OK\r\nContent-Le",
    ] {
        assert!(parse(raw).is_err(), "{:?}", String::from_utf8_lossy(raw));
    }
    let valid = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n";
    for n in 0..valid.len() {
        let _ = parse(&valid[..n]);
    }
    let mut x: u32 = 12345;
    for _ in 0..5_000 {
        let mut b = valid.to_vec();
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        let i = (x as usize >> 8) % b.len();
        b[i] = (x >> 16) as u8;
        let _ = parse(&b);
    }
}

/// Reads one request (headers, then Content-Length bytes) from a test client.
fn read_request(stream: &mut TcpStream) -> (String, Vec<u8>) {
    let mut reader = BufReader::new(stream);
    let mut head = String::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        if line == "\r\n" {
            break;
        }
        head.push_str(&line);
    }
    let len: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("Content-Length: "))
        .unwrap()
        .parse()
        .unwrap();
    let mut body = vec![0; len];
    reader.read_exact(&mut body).unwrap();
    (head, body)
}

#[test]
fn post_sends_the_request_and_reads_a_chunked_answer() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        let request = read_request(&mut s);
        s.write_all(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n")
            .unwrap();
        request
    });
    let t = Target::Tcp {
        host: "127.0.0.1".into(),
        port,
    };
    let r = post(
        &t,
        "/ipp/print",
        "application/ipp",
        &[b"head", b"-body"],
        Timeouts::default(),
    )
    .unwrap();
    assert_eq!((r.status, r.body.as_slice()), (200, &b"abc"[..]));
    let (head, body) = server.join().unwrap();
    assert!(head.starts_with("POST /ipp/print HTTP/1.1\r\n"), "{head}");
    assert!(
        head.contains(&format!("Host: 127.0.0.1:{port}\r\n")),
        "{head}"
    );
    assert!(head.contains("Content-Type: application/ipp\r\n"), "{head}");
    assert!(head.contains("Content-Length: 9\r\n"), "{head}");
    assert_eq!(body, b"head-body");
}

#[test]
fn a_silent_server_times_out_and_a_closed_port_is_a_connect_error() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let t = Target::Tcp {
        host: "127.0.0.1".into(),
        port,
    };
    let timeouts = Timeouts {
        connect: Duration::from_secs(2),
        io: Duration::from_millis(200),
    };
    // The listener accepts (backlog) but never answers.
    let e = post(&t, "/", "application/ipp", &[b"x"], timeouts).unwrap_err();
    assert!(matches!(e, HttpError::Timeout { .. }), "{e:?}");
    drop(listener);
    let e = post(&t, "/", "application/ipp", &[b"x"], timeouts).unwrap_err();
    assert!(matches!(e, HttpError::Connect { .. }), "{e:?}");
}

#[test]
fn ipv6_hosts_are_bracketed_in_the_host_header() {
    let t = Target::Tcp {
        host: "::1".into(),
        port: 8631,
    };
    assert_eq!(t.host_header(), "[::1]:8631");
}
