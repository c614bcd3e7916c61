//! A template's context that fingerprints what it is given. The fingerprint is a hash of
//! exactly the values the template receives, so two renders of a file with equal
//! fingerprints are equal: the preview re-renders a file when, and only when, its view
//! changed.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use serde::Serialize;
use tera::{Context, Value};

/// A context under construction, with the hash of everything put into it.
pub struct ViewContext {
    ctx: Context,
    /// `None` for a build, which renders every file and compares nothing.
    print: Option<DefaultHasher>,
}

impl ViewContext {
    /// An empty context whose fingerprint starts from `seed` (what every page receives),
    /// or that keeps no fingerprint when `seed` is `None`.
    pub fn new(seed: Option<u64>) -> Self {
        let print = seed.map(|seed| {
            let mut print = DefaultHasher::new();
            seed.hash(&mut print);
            print
        });
        ViewContext {
            ctx: Context::new(),
            print,
        }
    }

    /// Gives the template `value` as `key`, and hashes it as the template receives it
    /// (from the view itself: the template engine's maps have no fixed order).
    pub fn insert(&mut self, key: &'static str, value: &(impl Serialize + ?Sized)) {
        if let Some(print) = &mut self.print {
            key.hash(print);
            hash_value(print, value);
        }
        self.ctx.insert_value(key, Value::from_serializable(value));
    }

    pub fn fingerprint(&self) -> u64 {
        self.print.as_ref().map_or(0, Hasher::finish)
    }

    pub fn into_context(self) -> Context {
        self.ctx
    }
}

/// Feeds `value`, written as JSON, into `hasher`, without building the text.
pub fn hash_value(hasher: &mut DefaultHasher, value: &(impl Serialize + ?Sized)) {
    // Writing to a hasher cannot fail; a value that cannot be written still leaves a
    // distinct mark.
    if serde_json::to_writer(HashWriter(hasher), value).is_err() {
        u8::MAX.hash(hasher);
    }
}

/// Fingerprint of a file made without a template: its text.
pub fn of_text(text: &str) -> u64 {
    let mut h = DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// Fingerprint of what every template receives as `site`.
pub fn site_print(view: &super::views::SiteView<'_>) -> u64 {
    let mut h = DefaultHasher::new();
    hash_value(&mut h, view);
    h.finish()
}

/// A static file's identity: embedded bytes are fixed; a file changes with its size or time.
pub fn of_static(origin: &super::theme::Origin) -> u64 {
    let mut h = DefaultHasher::new();
    match origin {
        super::theme::Origin::Embedded(bytes) => bytes.hash(&mut h),
        super::theme::Origin::File { path, .. } => {
            let meta = std::fs::metadata(path).ok();
            (
                path,
                meta.as_ref().map(|m| m.len()),
                meta.and_then(|m| m.modified().ok()),
            )
                .hash(&mut h);
        }
    }
    h.finish()
}

struct HashWriter<'a>(&'a mut DefaultHasher);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_views_have_equal_fingerprints_and_any_difference_shows() {
        let print = |name: &str, count: usize| {
            let mut c = ViewContext::new(Some(7));
            c.insert("name", name);
            c.insert("count", &count);
            c.fingerprint()
        };
        assert_eq!(print("Donald Trump", 3), print("Donald Trump", 3));
        assert_ne!(print("Donald Trump", 3), print("DONALD TRUMP", 3));
        assert_ne!(print("Donald Trump", 3), print("Donald Trump", 4));
    }

    #[test]
    fn the_seed_is_part_of_the_fingerprint() {
        let a = ViewContext::new(Some(1));
        let b = ViewContext::new(Some(2));
        assert_ne!(a.fingerprint(), b.fingerprint());
    }
}
