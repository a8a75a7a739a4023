//! The files of the cache folder (`.paperpress/cache/`): a format line,
//! the value in bincode, and a checksum of it, so that a file of another
//! version, a truncated one or a damaged one reads as nothing.

use std::hash::{DefaultHasher, Hash, Hasher};

use serde::Serialize;
use serde::de::DeserializeOwned;

/// `value` as stored under the format line `format`; an error when the
/// value does not serialize.
pub fn encode<T: Serialize>(format: &str, value: &T) -> bincode::Result<Vec<u8>> {
    let body = bincode::serialize(value)?;
    let mut bytes = format.as_bytes().to_vec();
    bytes.extend_from_slice(&body);
    bytes.extend_from_slice(&checksum(&body).to_le_bytes());
    Ok(bytes)
}

/// The value [`encode`] stored under `format`; `None` for another
/// format, a cut file or a changed byte.
pub fn decode<T: DeserializeOwned>(format: &str, bytes: &[u8]) -> Option<T> {
    let rest = bytes.strip_prefix(format.as_bytes())?;
    let (body, sum) = rest.split_at_checked(rest.len().checked_sub(8)?)?;
    if checksum(body).to_le_bytes() != sum {
        return None;
    }
    bincode::deserialize(body).ok()
}

/// Removes the file or folder `path` of the cache folder, if it is there.
pub fn remove(path: &std::path::Path) -> crate::error::Result<()> {
    use crate::error::Context;
    let removed = if path.is_dir() { std::fs::remove_dir_all(path) } else { std::fs::remove_file(path) };
    match removed {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(e).with_context(|| format!("failed to remove `{}`", path.display()))
        }
        _ => Ok(()),
    }
}

fn checksum(body: &[u8]) -> u64 {
    let mut h = DefaultHasher::new();
    body.hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paper::Paper;

    #[test]
    fn a_paper_comes_back_whole_and_a_damaged_file_as_nothing() {
        let mut paper = Paper { id: "2406.09416".into(), title: "T $x^2$".into(), ..Paper::default() };
        paper.extra.insert("note".into(), toml::Value::String("kept \"quoted\"".into()));
        paper.extra.insert("stars".into(), toml::Value::Integer(3));
        let bytes = encode("test 1\n", &paper).unwrap();
        assert_eq!(decode::<Paper>("test 1\n", &bytes), Some(paper));
        assert_eq!(decode::<Paper>("test 2\n", &bytes), None, "another format");
        assert_eq!(decode::<Paper>("test 1\n", &bytes[..bytes.len() - 1]), None, "cut");
        let mut flipped = bytes.clone();
        flipped[10] ^= 1;
        assert_eq!(decode::<Paper>("test 1\n", &flipped), None, "a changed byte");
    }
}
