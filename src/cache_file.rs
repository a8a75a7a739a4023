//! The files of the cache folder (`.paperpress/cache/`): a format line,
//! the fingerprint of the paperpress binary that wrote it, the value in
//! bincode, and a checksum of it, so that a file of another version or
//! another build of paperpress, a truncated one or a damaged one reads as
//! nothing. (A binary of the same version may parse, analyse or render
//! differently: the build record, the parsed digests and the memos it did
//! not write would give pages it would not make.)

use std::hash::{Hash, Hasher};

use serde::Serialize;
use serde::de::DeserializeOwned;

/// The running binary's fingerprint line: the build id the linker wrote
/// into it (on Linux a hash of what it linked, which changes with any of
/// the binary's code and embedded theme), found in memory without reading
/// the file; where the binary has none, a hash of its bytes, read once
/// (some milliseconds for its 15 MB, on every build). When the binary
/// cannot be read either, a line no other run writes, so that nothing in
/// the cache is trusted.
fn binary_line() -> &'static str {
    static LINE: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        if let Some(id) = buildid::build_id().filter(|id| id.len() >= 8) {
            let hex: String = id.iter().map(|byte| format!("{byte:02x}")).collect();
            return format!("binary id {hex}\n");
        }
        // Read in pieces into one small buffer: the whole binary in memory
        // would cost its page faults on every build.
        let hashed = std::env::current_exe().and_then(std::fs::File::open).and_then(|mut file| {
            let (mut h, mut size, mut buffer) = (twox_hash::XxHash3_64::new(), 0, vec![0; 1 << 18]);
            loop {
                match std::io::Read::read(&mut file, &mut buffer)? {
                    0 => return Ok((h.finish(), size)),
                    n => {
                        h.write(&buffer[..n]);
                        size += n;
                    }
                }
            }
        });
        match hashed {
            Ok((hash, size)) => format!("binary {hash:016x} {size}\n"),
            Err(_) => {
                let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
                format!("binary unknown {} {}\n", std::process::id(), now.as_nanos())
            }
        }
    });
    &LINE
}

/// `value` as stored under the format line `format`; an error when the
/// value does not serialize.
pub fn encode<T: Serialize>(format: &str, value: &T) -> bincode::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    write_to(&mut bytes, format, value)?;
    Ok(bytes)
}

/// Writes what [`encode`] gives to `out` as it is serialized, so that a
/// large memo is never in memory twice.
fn write_to<T: Serialize>(out: &mut impl std::io::Write, format: &str, value: &T) -> bincode::Result<()> {
    // The checksum hashes the body as `checksum` does: its length, then
    // its bytes, which XXH3 takes in any pieces.
    let size = bincode::serialized_size(value)?;
    let mut hashing = Hashing { out, hasher: long_hasher() };
    hashing.hasher.write_usize(size as usize);
    hashing.out.write_all(format.as_bytes())?;
    hashing.out.write_all(binary_line().as_bytes())?;
    bincode::serialize_into(&mut hashing, value)?;
    let sum = hashing.hasher.finish();
    out.write_all(&sum.to_le_bytes())?;
    Ok(())
}

/// A writer that hashes what goes through it.
struct Hashing<'a, W> {
    out: &'a mut W,
    hasher: twox_hash::XxHash3_64,
}

impl<W: std::io::Write> std::io::Write for Hashing<'_, W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let written = self.out.write(bytes)?;
        self.hasher.write(&bytes[..written]);
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// Writes `value` under `format` to `file` as [`encode`] would, streamed.
/// A file already there (a plain file of one name) is written over in
/// place and cut to length: on ext4, a new file renamed over an old one
/// has its data flushed at the rename, some milliseconds for a memo of
/// 10 MB, each build. A build killed while writing leaves half a file,
/// which its checksum refuses (the next build does that part of its work
/// again). Otherwise the value goes through a temporary file beside it,
/// renamed into place.
pub fn write<T: Serialize>(file: &std::path::Path, format: &str, value: &T) -> std::io::Result<()> {
    if let Some(existing) = crate::error::open_to_overwrite(file) {
        use std::io::{Seek, Write};
        let mut out = std::io::BufWriter::with_capacity(1 << 20, existing);
        write_to(&mut out, format, value).map_err(std::io::Error::other)?;
        out.flush()?;
        let mut existing = out.into_inner().map_err(|e| e.into_error())?;
        let end = existing.stream_position()?;
        return existing.set_len(end);
    }
    let dir = file.parent().unwrap_or(std::path::Path::new("."));
    std::fs::create_dir_all(dir)?;
    let temporary = tempfile::NamedTempFile::new_in(dir)?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, temporary);
    write_to(&mut out, format, value).map_err(std::io::Error::other)?;
    let temporary = out.into_inner().map_err(|e| e.into_error())?;
    temporary.persist(file).map_err(|e| e.error)?;
    Ok(())
}

/// The value [`encode`] stored under `format`; `None` for another
/// format, another binary, a cut file or a changed byte.
pub fn decode<T: DeserializeOwned>(format: &str, bytes: &[u8]) -> Option<T> {
    let rest = bytes.strip_prefix(format.as_bytes())?.strip_prefix(binary_line().as_bytes())?;
    let (body, sum) = rest.split_at_checked(rest.len().checked_sub(8)?)?;
    if checksum(body).to_le_bytes() != sum {
        return None;
    }
    bincode::deserialize(body).ok()
}

/// Vectors of numbers stored as their little-endian bytes (`#[serde(with =
/// "cache_file::packed_u32")]`): one block that bincode copies, rather
/// than a number at a time, for the memos' large flat arrays. On a
/// little-endian machine the numbers are written in place, not copied.
macro_rules! packed {
    ($name:ident, $int:ty) => {
        #[doc = concat!("A `Vec<", stringify!($int), ">` as its little-endian bytes.")]
        pub mod $name {
            use serde::{Deserializer, Serializer};

            const WIDTH: usize = std::mem::size_of::<$int>();

            /// Writes the numbers' bytes.
            pub fn serialize<S: Serializer>(numbers: &[$int], serializer: S) -> Result<S::Ok, S::Error> {
                if cfg!(target_endian = "little") {
                    serializer.serialize_bytes(bytemuck::cast_slice(numbers))
                } else {
                    let bytes: Vec<u8> = numbers.iter().flat_map(|n| n.to_le_bytes()).collect();
                    serializer.serialize_bytes(&bytes)
                }
            }

            struct Numbers;

            impl serde::de::Visitor<'_> for Numbers {
                type Value = Vec<$int>;

                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    write!(f, "bytes, {WIDTH} a number")
                }

                fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<Self::Value, E> {
                    if bytes.len() % WIDTH != 0 {
                        return Err(E::custom("not a whole number of numbers"));
                    }
                    Ok(if cfg!(target_endian = "little") {
                        bytemuck::pod_collect_to_vec(bytes)
                    } else {
                        bytes
                            .chunks_exact(WIDTH)
                            .map(|b| <$int>::from_le_bytes(b.try_into().expect("chunks of the width")))
                            .collect()
                    })
                }
            }

            /// Reads them back; a length that is no whole number of them is an error.
            pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<$int>, D::Error> {
                deserializer.deserialize_bytes(Numbers)
            }
        }
    };
}

packed!(packed_u32, u32);
packed!(packed_u64, u64);

/// A 128-bit hash of `value`, to find a memo's entry by what it was made
/// from (XXH3-128: no two papers of a site share one).
pub fn hash128(value: &impl Hash) -> u128 {
    let mut h = Hasher128::default();
    value.hash(&mut h);
    h.0.finish_128()
}

/// How many papers a memo gave and how many were worked out again.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Reuse {
    /// Papers taken from the memo.
    pub remembered: usize,
    /// Papers analysed.
    pub analysed: usize,
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
    let mut h = long_hasher();
    body.hash(&mut h);
    h.finish()
}

/// The hasher of long input a build compares with the last build's (cache
/// files, digests, papers, output files): XXH3, which takes a megabyte in
/// a tenth of the time SipHash does, and gives the same in every run.
pub fn long_hasher() -> twox_hash::XxHash3_64 {
    twox_hash::XxHash3_64::with_seed(0)
}

/// A [`Hasher`] of 128 bits: XXH3-128, whose [`Hasher::finish`] is unused.
#[derive(Default)]
struct Hasher128(twox_hash::XxHash3_128);

impl Hasher for Hasher128 {
    fn write(&mut self, bytes: &[u8]) {
        self.0.write(bytes);
    }

    fn finish(&self) -> u64 {
        self.0.finish_128() as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paper::Paper;

    #[test]
    fn the_binary_is_named_by_its_build_id_where_it_has_one() {
        let line = binary_line();
        assert!(line.starts_with("binary ") && line.ends_with('\n') && !line[..line.len() - 1].contains('\n'));
        match buildid::build_id().filter(|id| id.len() >= 8) {
            Some(id) => assert_eq!(line.len(), "binary id \n".len() + 2 * id.len(), "{line}"),
            None => assert!(!line.starts_with("binary id "), "{line}"),
        }
        assert_eq!(binary_line(), line, "read once");
    }

    #[test]
    fn a_file_written_again_is_cut_to_its_new_length_and_a_link_is_not_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("memo.bin");
        let read = |file: &std::path::Path| decode::<Vec<u32>>("test 1\n", &std::fs::read(file).unwrap());
        write(&file, "test 1\n", &vec![7u32; 10_000]).unwrap();
        write(&file, "test 1\n", &vec![1u32, 2, 3]).unwrap();
        assert_eq!(read(&file), Some(vec![1, 2, 3]), "written over in place, the rest cut");
        assert_eq!(
            std::fs::metadata(&file).unwrap().len(),
            encode("test 1\n", &vec![1u32, 2, 3]).unwrap().len() as u64
        );
        // Half a file, as a build killed while writing leaves it, reads as nothing.
        let bytes = std::fs::read(&file).unwrap();
        std::fs::write(&file, &bytes[..bytes.len() / 2]).unwrap();
        assert_eq!(read(&file), None);
        #[cfg(unix)]
        {
            let outside = dir.path().join("outside.bin");
            std::fs::write(&outside, b"not ours").unwrap();
            let link = dir.path().join("link.bin");
            std::os::unix::fs::symlink(&outside, &link).unwrap();
            write(&link, "test 1\n", &vec![9u32]).unwrap();
            assert_eq!(std::fs::read(&outside).unwrap(), b"not ours", "the link's target is untouched");
            assert_eq!(read(&link), Some(vec![9]), "the link is replaced by the file");
        }
    }

    #[test]
    fn packed_numbers_come_back_and_a_cut_block_is_refused() {
        #[derive(Debug, PartialEq, Serialize, serde::Deserialize)]
        struct Arrays {
            #[serde(with = "packed_u32")]
            small: Vec<u32>,
            #[serde(with = "packed_u64")]
            large: Vec<u64>,
        }
        let arrays = Arrays { small: vec![0, 1, u32::MAX, 70_000], large: vec![u64::MAX, 3] };
        let bytes = encode("test 1\n", &arrays).unwrap();
        assert_eq!(decode::<Arrays>("test 1\n", &bytes), Some(arrays));
        // Streamed to a file, the same bytes.
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("memo.bin");
        write(&file, "test 1\n", &decode::<Arrays>("test 1\n", &bytes).unwrap()).unwrap();
        assert_eq!(std::fs::read(&file).unwrap(), bytes);
        // Three bytes where four make a number: refused, not misread.
        #[derive(Serialize)]
        struct Bytes(#[serde(with = "serde_bytes")] Vec<u8>, #[serde(with = "serde_bytes")] Vec<u8>);
        let cut = encode("test 1\n", &Bytes(vec![1, 2, 3], vec![0; 8])).unwrap();
        assert_eq!(decode::<Arrays>("test 1\n", &cut), None);
    }

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
