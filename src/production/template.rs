//! Card templates and the one layout model that both the preview (raster.rs) and the printed PDF (pdf.rs)
//! are drawn from, so what the operator sees is what prints.
//!
//! A template is a TOML file (`template.toml`) plus the images it names, in one folder. The built-in ones
//! live in `assets/templates/<id>/` and are embedded in the binary; a user copies one into
//! `<data dir>/templates/<new id>/` ([`Template::copy_to`]) and edits it there ([`Template::load_dir`]). The
//! format is documented in `assets/templates/default/template.toml`. Geometry is in millimetres from the
//! top-left corner of a CR80 card (85.6 × 53.98 mm, desfire.md §14.1); font sizes are in points.
//!
//! [`layout`] is pure: the caller formats every value (dates, affiliation labels) in the user's language
//! and computes the QR content ([`crate::production::qr::qr_content`]); the layout resolves placeholders,
//! shrinks long names to fit their boxes and returns positioned items. The resolved texts are returned by
//! name so the application can freeze them when the card is printed (crous-escr.md §1.7.3).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, OnceLock};

use image::RgbaImage;

use super::fonts::{FontError, FontFace};
use super::qr::QrError;

#[path = "template_layout.rs"]
mod layout;
#[path = "template_parse.rs"]
mod parse;
pub use layout::{CardData, CardLayout, FaceLayout, LayoutItem, TextRun, layout, qr_grid};
pub use parse::{Field, Segment, parse_placeholders};

/// CR80 card width (ISO/IEC 7810 ID-1), desfire.md §14.1.
pub const CARD_WIDTH_MM: f32 = 85.6;
/// CR80 card height.
pub const CARD_HEIGHT_MM: f32 = 53.98;
/// Largest image side accepted in a template or as a photo (pixels): a guard against decompression bombs.
pub const MAX_IMAGE_SIDE: u32 = 6000;

/// An sRGB colour, written `#rrggbb` in templates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb {
    pub r: u8,
    pub g: u8,
    pub b: u8,
}

impl Rgb {
    pub const BLACK: Rgb = Rgb { r: 0, g: 0, b: 0 };
    pub const WHITE: Rgb = Rgb {
        r: 255,
        g: 255,
        b: 255,
    };

    /// Parses `#rrggbb` (case-insensitive).
    pub fn parse(s: &str) -> Option<Rgb> {
        let hex = s.trim().strip_prefix('#')?;
        if hex.len() != 6 || !hex.is_ascii() {
            return None;
        }
        let byte = |i: usize| {
            hex.get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        };
        Some(Rgb {
            r: byte(0)?,
            g: byte(2)?,
            b: byte(4)?,
        })
    }
}

/// A rectangle in millimetres from the card's top-left corner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MmRect {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

impl MmRect {
    pub fn new(x: f32, y: f32, width: f32, height: f32) -> MmRect {
        MmRect {
            x,
            y,
            width,
            height,
        }
    }

    pub fn right(&self) -> f32 {
        self.x + self.width
    }

    pub fn bottom(&self) -> f32 {
        self.y + self.height
    }
}

/// The encodings a template image or a photo may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Png,
    Jpeg,
}

/// An image of a template or a card photo: the original bytes (the PDF embeds a JPEG as is), its size read
/// from the header, and the decoded pixels, decoded at most once and shared by every card that uses it.
#[derive(Debug)]
pub struct LayoutImage {
    bytes: Arc<Vec<u8>>,
    kind: ImageKind,
    width_px: u32,
    height_px: u32,
    decoded: OnceLock<Result<Arc<RgbaImage>, String>>,
}

impl LayoutImage {
    /// Reads the image header (format and size) without decoding the pixels.
    pub fn new(bytes: Arc<Vec<u8>>) -> Result<LayoutImage, String> {
        let format = image::guess_format(&bytes).map_err(|e| e.to_string())?;
        let kind = match format {
            image::ImageFormat::Png => ImageKind::Png,
            image::ImageFormat::Jpeg => ImageKind::Jpeg,
            other => {
                return Err(format!(
                    "{other:?} images are not supported (use PNG or JPEG)"
                ));
            }
        };
        let reader =
            image::ImageReader::with_format(std::io::Cursor::new(bytes.as_slice()), format);
        let (width_px, height_px) = reader.into_dimensions().map_err(|e| e.to_string())?;
        if width_px == 0
            || height_px == 0
            || width_px > MAX_IMAGE_SIDE
            || height_px > MAX_IMAGE_SIDE
        {
            return Err(format!("image size {width_px}×{height_px} is out of range"));
        }
        Ok(LayoutImage {
            bytes,
            kind,
            width_px,
            height_px,
            decoded: OnceLock::new(),
        })
    }

    pub fn bytes(&self) -> &Arc<Vec<u8>> {
        &self.bytes
    }

    pub fn kind(&self) -> ImageKind {
        self.kind
    }

    pub fn width_px(&self) -> u32 {
        self.width_px
    }

    pub fn height_px(&self) -> u32 {
        self.height_px
    }

    /// The decoded RGBA pixels (decoded on first call, then cached).
    pub fn rgba(&self) -> Result<Arc<RgbaImage>, String> {
        self.decoded
            .get_or_init(|| {
                let format = match self.kind {
                    ImageKind::Png => image::ImageFormat::Png,
                    ImageKind::Jpeg => image::ImageFormat::Jpeg,
                };
                image::load_from_memory_with_format(&self.bytes, format)
                    .map(|i| Arc::new(i.to_rgba8()))
                    .map_err(|e| e.to_string())
            })
            .clone()
    }
}

/// How an image fills its box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// Whole image, aspect kept, centred in the box.
    Contain,
    /// Box filled, aspect kept, the overflow cut (centred crop).
    Cover,
    /// Box filled, aspect ignored.
    Stretch,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VAlign {
    Top,
    Middle,
    Bottom,
}

/// A text item of a template.
#[derive(Debug, Clone, PartialEq)]
pub struct TextTemplate {
    /// Unique within the template; the key of [`CardLayout::printed_texts`].
    pub name: String,
    pub segments: Vec<Segment>,
    pub rect: MmRect,
    pub size_pt: f32,
    pub min_size_pt: f32,
    pub face: FontFace,
    pub uppercase: bool,
    pub align: Align,
    pub valign: VAlign,
    pub color: Rgb,
    pub max_lines: usize,
}

/// One item of a face, in drawing order (later items are drawn over earlier ones).
#[derive(Debug, Clone)]
pub enum ItemTemplate {
    Rect {
        rect: MmRect,
        color: Rgb,
    },
    Image {
        rect: MmRect,
        image: Arc<LayoutImage>,
        fit: Fit,
    },
    Photo {
        rect: MmRect,
        fit: Fit,
    },
    Text(TextTemplate),
    Qr {
        rect: MmRect,
        color: Rgb,
        background: Option<Rgb>,
        quiet_zone: u32,
    },
}

#[derive(Debug, Clone)]
pub struct FaceTemplate {
    pub background: Rgb,
    pub background_image: Option<Arc<LayoutImage>>,
    pub items: Vec<ItemTemplate>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateOrigin {
    /// Embedded in the binary (`assets/templates/<id>/`).
    BuiltIn,
    /// Loaded from this folder in the data dir.
    User(PathBuf),
}

#[derive(Debug, Clone)]
pub struct Template {
    pub id: String,
    pub name: String,
    pub description: String,
    pub origin: TemplateOrigin,
    pub width_mm: f32,
    pub height_mm: f32,
    pub front: FaceTemplate,
    pub back: Option<FaceTemplate>,
    /// Free fields and their default values (`{free.NAME}`), overridable per card by [`CardData::free`].
    pub free: BTreeMap<String, String>,
    /// The TOML text, written back as is by [`Template::copy_to`].
    pub source: String,
    /// The image files the template uses, by file name.
    pub images: BTreeMap<String, Arc<Vec<u8>>>,
}

/// Why a template value is refused; data only, worded by `ui_text::template_problem`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Missing,
    NotPositive,
    OutsideCard,
    BadColour,
    BadChoice {
        allowed: &'static str,
    },
    BadFileName,
    MinAboveSize,
    /// The minimum font size with the allowed number of lines is taller than the box.
    TooTall,
    DuplicateName,
    UnknownType,
    UnclosedBrace,
    NotApplicable,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::Missing => f.write_str("missing"),
            Problem::NotPositive => f.write_str("must be greater than zero"),
            Problem::OutsideCard => f.write_str("goes beyond the card"),
            Problem::BadColour => f.write_str("not a colour #rrggbb"),
            Problem::BadChoice { allowed } => write!(f, "must be one of {allowed}"),
            Problem::BadFileName => f.write_str("not a plain file name"),
            Problem::MinAboveSize => f.write_str("minimum size above the size"),
            Problem::TooTall => f.write_str("the text at its minimum size is taller than its box"),
            Problem::DuplicateName => f.write_str("name already used by another text"),
            Problem::UnknownType => f.write_str("unknown item type"),
            Problem::UnclosedBrace => f.write_str("unclosed { in text"),
            Problem::NotApplicable => f.write_str("not allowed for this item type"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TemplateError {
    #[error("{file}, line {line}: {message}")]
    Syntax {
        file: String,
        line: usize,
        message: String,
    },
    #[error("{file}, line {line}, {field}: unknown placeholder {{{placeholder}}}")]
    UnknownPlaceholder {
        file: String,
        line: usize,
        field: String,
        placeholder: String,
    },
    #[error("{file}, line {line}, {field}: {problem}")]
    Invalid {
        file: String,
        line: usize,
        field: String,
        problem: Problem,
    },
    #[error("{file}, line {line}: image {name}: {message}")]
    Image {
        file: String,
        line: usize,
        name: String,
        message: String,
    },
    #[error("invalid template id {0:?} (lower-case letters, digits, - and _)")]
    BadId(String),
    #[error("{path}: {message}")]
    Io { path: PathBuf, message: String },
    #[error("{0} already exists")]
    AlreadyExists(PathBuf),
    #[error("the photo is not a readable image: {0}")]
    Photo(String),
    #[error(transparent)]
    Qr(#[from] QrError),
    #[error(transparent)]
    Font(#[from] FontError),
}

/// Where a template's images come from.
pub trait AssetSource {
    /// How errors name the template file (a path, or `built-in:<id>`).
    fn label(&self) -> String;
    fn origin(&self) -> TemplateOrigin;
    /// The bytes of the image file `name` (a plain file name, checked by the parser).
    fn read(&self, name: &str) -> Result<Vec<u8>, String>;
}

/// Images next to `template.toml` in a folder.
pub struct DirAssets(pub PathBuf);

impl AssetSource for DirAssets {
    fn label(&self) -> String {
        self.0.join(TEMPLATE_FILE).display().to_string()
    }
    fn origin(&self) -> TemplateOrigin {
        TemplateOrigin::User(self.0.clone())
    }
    fn read(&self, name: &str) -> Result<Vec<u8>, String> {
        std::fs::read(self.0.join(name)).map_err(|e| e.to_string())
    }
}

/// Images held in memory (built-in templates, tests, an editor's unsaved state).
pub struct MemoryAssets {
    pub label: String,
    pub origin: TemplateOrigin,
    pub files: BTreeMap<String, Vec<u8>>,
}

impl AssetSource for MemoryAssets {
    fn label(&self) -> String {
        self.label.clone()
    }
    fn origin(&self) -> TemplateOrigin {
        self.origin.clone()
    }
    fn read(&self, name: &str) -> Result<Vec<u8>, String> {
        self.files
            .get(name)
            .cloned()
            .ok_or_else(|| "no such file".to_string())
    }
}

pub const TEMPLATE_FILE: &str = "template.toml";

type BuiltInFiles = &'static [(&'static str, &'static [u8])];

/// The built-in templates: id, TOML, images. Embedded with `include_*!` so a moved binary still has them.
const BUILT_IN: &[(&str, &str, BuiltInFiles)] = &[
    (
        "default",
        include_str!("../../assets/templates/default/template.toml"),
        &[(
            "logo.png",
            include_bytes!("../../assets/templates/default/logo.png"),
        )],
    ),
    (
        "school",
        include_str!("../../assets/templates/school/template.toml"),
        &[(
            "logo.png",
            include_bytes!("../../assets/templates/school/logo.png"),
        )],
    ),
];

static BUILT_IN_PARSED: LazyLock<Vec<Template>> = LazyLock::new(|| {
    BUILT_IN
        .iter()
        .filter_map(|(id, toml, files)| {
            let assets = MemoryAssets {
                label: format!("built-in:{id}"),
                origin: TemplateOrigin::BuiltIn,
                files: files
                    .iter()
                    .map(|(n, b)| (n.to_string(), b.to_vec()))
                    .collect(),
            };
            // A built-in template that does not parse is a build defect caught by the unit tests.
            Template::parse(id, toml, &assets)
                .inspect_err(|e| tracing::error!("built-in template {id}: {e}"))
                .ok()
        })
        .collect()
});

/// A template id: a folder name that is safe on every OS.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

impl Template {
    /// Parses a template. `assets` supplies the images it names. Errors name the file, the line and the field.
    pub fn parse(
        id: &str,
        toml: &str,
        assets: &dyn AssetSource,
    ) -> Result<Template, TemplateError> {
        if !valid_id(id) {
            return Err(TemplateError::BadId(id.to_string()));
        }
        parse::parse(id, toml, assets)
    }

    /// The templates shipped in the binary: "default" (a university) and "school" (a collège or lycée).
    pub fn built_in() -> Vec<Template> {
        BUILT_IN_PARSED.clone()
    }

    /// The user's templates: every `<dir>/<id>/template.toml`, sorted by id, with the errors of those that
    /// could not be read. A missing `dir` is not an error (no user template yet).
    pub fn load_dir(dir: &Path) -> (Vec<Template>, Vec<TemplateError>) {
        let mut templates = Vec::new();
        let mut errors = Vec::new();
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (templates, errors),
            Err(e) => {
                errors.push(io_error(dir, &e));
                return (templates, errors);
            }
        };
        let mut folders: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.join(TEMPLATE_FILE).is_file())
            .collect();
        folders.sort();
        for folder in folders {
            let id = folder
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let file = folder.join(TEMPLATE_FILE);
            let result = std::fs::read_to_string(&file)
                .map_err(|e| io_error(&file, &e))
                .and_then(|toml| Template::parse(&id, &toml, &DirAssets(folder.clone())));
            match result {
                Ok(t) => templates.push(t),
                Err(e) => errors.push(e),
            }
        }
        (templates, errors)
    }

    /// "Customise": writes this template's TOML and images to `<dir>/<new_id>/` and returns the path of the
    /// new `template.toml`. Refuses to overwrite an existing folder.
    pub fn copy_to(&self, dir: &Path, new_id: &str) -> Result<PathBuf, TemplateError> {
        if !valid_id(new_id) {
            return Err(TemplateError::BadId(new_id.to_string()));
        }
        let folder = dir.join(new_id);
        if folder.exists() {
            return Err(TemplateError::AlreadyExists(folder));
        }
        std::fs::create_dir_all(&folder).map_err(|e| io_error(&folder, &e))?;
        for (name, bytes) in &self.images {
            let path = folder.join(name);
            std::fs::write(&path, bytes.as_slice()).map_err(|e| io_error(&path, &e))?;
        }
        let file = folder.join(TEMPLATE_FILE);
        std::fs::write(&file, &self.source).map_err(|e| io_error(&file, &e))?;
        Ok(file)
    }

    /// The text items of both faces, in order.
    pub fn texts(&self) -> impl Iterator<Item = &TextTemplate> {
        std::iter::once(&self.front)
            .chain(self.back.as_ref())
            .flat_map(|f| f.items.iter())
            .filter_map(|i| match i {
                ItemTemplate::Text(t) => Some(t),
                _ => None,
            })
    }
}

fn io_error(path: &Path, e: &std::io::Error) -> TemplateError {
    TemplateError::Io {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

#[cfg(test)]
#[path = "template_tests.rs"]
mod tests;
