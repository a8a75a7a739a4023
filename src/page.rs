//! Hand-written pages (`content/about.md`, `content/_index.md`): optional
//! TOML front matter and a Markdown body. Pure: no file access here.

use std::path::Path;

use serde::Deserialize;

use crate::error::ImportError;
use crate::front_matter;

/// A page the site owner wrote.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    /// Output path relative to the site root, with `/` separators (`about.html`).
    pub path: String,
    /// Title: from front matter, else the first `# heading`, else the file name.
    pub title: String,
    /// Markdown body.
    pub body: String,
    /// Order in the navigation (smaller first), then title.
    pub weight: i64,
    /// Whether the page is linked from the header navigation
    /// (`in_menu = false` leaves it out).
    pub menu: bool,
    /// A draft (`draft = true`) is left out of the build.
    pub draft: bool,
    /// Keys for templates.
    pub extra: toml::Table,
    /// The Markdown file, for messages (`content/about.md`).
    pub source: std::path::PathBuf,
}

/// The front matter of a hand-written page; every key is optional.
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct PageFrontMatter {
    /// Title; else the first `# heading`, else the file name.
    title: Option<String>,
    /// Order in the header (smaller first). Default: 0.
    weight: i64,
    /// Linked from the header. Default: true. `menu` is the older name.
    #[serde(alias = "menu")]
    in_menu: bool,
    /// Left out of the build. Default: false.
    draft: bool,
    /// Free-form values for templates, as `page.extra`.
    extra: toml::Table,
}

impl Default for PageFrontMatter {
    fn default() -> Self {
        PageFrontMatter { title: None, weight: 0, in_menu: true, draft: false, extra: toml::Table::new() }
    }
}

impl Page {
    /// Parses a page; `output_path` is where it will be written, `path`
    /// names the source in errors.
    pub fn parse(text: &str, path: &Path, output_path: String) -> Result<Page, ImportError> {
        let split = front_matter::split(text, path)?;
        let fm: PageFrontMatter = front_matter::parse(&split, path)?;
        let title = fm
            .title
            .or_else(|| first_heading(split.body))
            .unwrap_or_else(|| path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default());
        Ok(Page {
            path: output_path,
            title,
            body: split.body.to_string(),
            weight: fm.weight,
            menu: fm.in_menu,
            draft: fm.draft,
            extra: fm.extra,
            source: path.to_path_buf(),
        })
    }
}

fn first_heading(body: &str) -> Option<String> {
    body.lines().find_map(|l| l.strip_prefix("# ")).map(|t| t.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_from_front_matter_heading_or_file_name() {
        let p =
            Page::parse("+++\ntitle = \"About us\"\nweight = 2\n+++\nHi", Path::new("about.md"), "about.html".into())
                .unwrap();
        assert_eq!((p.title.as_str(), p.weight, p.menu), ("About us", 2, true));
        let p = Page::parse("# Reading list\n\ntext", Path::new("list.md"), "list.html".into()).unwrap();
        assert_eq!(p.title, "Reading list");
        let p = Page::parse("text", Path::new("notes.md"), "notes.html".into()).unwrap();
        assert_eq!(p.title, "notes");
    }

    #[test]
    fn drafts_and_pages_out_of_the_menu() {
        let parse = |fm: &str| Page::parse(&format!("+++\n{fm}\n+++\nHi"), Path::new("a.md"), "a.html".into()).unwrap();
        assert!(parse("draft = true").draft);
        assert!(!parse("title = \"x\"").draft);
        assert!(!parse("in_menu = false").menu);
        assert!(!parse("menu = false").menu, "the older name still works");
        assert!(parse("").menu);
    }

    #[test]
    fn unknown_key_is_an_error_with_line() {
        let err =
            Page::parse("+++\ntitle = \"x\"\nmenus = false\n+++\n", Path::new("a.md"), "a.html".into()).unwrap_err();
        assert!(err.to_string().starts_with("`a.md` line 3: in front matter: unknown field `menus`"), "{err}");
    }
}
