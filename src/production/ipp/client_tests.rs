use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::thread;

use super::*;
use crate::production::ipp::Attribute;

fn tcp(host: &str, port: u16) -> Target {
    Target::Tcp {
        host: host.into(),
        port,
    }
}

#[test]
fn printer_uris_parse() {
    let u = parse_uri("ipp://localhost/printers/cartes").unwrap();
    assert_eq!(u.target, tcp("localhost", 631));
    assert_eq!(u.path, "/printers/cartes");
    assert_eq!(u.printer_uri, "ipp://localhost/printers/cartes");
    let u = parse_uri(" IPP://[::1]:8631/ipp/print#x ").unwrap();
    assert_eq!(
        (u.target, u.path.as_str()),
        (tcp("::1", 8631), "/ipp/print")
    );
    let u = parse_uri("http://printer.example.org:8080").unwrap();
    assert_eq!(u.target, tcp("printer.example.org", 8080));
    assert_eq!(u.path, "/");
    assert_eq!(u.printer_uri, "ipp://printer.example.org:8080/");
    let u = parse_uri("http://printer.example.org/ipp?x=1").unwrap();
    assert_eq!(
        (u.target, u.path.as_str()),
        (tcp("printer.example.org", 80), "/ipp?x=1")
    );
}

#[test]
fn bad_or_tls_uris_are_refused() {
    for bad in [
        "",
        "localhost:631",
        "lpd://host/queue",
        "ipp:///printers/x",
        "ipp://host:0/x",
        "ipp://host:99999/x",
        "ipp://host:abc/x",
        "ipp://user@host/x",
        "ipp://[::1/x",
        "ipp://[::1]x/x",
        "ipp://host/a b",
    ] {
        assert!(
            matches!(parse_uri(bad), Err(PrintError::InvalidUri { .. })),
            "{bad}: {:?}",
            parse_uri(bad)
        );
    }
    for tls in ["ipps://printer/ipp/print", "https://printer:631/ipp/print"] {
        assert!(
            matches!(parse_uri(tls), Err(PrintError::Unsupported { .. })),
            "{tls}"
        );
    }
}

#[test]
fn ipp_status_codes_map_to_errors_with_the_printer_message() {
    let msg = || Some("Ribbon ended".to_string());
    assert_eq!(status_error(0x0000, None, "u"), None);
    assert_eq!(status_error(0x0001, msg(), "u"), None);
    let e = status_error(0x0403, msg(), "u").unwrap();
    assert_eq!(
        e,
        PrintError::NotAuthorized {
            uri: "u".into(),
            status: "client-error-not-authorized".into(),
            message: msg()
        }
    );
    assert!(matches!(
        status_error(0x0406, msg(), "u"),
        Some(PrintError::NotFound { .. })
    ));
    assert!(matches!(
        status_error(0x040A, msg(), "u"),
        Some(PrintError::DocumentRejected { .. })
    ));
    assert!(matches!(
        status_error(0x0404, msg(), "u"),
        Some(PrintError::Rejected { .. })
    ));
    assert!(matches!(
        status_error(0x0506, msg(), "u"),
        Some(PrintError::NotAccepting {
            message: Some(_),
            ..
        })
    ));
    assert!(matches!(
        status_error(0x0507, msg(), "u"),
        Some(PrintError::Busy { .. })
    ));
    let e = status_error(0x0504, msg(), "u").unwrap();
    assert_eq!(
        e,
        PrintError::PrinterFailure {
            uri: "u".into(),
            status: "server-error-device-error".into(),
            message: msg()
        }
    );
    assert!(matches!(
        status_error(0x0300, None, "u"),
        Some(PrintError::Protocol { .. })
    ));
}

#[test]
fn names_are_cut_to_255_octets_on_a_character_boundary() {
    let long = "é".repeat(200);
    let Value::Str(t, s) = name_value(&long) else {
        panic!("a string value");
    };
    assert_eq!(t, tag::NAME);
    assert_eq!(s.len(), 254);
    assert!(long.starts_with(&s));
}

#[test]
fn cups_servers_parse() {
    assert_eq!(cups_target("localhost").unwrap(), tcp("localhost", 631));
    assert_eq!(
        cups_target("print.example.org:8631").unwrap(),
        tcp("print.example.org", 8631)
    );
    assert_eq!(
        cups_target("[::1]:631/version=1.1").unwrap(),
        tcp("::1", 631)
    );
    assert_eq!(
        cups_target("/run/cups/cups.sock").unwrap(),
        Target::Unix("/run/cups/cups.sock".into())
    );
    assert!(cups_target("host:x").is_err());
}

fn printer_group(name: &str, state: i32, accepting: bool) -> Vec<(String, Vec<Value>)> {
    vec![
        (
            "printer-uri-supported".into(),
            vec![
                Value::Str(tag::URI, format!("ipps://localhost:631/printers/{name}")),
                Value::Str(tag::URI, format!("ipp://localhost:631/printers/{name}")),
            ],
        ),
        (
            "printer-name".into(),
            vec![Value::Str(tag::NAME, name.into())],
        ),
        (
            "printer-info".into(),
            vec![Value::Str(tag::TEXT, String::new())],
        ),
        (
            "printer-location".into(),
            vec![Value::Str(tag::TEXT, "Bureau des cartes".into())],
        ),
        ("printer-state".into(), vec![Value::Enum(state)]),
        (
            "printer-state-reasons".into(),
            vec![Value::keyword(if state == 5 { "paused" } else { "none" })],
        ),
        (
            "printer-is-accepting-jobs".into(),
            vec![Value::Boolean(accepting)],
        ),
        (
            "document-format-supported".into(),
            vec![Value::Str(tag::MIME_MEDIA_TYPE, "application/pdf".into())],
        ),
    ]
}

/// A one-shot CUPS stand-in: reads one IPP request, answers `response`, returns the request.
fn fake_cups(response: Message) -> (u16, thread::JoinHandle<Message>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(&mut s);
        let mut len = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if let Some(v) = line.strip_prefix("Content-Length: ") {
                len = v.trim().parse().unwrap();
            }
            if line == "\r\n" {
                break;
            }
        }
        let mut body = vec![0; len];
        reader.read_exact(&mut body).unwrap();
        let body_out = response.encode().unwrap();
        write!(
            s,
            "HTTP/1.1 200 OK\r\nContent-Type: application/ipp\r\nContent-Length: {}\r\n\r\n",
            body_out.len()
        )
        .unwrap();
        s.write_all(&body_out).unwrap();
        Message::decode(&body).unwrap()
    });
    (port, handle)
}

#[test]
fn system_printers_lists_the_cups_queues() {
    let mut answer = Message::new(0x0000, 1);
    for (name, state, accepting) in [("cartes", 3, true), ("a4", 5, false)] {
        answer.groups.push(Group {
            tag: group::PRINTER,
            attributes: printer_group(name, state, accepting)
                .into_iter()
                .map(|(name, values)| Attribute { name, values })
                .collect(),
        });
    }
    let (port, server) = fake_cups(answer);
    let printers = system_printers(Some(&format!("127.0.0.1:{port}"))).unwrap();
    let request = server.join().unwrap();
    assert_eq!(request.code, op::CUPS_GET_PRINTERS);
    let ops = request.group(group::OPERATION).unwrap();
    assert!(
        ops.strs("requested-attributes")
            .contains(&"printer-uri-supported".to_string())
    );
    assert_eq!(printers.len(), 2);
    let p = &printers[0];
    assert_eq!(p.uri, "ipp://localhost:631/printers/cartes");
    assert_eq!(p.name, "cartes");
    assert_eq!(
        (p.info.as_deref(), p.location.as_deref()),
        (None, Some("Bureau des cartes"))
    );
    assert_eq!((p.state, p.accepting_jobs), (PrinterState::Idle, true));
    assert!(p.state_reasons.is_empty());
    assert!(p.accepts_pdf());
    let q = &printers[1];
    assert_eq!((q.state, q.accepting_jobs), (PrinterState::Stopped, false));
    assert_eq!(q.state_reasons, vec!["paused"]);
}

#[test]
fn no_cups_is_no_print_service() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let e = system_printers(Some(&format!("127.0.0.1:{port}"))).unwrap_err();
    assert!(matches!(e, PrintError::NoPrintService { .. }), "{e:?}");
}

#[test]
fn an_ipp_error_answer_carries_the_status_message() {
    let mut answer = Message::new(0x0401, 1);
    answer.push(
        group::OPERATION,
        "status-message",
        vec![Value::Str(tag::TEXT, " Forbidden for this user ".into())],
    );
    let (port, server) = fake_cups(answer);
    let printer = IppPrinter::new(&format!("ipp://127.0.0.1:{port}/printers/x")).unwrap();
    let e = printer.attributes().unwrap_err();
    let request = server.join().unwrap();
    assert_eq!(request.code, op::GET_PRINTER_ATTRIBUTES);
    assert_eq!(
        request.group(group::OPERATION).unwrap().str("printer-uri"),
        Some(format!("ipp://127.0.0.1:{port}/printers/x").as_str())
    );
    assert_eq!(
        e,
        PrintError::NotAuthorized {
            uri: format!("ipp://127.0.0.1:{port}/printers/x"),
            status: "client-error-forbidden".into(),
            message: Some("Forbidden for this user".into()),
        }
    );
}
