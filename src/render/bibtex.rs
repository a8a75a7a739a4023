//! BibTeX entries for papers with an arXiv id.

use crate::math;
use crate::paper::Paper;

/// A BibTeX `@misc` entry for papers with an arXiv id.
pub(super) fn bibtex(paper: &Paper) -> Option<String> {
    let arxiv_id = crate::links::normalize_arxiv_id(&paper.id)?;
    let year = arxiv_year(&arxiv_id).unwrap_or(paper.date().year());
    let surname = paper
        .authors
        .first()
        .and_then(|a| a.split_whitespace().last())
        .map(|s| s.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_lowercase())
        .unwrap_or_default();
    let first_word = math::plain_text(&paper.title)
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| w.len() > 3)
        .unwrap_or("paper")
        .to_lowercase();
    let key = if surname.is_empty() {
        format!("arxiv{}", arxiv_id.replace(['/', '.'], ""))
    } else {
        format!("{surname}{year}{first_word}")
    };
    let mut entry = format!("@misc{{{key},\n  title = {{{}}},\n", bibtex_text(&paper.title));
    if !paper.authors.is_empty() {
        entry.push_str(&format!("  author = {{{}}},\n", bibtex_text(&paper.authors.join(" and "))));
    }
    entry.push_str(&format!("  year = {{{year}}},\n  eprint = {{{arxiv_id}}},\n  archivePrefix = {{arXiv}},\n"));
    if let Some(class) = &paper.primary_category {
        entry.push_str(&format!("  primaryClass = {{{}}},\n", bibtex_text(class)));
    }
    if let Some(doi) = &paper.doi {
        entry.push_str(&format!("  doi = {{{}}},\n", bibtex_text(doi)));
    }
    entry.push_str(&format!("  url = {{https://arxiv.org/abs/{arxiv_id}}}\n}}"));
    Some(entry)
}

/// The year of a new-style arXiv id (`2510.19779` -> 2025) or an old-style
/// one (`cond-mat/0412498` -> 2004).
fn arxiv_year(id: &str) -> Option<i16> {
    let digits = id.rsplit('/').next()?;
    let yy: i16 = digits.get(..2)?.parse().ok()?;
    Some(if yy >= 91 { 1900 + yy } else { 2000 + yy })
}

/// Braces would unbalance the entry; everything else BibTeX reads as text.
fn bibtex_text(text: &str) -> String {
    text.replace(['{', '}'], "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bibtex_for_arxiv_papers_only() {
        let mut paper = Paper {
            id: "2510.19779".into(),
            title: "AdaSPEC: Selective {Knowledge} Distillation".into(),
            authors: vec!["Yuezhou Hu".into(), "Tuo Zhao".into()],
            days: vec![crate::paper::Listing::new(jiff::civil::date(2025, 10, 24), None)],
            ..Paper::default()
        };
        let entry = bibtex(&paper).unwrap();
        assert!(
            entry.starts_with("@misc{hu2025adaspec,\n  title = {AdaSPEC: Selective Knowledge Distillation},"),
            "{entry}"
        );
        assert!(entry.contains("author = {Yuezhou Hu and Tuo Zhao}"));
        assert!(entry.contains("eprint = {2510.19779},\n  archivePrefix = {arXiv},\n  url"));
        paper.primary_category = Some("cs.CL".into());
        assert!(bibtex(&paper).unwrap().contains("archivePrefix = {arXiv},\n  primaryClass = {cs.CL},\n"));
        paper.id = "some-slug".into();
        assert_eq!(bibtex(&paper), None);
        assert_eq!(arxiv_year("cond-mat/0412498"), Some(2004));
    }
}
