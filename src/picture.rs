//! Pictures a writer names: where each file is, its size read from the file's header, and
//! the narrower copies a build publishes beside it so a phone need not fetch a photo made
//! for a wide screen. Copies are made once and kept in a cache, keyed by the file's bytes.
//!
//! A leaf module: the content stage locates pictures, the render stage makes the copies.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

/// Widths of the copies made of a picture wider than them (never wider than the original).
pub const WIDTHS: [u32; 3] = [480, 960, 1600];

/// Bumped when the way copies are made changes, so older cached copies are not reused.
const CACHE_VERSION: u32 = 3;

/// Where a picture is published.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Place {
    /// An http(s) address, shown as it is.
    Remote(String),
    /// A file under `static/`, published at this site path (`img/map.png`).
    Static(String),
    /// A file beside the content file, published under its page at this relative path.
    Beside(String),
}

/// An image format brief reads, resizes and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Format {
    Jpeg,
    Png,
    Webp,
}

impl Format {
    fn of(format: image::ImageFormat) -> Option<Format> {
        match format {
            image::ImageFormat::Jpeg => Some(Format::Jpeg),
            image::ImageFormat::Png => Some(Format::Png),
            image::ImageFormat::WebP => Some(Format::Webp),
            _ => None,
        }
    }
}

/// A picture as the pages use it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Picture {
    pub place: Place,
    /// The file it is read from (local pictures).
    pub file: Option<PathBuf>,
    /// Width and height in pixels, for JPEG, PNG and WebP files.
    pub size: Option<(u32, u32)>,
    pub format: Option<Format>,
}

/// Why a picture cannot be used, in a writer's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Neither a path nor an http(s) address.
    NotAllowed,
    /// A relative path that leaves the content file's folder.
    Climbs,
    /// No such file; `looked` is where it was looked for, from the site's root, and `near`
    /// a file beside it with a name close to the one written, as `src` would name it.
    Missing {
        looked: String,
        near: Option<String>,
    },
    /// The file is not an image brief can read.
    Unreadable { file: String, why: String },
}

impl Problem {
    /// The message and the help for a writer.
    pub fn explain(&self, src: &str) -> (String, String) {
        match self {
            Problem::NotAllowed => (
                format!("the image `{src}` is neither a file of this site nor an http(s) address"),
                "name a file under static/ from the site's root (/img/map.jpg), a file beside this one (map.jpg), or an https:// address".into(),
            ),
            Problem::Climbs => (
                format!("the image `{src}` is outside this file's folder"),
                "put the image beside this file, or under static/ and write its path from the site's root, e.g. /img/map.jpg".into(),
            ),
            Problem::Missing { looked, near } => (
                format!("the image `{src}` does not exist (looked for {looked})"),
                match near {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => "check the file's name, or put the image there".into(),
                },
            ),
            Problem::Unreadable { file, why } => (
                format!("{file} is not an image brief can read: {why}"),
                "save it again as JPEG, PNG or WebP, or replace the file".into(),
            ),
        }
    }
}

/// A file in the folder of `missing` whose name is close to its name, written as `src`
/// would have written it (`witkoff-kremlin.jpg` for `witkoff-kremiln.jpg`).
fn near_twin(missing: &Path, src: &str) -> Option<String> {
    let name = missing.file_name()?.to_str()?;
    let names: std::collections::BTreeSet<String> = std::fs::read_dir(missing.parent()?)
        .ok()?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_file())
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    let near = crate::text::nearest(name, names.iter().map(String::as_str))?;
    let folder = src.rsplit_once('/').map_or("", |(folder, _)| folder);
    Some(if folder.is_empty() && !src.starts_with('/') {
        near.to_string()
    } else {
        format!("{folder}/{near}")
    })
}

/// Where to look for pictures: the site's root and the folders static files come from.
pub struct Lookup<'a> {
    pub root: &'a Path,
    /// `static/` folders, the site's first.
    pub statics: &'a [PathBuf],
}

impl Lookup<'_> {
    /// The picture `src` names, written in a file in folder `beside` (a path from the root).
    pub fn locate(&self, src: &str, beside: &Path) -> Result<Picture, Problem> {
        let src = src.trim();
        if crate::text::is_web(src) {
            if src.contains(char::is_whitespace) {
                return Err(Problem::NotAllowed);
            }
            return Ok(Picture {
                place: Place::Remote(src.to_string()),
                file: None,
                size: None,
                format: None,
            });
        }
        if src.is_empty() || src.starts_with("//") || src.contains([':', '?', '#', '\\']) {
            return Err(Problem::NotAllowed);
        }
        if src.split('/').any(|part| part == "..") {
            return Err(Problem::Climbs);
        }
        let (place, candidates, looked) = match src.strip_prefix('/') {
            Some(path) => {
                let found: Vec<PathBuf> = self.statics.iter().map(|s| s.join(path)).collect();
                (
                    Place::Static(path.to_string()),
                    found,
                    format!("static/{path}"),
                )
            }
            None => {
                let path = src.trim_start_matches("./");
                let file = self.root.join(beside).join(path);
                let looked = beside.join(path).to_string_lossy().replace('\\', "/");
                (Place::Beside(path.to_string()), vec![file], looked)
            }
        };
        let Some(file) = candidates.iter().find(|f| f.is_file()).cloned() else {
            let near = candidates.first().and_then(|f| near_twin(f, src));
            return Err(Problem::Missing { looked, near });
        };
        let (size, format) = probe(&file, &looked)?;
        Ok(Picture {
            place,
            file: Some(file),
            size,
            format,
        })
    }
}

/// A picture's size and format, when brief reads its kind.
type Probed = (Option<(u32, u32)>, Option<Format>);

/// The size and format of a JPEG, PNG or WebP file, from its header; nothing for other
/// kinds of images (SVG, GIF...), which are published as they are.
fn probe(file: &Path, shown: &str) -> Result<Probed, Problem> {
    let unreadable = |why: String| Problem::Unreadable {
        file: shown.to_string(),
        why,
    };
    let reader = image::ImageReader::open(file)
        .and_then(|r| r.with_guessed_format())
        .map_err(|e| unreadable(e.to_string()))?;
    let by_name = image::ImageFormat::from_path(file)
        .ok()
        .and_then(Format::of);
    let format = match (reader.format().and_then(Format::of), by_name) {
        (Some(format), _) => format,
        (None, Some(_)) => {
            return Err(unreadable(
                "its contents are not a JPEG, PNG or WebP image".into(),
            ));
        }
        (None, None) => return Ok((None, None)),
    };
    let size = reader
        .into_dimensions()
        .map_err(|e| unreadable(plain(&e)))?;
    if size.0 == 0 || size.1 == 0 {
        return Err(unreadable("it has no pixels".into()));
    }
    Ok((Some(size), Some(format)))
}

/// A decoder's complaint without its internals' vocabulary.
fn plain(e: &image::ImageError) -> String {
    match e {
        image::ImageError::Decoding(_) => "its contents are damaged or not in its format".into(),
        image::ImageError::Unsupported(_) => "this kind of image is not supported".into(),
        other => other.to_string(),
    }
}

impl Picture {
    /// The widths of the copies published beside it: those of `WIDTHS` narrower than it.
    pub fn widths(&self) -> Vec<u32> {
        match (self.size, self.format) {
            (Some((w, _)), Some(_)) => WIDTHS.iter().copied().filter(|&x| x < w).collect(),
            _ => Vec::new(),
        }
    }

    /// The height of a copy `width` pixels wide.
    pub fn height_at(&self, width: u32) -> u32 {
        match self.size {
            Some((w, h)) if w > 0 => {
                ((u64::from(h) * u64::from(width) + u64::from(w) / 2) / u64::from(w)).max(1) as u32
            }
            _ => 0,
        }
    }
}

/// The path of the copy `width` pixels wide of the picture published at `path`:
/// `img/map.png` -> `img/map.480w.png`.
pub fn copy_path(path: &str, width: u32) -> String {
    let (dir, name) = path.rsplit_once('/').map_or(("", path), |(d, n)| (d, n));
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    let file = if ext.is_empty() {
        format!("{stem}.{width}w")
    } else {
        format!("{stem}.{width}w.{ext}")
    };
    if dir.is_empty() {
        file
    } else {
        format!("{dir}/{file}")
    }
}

/// What names the copies of the picture in `file` in the cache: a hash of its bytes.
pub fn content_key(file: &Path, format: Format) -> Result<u64, String> {
    let bytes = read(file)?;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (CACHE_VERSION, &bytes, format).hash(&mut h);
    Ok(h.finish())
}

fn read(file: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(file).map_err(|e| format!("cannot read it: {e}"))
}

/// The copy `width` pixels wide of `file`, whose `content_key` is `key`, from `cache`;
/// made first when it is not there, with every other copy of `widths` narrower than the
/// picture that is missing, so the picture is decoded once. Returns the cached file and
/// how many copies had to be made.
pub fn resized(
    file: &Path,
    key: u64,
    width: u32,
    widths: &[u32],
    format: Format,
    cache: &Path,
) -> Result<(PathBuf, usize), String> {
    let ext = match format {
        Format::Jpeg => "jpg",
        Format::Png => "png",
        Format::Webp => "webp",
    };
    let cached = |w: u32| cache.join(format!("{key:016x}-{w}.{ext}"));
    if cached(width).is_file() {
        return Ok((cached(width), 0));
    }
    // One job per picture makes its copies; the others wait and then find them.
    let lock = picture_lock(key);
    let _held = lock
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if cached(width).is_file() {
        return Ok((cached(width), 0));
    }
    let mut image = image::load_from_memory(&read(file)?).map_err(|e| plain(&e))?;
    // 16-bit and float pictures are resized as 8-bit ones: the copies are for screens.
    if !matches!(
        image,
        image::DynamicImage::ImageRgb8(_)
            | image::DynamicImage::ImageRgba8(_)
            | image::DynamicImage::ImageLuma8(_)
    ) {
        image = if image.color().has_alpha() {
            image::DynamicImage::ImageRgba8(image.to_rgba8())
        } else {
            image::DynamicImage::ImageRgb8(image.to_rgb8())
        };
    }
    let full = image.width();
    let mut missing: Vec<u32> = (widths.iter().copied())
        .filter(|&w| w < full && !cached(w).is_file())
        .collect();
    if !missing.contains(&width) {
        missing.push(width);
    }
    if image.color().has_alpha() && format == Format::Jpeg {
        image = image::DynamicImage::ImageRgb8(image.to_rgb8());
    }
    std::fs::create_dir_all(cache)
        .map_err(|e| format!("cannot create {}: {e}", cache.display()))?;
    let mut resizer = fast_image_resize::Resizer::new();
    let options = fast_image_resize::ResizeOptions::new().resize_alg(
        fast_image_resize::ResizeAlg::Convolution(fast_image_resize::FilterType::Lanczos3),
    );
    for &w in &missing {
        let height =
            (u64::from(image.height()) * u64::from(w) / u64::from(full.max(1))).max(1) as u32;
        let mut small = image::DynamicImage::new(w, height, image.color());
        resizer
            .resize(&image, &mut small, &options)
            .map_err(|e| format!("cannot make a smaller copy: {e}"))?;
        store(&encode(&small, format)?, &cached(w), cache)?;
    }
    Ok((cached(width), missing.len()))
}

/// Writes `bytes` to `to` through a file beside it, so a killed build never leaves half a
/// copy in the cache.
fn store(bytes: &[u8], to: &Path, cache: &Path) -> Result<(), String> {
    let partial = cache.join(format!(".{}.{}", std::process::id(), unique()));
    std::fs::write(&partial, bytes)
        .and_then(|()| std::fs::rename(&partial, to))
        .map_err(|e| {
            let _ = std::fs::remove_file(&partial);
            format!("cannot write to {}: {e}", cache.display())
        })
}

/// The lock of the picture whose bytes hash to `key`.
fn picture_lock(key: u64) -> std::sync::Arc<std::sync::Mutex<()>> {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock};
    static LOCKS: OnceLock<Mutex<HashMap<u64, Arc<Mutex<()>>>>> = OnceLock::new();
    let locks = LOCKS.get_or_init(Default::default);
    let mut map = locks
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    map.entry(key).or_default().clone()
}

fn encode(image: &image::DynamicImage, format: Format) -> Result<Vec<u8>, String> {
    let mut out = std::io::Cursor::new(Vec::new());
    let result = match format {
        Format::Jpeg => return encode_jpeg(image),
        Format::Png => image.write_to(&mut out, image::ImageFormat::Png),
        Format::Webp => image.write_to(&mut out, image::ImageFormat::WebP),
    };
    result.map_err(|e| format!("cannot make a smaller copy: {e}"))?;
    Ok(out.into_inner())
}

/// JPEG copies go through a SIMD encoder: encoding costs more than decoding and resizing.
fn encode_jpeg(image: &image::DynamicImage) -> Result<Vec<u8>, String> {
    let too_large = |_| "it is too large for a JPEG copy".to_string();
    let width = u16::try_from(image.width()).map_err(too_large)?;
    let height = u16::try_from(image.height()).map_err(too_large)?;
    let (bytes, color) = match image {
        image::DynamicImage::ImageLuma8(i) => (i.as_raw(), jpeg_encoder::ColorType::Luma),
        image::DynamicImage::ImageRgba8(i) => (i.as_raw(), jpeg_encoder::ColorType::Rgba),
        image::DynamicImage::ImageRgb8(i) => (i.as_raw(), jpeg_encoder::ColorType::Rgb),
        other => return encode_jpeg(&image::DynamicImage::ImageRgb8(other.to_rgb8())),
    };
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 82)
        .encode(bytes, width, height, color)
        .map_err(|e| format!("cannot make a smaller copy: {e}"))?;
    Ok(out)
}

/// A name no other thread or process is using at the same moment.
fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_are_named_beside_the_original() {
        assert_eq!(copy_path("img/map.png", 480), "img/map.480w.png");
        assert_eq!(copy_path("map.jpeg", 960), "map.960w.jpeg");
        assert_eq!(copy_path("a.b/map", 480), "a.b/map.480w");
    }

    #[test]
    fn copies_are_never_wider_than_the_original() {
        let p = |w| Picture {
            place: Place::Static("x.png".into()),
            file: None,
            size: Some((w, 100)),
            format: Some(Format::Png),
        };
        assert_eq!(p(2000).widths(), [480, 960, 1600]);
        assert_eq!(p(960).widths(), [480]);
        assert!(p(480).widths().is_empty());
        assert_eq!(p(2000).height_at(480), 24);
    }
}
