//! Related papers: TF-IDF cosine similarity over title and abstract words,
//! through an inverted index, so the cost grows with the number of shared
//! words rather than with all pairs of papers.
//!
//! Small sites get exact cosine similarity. Above [`EXACT_LIMIT`] papers,
//! each paper queries with its [`QUERY_TERMS`] heaviest words and each
//! word's postings keep their [`POSTINGS_CAP`] heaviest papers: the usual
//! impact-ordered pruning, linear in the number of papers.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::Doc;
use super::text::Token;

/// Up to this many papers, similarity is exact.
const EXACT_LIMIT: usize = 5_000;
/// Words a paper queries with on larger sites.
const QUERY_TERMS: usize = 12;
/// Papers kept per word on larger sites.
const POSTINGS_CAP: usize = 200;
/// Below this cosine, papers are not called related.
const MIN_SIMILARITY: f32 = 0.05;

/// A paper's words, hashed, with their counts (title words count twice).
pub type TermCounts = Vec<(u64, u32)>;

/// Whether a word can carry similarity: no stop word, three characters or
/// more, not a number.
pub fn carries_similarity(token: &Token) -> bool {
    let word = token.norm.as_str();
    !(token.stop || word.chars().count() < 3 || word.bytes().all(|b| b.is_ascii_digit()))
}

/// Counts the words of a paper that can carry similarity.
pub fn term_counts(doc: &Doc) -> TermCounts {
    let mut counts: Vec<(u64, u32)> = Vec::with_capacity(doc.title_tokens.len() + doc.abstract_tokens.len());
    let title = doc.title_tokens.iter().map(|t| (t, 2));
    let body = doc.abstract_tokens.iter().map(|t| (t, 1));
    for (token, weight) in title.chain(body) {
        if carries_similarity(token) {
            counts.push((token.hash, weight));
        }
    }
    // Sorting and summing runs is cheaper than a hash map for a few hundred words.
    counts.sort_unstable_by_key(|&(hash, _)| hash);
    let mut out: TermCounts = Vec::with_capacity(counts.len());
    for (hash, weight) in counts {
        match out.last_mut() {
            Some((last, total)) if *last == hash => *total += weight,
            _ => out.push((hash, weight)),
        }
    }
    out
}

/// The `k` most similar papers of each paper, best first, ties by index.
pub fn most_similar(terms: Vec<TermCounts>, k: usize) -> Vec<Vec<usize>> {
    let n = terms.len();
    if n < 2 || k == 0 {
        return vec![Vec::new(); n];
    }
    let vectors = weigh(terms);
    let exact = n <= EXACT_LIMIT;
    let postings = postings(&vectors, exact);
    (0..n)
        .into_par_iter()
        .map_init(
            || (vec![0f32; n], Vec::new()),
            |(scores, touched), i| {
                let mut query: Vec<(u32, f32)> = vectors[i].clone();
                if !exact && query.len() > QUERY_TERMS {
                    query.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                    query.truncate(QUERY_TERMS);
                }
                for (term, weight) in query {
                    for &(doc, w) in &postings[term as usize] {
                        if scores[doc as usize] == 0.0 {
                            touched.push(doc as usize);
                        }
                        scores[doc as usize] += weight * w;
                    }
                }
                let mut best: Vec<(f32, usize)> = touched
                    .drain(..)
                    .filter(|&d| d != i)
                    .map(|d| (std::mem::take(&mut scores[d]), d))
                    .filter(|&(s, _)| s >= MIN_SIMILARITY)
                    .collect();
                scores[i] = 0.0;
                best.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                // A new vector: collecting from `best` would reuse its
                // allocation and keep every candidate's room (50 MB at 100k papers).
                let mut related = Vec::with_capacity(k.min(best.len()));
                related.extend(best.into_iter().take(k).map(|(_, d)| d));
                related
            },
        )
        .collect()
}

/// TF-IDF vectors, unit length, over dense term ids; words in one paper
/// only, or in more than half of them, carry no similarity and are dropped.
fn weigh(terms: Vec<TermCounts>) -> Vec<Vec<(u32, f32)>> {
    let n = terms.len();
    let mut df: FxHashMap<u64, u32> = FxHashMap::default();
    for doc in &terms {
        for &(term, _) in doc {
            *df.entry(term).or_default() += 1;
        }
    }
    let mut kept: Vec<u64> = df.iter().filter(|&(_, &d)| d >= 2 && (d as usize) * 2 <= n).map(|(&t, _)| t).collect();
    kept.sort_unstable();
    let ids: FxHashMap<u64, u32> = kept.iter().enumerate().map(|(i, &t)| (t, i as u32)).collect();
    terms
        .into_par_iter()
        .map(|doc| {
            let mut v: Vec<(u32, f32)> = doc
                .iter()
                .filter_map(|&(term, count)| {
                    let id = *ids.get(&term)?;
                    let idf = (n as f32 / df[&term] as f32).ln();
                    Some((id, (1.0 + (count as f32).ln()) * idf))
                })
                .collect();
            let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
            if norm > 0.0 {
                v.iter_mut().for_each(|(_, w)| *w /= norm);
            }
            v.sort_unstable_by_key(|&(id, _)| id);
            v
        })
        .collect()
}

/// Papers per term, in paper order; capped to the heaviest on large sites.
fn postings(vectors: &[Vec<(u32, f32)>], exact: bool) -> Vec<Vec<(u32, f32)>> {
    let terms = vectors.iter().flat_map(|v| v.iter().map(|&(t, _)| t as usize + 1)).max().unwrap_or(0);
    let mut postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); terms];
    for (doc, v) in vectors.iter().enumerate() {
        for &(term, w) in v {
            postings[term as usize].push((doc as u32, w));
        }
    }
    if !exact {
        postings.par_iter_mut().filter(|p| p.len() > POSTINGS_CAP).for_each(|p| {
            p.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            p.truncate(POSTINGS_CAP);
            p.sort_unstable_by_key(|&(d, _)| d);
        });
    }
    postings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enrich::text::tokens;

    fn doc(title: &str, abstract_text: &str) -> Doc {
        Doc {
            title: title.into(),
            abstract_text: abstract_text.into(),
            title_tokens: tokens(title),
            abstract_tokens: tokens(abstract_text),
            keywords: Vec::new(),
            keyword_tokens: Vec::new(),
        }
    }

    #[test]
    fn papers_sharing_rare_words_are_related() {
        let docs = [
            doc("Machine unlearning for classifiers", "We forget data points with unlearning."),
            doc("Unlearning diffusion models", "Unlearning concepts so the model forgets them."),
            doc("Galaxy morphology with telescopes", "Astronomy images of galaxies."),
            doc("Telescope images of galaxy clusters", "Astronomy at scale."),
            doc("Speech recognition", "Audio transcription for speech."),
        ];
        let terms: Vec<TermCounts> = docs.iter().map(term_counts).collect();
        let related = most_similar(terms.clone(), 2);
        assert_eq!(related[0].first(), Some(&1));
        assert_eq!(related[1].first(), Some(&0));
        assert_eq!(related[2].first(), Some(&3));
        assert!(!related[0].contains(&0), "a paper is not related to itself");
        assert_eq!(related, most_similar(terms, 2), "deterministic");
    }

    #[test]
    fn pruned_search_matches_exact_search_on_clear_cases() {
        let docs: Vec<Doc> = (0..40)
            .map(|i| doc(&format!("Topic{} study number{i}", i % 8), &format!("words about topic{} and shared", i % 8)))
            .collect();
        let terms: Vec<TermCounts> = docs.iter().map(term_counts).collect();
        let vectors = weigh(terms.clone());
        let exact = postings(&vectors, true);
        let pruned = postings(&vectors, false);
        assert_eq!(exact, pruned, "nothing is pruned below the cap");
        let related = most_similar(terms, 3);
        for (i, list) in related.iter().enumerate() {
            assert!(list.iter().all(|&j| j % 8 == i % 8), "{i}: {list:?}");
        }
    }
}
