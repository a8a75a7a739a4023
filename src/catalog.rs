//! One record per paper: the records of every input merged by identity.
//!
//! Two records are the same paper when they share an arXiv id (without
//! its version), or when their normalised titles ([`title_key`]) are equal
//! and they do not carry two different arXiv ids, so a text copy (known by
//! its title) and the API record of the same paper (known by its arXiv id)
//! become one paper, which takes the arXiv id. A record known only by its
//! title never joins a paper with another title: when its slug is already
//! another paper's id (`C++ Tricks` and `C# Tricks`), it gets a distinct id
//! ([`distinct_slug_id`]).
//!
//! Paper pages on disk come first and keep their ids: a digest record that
//! is one of them only adds the days it lists.

use std::collections::HashMap;

use crate::links;
use crate::paper::{Paper, distinct_slug_id, is_slug_of, title_key};

/// Papers merged by identity.
#[derive(Debug, Default)]
pub struct Catalog {
    papers: Vec<Paper>,
    /// Whether each paper is a page on disk, which wins over digests.
    pages: Vec<bool>,
    by_id: HashMap<String, usize>,
    by_title: HashMap<String, usize>,
}

impl Catalog {
    /// Adds a paper page from disk: kept as it is, with its own id.
    pub fn add_page(&mut self, page: Paper) {
        let key = title_key(&page.title);
        self.push(page, key, true);
    }

    /// Adds a digest record: merged into the paper it is (the richer value
    /// winning field by field, or only its days for a page), or kept as a
    /// new paper.
    pub fn add(&mut self, paper: Paper) {
        let title_key = title_key(&paper.title);
        self.add_keyed(paper, title_key);
    }

    /// [`Catalog::add`] with the record's [`title_key`] computed by the
    /// caller, on another thread.
    pub fn add_keyed(&mut self, mut paper: Paper, title_key: String) {
        match self.find_keyed(&paper, &title_key) {
            Found::Paper(i) if self.pages[i] => self.papers[i].add_days(&paper.days),
            Found::Paper(i) => {
                let existing = &mut self.papers[i];
                let incoming_id = paper.id.clone();
                existing.merge(paper);
                if !is_arxiv(&existing.id) && is_arxiv(&incoming_id) {
                    existing.id = incoming_id;
                }
                self.index(i);
            }
            Found::Taken => {
                paper.id = self.free_id(&paper.title);
                self.push(paper, title_key, false);
            }
            Found::None => self.push(paper, title_key, false),
        }
    }

    fn push(&mut self, paper: Paper, title_key: String, page: bool) {
        let i = self.papers.len();
        self.by_id.entry(paper.id.clone()).or_insert(i);
        self.by_title.entry(title_key).or_insert(i);
        self.papers.push(paper);
        self.pages.push(page);
    }

    /// An id for a paper titled `title` that no other paper has: its
    /// [`distinct_slug_id`], numbered on in the (unheard-of) case that a
    /// paper with another title has that too.
    fn free_id(&self, title: &str) -> String {
        let base = distinct_slug_id(title);
        let mut id = base.clone();
        let mut n = 2;
        while self.by_id.contains_key(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }

    /// The paper `paper` is, if the catalog has it.
    pub fn find(&self, paper: &Paper) -> Option<usize> {
        match self.find_keyed(paper, &title_key(&paper.title)) {
            Found::Paper(i) => Some(i),
            Found::Taken | Found::None => None,
        }
    }

    fn find_keyed(&self, paper: &Paper, title_key: &str) -> Found {
        let incoming_arxiv = is_arxiv(&paper.id);
        if incoming_arxiv && let Some(&i) = self.by_id.get(&paper.id) {
            return Found::Paper(i);
        }
        if let Some(&i) = self.by_title.get(title_key)
            && !(incoming_arxiv && is_arxiv(&self.papers[i].id))
        {
            return Found::Paper(i);
        }
        if incoming_arxiv {
            return Found::None;
        }
        match self.by_id.get(&paper.id) {
            // The id is a page's own choice (its owner may have edited the
            // title since): the record is that paper.
            Some(&i) if !is_slug_of(&paper.id, &self.papers[i].title) => Found::Paper(i),
            Some(_) => Found::Taken,
            None => Found::None,
        }
    }

    /// The paper at `index`, to change it.
    pub fn get_mut(&mut self, index: usize) -> &mut Paper {
        &mut self.papers[index]
    }

    /// Re-indexes the paper at `index` after its id or title changed.
    pub fn index(&mut self, index: usize) {
        let paper = &self.papers[index];
        self.by_id.insert(paper.id.clone(), index);
        self.by_title.entry(title_key(&paper.title)).or_insert(index);
    }

    /// The papers, sorted by id.
    pub fn into_papers(self) -> Vec<Paper> {
        let mut papers = self.papers;
        papers.sort_by(|a, b| a.id.cmp(&b.id));
        papers
    }
}

/// What a record is in the catalog.
enum Found {
    /// This paper.
    Paper(usize),
    /// No paper yet, but its id is another paper's: it needs its own.
    Taken,
    /// No paper yet.
    None,
}

fn is_arxiv(id: &str) -> bool {
    links::normalize_arxiv_id(id).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paper::Listing;
    use jiff::civil::date;

    fn record(id: &str, title: &str, day: i8) -> Paper {
        Paper {
            id: id.into(),
            title: title.into(),
            days: vec![Listing::new(date(2025, 10, day), None)],
            ..Paper::default()
        }
    }

    #[test]
    fn a_text_copy_and_an_api_record_become_one_paper_with_the_arxiv_id() {
        let mut catalog = Catalog::default();
        catalog.add(record(
            "adaspec-selective-knowledge-distillation",
            "AdaSPEC: Selective Knowledge Distillation",
            24,
        ));
        let mut api = record("2510.19779", "AdaSPEC: Selective Knowledge Distillation", 25);
        api.authors = vec!["Yuezhou Hu".into()];
        catalog.add(api);
        let papers = catalog.into_papers();
        assert_eq!(papers.len(), 1);
        assert_eq!(papers[0].id, "2510.19779");
        assert_eq!(papers[0].authors, ["Yuezhou Hu"]);
        assert_eq!(papers[0].days.len(), 2);
    }

    #[test]
    fn two_arxiv_papers_with_one_title_stay_apart() {
        let mut catalog = Catalog::default();
        catalog.add(record("2501.00001", "A Survey", 24));
        catalog.add(record("2502.00002", "A Survey", 24));
        catalog.add(record("a-survey", "A Survey", 25));
        assert_eq!(catalog.into_papers().len(), 2, "the text copy joins the first, the two arXiv papers stay apart");
    }

    #[test]
    fn issue_12_titles_with_one_slug_stay_two_papers() {
        let mut catalog = Catalog::default();
        catalog.add(record("c-tricks-for-speed", "C++ Tricks for Speed", 24));
        catalog.add(record("c-tricks-for-speed", "C# Tricks for Speed", 25));
        catalog.add(record("c-tricks-for-speed", "C++  tricks for speed", 26));
        let papers = catalog.into_papers();
        assert_eq!(papers.len(), 2, "{papers:#?}");
        let plus = papers.iter().find(|p| p.title == "C++ Tricks for Speed").unwrap();
        let sharp = papers.iter().find(|p| p.title == "C# Tricks for Speed").unwrap();
        assert_eq!(plus.id, "c-tricks-for-speed");
        assert_eq!(plus.days.len(), 2, "the same title, spaced and cased otherwise, is the same paper");
        assert_eq!(sharp.id, crate::paper::distinct_slug_id("C# Tricks for Speed"));
    }

    #[test]
    fn issue_12_long_titles_sharing_their_first_80_characters_stay_apart() {
        let stem = "A very long title about large language models that goes on and on about one thing";
        let (a, b) = (format!("{stem}: part one"), format!("{stem}: part two"));
        let mut catalog = Catalog::default();
        catalog.add(record(&crate::paper::slug_id(&a), &a, 24));
        catalog.add(record(&crate::paper::slug_id(&b), &b, 24));
        let papers = catalog.into_papers();
        assert_eq!(papers.len(), 2);
        assert_ne!(papers[0].id, papers[1].id);
    }

    #[test]
    fn a_page_keeps_its_id_and_takes_only_the_days_of_digests() {
        let mut catalog = Catalog::default();
        // Imported as `adaspec`, then its owner changed the title.
        let mut page = record("adaspec", "AdaSPEC, as I call it", 24);
        page.body = "My notes.".into();
        catalog.add_page(page);
        let mut digest = record("adaspec", "AdaSPEC", 25);
        digest.body = "A longer abstract from the digest.".into();
        catalog.add(digest);
        let papers = catalog.into_papers();
        assert_eq!(papers.len(), 1, "an id the page chose claims the record, whatever its title now");
        assert_eq!(papers[0].body, "My notes.");
        assert_eq!(papers[0].days.len(), 2);
    }
}
