//! `topics.lock`: the automatic topics a site has had, beside `site.toml`,
//! so that their pages stay as days are added.
//!
//! `paperpress topics --lock` writes it and the owner commits it (the
//! Pages workflow does both every day); a build only reads it. Each entry
//! is one automatic topic: its slug, name, parent and the phrases that
//! find its papers. What it holds is untrusted like any input: a slug is
//! made a slug again (it names a file), names lose control characters, and
//! a file that is no lock is an error naming the file and line.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{config_error, topic_slug};
use crate::error::Result;

/// The name of the lock file at the root of a site.
pub const LOCK_FILE: &str = "topics.lock";

/// What an error in the lock adds: how to get a good one again.
const FIX: &str =
    "\n(fix it, or delete it and run `paperpress topics --lock`: pages of topics it retired are then forgotten)";

/// What the lock file starts with.
const HEADER: &str = "\
# The automatic topics of this site, kept so that their pages stay as days
# are added: a build keeps each while its phrases find papers, and leaves a
# page pointing to its parent when none is left. Written by
# `paperpress topics --lock` (the Pages workflow runs it every day); commit
# it. Delete an entry to let its topic go once mining no longer finds it;
# copy one into site.toml as a [[topics]] rule with the same slug to make
# it yours.
";

/// The automatic topics a site has had.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicLock {
    /// One entry per topic, by slug.
    #[serde(default, rename = "topic", skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<LockedTopic>,
}

/// One automatic topic of the lock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockedTopic {
    /// Its page is `topics/<slug>.html`.
    pub slug: String,
    /// Its name, as its pages show it.
    pub name: String,
    /// The slug of the topic it is under; none for a top topic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// The phrases (normalised words, space-separated) that find its papers.
    pub phrases: Vec<String>,
}

/// An entry as the file has it, with where it starts.
#[derive(Deserialize)]
struct RawLock {
    #[serde(default)]
    topic: Vec<toml::Spanned<RawTopic>>,
}

#[derive(Deserialize)]
struct RawTopic {
    slug: String,
    name: String,
    #[serde(default)]
    parent: Option<String>,
    phrases: Vec<String>,
}

impl TopicLock {
    /// Reads `path`; no file is an empty lock.
    pub fn from_file(path: &Path) -> Result<TopicLock> {
        if !path.is_file() {
            return Ok(TopicLock::default());
        }
        TopicLock::parse(&crate::error::read_text(path)?, path)
    }

    /// Parses lock text; `path` only names the file in errors. Unknown keys
    /// are left aside, so a lock a later version wrote still reads.
    pub fn parse(text: &str, path: &Path) -> Result<TopicLock> {
        let raw: RawLock = toml::from_str(text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            config_error(text, path, offset, &format!("{}{FIX}", crate::error::plain_words(e.message().trim())))
        })?;
        let mut topics: Vec<LockedTopic> = Vec::with_capacity(raw.topic.len());
        let mut seen = std::collections::HashSet::new();
        for spanned in raw.topic {
            let at = spanned.span().start;
            let raw = spanned.into_inner();
            let problem = |message: String| config_error(text, path, at, &format!("{message}{FIX}"));
            let phrases: Vec<String> = raw.phrases.iter().map(|p| clean_phrase(p)).filter(|p| !p.is_empty()).collect();
            let name = crate::clean::collapse(&raw.name);
            if name.is_empty() || phrases.is_empty() {
                return Err(problem(format!("the topic `{}` needs a `name` and at least one phrase", raw.slug)).into());
            }
            let slug = clean_slug(&raw.slug).ok_or_else(|| problem(format!("`{}` cannot be a slug", raw.slug)))?;
            if !seen.insert(slug.clone()) {
                return Err(problem(format!("two topics have the slug `{slug}`")).into());
            }
            let parent = raw.parent.as_deref().and_then(clean_slug);
            topics.push(LockedTopic { slug, name, parent, phrases });
        }
        Ok(TopicLock { topics })
    }

    /// The lock as its file holds it: a header saying what it is, then
    /// the topics by slug.
    pub fn to_text(&self) -> String {
        let mut sorted = self.clone();
        sorted.topics.sort_by(|a, b| a.slug.cmp(&b.slug));
        let body = toml::to_string(&sorted).expect("a lock serializes");
        format!("{HEADER}\n{body}")
    }
}

/// A slug as a topic page's file name can have it: its words slugified,
/// never a path (`../x` is `x`); `None` when nothing is left.
fn clean_slug(slug: &str) -> Option<String> {
    if slug::slugify(slug).is_empty() {
        return None;
    }
    Some(topic_slug(slug))
}

/// A phrase as one line of words without control characters, lower case.
fn clean_phrase(phrase: &str) -> String {
    crate::clean::collapse(phrase).to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<TopicLock> {
        TopicLock::parse(text, Path::new("topics.lock"))
    }

    const ONE: &str = "[[topic]]\nslug = \"gaussian-splatting\"\nname = \"Gaussian splatting\"\nparent = \"3d-vision\"\nphrases = [\"gaussian splatting\"]\n";

    #[test]
    fn a_lock_survives_a_round_trip() {
        let lock = parse(ONE).unwrap();
        assert_eq!(lock.topics[0].parent.as_deref(), Some("3d-vision"));
        assert_eq!(parse(&lock.to_text()).unwrap(), lock);
        assert!(lock.to_text().starts_with("# The automatic topics of this site"));
    }

    #[test]
    fn a_damaged_lock_names_file_and_line() {
        let cut = &ONE[..ONE.len() - 10];
        let msg = format!("{:#}", parse(&format!("\n\n{cut}")).unwrap_err());
        assert!(msg.starts_with("`topics.lock` line 7, column 24: unclosed array"), "{msg}");
        let wrong = format!("{:#}", parse("[[topic]]\nslug = 3\n").unwrap_err());
        assert!(wrong.starts_with("`topics.lock` line 2, column 8:"), "{wrong}");
        let missing = format!("{:#}", parse(&format!("{ONE}\n[[topic]]\nslug = \"x\"\nname = \"X\"\n")).unwrap_err());
        assert!(missing.starts_with("`topics.lock` line 7, column 1:"), "{missing}");
        assert!(missing.contains("phrases"), "{missing}");
        let twice = format!("{:#}", parse(&format!("{ONE}\n{ONE}")).unwrap_err());
        assert!(
            twice.starts_with("`topics.lock` line 7, column 1: two topics have the slug `gaussian-splatting`"),
            "{twice}"
        );
    }

    #[test]
    fn hostile_slugs_and_names_are_made_safe() {
        let text = "[[topic]]\nslug = \"../../etc/passwd\"\nname = \"A\\u0007B\\nC\"\nparent = \"/x/../y\"\nphrases = [\"a\\u0000b\", \"\"]\n[[topic]]\nslug = \"index\"\nname = \"I\"\nphrases = [\"i\"]\nfuture = 1\n";
        let lock = parse(text).unwrap();
        let t = &lock.topics[0];
        assert_eq!(t.slug, "etc-passwd");
        assert_eq!(t.name, "A B C");
        assert_eq!(t.parent.as_deref(), Some("x-y"));
        assert_eq!(t.phrases, ["a b"]);
        assert_eq!(lock.topics[1].slug, "index-topic", "never the overview's name");
        let nothing =
            format!("{:#}", parse("[[topic]]\nslug = \"../\"\nname = \"x\"\nphrases = [\"x\"]\n").unwrap_err());
        assert!(nothing.contains("line 1, column 1: `../` cannot be a slug"), "{nothing}");
    }
}
