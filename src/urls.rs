//! Where pages live: their paths from the site root, as links use them.

use crate::paper::Paper;

/// A path as it goes into an `href`: spaces and other unsafe characters
/// percent-encoded (page file names are the owner's).
pub fn href(path: &str) -> String {
    const PATH: &percent_encoding::AsciiSet =
        &percent_encoding::NON_ALPHANUMERIC.remove(b'/').remove(b'-').remove(b'_').remove(b'.').remove(b'~');
    percent_encoding::utf8_percent_encode(path, PATH).to_string()
}

/// A paper page's path relative to the site root.
pub fn paper_url(paper: &Paper) -> String {
    format!("papers/{}.html", paper.file_stem())
}
