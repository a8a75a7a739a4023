//! One record per paper: the records of every input merged by identity.
//!
//! Two records are the same paper when they share an id (arXiv ids without
//! their version), or when their normalised titles match and they do not
//! carry two different arXiv ids, so a text copy (known by its title) and
//! the API record of the same paper (known by its arXiv id) become one
//! paper, which takes the arXiv id.

use std::collections::HashMap;

use crate::links;
use crate::paper::{Paper, slug_id};

/// Papers merged by identity.
#[derive(Debug, Default)]
pub struct Catalog {
    papers: Vec<Paper>,
    by_id: HashMap<String, usize>,
    by_title: HashMap<String, usize>,
}

impl Catalog {
    /// Adds a record: merged into the paper it is (the richer value winning
    /// field by field), or kept as a new paper.
    pub fn add(&mut self, paper: Paper) {
        let title_key = slug_id(&paper.title);
        self.add_keyed(paper, title_key);
    }

    /// [`Catalog::add`] with the record's title key (`slug_id` of its
    /// title) computed by the caller, on another thread.
    pub fn add_keyed(&mut self, paper: Paper, title_key: String) {
        match self.find_keyed(&paper, &title_key) {
            Some(i) => {
                let existing = &mut self.papers[i];
                let incoming_id = paper.id.clone();
                existing.merge(paper);
                if !is_arxiv(&existing.id) && is_arxiv(&incoming_id) {
                    existing.id = incoming_id;
                }
                self.index(i);
            }
            None => {
                self.papers.push(paper);
                let i = self.papers.len() - 1;
                self.by_id.insert(self.papers[i].id.clone(), i);
                self.by_title.entry(title_key).or_insert(i);
            }
        }
    }

    /// The paper `paper` is, if the catalog has it.
    pub fn find(&self, paper: &Paper) -> Option<usize> {
        self.find_keyed(paper, &slug_id(&paper.title))
    }

    fn find_keyed(&self, paper: &Paper, title_key: &str) -> Option<usize> {
        if let Some(&i) = self.by_id.get(&paper.id) {
            return Some(i);
        }
        let &i = self.by_title.get(title_key)?;
        let both_arxiv = is_arxiv(&self.papers[i].id) && is_arxiv(&paper.id);
        (!both_arxiv).then_some(i)
    }

    /// The paper at `index`, to change it.
    pub fn get_mut(&mut self, index: usize) -> &mut Paper {
        &mut self.papers[index]
    }

    /// Re-indexes the paper at `index` after its id or title changed.
    pub fn index(&mut self, index: usize) {
        let paper = &self.papers[index];
        self.by_id.insert(paper.id.clone(), index);
        self.by_title.entry(slug_id(&paper.title)).or_insert(index);
    }

    /// The papers, sorted by id.
    pub fn into_papers(self) -> Vec<Paper> {
        let mut papers = self.papers;
        papers.sort_by(|a, b| a.id.cmp(&b.id));
        papers
    }
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
}
