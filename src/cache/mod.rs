//! The build cache: what a build keeps beside the site, in `.brief-cache/build/`, to skip
//! work the next time. Each entry is one file: a header line with brief's version, the key
//! the entry was made for, the length of its bytes and their checksum, then the bytes. An
//! entry that is missing, does not read back whole, or was made for another key is no
//! entry, and the work is done again. Deleting the folder is always safe.
//!
//! A leaf module: callers turn their own values into bytes, with `encode` and `decode`.

use std::path::{Path, PathBuf};

pub mod pack;

/// Bumped when what an entry holds changes shape, so older entries are not read.
const FORMAT: &str = "brief-cache 8";

/// `value` as an entry's bytes: a compact binary form, several times quicker to read back
/// than JSON, which matters when a build reads back a hundred thousand entries.
pub fn encode<T: serde::Serialize + ?Sized>(value: &T) -> Option<Vec<u8>> {
    postcard::to_stdvec(value).ok()
}

/// The value `encode` made `bytes` from; `None` for bytes of another shape.
pub fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    postcard::from_bytes(bytes).ok()
}

/// The cache folder of one site.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
    /// False for `--no-cache`: nothing is read or kept.
    used: bool,
}

impl Store {
    /// The cache of the site at `root`; with `used` false, a cache that reads and keeps
    /// nothing.
    pub fn open(root: &Path, used: bool) -> Store {
        Store {
            dir: root.join(crate::config::CACHE_DIR).join("build"),
            used,
        }
    }

    /// The bytes kept as `name` (a `/`-separated path in the cache) for `key`, if they read
    /// back whole.
    pub fn get(&self, name: &str, key: u64) -> Option<Vec<u8>> {
        if !self.used {
            return None;
        }
        read(&self.dir.join(name), key)
    }

    /// Keeps `body` as `name` for `key`. The entry is written beside its place and renamed
    /// into it, so a build killed meanwhile leaves the old entry or none, never half of one.
    pub fn put(&self, name: &str, key: u64, body: &[u8]) -> std::io::Result<()> {
        if !self.used {
            return Ok(());
        }
        let path = self.dir.join(name);
        let (Some(dir), Some(file)) = (path.parent(), path.file_name()) else {
            return Err(std::io::Error::other("not a file name"));
        };
        std::fs::create_dir_all(dir)?;
        let file = file.to_string_lossy();
        let tmp = dir.join(format!(".{file}.tmp-{}", std::process::id()));
        let mut text = Vec::with_capacity(body.len() + 80);
        lay_out(&mut text, key, body);
        std::fs::write(&tmp, &text)?;
        std::fs::rename(&tmp, &path).inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
    }

    /// Whether entries are read and kept at all (not with `--no-cache`).
    pub fn is_used(&self) -> bool {
        self.used
    }

    /// Where entries are kept, for messages.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

/// A file's size and modification time, by which a build tells a file it saw before
/// (`None`: not a file).
pub fn stat(path: &Path) -> Option<(u64, i128)> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    meta.is_file().then_some(())?;
    seen(&meta)
}

/// The size and modification time in `meta`, as `stat` gives them.
pub fn seen(meta: &std::fs::Metadata) -> Option<(u64, i128)> {
    Some((meta.len(), modified(meta)?))
}

/// A file's modification time in nanoseconds since 1970.
pub fn modified(meta: &std::fs::Metadata) -> Option<i128> {
    let t = meta.modified().ok()?;
    let d = t.duration_since(std::time::UNIX_EPOCH).ok()?;
    Some(d.as_nanos() as i128)
}

/// The bytes of the entry at `path` for `key`, if it reads back whole.
pub fn read(path: &Path, key: u64) -> Option<Vec<u8>> {
    parse(std::fs::read(path).ok()?, key)
}

/// Appends the entry for `key` holding `body` to `bytes`.
fn lay_out(bytes: &mut Vec<u8>, key: u64, body: &[u8]) {
    bytes.extend_from_slice(header_for(key, body).as_bytes());
    bytes.push(b'\n');
    bytes.extend_from_slice(body);
}

/// The body of the entry laid out in `bytes`, if it is whole and for `key`.
fn parse(mut bytes: Vec<u8>, key: u64) -> Option<Vec<u8>> {
    let newline = bytes.iter().position(|&b| b == b'\n')?;
    let (header, body) = bytes.split_at(newline);
    let whole = std::str::from_utf8(header).is_ok_and(|h| h == header_for(key, &body[1..]));
    whole.then_some(())?;
    bytes.drain(..=newline);
    Some(bytes)
}

fn header_for(key: u64, body: &[u8]) -> String {
    format!(
        "{FORMAT} {} {key:016x} {} {:016x}",
        env!("CARGO_PKG_VERSION"),
        body.len(),
        crate::text::hash_of(body)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_reads_back_only_whole_and_for_its_key() {
        let dir = tempfile::TempDir::new().expect("temp");
        let store = Store::open(dir.path(), true);
        store
            .put("shapes", 7, b"some bytes\nand more")
            .expect("put");
        assert_eq!(
            store.get("shapes", 7).as_deref(),
            Some(&b"some bytes\nand more"[..])
        );
        assert_eq!(store.get("shapes", 8), None, "another key");
        let unused = Store::open(dir.path(), false);
        assert_eq!(unused.get("shapes", 7), None);
        unused.put("other", 7, b"x").expect("nothing to do");
        assert!(!unused.dir().join("other").exists());
        let file = store.dir().join("shapes");
        let whole = std::fs::read(&file).expect("read");
        let flipped = {
            let mut b = whole.clone();
            let last = b.len() - 1;
            b[last] ^= 1;
            b
        };
        for damaged in [
            &whole[..whole.len() - 3],
            &flipped[..],
            &b""[..],
            &whole[..10],
        ] {
            std::fs::write(&file, damaged).expect("write");
            assert_eq!(store.get("shapes", 7), None, "{damaged:?}");
        }
    }
}
