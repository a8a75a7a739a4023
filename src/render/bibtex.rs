//! BibTeX: an entry per paper (an arXiv `@misc` with its eprint when the
//! paper has an arXiv id, else what is known of it), and the `.bib` files
//! of a day's and a topic's papers.

use crate::math::{self, Segment};
use crate::model::Model;
use crate::paper::Paper;

/// A BibTeX `@misc` entry for `paper`, its fields written as arXiv writes
/// them (`title={...}`).
pub(super) fn bibtex(paper: &Paper) -> String {
    let arxiv_id = crate::links::normalize_arxiv_id(&paper.id);
    let year = arxiv_id.as_deref().and_then(arxiv_year).unwrap_or(paper.date().year());
    let mut entry =
        format!("@misc{{{},\n  title={{{}}},\n", key(paper, arxiv_id.as_deref(), year), title_text(&paper.title));
    if !paper.authors.is_empty() {
        entry.push_str(&format!("  author={{{}}},\n", bibtex_text(&paper.authors.join(" and "))));
    }
    entry.push_str(&format!("  year={{{year}}},\n"));
    if let Some(id) = &arxiv_id {
        entry.push_str(&format!("  eprint={{{id}}},\n  archivePrefix={{arXiv}},\n"));
        if let Some(class) = &paper.primary_category {
            entry.push_str(&format!("  primaryClass={{{}}},\n", bibtex_text(class)));
        }
    }
    if let Some(doi) = &paper.doi {
        entry.push_str(&format!("  doi={{{}}},\n", bibtex_text(doi)));
    }
    match (&arxiv_id, &paper.arxiv) {
        (Some(id), _) => entry.push_str(&format!("  url={{https://arxiv.org/abs/{id}}}\n}}")),
        (None, Some(url)) => entry.push_str(&format!("  url={{{}}}\n}}", bibtex_text(url))),
        (None, None) => {
            entry.truncate(entry.len() - 2);
            entry.push_str("\n}");
        }
    }
    entry
}

/// The `.bib` file of `papers`: their entries, one blank line apart.
pub(super) fn bib_file(model: &Model, papers: &[usize]) -> String {
    let mut out = String::with_capacity(papers.len() * 512);
    for &p in papers {
        out.push_str(&bibtex(&model.papers[p]));
        out.push_str("\n\n");
    }
    out
}

/// `surname` + year + the first long word of the title (`hu2025adaspec`);
/// without authors, `arxiv` + the id, or the title word + year.
fn key(paper: &Paper, arxiv_id: Option<&str>, year: i16) -> String {
    let surname = paper
        .authors
        .first()
        .and_then(|a| a.split_whitespace().last())
        .map(|s| s.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_lowercase())
        .unwrap_or_default();
    let title = math::plain_text(&paper.title);
    let first_word =
        title.split(|c: char| !c.is_ascii_alphanumeric()).find(|w| w.len() > 3).unwrap_or("paper").to_lowercase();
    match arxiv_id {
        _ if !surname.is_empty() => format!("{surname}{year}{first_word}"),
        Some(id) => format!("arxiv{}", id.replace(['/', '.'], "")),
        None => format!("{first_word}{year}"),
    }
}

/// The year of a new-style arXiv id (`2510.19779` -> 2025) or an old-style
/// one (`cond-mat/0412498` -> 2004).
fn arxiv_year(id: &str) -> Option<i16> {
    let digits = id.rsplit('/').next()?;
    let yy: i16 = digits.get(..2)?.parse().ok()?;
    Some(if yy >= 91 { 1900 + yy } else { 2000 + yy })
}

/// A title as BibTeX reads it: formulas as written, and in the text the
/// characters TeX treats as commands (`&`, `%`, `#`) escaped.
fn title_text(title: &str) -> String {
    let mut out = String::with_capacity(title.len() + 8);
    for segment in math::segments(title) {
        match segment {
            Segment::Math { source, .. } => out.push_str(&bibtex_text(source)),
            Segment::Text(text) => {
                for c in bibtex_text(text).chars() {
                    if matches!(c, '&' | '%' | '#') && !out.ends_with('\\') {
                        out.push('\\');
                    }
                    out.push(c);
                }
            }
        }
    }
    out
}

/// Braces would unbalance the entry; everything else BibTeX reads as text.
fn bibtex_text(text: &str) -> String {
    text.replace(['{', '}'], "")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn adaspec() -> Paper {
        Paper {
            id: "2510.19779".into(),
            title: "AdaSPEC: Selective {Knowledge} Distillation".into(),
            authors: vec!["Yuezhou Hu".into(), "Tuo Zhao".into()],
            days: vec![crate::paper::Listing::new(jiff::civil::date(2025, 10, 24), None)],
            ..Paper::default()
        }
    }

    #[test]
    fn bibtex_for_arxiv_papers() {
        let mut paper = adaspec();
        let entry = bibtex(&paper);
        assert!(
            entry.starts_with("@misc{hu2025adaspec,\n  title={AdaSPEC: Selective Knowledge Distillation},"),
            "{entry}"
        );
        assert!(entry.contains("author={Yuezhou Hu and Tuo Zhao}"));
        assert!(entry.contains("eprint={2510.19779},\n  archivePrefix={arXiv},\n  url"));
        paper.primary_category = Some("cs.CL".into());
        assert!(bibtex(&paper).contains("archivePrefix={arXiv},\n  primaryClass={cs.CL},\n"));
        assert_eq!(arxiv_year("cond-mat/0412498"), Some(2004));
    }

    #[test]
    fn papers_without_an_id_get_what_is_known() {
        let paper =
            Paper { id: "q-a-for-astrom3".into(), title: "Q&A for AstroM$^3$ at 100% & \\#1".into(), ..adaspec() };
        let entry = bibtex(&paper);
        assert_eq!(
            entry,
            "@misc{hu2025astrom,\n  title={Q\\&A for AstroM$^3$ at 100\\% \\& \\#1},\n  author={Yuezhou Hu and Tuo Zhao},\n  year={2025}\n}"
        );
        let anonymous = Paper { authors: Vec::new(), ..paper };
        assert!(bibtex(&anonymous).starts_with("@misc{astrom2025,\n"), "{}", bibtex(&anonymous));
    }
}
