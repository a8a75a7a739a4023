//! The analysis memo: what each paper's text gave the last build (the
//! rules that tag it and what it vouches for, its term counts for related
//! papers, the candidate names sighted in its abstract), kept as
//! `analysis.bin` in the cache folder, so that a rebuild cuts into words
//! and scans only the papers that are new or changed.
//!
//! An entry is found by a 128-bit hash of the paper's title, abstract and
//! AI keywords, and the memo holds only for the rules and settings it was
//! made with (a fingerprint of them). Rules, what the paper vouches for in
//! neighbour evidence and term counts depend on the text alone. Sightings
//! depend on the text and on which phrases are candidates, but whether one candidate is sighted at a place does not
//! depend on the others (see [`Names::abstract_sightings`]); so an entry's
//! sightings hold for every candidate both builds have, a candidate that
//! went is left out, and a paper that may hold a new candidate (every word
//! of it that counts for related papers is among the paper's) is scanned
//! for candidates again, its rules and words kept. The title's and
//! keywords' sightings are found afresh each build: they are short. A memo
//! of another version, a damaged one or one that cannot be written only
//! costs a full analysis.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use super::related::TermCounts;
use super::topics::mine::AbstractSighting;
use super::topics::neighbours::Vouch;
use super::topics::{Names, PaperEvidence};
pub use crate::cache_file::Reuse;
use crate::cache_file::{packed_u32, packed_u64};
use crate::paper::Paper;

/// What the memo file starts with: a memo of another version is not read.
/// The number changes with what a paper's analysis gives, not only with
/// the file's layout: a memo holds results (3: AI keywords no longer say
/// what a paper is about).
const FORMAT: &str = concat!("paperpress ", env!("CARGO_PKG_VERSION"), " analysis memo 3\n");

/// The memo's file, in the cache folder.
const FILE: &str = "analysis.bin";

/// What one paper's text gave.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Analysed {
    /// The rules that tag it, best first.
    pub rules: Vec<usize>,
    /// What it brings to neighbour evidence.
    pub vouch: Vouch,
    /// Its words' counts, for related papers.
    pub terms: TermCounts,
    /// The candidates sighted in its abstract; `None` when it was not
    /// scanned (a paper with topics of its own has no mentions).
    pub sightings: Option<Vec<AbstractSighting>>,
}

/// The memo: every paper's [`Analysed`], in flat arrays.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Memo {
    /// The rules and settings it holds for.
    fingerprint: u64,
    /// The candidates' phrase keys when it was made, ascending.
    #[serde(with = "packed_u64")]
    names: Vec<u64>,
    /// Per paper, the hash of its text (two halves).
    #[serde(with = "packed_u64")]
    hashes: Vec<u64>,
    /// Per paper, where its rules, terms and sightings end.
    #[serde(with = "packed_u32")]
    rule_ends: Vec<u32>,
    #[serde(with = "packed_u32")]
    term_ends: Vec<u32>,
    #[serde(with = "packed_u32")]
    sighting_ends: Vec<u32>,
    #[serde(with = "packed_u32")]
    firm_ends: Vec<u32>,
    #[serde(with = "packed_u32")]
    weak_ends: Vec<u32>,
    #[serde(with = "packed_u32")]
    allowed_ends: Vec<u32>,
    /// Per paper, 1 when its abstract was scanned.
    #[serde(with = "serde_bytes")]
    scanned: Vec<u8>,
    #[serde(with = "packed_u32")]
    rules: Vec<u32>,
    #[serde(with = "packed_u64")]
    term_words: Vec<u64>,
    #[serde(with = "packed_u32")]
    term_counts: Vec<u32>,
    #[serde(with = "packed_u64")]
    sighting_keys: Vec<u64>,
    #[serde(with = "serde_bytes")]
    sighting_flags: Vec<u8>,
    #[serde(with = "packed_u32")]
    firm: Vec<u32>,
    #[serde(with = "packed_u32")]
    weak_rules: Vec<u32>,
    #[serde(with = "packed_u32")]
    weak_scores: Vec<u32>,
    #[serde(with = "packed_u64")]
    allowed: Vec<u64>,
}

impl Memo {
    fn papers(&self) -> usize {
        self.scanned.len()
    }

    fn range(ends: &[u32], paper: usize) -> std::ops::Range<usize> {
        let start = if paper == 0 { 0 } else { ends[paper - 1] as usize };
        start..ends[paper] as usize
    }

    fn hash(&self, paper: usize) -> u128 {
        (u128::from(self.hashes[2 * paper]) << 64) | u128::from(self.hashes[2 * paper + 1])
    }

    /// Whether the parts fit together, so that reading it cannot go out of
    /// bounds (the checksum already refuses a damaged file), with rules
    /// below `rules`.
    fn well_formed(&self, rules: usize) -> bool {
        let n = self.papers();
        let fits = |ends: &[u32], len: usize| {
            ends.len() == n && ends.windows(2).all(|w| w[0] <= w[1]) && ends.last().map_or(0, |&e| e as usize) == len
        };
        self.hashes.len() == 2 * n
            && fits(&self.rule_ends, self.rules.len())
            && fits(&self.term_ends, self.term_words.len())
            && self.term_counts.len() == self.term_words.len()
            && fits(&self.sighting_ends, self.sighting_keys.len())
            && self.sighting_flags.len() == self.sighting_keys.len()
            && fits(&self.firm_ends, self.firm.len())
            && fits(&self.weak_ends, self.weak_rules.len())
            && self.weak_scores.len() == self.weak_rules.len()
            && fits(&self.allowed_ends, self.allowed.len())
            && [&self.rules, &self.firm, &self.weak_rules].iter().all(|list| list.iter().all(|&r| (r as usize) < rules))
            // Term counts by word, ascending: how a paper's words are looked up.
            && (0..n).all(|p| self.term_words[Memo::range(&self.term_ends, p)].windows(2).all(|w| w[0] < w[1]))
    }

    /// Paper `paper`'s entry.
    fn entry(&self, paper: usize) -> Analysed {
        let terms = Memo::range(&self.term_ends, paper);
        let sightings = Memo::range(&self.sighting_ends, paper);
        let weak = Memo::range(&self.weak_ends, paper);
        Analysed {
            rules: self.rules[Memo::range(&self.rule_ends, paper)].iter().map(|&r| r as usize).collect(),
            vouch: Vouch {
                firm: self.firm[Memo::range(&self.firm_ends, paper)].to_vec(),
                weak: self.weak_rules[weak.clone()]
                    .iter()
                    .copied()
                    .zip(self.weak_scores[weak].iter().copied())
                    .collect(),
                allowed: self.allowed[Memo::range(&self.allowed_ends, paper)].to_vec(),
            },
            terms: self.term_words[terms.clone()]
                .iter()
                .copied()
                .zip(self.term_counts[terms].iter().copied())
                .collect(),
            sightings: (self.scanned[paper] == 1).then(|| {
                self.sighting_keys[sightings.clone()]
                    .iter()
                    .copied()
                    .zip(self.sighting_flags[sightings].iter().copied())
                    .collect()
            }),
        }
    }

    fn push(&mut self, hash: u128, analysed: &Analysed) {
        self.hashes.extend([(hash >> 64) as u64, hash as u64]);
        self.rules.extend(analysed.rules.iter().map(|&r| r as u32));
        self.rule_ends.push(self.rules.len() as u32);
        self.term_words.extend(analysed.terms.iter().map(|t| t.0));
        self.term_counts.extend(analysed.terms.iter().map(|t| t.1));
        self.term_ends.push(self.term_words.len() as u32);
        let sightings = analysed.sightings.as_deref().unwrap_or_default();
        self.sighting_keys.extend(sightings.iter().map(|s| s.0));
        self.sighting_flags.extend(sightings.iter().map(|s| s.1));
        self.sighting_ends.push(self.sighting_keys.len() as u32);
        self.scanned.push(u8::from(analysed.sightings.is_some()));
        let vouch = &analysed.vouch;
        self.firm.extend_from_slice(&vouch.firm);
        self.firm_ends.push(self.firm.len() as u32);
        self.weak_rules.extend(vouch.weak.iter().map(|w| w.0));
        self.weak_scores.extend(vouch.weak.iter().map(|w| w.1));
        self.weak_ends.push(self.weak_rules.len() as u32);
        self.allowed.extend_from_slice(&vouch.allowed);
        self.allowed_ends.push(self.allowed.len() as u32);
    }
}

/// A hash of the text a paper's analysis reads.
fn text_hash(paper: &Paper) -> u128 {
    crate::cache_file::hash128(&(&paper.title, &paper.body, &paper.ai_keywords))
}

/// The memo file in the cache folder `cache`.
fn path(cache: &Path) -> PathBuf {
    cache.join(FILE)
}

/// Removes the memo, so the next build analyses every paper (`build --full`).
pub fn forget(cache: &Path) -> crate::error::Result<()> {
    crate::cache_file::remove(&path(cache))
}

/// Every paper's analysis: from the memo in `cache` where it holds,
/// from `analyse` otherwise, and the hash of each paper's text (for
/// [`save`]). An entry whose sightings do not hold (the paper may hold a
/// new candidate, or it was not scanned) keeps the rest, which depends on
/// the text and rules alone, and gets its sightings from `sight`.
/// `fingerprint` names the rules and settings; `names` are this build's
/// candidates.
pub fn analyse_all(
    papers: &[Paper],
    cache: &Path,
    fingerprint: u64,
    names: &Names,
    rules: usize,
    analyse: impl Fn(&Paper) -> Analysed + Sync,
    sight: impl Fn(&Paper) -> Vec<AbstractSighting> + Sync,
) -> (Vec<Analysed>, Vec<u128>, Reuse) {
    let memo: Memo = std::fs::read(path(cache))
        .ok()
        .and_then(|bytes| crate::cache_file::decode(FORMAT, &bytes))
        .filter(|memo: &Memo| memo.fingerprint == fingerprint && memo.well_formed(rules))
        .unwrap_or_default();
    let known: FxHashMap<u128, usize> = (0..memo.papers()).map(|i| (memo.hash(i), i)).collect();
    // The words of each candidate the memo's sightings did not look for.
    let before: FxHashSet<u64> = memo.names.iter().copied().collect();
    let added: FxHashSet<u64> = names.keys().iter().copied().filter(|k| !before.contains(k)).collect();
    let added_words: Vec<Vec<u64>> = if known.is_empty() {
        Vec::new()
    } else {
        let words = Names::words_of(papers, &added);
        // A candidate without a word that term counts keep (or with no
        // words known) may be in any abstract: the empty list, which every
        // paper "holds".
        added
            .iter()
            .map(|key| {
                let words = words.get(key).map(Vec::as_slice).unwrap_or_default();
                words.iter().filter(|t| super::related::carries_similarity(t)).map(|t| t.hash).collect()
            })
            .collect()
    };
    let hashes: Vec<u128> = papers.par_iter().map(text_hash).collect();
    let analysed: Vec<(Analysed, bool)> = papers
        .par_iter()
        .zip(&hashes)
        .map(|(paper, hash)| {
            // An entry's sightings hold unless the paper needs its abstract
            // scanned and the entry was not, or may hold a new candidate
            // (term counts are sorted by word).
            let sightings_hold = |entry: &Analysed| {
                let has = |word: &u64| entry.terms.binary_search_by_key(word, |t| t.0).is_ok();
                let needs_scan = paper.topics.is_empty() && !names.is_empty();
                !needs_scan || (entry.sightings.is_some() && !added_words.iter().any(|name| name.iter().all(has)))
            };
            match known.get(hash).map(|&i| memo.entry(i)) {
                Some(entry) if sightings_hold(&entry) => (entry, true),
                Some(entry) => (Analysed { sightings: Some(sight(paper)), ..entry }, true),
                None => (analyse(paper), false),
            }
        })
        .collect();
    let remembered = analysed.iter().filter(|(_, r)| *r).count();
    let reuse = Reuse { remembered, analysed: papers.len() - remembered };
    (analysed.into_iter().map(|(a, _)| a).collect(), hashes, reuse)
}

/// Replaces the memo in `cache` by this build's: best effort, as a memo
/// that cannot be written only means a full analysis next time.
pub fn save(cache: &Path, fingerprint: u64, names: &Names, hashes: &[u128], analysed: &[Analysed]) {
    let mut memo = Memo { fingerprint, names: names.keys().to_vec(), ..Memo::default() };
    for (hash, analysed) in hashes.iter().zip(analysed) {
        memo.push(*hash, analysed);
    }
    let _ = crate::cache_file::write(&path(cache), FORMAT, &memo);
}

/// A paper's evidence for topics: its rules, and its mentions of
/// candidate names (see [`Names::mentions`]).
pub fn evidence(
    paper: &Paper,
    analysed: &Analysed,
    names: &Names,
    settings: &crate::config::TaxonomyConfig,
) -> PaperEvidence {
    let mentions = match &analysed.sightings {
        Some(sightings) if paper.topics.is_empty() => names.mentions(paper, sightings, settings),
        _ => Vec::new(),
    };
    PaperEvidence { rules: analysed.rules.clone(), mentions }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, TopicRule};
    use crate::enrich::{Enriched, enrich, enrich_with};

    fn paper(id: &str, title: &str, body: &str) -> Paper {
        let days = vec![crate::paper::Listing::new(jiff::civil::date(2025, 8, 6), None)];
        Paper { id: id.into(), title: title.into(), body: body.into(), days, ..Paper::default() }
    }

    /// Each topic with its papers, each paper's topics, and its related papers.
    type Seen = (Vec<(String, Vec<usize>)>, Vec<Vec<usize>>, Vec<Vec<usize>>);

    /// What a reader sees of the enrichment.
    fn seen(enriched: &Enriched) -> Seen {
        let topics = &enriched.topics;
        (
            topics.topics.iter().map(|t| (t.name.clone(), t.papers.clone())).collect(),
            topics.of_paper.clone(),
            enriched.related.clone(),
        )
    }

    fn site_config(keywords: &[&str]) -> Config {
        let rule = TopicRule {
            name: "Robotics".into(),
            keywords: keywords.iter().map(|k| k.to_string()).collect(),
            ..TopicRule::default()
        };
        let mut config = Config { topics: vec![rule], ..Config::default() };
        config.taxonomy.auto_min_papers = 2;
        config
    }

    #[test]
    fn remembered_papers_give_what_a_build_without_memo_gives() {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path();
        // Yesterday: "Gaussian splatting" only in abstracts, no candidate yet.
        const SPLATTING: &str = "3D Gaussian Splatting (3DGS) represents scenes. We speed up Gaussian Splatting, and \
                                 Gaussian Splatting then renders in real time.";
        let mut papers: Vec<Paper> =
            (0..4).map(|i| paper(&format!("a{i}"), &format!("Fast scenes {i}"), SPLATTING)).collect();
        papers
            .extend((0..70).map(|i| paper(&format!("x{i}"), &format!("Topic number {i}"), "Something else entirely.")));
        papers.push(paper("r", "Robot grasping", "A robot arm grasps objects."));
        let config = site_config(&["robot"]);
        assert_eq!(seen(&enrich_with(&papers, &config, Some(cache))), seen(&enrich(&papers, &config)));
        assert!(path(cache).is_file(), "the build keeps its analysis memo");
        // Today titles name it: a new candidate, which the remembered
        // abstracts hold and must count.
        papers.extend((0..4).map(|i| paper(&format!("t{i}"), &format!("Gaussian Splatting for Scene {i}"), SPLATTING)));
        let today = enrich_with(&papers, &config, Some(cache));
        assert_eq!(seen(&today), seen(&enrich(&papers, &config)));
        let splatting =
            today.topics.topics.iter().find(|t| t.name == "Gaussian splatting").expect("an automatic topic");
        assert!(splatting.papers.contains(&0), "a remembered abstract holds the new name: {:?}", splatting.papers);
        // The daily workflow locks the topics: the memo still holds (the
        // lock's phrases are candidates like mined ones), and a phrase only
        // the lock has is looked for in every abstract.
        let mut locked = config.clone();
        locked.locked = crate::enrich::topics::lock::updated(&today.topics);
        assert!(!locked.locked.topics.is_empty(), "the lock keeps the automatic topic");
        locked.locked.topics[0].phrases.push("fast scene".into());
        assert_eq!(crate::enrich::fingerprint(&locked), crate::enrich::fingerprint(&config), "a lock keeps the memo");
        assert_eq!(seen(&enrich_with(&papers, &locked, Some(cache))), seen(&enrich(&papers, &locked)));
        // An edited abstract, and another rule: both analysed again.
        papers[2].body = "Robots plan with language models.".into();
        let config = site_config(&["robot", "agent"]);
        assert_eq!(seen(&enrich_with(&papers, &config, Some(cache))), seen(&enrich(&papers, &config)));
        // A damaged memo is read as none.
        let mut bytes = std::fs::read(path(cache)).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x5a;
        std::fs::write(path(cache), bytes).unwrap();
        assert_eq!(seen(&enrich_with(&papers, &config, Some(cache))), seen(&enrich(&papers, &config)));
        forget(cache).unwrap();
        assert!(!path(cache).exists());
    }

    #[test]
    fn an_entry_is_reused_only_for_the_same_text_and_rules() {
        let dir = tempfile::tempdir().unwrap();
        let papers = vec![paper("1", "Robot arms", "A robot grasps."), paper("2", "Agents", "Agents plan.")];
        let names = Names::default();
        let vouch = Vouch { firm: vec![0, 2], weak: vec![(1, 4)], allowed: vec![0b101] };
        let analyse = |p: &Paper| Analysed { rules: vec![p.id.len()], vouch: vouch.clone(), ..Analysed::default() };
        let sight = |_: &Paper| Vec::new();
        let (_, hashes, reuse) = analyse_all(&papers, dir.path(), 7, &names, 3, analyse, sight);
        assert_eq!(reuse, Reuse { remembered: 0, analysed: 2 });
        let first: Vec<Analysed> = papers.iter().map(analyse).collect();
        save(dir.path(), 7, &names, &hashes, &first);
        let (again, _, reuse) = analyse_all(&papers, dir.path(), 7, &names, 3, analyse, sight);
        assert_eq!((reuse, again), (Reuse { remembered: 2, analysed: 0 }, first.clone()));
        let mut edited = papers.clone();
        edited[1].ai_keywords = vec!["planning".into()];
        let (_, _, reuse) = analyse_all(&edited, dir.path(), 7, &names, 3, analyse, sight);
        assert_eq!(reuse, Reuse { remembered: 1, analysed: 1 }, "new AI keywords are new text");
        let (_, _, reuse) = analyse_all(&papers, dir.path(), 8, &names, 3, analyse, sight);
        assert_eq!(reuse, Reuse { remembered: 0, analysed: 2 }, "other rules: nothing is reused");
        let (_, _, reuse) = analyse_all(&papers, dir.path(), 7, &names, 1, analyse, sight);
        assert_eq!(reuse, Reuse { remembered: 0, analysed: 2 }, "a rule number past the rules: the memo is refused");
    }
}
