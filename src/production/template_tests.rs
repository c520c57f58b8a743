use super::*;
use crate::production::fonts::{self, ELLIPSIS, MM_PER_PT};

fn assets() -> MemoryAssets {
    MemoryAssets {
        label: "test.toml".into(),
        origin: TemplateOrigin::BuiltIn,
        files: BTreeMap::new(),
    }
}

/// A one-text template around `item` (the body of a `[[front.items]]` table).
fn one_item(item: &str) -> String {
    format!(
        "name = \"T\"\n[free]\nroom = \"B12\"\n[front]\nbackground = \"#ffffff\"\n[[front.items]]\n{item}\n"
    )
}

fn data() -> CardData {
    CardData {
        surname: "Dupré-Œuvray".into(),
        given_name: "Hélène".into(),
        display_name: "Hélène Dupré-Œuvray".into(),
        affiliation: "Étudiante".into(),
        establishment: "Université de Montval".into(),
        student_number: Some("22001234".into()),
        staff_number: Some("P777".into()),
        due_date: Some("31/08/2027".into()),
        eppn: Some("hdupre@univ-montval.example".into()),
        escn: Some("d88b02c1-894e-1038-a711-001999465982".into()),
        card_id: 42,
        ..CardData::default()
    }
}

fn texts(t: &Template, d: &CardData) -> BTreeMap<String, String> {
    layout(t, d).unwrap().printed_texts
}

#[test]
fn built_in_templates_parse() {
    let all = Template::built_in();
    let ids: Vec<_> = all.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["default", "school"]);
    let default = &all[0];
    assert!(default.back.is_some());
    assert_eq!(default.origin, TemplateOrigin::BuiltIn);
    assert!(default.images.contains_key("logo.png"));
    assert!((default.width_mm - CARD_WIDTH_MM).abs() < 1e-6);
    // ESUP geometry (desfire.md §14.2): QR 18 mm at the bottom right of the 54 mm column.
    let qr = default.front.items.iter().find_map(|i| match i {
        ItemTemplate::Qr { rect, .. } => Some(*rect),
        _ => None,
    });
    let qr = qr.unwrap();
    assert!((qr.width - 18.0).abs() < 1e-6 && (qr.right() - 53.0).abs() < 0.01);
    assert!((qr.bottom() - (CARD_HEIGHT_MM - 1.0)).abs() < 0.01);
}

#[test]
fn placeholders_resolve() {
    let src = one_item(
        "type = \"text\"\nname = \"t\"\ntext = \"{given_name} {surname} ({number}) {{x}} {free.room} #{card_id} {escn}\"\nx = 1\ny = 1\nwidth = 83\nheight = 6\nfont_size = 5",
    );
    let t = Template::parse("t", &src, &assets()).unwrap();
    let out = texts(&t, &data());
    assert_eq!(
        out["t"],
        "Hélène Dupré-Œuvray (22001234) {x} B12 #42 d88b02c1-894e-1038-a711-001999465982"
    );
    // {number} falls back to the staff number; free fields are overridable per card.
    let mut d = data();
    d.student_number = None;
    d.free.insert("room".into(), "A1".into());
    let out = texts(&t, &d);
    assert!(
        out["t"].contains("(P777)") && out["t"].contains(" A1 "),
        "{}",
        out["t"]
    );
}

#[test]
fn unknown_placeholder_names_field_and_line() {
    let src = one_item(
        "type = \"text\"\ntext = \"{surname} {nickname}\"\nx = 1\ny = 1\nwidth = 50\nheight = 5",
    );
    let err = Template::parse("t", &src, &assets()).unwrap_err();
    assert_eq!(
        err,
        TemplateError::UnknownPlaceholder {
            file: "test.toml".into(),
            line: 8,
            field: "front.items[1].text".into(),
            placeholder: "nickname".into(),
        }
    );
    // A free field must be declared in [free].
    let src =
        one_item("type = \"text\"\ntext = \"{free.nope}\"\nx = 1\ny = 1\nwidth = 50\nheight = 5");
    assert!(matches!(
        Template::parse("t", &src, &assets()),
        Err(TemplateError::UnknownPlaceholder { placeholder, .. }) if placeholder == "free.nope"
    ));
    let src =
        one_item("type = \"text\"\ntext = \"{surname\"\nx = 1\ny = 1\nwidth = 50\nheight = 5");
    assert!(matches!(
        Template::parse("t", &src, &assets()),
        Err(TemplateError::Invalid {
            problem: Problem::UnclosedBrace,
            line: 8,
            ..
        })
    ));
}

#[test]
fn long_name_shrinks_then_is_cut_within_its_box() {
    let src = one_item(
        "type = \"text\"\nname = \"n\"\ntext = \"{display_name}\"\nx = 4\ny = 15\nwidth = 50\nheight = 5\nfont_size = 11\nmin_font_size = 6\nbold = true\nalign = \"right\"",
    );
    let t = Template::parse("t", &src, &assets()).unwrap();
    let mut d = data();
    // Fits after shrinking.
    d.display_name = "Hélène Dupré-Œuvray de Montval".into();
    let card = layout(&t, &d).unwrap();
    let LayoutItem::Text(run) = &card.front.items[0] else {
        panic!()
    };
    assert!(run.size_pt < 11.0 && run.size_pt >= 6.0, "{}", run.size_pt);
    assert_eq!(run.text, d.display_name);
    assert!(run.x_mm >= 4.0 - 1e-3 && run.x_mm + run.width_mm <= 54.0 + 1e-3);
    // Too long even at the minimum: cut with "…", still in the box, at exactly the minimum size.
    d.display_name = "Marie-Bernadette Hélène Dupré-Œuvray de La Tour d'Auvergne-Lauraguais".into();
    let card = layout(&t, &d).unwrap();
    let LayoutItem::Text(run) = &card.front.items[0] else {
        panic!()
    };
    assert_eq!(run.size_pt, 6.0);
    assert!(run.text.ends_with(ELLIPSIS), "{}", run.text);
    assert!(run.x_mm >= 4.0 - 1e-3 && run.x_mm + run.width_mm <= 54.0 + 1e-3);
    assert_eq!(card.printed_texts["n"], run.text);
    // The measured width is the real one.
    let font = fonts::font(FontFace::Bold).unwrap();
    assert!((font.width_pt(&run.text, 6.0) * MM_PER_PT - run.width_mm).abs() < 1e-3);
    // Baseline inside the box, text not above its top.
    assert!(run.baseline_mm > 15.0 && run.baseline_mm < 20.0);
}

#[test]
fn uppercase_and_empty_values() {
    let src = one_item(
        "type = \"text\"\nname = \"s\"\ntext = \"{surname}\"\nuppercase = true\nx = 1\ny = 1\nwidth = 60\nheight = 6",
    );
    let t = Template::parse("t", &src, &assets()).unwrap();
    assert_eq!(texts(&t, &data())["s"], "DUPRÉ-ŒUVRAY");
    let mut d = data();
    d.surname = " \n ".into();
    let card = layout(&t, &d).unwrap();
    assert_eq!(card.printed_texts["s"], "");
    assert!(card.front.items.is_empty());
}

#[test]
fn photo_qr_and_placeholder() {
    let t = Template::built_in().remove(0);
    let mut d = data();
    let card = layout(&t, &d).unwrap();
    assert!(
        !card
            .front
            .items
            .iter()
            .any(|i| matches!(i, LayoutItem::Qr { .. }))
    );
    assert!(
        card.front
            .items
            .iter()
            .any(|i| matches!(i, LayoutItem::Frame { .. }))
    );
    d.qr = Some("http://esc.gg/d88b02c1-894e-1038-a711-001999465982".into());
    let img = image::RgbImage::from_pixel(300, 376, image::Rgb([10, 20, 30]));
    let mut jpeg = Vec::new();
    img.write_to(
        &mut std::io::Cursor::new(&mut jpeg),
        image::ImageFormat::Jpeg,
    )
    .unwrap();
    d.photo_jpeg = Some(Arc::new(jpeg));
    let card = layout(&t, &d).unwrap();
    assert!(
        card.front
            .items
            .iter()
            .any(|i| matches!(i, LayoutItem::Qr { matrix, .. } if matrix.width() == 33))
    );
    assert!(
        !card
            .front
            .items
            .iter()
            .any(|i| matches!(i, LayoutItem::Frame { .. }))
    );
    assert!(card.back.is_some());
    assert!(card.printed_texts.contains_key("return_address"));
    d.photo_jpeg = Some(Arc::new(b"not a photo".to_vec()));
    assert!(matches!(layout(&t, &d), Err(TemplateError::Photo(_))));
}

#[test]
fn invalid_values_are_located() {
    let cases = [
        (
            "type = \"rect\"\nx = 0\ny = 0\nwidth = 10\nheight = 5\ncolor = \"blue\"",
            "front.items[1].color",
            Problem::BadColour,
        ),
        (
            "type = \"rect\"\nx = 80\ny = 0\nwidth = 10\nheight = 5\ncolor = \"#000000\"",
            "front.items[1]",
            Problem::OutsideCard,
        ),
        (
            "type = \"rect\"\nx = 0\ny = 0\nwidth = 0\nheight = 5\ncolor = \"#000000\"",
            "front.items[1].width",
            Problem::NotPositive,
        ),
        (
            "type = \"rect\"\nx = 0\ny = 0\nheight = 5\ncolor = \"#000000\"",
            "front.items[1].width",
            Problem::Missing,
        ),
        (
            "type = \"circle\"\nx = 0",
            "front.items[1].type",
            Problem::UnknownType,
        ),
        (
            "type = \"rect\"\nx = 0\ny = 0\nwidth = 1\nheight = 1\ncolor = \"#000000\"\nfont_size = 3",
            "front.items[1].font_size",
            Problem::NotApplicable,
        ),
        (
            "type = \"text\"\ntext = \"a\"\nx = 0\ny = 0\nwidth = 10\nheight = 1\nmin_font_size = 6\nfont_size = 8",
            "front.items[1].min_font_size",
            Problem::TooTall,
        ),
        (
            "type = \"text\"\ntext = \"a\"\nx = 0\ny = 0\nwidth = 10\nheight = 5\nmin_font_size = 9\nfont_size = 8",
            "front.items[1].min_font_size",
            Problem::MinAboveSize,
        ),
        (
            "type = \"text\"\ntext = \"a\"\nx = 0\ny = 0\nwidth = 10\nheight = 5\nalign = \"justify\"",
            "front.items[1].align",
            Problem::BadChoice {
                allowed: "left, center, right",
            },
        ),
        (
            "type = \"image\"\nfile = \"../etc/passwd\"\nx = 0\ny = 0\nwidth = 10\nheight = 5",
            "front.items[1].file",
            Problem::BadFileName,
        ),
    ];
    for (item, field, problem) in cases {
        match Template::parse("t", &one_item(item), &assets()) {
            Err(TemplateError::Invalid {
                field: f,
                problem: p,
                line,
                ..
            }) => {
                assert_eq!((f.as_str(), &p), (field, &problem), "{item}");
                assert!((6..=14).contains(&line), "{item}: line {line}");
            }
            other => panic!("{item}: {other:?}"),
        }
    }
    let dup = format!(
        "{}\n[[front.items]]\ntype = \"text\"\nname = \"a\"\ntext = \"b\"\nx = 0\ny = 10\nwidth = 10\nheight = 5\n",
        one_item(
            "type = \"text\"\nname = \"a\"\ntext = \"a\"\nx = 0\ny = 0\nwidth = 10\nheight = 5"
        )
    );
    assert!(matches!(
        Template::parse("t", &dup, &assets()),
        Err(TemplateError::Invalid {
            problem: Problem::DuplicateName,
            line: 17,
            ..
        })
    ));
    let missing =
        one_item("type = \"image\"\nfile = \"logo.png\"\nx = 0\ny = 0\nwidth = 10\nheight = 5");
    assert!(matches!(
        Template::parse("t", &missing, &assets()),
        Err(TemplateError::Image { name, line: 8, .. }) if name == "logo.png"
    ));
    assert_eq!(
        Template::parse(
            "Bad Id",
            &one_item("type = \"qr\"\nx = 0\ny = 0\nsize = 5"),
            &assets()
        )
        .unwrap_err(),
        TemplateError::BadId("Bad Id".into())
    );
}

#[test]
fn garbage_toml_is_an_error_not_a_panic() {
    let samples = [
        "",
        "name = ",
        "[front\nname = 1",
        "name = \"x\"\n[front]\n[[front.items]]\ntype = 3",
        "name = \"x\"\nfront = 5",
        "name = \"x\"\n[front]\nunknown_key = 1",
        "\u{0}\u{1}\u{ff}{{{{",
        "name = \"x\"\n[front]\n[[front.items]]\ntype = \"text\"\ntext = \"{\"\nx = -1",
    ];
    for s in samples {
        assert!(Template::parse("t", s, &assets()).is_err(), "{s:?}");
    }
    // Every prefix of a real template: an error or a template, never a panic.
    let src = BUILT_IN[0].1;
    let assets = MemoryAssets {
        label: "default".into(),
        origin: TemplateOrigin::BuiltIn,
        files: BTreeMap::from([("logo.png".to_string(), BUILT_IN[0].2[0].1.to_vec())]),
    };
    for end in (0..src.len()).step_by(97) {
        if let Some(prefix) = src.get(..end) {
            let _ = Template::parse("default", prefix, &assets);
        }
    }
    match Template::parse(
        "t",
        "name = \"x\"\n\n[front]\nbackground = \"#fff\"\nwhat = 1\n",
        &assets,
    ) {
        Err(TemplateError::Syntax { line, .. }) => assert_eq!(line, 5),
        other => panic!("{other:?}"),
    }
}

#[test]
fn copy_to_then_load_dir_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let t = Template::built_in().remove(0);
    let path = t.copy_to(dir.path(), "ma-fac").unwrap();
    assert_eq!(path, dir.path().join("ma-fac").join(TEMPLATE_FILE));
    assert!(dir.path().join("ma-fac/logo.png").is_file());
    assert!(matches!(
        t.copy_to(dir.path(), "ma-fac"),
        Err(TemplateError::AlreadyExists(_))
    ));
    assert!(matches!(
        t.copy_to(dir.path(), "../x"),
        Err(TemplateError::BadId(_))
    ));
    // A broken user template is reported with its path, the good one still loads.
    std::fs::create_dir(dir.path().join("broken")).unwrap();
    std::fs::write(dir.path().join("broken").join(TEMPLATE_FILE), "name = 1").unwrap();
    let (loaded, errors) = Template::load_dir(dir.path());
    assert_eq!(loaded.len(), 1);
    assert_eq!(loaded[0].id, "ma-fac");
    assert_eq!(
        loaded[0].origin,
        TemplateOrigin::User(dir.path().join("ma-fac"))
    );
    assert_eq!(
        layout(&loaded[0], &data()).unwrap().printed_texts,
        layout(&t, &data()).unwrap().printed_texts
    );
    assert_eq!(errors.len(), 1);
    assert!(errors[0].to_string().contains("broken"), "{}", errors[0]);
    let (none, no_errors) = Template::load_dir(&dir.path().join("absent"));
    assert!(none.is_empty() && no_errors.is_empty());
}

#[test]
fn colours_parse() {
    assert_eq!(
        Rgb::parse("#1D4f91"),
        Some(Rgb {
            r: 0x1d,
            g: 0x4f,
            b: 0x91
        })
    );
    for bad in ["1d4f91", "#1d4f9", "#1d4f911", "#gg0000", "#ééé", ""] {
        assert_eq!(Rgb::parse(bad), None, "{bad}");
    }
}
