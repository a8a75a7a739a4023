//! What reference managers and link previews read from a paper page: the
//! Highwire Press `citation_*` values Google Scholar and Zotero take, a
//! JSON-LD `ScholarlyArticle`, and where the paper itself is (arXiv,
//! Hugging Face, or a search by title when no id is known).

use serde::Serialize;
use serde_json::json;

use crate::links;
use crate::paper::Paper;

/// Where to read the paper, for the actions row of its page.
#[derive(Serialize, Debug, PartialEq)]
pub(super) struct Elsewhere {
    /// The arXiv id, when the paper has one.
    pub(super) arxiv_id: Option<String>,
    /// Its Hugging Face paper page (new-style arXiv ids only).
    pub(super) hf: Option<String>,
    /// Without an arXiv id: a title search on arXiv...
    pub(super) arxiv_search: Option<String>,
    /// ...and on Hugging Face.
    pub(super) hf_search: Option<String>,
}

/// Where paper `paper` can be read. A title search uses the title as
/// arXiv writes it, formulas as their TeX.
pub(super) fn elsewhere(paper: &Paper) -> Elsewhere {
    let arxiv_id =
        links::normalize_arxiv_id(&paper.id).or_else(|| paper.arxiv.as_deref().and_then(links::arxiv_id_from_url));
    let new_style = arxiv_id.as_deref().filter(|id| !id.contains('/'));
    let search = arxiv_id.is_none() && paper.arxiv.is_none();
    let query = query_text(&crate::math::source_text(&paper.title));
    Elsewhere {
        hf: new_style.map(|id| format!("https://huggingface.co/papers/{id}")),
        arxiv_search: search.then(|| format!("https://arxiv.org/search/?query={query}&searchtype=title")),
        hf_search: search.then(|| format!("https://huggingface.co/papers?q={query}")),
        arxiv_id,
    }
}

/// A title as a URL query value.
fn query_text(title: &str) -> String {
    percent_encoding::utf8_percent_encode(title, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// Google Scholar's `citation_publication_date`: when the paper was
/// published if known, else the first day it was listed, as `YYYY/MM/DD`.
pub(super) fn citation_date(paper: &Paper) -> String {
    paper.published.unwrap_or_else(|| paper.date()).strftime("%Y/%m/%d").to_string()
}

/// A JSON-LD `ScholarlyArticle` for the paper, ready to go between
/// `<script type="application/ld+json">` tags: `<`, `>` and `&` are escaped
/// so that no text can close the script.
pub(super) fn json_ld(paper: &Paper, title: &str, arxiv_id: Option<&str>) -> String {
    let mut article = json!({
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "headline": title,
        "datePublished": paper.published.unwrap_or_else(|| paper.date()).to_string(),
    });
    let fields = article.as_object_mut().expect("built as an object");
    // The first author only: every author is in a `citation_author` meta
    // tag already, which is what reference managers read; the whole list
    // again would cost a tenth of a page.
    if let Some(first) = paper.authors.first() {
        fields.insert("author".into(), json!([{"@type": "Person", "name": first}]));
    }
    // The page's own address is its canonical link; the paper's is arXiv's.
    if let Some(id) = arxiv_id {
        fields.insert("sameAs".into(), links::arxiv_abs_url(id).into());
    } else if let Some(doi) = &paper.doi {
        fields.insert("sameAs".into(), format!("https://doi.org/{doi}").into());
    }
    script_safe(&article.to_string())
}

/// JSON that can sit inside a `<script>` element: the characters HTML
/// could read as markup, as JSON escapes.
fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paper(id: &str) -> Paper {
        Paper {
            id: id.into(),
            title: "A </script> title".into(),
            authors: vec!["Ada Lovelace".into()],
            days: vec![crate::paper::Listing::new(jiff::civil::date(2025, 10, 24), None)],
            ..Paper::default()
        }
    }

    #[test]
    fn arxiv_papers_link_to_hugging_face_and_others_search_by_title() {
        let found = elsewhere(&paper("2510.19779"));
        assert_eq!(found.arxiv_id.as_deref(), Some("2510.19779"));
        assert_eq!(found.hf.as_deref(), Some("https://huggingface.co/papers/2510.19779"));
        assert_eq!((found.arxiv_search, found.hf_search), (None, None));
        let old = elsewhere(&paper("cond-mat/0412498"));
        assert_eq!((old.arxiv_id.as_deref(), old.hf), (Some("cond-mat/0412498"), None));
        let none = elsewhere(&Paper { title: "Q&A: \"quotes\" <b> in $O(n)$".into(), ..paper("a-slug") });
        assert_eq!(none.arxiv_id, None);
        assert_eq!(
            none.arxiv_search.as_deref(),
            Some("https://arxiv.org/search/?query=Q%26A%3A%20%22quotes%22%20%3Cb%3E%20in%20O%28n%29&searchtype=title")
        );
        assert_eq!(
            none.hf_search.as_deref(),
            Some("https://huggingface.co/papers?q=Q%26A%3A%20%22quotes%22%20%3Cb%3E%20in%20O%28n%29")
        );
    }

    #[test]
    fn json_ld_is_a_scholarly_article_that_cannot_close_its_script() {
        let p = paper("2510.19779");
        let text = json_ld(&p, "A </script> title", Some("2510.19779"));
        assert!(!text.contains("</script>"), "{text}");
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["@type"], "ScholarlyArticle");
        assert_eq!(value["headline"], "A </script> title");
        assert_eq!(value["author"][0]["name"], "Ada Lovelace");
        assert_eq!(value["author"].as_array().unwrap().len(), 1, "the first author; all are in citation_author");
        assert_eq!(value["datePublished"], "2025-10-24");
        assert_eq!(value["sameAs"], "https://arxiv.org/abs/2510.19779");
        assert_eq!(citation_date(&p), "2025/10/24");
    }
}
