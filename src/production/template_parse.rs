//! Reading `template.toml`: the raw TOML shape, validation with file/line/field errors, and placeholders.
//!
//! Every value that can be wrong is read with its span so an error points at the right line. Items are one
//! flat table type (`type` = rect | image | photo | text | qr) validated by hand rather than a tagged serde
//! enum, because serde's tagged enums lose TOML spans.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::{
    Align, AssetSource, CARD_HEIGHT_MM, CARD_WIDTH_MM, FaceTemplate, Fit, ItemTemplate,
    LayoutImage, MmRect, Problem, Rgb, Template, TemplateError, TextTemplate, VAlign,
};
use crate::production::fonts::{self, FontFace};

/// A value a text placeholder stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    Surname,
    GivenName,
    DisplayName,
    Affiliation,
    Establishment,
    StudentNumber,
    StaffNumber,
    /// The student number, else the staff number.
    Number,
    DueDate,
    Eppn,
    Escn,
    CardId,
    Free(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Literal(String),
    Field(Field),
}

/// Why a text's placeholders are refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlaceholderError {
    Unknown(String),
    Unclosed,
}

/// Splits `text` into literals and placeholders: `{surname}`, `{free.NAME}` (NAME must be a key of `free`);
/// `{{` and `}}` stand for literal braces.
pub fn parse_placeholders(
    text: &str,
    free: &BTreeMap<String, String>,
) -> Result<Vec<Segment>, PlaceholderError> {
    let mut segments = Vec::new();
    let mut literal = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                literal.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                literal.push('}');
            }
            '{' => {
                let mut name = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(ch) => name.push(ch),
                        None => return Err(PlaceholderError::Unclosed),
                    }
                }
                let field =
                    field_named(name.trim(), free).ok_or(PlaceholderError::Unknown(name))?;
                if !literal.is_empty() {
                    segments.push(Segment::Literal(std::mem::take(&mut literal)));
                }
                segments.push(Segment::Field(field));
            }
            other => literal.push(other),
        }
    }
    if !literal.is_empty() {
        segments.push(Segment::Literal(literal));
    }
    Ok(segments)
}

fn field_named(name: &str, free: &BTreeMap<String, String>) -> Option<Field> {
    Some(match name {
        "surname" => Field::Surname,
        "given_name" => Field::GivenName,
        "display_name" => Field::DisplayName,
        "affiliation" => Field::Affiliation,
        "establishment" => Field::Establishment,
        "student_number" => Field::StudentNumber,
        "staff_number" => Field::StaffNumber,
        "number" => Field::Number,
        "due_date" => Field::DueDate,
        "eppn" => Field::Eppn,
        "escn" => Field::Escn,
        "card_id" => Field::CardId,
        other => {
            let key = other.strip_prefix("free.")?;
            free.contains_key(key)
                .then(|| Field::Free(key.to_string()))?
        }
    })
}

type S<T> = Option<Spanned<T>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTemplate {
    name: Spanned<String>,
    #[serde(default)]
    description: String,
    width_mm: S<f32>,
    height_mm: S<f32>,
    #[serde(default)]
    free: BTreeMap<String, String>,
    front: Spanned<RawFace>,
    back: Option<Spanned<RawFace>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFace {
    background: S<String>,
    background_image: S<String>,
    #[serde(default)]
    items: Vec<RawItem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    #[serde(rename = "type")]
    kind: Spanned<String>,
    name: S<String>,
    x: S<f32>,
    y: S<f32>,
    width: S<f32>,
    height: S<f32>,
    size: S<f32>,
    color: S<String>,
    background: S<String>,
    file: S<String>,
    fit: S<String>,
    text: S<String>,
    font_size: S<f32>,
    min_font_size: S<f32>,
    bold: S<bool>,
    uppercase: S<bool>,
    align: S<String>,
    valign: S<String>,
    lines: S<u32>,
    quiet_zone: S<u32>,
}

/// Line number (1-based) of a byte offset.
fn line_of(src: &str, offset: usize) -> usize {
    let end = offset.min(src.len());
    src.as_bytes()
        .get(..end)
        .map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count())
        + 1
}

struct P<'a> {
    src: &'a str,
    file: String,
    width: f32,
    height: f32,
    assets: &'a dyn AssetSource,
    images: BTreeMap<String, Arc<Vec<u8>>>,
    decoded: BTreeMap<String, Arc<LayoutImage>>,
    names: BTreeSet<String>,
    free: &'a BTreeMap<String, String>,
}

impl P<'_> {
    fn invalid(&self, span: Range<usize>, field: &str, problem: Problem) -> TemplateError {
        TemplateError::Invalid {
            file: self.file.clone(),
            line: line_of(self.src, span.start),
            field: field.to_string(),
            problem,
        }
    }

    fn colour(&self, v: &S<String>, default: Rgb, field: &str) -> Result<Rgb, TemplateError> {
        match v {
            None => Ok(default),
            Some(s) => Rgb::parse(s.get_ref())
                .ok_or_else(|| self.invalid(s.span(), field, Problem::BadColour)),
        }
    }

    fn image(
        &mut self,
        v: &Spanned<String>,
        field: &str,
    ) -> Result<Arc<LayoutImage>, TemplateError> {
        let name = v.get_ref().trim();
        let plain = !name.is_empty()
            && name.len() <= 100
            && !name.starts_with('.')
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
        if !plain {
            return Err(self.invalid(v.span(), field, Problem::BadFileName));
        }
        if let Some(img) = self.decoded.get(name) {
            return Ok(img.clone());
        }
        let err = |message: String| TemplateError::Image {
            file: self.file.clone(),
            line: line_of(self.src, v.span().start),
            name: name.to_string(),
            message,
        };
        let bytes = Arc::new(self.assets.read(name).map_err(err)?);
        let img = LayoutImage::new(bytes.clone()).map_err(err)?;
        // Decode once now: a broken logo is a template error, not a surprise at print time.
        img.rgba().map_err(err)?;
        let img = Arc::new(img);
        self.images.insert(name.to_string(), bytes);
        self.decoded.insert(name.to_string(), img.clone());
        Ok(img)
    }

    fn face(&mut self, raw: &Spanned<RawFace>, which: &str) -> Result<FaceTemplate, TemplateError> {
        let f = raw.get_ref();
        let background = self.colour(&f.background, Rgb::WHITE, &format!("{which}.background"))?;
        let background_image = match &f.background_image {
            Some(v) => Some(self.image(v, &format!("{which}.background_image"))?),
            None => None,
        };
        let mut items = Vec::with_capacity(f.items.len());
        for (i, item) in f.items.iter().enumerate() {
            items.push(self.item(item, &format!("{which}.items[{}]", i + 1))?);
        }
        Ok(FaceTemplate {
            background,
            background_image,
            items,
        })
    }

    fn num(
        &self,
        item: &RawItem,
        v: &S<f32>,
        field: &str,
        path: &str,
    ) -> Result<f32, TemplateError> {
        let at = |p| self.invalid(item.kind.span(), &format!("{path}.{field}"), p);
        let v = v.as_ref().ok_or_else(|| at(Problem::Missing))?;
        let n = *v.get_ref();
        if !n.is_finite() || n < 0.0 || ((field != "x" && field != "y") && n <= 0.0) {
            return Err(self.invalid(v.span(), &format!("{path}.{field}"), Problem::NotPositive));
        }
        Ok(n)
    }

    fn rect(&self, item: &RawItem, path: &str, square: bool) -> Result<MmRect, TemplateError> {
        let x = self.num(item, &item.x, "x", path)?;
        let y = self.num(item, &item.y, "y", path)?;
        let (w, h) = if square {
            let s = self.num(item, &item.size, "size", path)?;
            (s, s)
        } else {
            (
                self.num(item, &item.width, "width", path)?,
                self.num(item, &item.height, "height", path)?,
            )
        };
        const SLACK: f32 = 0.01;
        if x + w > self.width + SLACK || y + h > self.height + SLACK {
            return Err(self.invalid(item.kind.span(), path, Problem::OutsideCard));
        }
        Ok(MmRect::new(x, y, w, h))
    }

    fn choice<T: Copy>(
        &self,
        v: &S<String>,
        options: &[(&str, T)],
        allowed: &'static str,
        default: T,
        field: &str,
    ) -> Result<T, TemplateError> {
        let Some(v) = v else { return Ok(default) };
        options
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(v.get_ref().trim()))
            .map(|(_, t)| *t)
            .ok_or_else(|| self.invalid(v.span(), field, Problem::BadChoice { allowed }))
    }

    /// Refuses fields that mean nothing for this item type (a typo would otherwise be silently ignored).
    fn only(&self, item: &RawItem, path: &str, allowed: &[&str]) -> Result<(), TemplateError> {
        let present: [(&str, Option<Range<usize>>); 19] = [
            ("name", item.name.as_ref().map(Spanned::span)),
            ("x", item.x.as_ref().map(Spanned::span)),
            ("y", item.y.as_ref().map(Spanned::span)),
            ("width", item.width.as_ref().map(Spanned::span)),
            ("height", item.height.as_ref().map(Spanned::span)),
            ("size", item.size.as_ref().map(Spanned::span)),
            ("color", item.color.as_ref().map(Spanned::span)),
            ("background", item.background.as_ref().map(Spanned::span)),
            ("file", item.file.as_ref().map(Spanned::span)),
            ("fit", item.fit.as_ref().map(Spanned::span)),
            ("text", item.text.as_ref().map(Spanned::span)),
            ("font_size", item.font_size.as_ref().map(Spanned::span)),
            (
                "min_font_size",
                item.min_font_size.as_ref().map(Spanned::span),
            ),
            ("bold", item.bold.as_ref().map(Spanned::span)),
            ("uppercase", item.uppercase.as_ref().map(Spanned::span)),
            ("align", item.align.as_ref().map(Spanned::span)),
            ("valign", item.valign.as_ref().map(Spanned::span)),
            ("lines", item.lines.as_ref().map(Spanned::span)),
            ("quiet_zone", item.quiet_zone.as_ref().map(Spanned::span)),
        ];
        for (name, span) in present {
            if let Some(span) = span
                && !allowed.contains(&name)
            {
                return Err(self.invalid(span, &format!("{path}.{name}"), Problem::NotApplicable));
            }
        }
        Ok(())
    }

    fn item(&mut self, item: &RawItem, path: &str) -> Result<ItemTemplate, TemplateError> {
        const FITS: [(&str, Fit); 3] = [
            ("contain", Fit::Contain),
            ("cover", Fit::Cover),
            ("stretch", Fit::Stretch),
        ];
        const FIT_NAMES: &str = "contain, cover, stretch";
        const BOX: [&str; 4] = ["x", "y", "width", "height"];
        let fit_field = format!("{path}.fit");
        match item.kind.get_ref().as_str() {
            "rect" => {
                self.only(item, path, &[&BOX[..], &["color"]].concat())?;
                let color = item.color.as_ref().ok_or_else(|| {
                    self.invalid(item.kind.span(), &format!("{path}.color"), Problem::Missing)
                })?;
                Ok(ItemTemplate::Rect {
                    rect: self.rect(item, path, false)?,
                    color: self.colour(
                        &Some(color.clone()),
                        Rgb::BLACK,
                        &format!("{path}.color"),
                    )?,
                })
            }
            "image" => {
                self.only(item, path, &[&BOX[..], &["file", "fit"]].concat())?;
                let file = item.file.as_ref().ok_or_else(|| {
                    self.invalid(item.kind.span(), &format!("{path}.file"), Problem::Missing)
                })?;
                Ok(ItemTemplate::Image {
                    rect: self.rect(item, path, false)?,
                    image: self.image(file, &format!("{path}.file"))?,
                    fit: self.choice(&item.fit, &FITS, FIT_NAMES, Fit::Contain, &fit_field)?,
                })
            }
            "photo" => {
                self.only(item, path, &[&BOX[..], &["fit"]].concat())?;
                Ok(ItemTemplate::Photo {
                    rect: self.rect(item, path, false)?,
                    fit: self.choice(&item.fit, &FITS, FIT_NAMES, Fit::Cover, &fit_field)?,
                })
            }
            "qr" => {
                self.only(
                    item,
                    path,
                    &["x", "y", "size", "color", "background", "quiet_zone"],
                )?;
                let background = match &item.background {
                    Some(b) if b.get_ref().trim().eq_ignore_ascii_case("none") => None,
                    other => Some(self.colour(other, Rgb::WHITE, &format!("{path}.background"))?),
                };
                Ok(ItemTemplate::Qr {
                    rect: self.rect(item, path, true)?,
                    color: self.colour(&item.color, Rgb::BLACK, &format!("{path}.color"))?,
                    background,
                    quiet_zone: item.quiet_zone.as_ref().map_or(2, |q| *q.get_ref()).min(10),
                })
            }
            "text" => self.text(item, path).map(ItemTemplate::Text),
            _ => Err(self.invalid(
                item.kind.span(),
                &format!("{path}.type"),
                Problem::UnknownType,
            )),
        }
    }

    fn text(&mut self, item: &RawItem, path: &str) -> Result<TextTemplate, TemplateError> {
        let allowed = [
            "name",
            "x",
            "y",
            "width",
            "height",
            "color",
            "text",
            "font_size",
            "min_font_size",
            "bold",
            "uppercase",
            "align",
            "valign",
            "lines",
        ];
        self.only(item, path, &allowed)?;
        let rect = self.rect(item, path, false)?;
        let text = item.text.as_ref().ok_or_else(|| {
            self.invalid(item.kind.span(), &format!("{path}.text"), Problem::Missing)
        })?;
        let segments = parse_placeholders(text.get_ref(), self.free).map_err(|e| match e {
            PlaceholderError::Unknown(placeholder) => TemplateError::UnknownPlaceholder {
                file: self.file.clone(),
                line: line_of(self.src, text.span().start),
                field: format!("{path}.text"),
                placeholder,
            },
            PlaceholderError::Unclosed => {
                self.invalid(text.span(), &format!("{path}.text"), Problem::UnclosedBrace)
            }
        })?;
        let size_pt = match &item.font_size {
            Some(_) => self.num(item, &item.font_size, "font_size", path)?,
            None => 8.0,
        };
        let min_size_pt = match &item.min_font_size {
            Some(_) => self.num(item, &item.min_font_size, "min_font_size", path)?,
            None => size_pt.min(5.0),
        };
        let min_field = format!("{path}.min_font_size");
        let min_span = item
            .min_font_size
            .as_ref()
            .map_or(item.kind.span(), Spanned::span);
        if min_size_pt > size_pt {
            return Err(self.invalid(min_span, &min_field, Problem::MinAboveSize));
        }
        let max_lines = item
            .lines
            .as_ref()
            .map_or(1, |l| (*l.get_ref()).clamp(1, 20)) as usize;
        let face = if item.bold.as_ref().is_some_and(|b| *b.get_ref()) {
            FontFace::Bold
        } else {
            FontFace::Regular
        };
        let font = fonts::font(face)?;
        let needed_mm = font.line_height_em() * min_size_pt * fonts::MM_PER_PT * max_lines as f32;
        if needed_mm > rect.height + 0.01 {
            return Err(self.invalid(min_span, &min_field, Problem::TooTall));
        }
        let name = match &item.name {
            Some(n) if !n.get_ref().trim().is_empty() => n.get_ref().trim().to_string(),
            _ => path.to_string(),
        };
        if !self.names.insert(name.clone()) {
            let span = item.name.as_ref().map_or(item.kind.span(), Spanned::span);
            return Err(self.invalid(span, &format!("{path}.name"), Problem::DuplicateName));
        }
        Ok(TextTemplate {
            name,
            segments,
            rect,
            size_pt,
            min_size_pt,
            face,
            uppercase: item.uppercase.as_ref().is_some_and(|u| *u.get_ref()),
            align: self.choice(
                &item.align,
                &[
                    ("left", Align::Left),
                    ("center", Align::Center),
                    ("right", Align::Right),
                ],
                "left, center, right",
                Align::Left,
                &format!("{path}.align"),
            )?,
            valign: self.choice(
                &item.valign,
                &[
                    ("top", VAlign::Top),
                    ("middle", VAlign::Middle),
                    ("bottom", VAlign::Bottom),
                ],
                "top, middle, bottom",
                VAlign::Middle,
                &format!("{path}.valign"),
            )?,
            color: self.colour(&item.color, Rgb::BLACK, &format!("{path}.color"))?,
            max_lines,
        })
    }
}

pub(super) fn parse(
    id: &str,
    src: &str,
    assets: &dyn AssetSource,
) -> Result<Template, TemplateError> {
    let file = assets.label();
    let raw: RawTemplate = toml::from_str(src).map_err(|e| TemplateError::Syntax {
        file: file.clone(),
        line: e.span().map_or(1, |s| line_of(src, s.start)),
        message: e.message().to_string(),
    })?;
    let size = |v: &S<f32>, default: f32, field: &str| -> Result<f32, TemplateError> {
        match v {
            None => Ok(default),
            Some(v) if v.get_ref().is_finite() && *v.get_ref() > 0.0 && *v.get_ref() <= 1000.0 => {
                Ok(*v.get_ref())
            }
            Some(v) => Err(TemplateError::Invalid {
                file: file.clone(),
                line: line_of(src, v.span().start),
                field: field.to_string(),
                problem: Problem::NotPositive,
            }),
        }
    };
    let width = size(&raw.width_mm, CARD_WIDTH_MM, "width_mm")?;
    let height = size(&raw.height_mm, CARD_HEIGHT_MM, "height_mm")?;
    let mut p = P {
        src,
        file: file.clone(),
        width,
        height,
        assets,
        images: BTreeMap::new(),
        decoded: BTreeMap::new(),
        names: BTreeSet::new(),
        free: &raw.free,
    };
    let name = raw.name.get_ref().trim().to_string();
    if name.is_empty() {
        return Err(p.invalid(raw.name.span(), "name", Problem::Missing));
    }
    let front = p.face(&raw.front, "front")?;
    let back = match &raw.back {
        Some(b) => Some(p.face(b, "back")?),
        None => None,
    };
    Ok(Template {
        id: id.to_string(),
        name,
        description: raw.description.trim().to_string(),
        origin: assets.origin(),
        width_mm: width,
        height_mm: height,
        front,
        back,
        free: raw.free.clone(),
        source: src.to_string(),
        images: p.images,
    })
}
