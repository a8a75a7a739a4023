//! Rule topics: how much each `[[topics]]` rule's keywords say about one
//! paper, and which rules tag it.
//!
//! A match counts by where it is (title, AI keywords, the abstract's first
//! sentence, the rest of the abstract: see [`TaxonomyConfig`]). Three kinds
//! of match count nothing: one inside a longer keyword match (maximal
//! munch: `vision-language-action model` is robotics, not the
//! `vision-language` of multimodal models), one inside a phrase the rule
//! excludes, and one a negation governs (`without fine-tuning`,
//! `training-free`). A paper then lands in the most specific rules that
//! fit: a rule is dropped when one of its descendants also tags the paper.
//!
//! Every phrase lookup goes through an index keyed by the phrase's first
//! word, so the cost grows with the text, not with texts x keywords. The
//! result depends on the paper and the rules only, never on the other
//! papers, so a paper keeps its rule topics as days are added.

use rustc_hash::FxHashMap;

use super::super::Doc;
use super::super::text::{Token, phrase, word_hash};
use crate::config::{TaxonomyConfig, TopicRule};

/// What a phrase of a rule does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Counts for the rule wherever it occurs.
    Keyword,
    /// Counts only in the title.
    TitleKeyword,
    /// Hides the rule's keywords inside it.
    Exclude,
    /// One of these must occur for the rule to tag a paper.
    Require,
    /// None of these may occur in the title, AI keywords or first sentence.
    Unless,
}

/// One phrase of the rules.
#[derive(Debug)]
struct Phrase {
    words: Vec<String>,
    /// Hashes of `words` (see [`word_hash`]), compared first.
    hashes: Vec<u64>,
    rule: usize,
    role: Role,
}

/// Where in a paper a text comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Zone {
    /// The title: title keywords count.
    Title,
    /// An AI keyword.
    Keyword,
    /// The abstract's first sentence.
    Lead,
    /// The rest of the abstract: `unless` phrases do not count.
    Body,
}

/// Rules compiled for matching.
#[derive(Debug)]
pub struct Matcher {
    phrases: Vec<Phrase>,
    /// Hash of the first word of a phrase -> phrase indexes.
    by_first: FxHashMap<u64, Vec<u32>>,
    /// Each rule's ancestors, nearest first.
    ancestors: Vec<Vec<usize>>,
    /// Each rule's descendants, at any depth.
    descendants: Vec<Vec<usize>>,
    /// Each rule's own `min_score`, if any.
    min_scores: Vec<Option<u32>>,
    /// Whether a rule has `requires`.
    has_requirements: Vec<bool>,
    /// Whether a rule is a top topic with children: a field, not a subject.
    broad: Vec<bool>,
    /// Whether a rule is a facet (see [`TopicRule::facet`]).
    facet: Vec<bool>,
    /// Whether a rule is a method (see [`TopicRule::method`]).
    method: Vec<bool>,
}

/// A rule's evidence in one paper.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scores {
    /// Each rule's score.
    pub scores: Vec<u32>,
    /// Whether one of each rule's `requires` phrases occurs.
    pub required: Vec<bool>,
    /// Whether each rule's `requires` phrases are said firmly: in the title
    /// or the first sentence, or [`REQUIRED_MENTIONS`] times in the rest of
    /// the abstract (see [`Matcher::matches`]).
    pub firm: Vec<bool>,
    /// Whether one of each rule's `unless` phrases occurs where it counts.
    pub blocked: Vec<bool>,
    /// Whether each rule matched in the title or the first sentence: where
    /// a paper says what it is about. Not the AI keywords: they are drawn
    /// from the whole abstract, passing mentions and all.
    pub headed: Vec<bool>,
    /// Whether each rule matched in the title.
    pub titled: Vec<bool>,
    /// Whether each rule matched in the title or the first sentence (the
    /// AI keywords, drawn from the abstract, aside).
    pub stated: Vec<bool>,
}

/// The matches of one text: the rules whose keywords count (a rule once
/// per match), those whose requirements are said (see
/// [`Matcher::matches`]) and those an `unless` phrase blocks.
#[derive(Debug, Default)]
struct Hits {
    /// Each keyword match, as `(rule, start, end)` (token indices).
    rules: Vec<(usize, usize, usize)>,
    required: Vec<usize>,
    firm: Vec<usize>,
    blocked: Vec<usize>,
}

/// How many times the rest of the abstract must say a rule's `requires`
/// phrases (any of them), when the title and the first sentence do not, for
/// them to be said firmly: a single mention there is in passing (`similar
/// results are observed in visual reasoning tasks` in a paper on language
/// models).
const REQUIRED_MENTIONS: usize = 2;

impl Matcher {
    /// Compiles the phrases of `rules`.
    pub fn new(rules: &[TopicRule]) -> Matcher {
        let parents = parents_of(rules);
        let mut phrases = Vec::new();
        for (r, rule) in rules.iter().enumerate() {
            let roles = [
                (&rule.keywords, Role::Keyword),
                (&rule.title_keywords, Role::TitleKeyword),
                (&rule.exclude, Role::Exclude),
                (&rule.requires, Role::Require),
                (&rule.unless, Role::Unless),
            ];
            for (texts, role) in roles {
                for text in texts {
                    let words = phrase(text);
                    if !words.is_empty() {
                        let hashes = words.iter().map(|w| word_hash(w)).collect();
                        phrases.push(Phrase { words, hashes, rule: r, role });
                    }
                }
            }
        }
        let mut by_first: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
        for (p, phrase) in phrases.iter().enumerate() {
            by_first.entry(phrase.hashes[0]).or_default().push(p as u32);
        }
        let ancestors: Vec<Vec<usize>> = (0..rules.len())
            .map(|r| {
                let mut chain = Vec::new();
                let mut at = parents[r];
                // Config validation rules out cycles; the bound keeps a bad
                // model from looping.
                while let Some(p) = at.filter(|_| chain.len() < rules.len()) {
                    chain.push(p);
                    at = parents[p];
                }
                chain
            })
            .collect();
        let mut descendants = vec![Vec::new(); rules.len()];
        for (r, chain) in ancestors.iter().enumerate() {
            for &a in chain {
                descendants[a].push(r);
            }
        }
        Matcher {
            phrases,
            by_first,
            ancestors,
            descendants,
            min_scores: rules.iter().map(|r| r.min_score).collect(),
            has_requirements: rules.iter().map(|r| r.requires.iter().any(|k| !phrase(k).is_empty())).collect(),
            broad: (0..rules.len()).map(|r| parents[r].is_none() && parents.contains(&Some(r))).collect(),
            facet: rules.iter().map(|r| r.facet).collect(),
            method: rules.iter().map(|r| r.method).collect(),
        }
    }

    /// The number of rules.
    pub fn len(&self) -> usize {
        self.ancestors.len()
    }

    /// Whether there are no rules.
    pub fn is_empty(&self) -> bool {
        self.ancestors.is_empty()
    }

    /// Each rule's ancestors, nearest first.
    pub fn ancestors(&self, rule: usize) -> &[usize] {
        &self.ancestors[rule]
    }

    /// Whether a rule is a top topic with children: a field, not a subject.
    pub fn is_broad(&self, rule: usize) -> bool {
        self.broad[rule]
    }

    /// Whether a rule is a facet (a kind of paper, not a subject).
    pub fn is_facet(&self, rule: usize) -> bool {
        self.facet[rule]
    }

    /// The keyword matches in `tokens` of `text` that count, the
    /// requirements that occur, and those said firmly: in the title or the
    /// first sentence once, in the rest of the abstract
    /// [`REQUIRED_MENTIONS`] times, in the AI keywords never (they are drawn
    /// from the abstract and repeat its passing mentions).
    fn matches(&self, text: &str, tokens: &[Token], zone: Zone) -> Hits {
        let mut hits = Hits::default();
        let mut required = Vec::new();
        let mut found = self.find(text, tokens, zone, &mut hits, &mut required);
        hits.required = required.iter().map(|&(rule, _, _)| rule).collect();
        hits.firm = match zone {
            Zone::Title | Zone::Lead => hits.required.clone(),
            Zone::Keyword => Vec::new(),
            Zone::Body => said_often(required),
        };
        // Longest first at each start: whatever covers a match comes before it.
        found.sort_unstable_by_key(|&(start, end, p)| (start, std::cmp::Reverse(end), p));
        // The furthest end of the keyword matches before this group of equal
        // spans, and of each rule's exclude phrases (few, usually none).
        let mut keyword_end = 0;
        let mut exclude_end: Vec<(usize, usize)> = Vec::new();
        for group in found.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
            let (start, end, _) = group[0];
            let phrase = |m: &(usize, usize, u32)| &self.phrases[m.2 as usize];
            for m in group.iter().filter(|m| phrase(m).role == Role::Exclude) {
                let rule = phrase(m).rule;
                match exclude_end.iter_mut().find(|(r, _)| *r == rule) {
                    Some((_, e)) => *e = (*e).max(end),
                    None => exclude_end.push((rule, end)),
                }
            }
            let incidental = match zone {
                Zone::Lead | Zone::Body => listed(text, tokens, start, end),
                Zone::Title | Zone::Keyword => false,
            };
            if keyword_end < end && !incidental && !negated(text, tokens, start, end) {
                for p in group.iter().map(phrase) {
                    let excluded = exclude_end.iter().any(|&(r, e)| r == p.rule && e >= end);
                    if p.role != Role::Exclude && !excluded {
                        hits.rules.push((p.rule, start, end));
                    }
                }
            }
            if group.iter().any(|m| phrase(m).role != Role::Exclude) {
                keyword_end = keyword_end.max(end);
            }
        }
        hits
    }

    /// Every keyword and exclude phrase found in `tokens`, as `(start, end,
    /// phrase)`; requirements go to `required` as `(rule, start, end)` and
    /// `unless` phrases straight to `hits`.
    fn find(
        &self,
        text: &str,
        tokens: &[Token],
        zone: Zone,
        hits: &mut Hits,
        required: &mut Vec<(usize, usize, usize)>,
    ) -> Vec<(usize, usize, u32)> {
        let mut found = Vec::new();
        for (i, token) in tokens.iter().enumerate() {
            if zone == Zone::Title {
                self.find_in_name(&text[token.start..token.end], i, &mut found);
            }
            let Some(candidates) = self.by_first.get(&token.hash) else { continue };
            for &p in candidates {
                let phrase = &self.phrases[p as usize];
                let counts_here = match phrase.role {
                    Role::TitleKeyword => zone == Zone::Title,
                    Role::Unless => zone != Zone::Body,
                    _ => true,
                };
                let words = &phrase.words;
                if !counts_here
                    || tokens.len() < i + words.len()
                    || !phrase.hashes.iter().zip(&tokens[i..]).all(|(&h, t)| h == t.hash)
                    || !words.iter().zip(&tokens[i..]).all(|(w, t)| *w == t.norm)
                {
                    continue;
                }
                match phrase.role {
                    Role::Require => required.push((phrase.rule, i, i + words.len())),
                    Role::Unless => hits.blocked.push(phrase.rule),
                    _ => found.push((i, i + words.len(), p)),
                }
            }
        }
        found
    }

    /// A facet's one-word title keyword that a name in the title ends
    /// with, by its capitals: `VideoReasonBench`, `MMBench` and `LongBench`
    /// say `bench` as `SWE-bench` does, `PointArena` says `arena`. Pushed to
    /// `found` as a match of the name's token `i`. Only facets: a kind of
    /// paper names its artefact so (a benchmark, an arena), while a
    /// subject's word at the end of a name is often not the subject
    /// (`SketchAgent` draws sketches, `SageAttention` speeds up inference).
    fn find_in_name(&self, word: &str, i: usize, found: &mut Vec<(usize, usize, u32)>) {
        let Some(tail) = name_tail(word) else { return };
        let tail = tail.to_lowercase();
        let norm = super::super::text::normalize(&tail);
        let Some(candidates) = self.by_first.get(&word_hash(&norm)) else { return };
        for &p in candidates {
            let phrase = &self.phrases[p as usize];
            if phrase.role == Role::TitleKeyword
                && self.facet[phrase.rule]
                && phrase.words.len() == 1
                && phrase.words[0] == *norm
            {
                found.push((i, i + 1, p));
            }
        }
    }

    /// Each rule's score for `doc` (see [`TaxonomyConfig`]) and whether its
    /// requirements occur.
    pub fn scores(&self, doc: &Doc, settings: &TaxonomyConfig) -> Scores {
        let n = self.len();
        let mut out = Scores {
            scores: vec![0; n],
            required: vec![false; n],
            firm: vec![false; n],
            blocked: vec![false; n],
            headed: vec![false; n],
            titled: vec![false; n],
            stated: vec![false; n],
        };
        let add = |hits: Hits, weight: u32, cap: u32, heading: bool, out: &mut Scores| {
            let mut rules = hits.rules;
            rules.sort_unstable();
            for run in rules.chunk_by(|a, b| a.0 == b.0) {
                out.scores[run[0].0] += (run.len() as u32).min(cap) * weight;
                out.headed[run[0].0] |= heading;
            }
            for r in hits.required {
                out.required[r] = true;
            }
            for r in hits.firm {
                out.firm[r] = true;
            }
            for r in hits.blocked {
                out.blocked[r] = true;
            }
        };
        add(self.matches(&doc.title, &doc.title_tokens, Zone::Title), settings.title_weight, 2, true, &mut out);
        out.titled.clone_from(&out.headed);
        let mut keyword_hits = Hits::default();
        for (keyword, tokens) in doc.keywords.iter().zip(&doc.keyword_tokens) {
            let mut hits = self.matches(keyword, tokens, Zone::Keyword);
            hits.rules.sort_unstable();
            hits.rules.dedup_by_key(|hit| hit.0);
            keyword_hits.rules.extend(hits.rules);
            keyword_hits.required.extend(hits.required);
            keyword_hits.firm.extend(hits.firm);
            keyword_hits.blocked.extend(hits.blocked);
        }
        // The AI keywords score, but do not say what the paper is about:
        // they list the abstract's phrases, passing mentions and all.
        add(keyword_hits, settings.keyword_weight, 3, false, &mut out);
        let lead = doc.lead_tokens();
        let (lead_tokens, rest) = doc.abstract_tokens.split_at(lead);
        let lead_hits = self.matches(&doc.abstract_text, lead_tokens, Zone::Lead);
        out.stated.clone_from(&out.titled);
        for &(r, ..) in &lead_hits.rules {
            out.stated[r] = true;
        }
        add(lead_hits, settings.lead_weight, 1, true, &mut out);
        add(self.matches(&doc.abstract_text, rest, Zone::Body), 1, 3, false, &mut out);
        out
    }

    /// Whether the `requires` and `unless` of rule `r` and of its ancestors
    /// (a narrower topic keeps its parents' conditions) let it tag a paper.
    pub fn allowed(&self, r: usize, evidence: &Scores) -> bool {
        std::iter::once(r)
            .chain(self.ancestors[r].iter().copied())
            .all(|a| (!self.has_requirements[a] || evidence.required[a]) && !evidence.blocked[a])
    }

    /// Whether the paper says rule `r`'s own `requires` only in passing (see
    /// [`Scores::firm`]) and firmly those of an ancestor for which `tags`
    /// holds: the paper is about the ancestor's context, and `r` does not
    /// narrow it (`visual reasoning` once in a paper whose title says LLMs
    /// is no sign of RL for multimodal models).
    pub fn said_in_passing(&self, r: usize, evidence: &Scores, tags: impl Fn(usize) -> bool) -> bool {
        self.has_requirements[r]
            && !evidence.firm[r]
            && self.ancestors[r].iter().any(|&a| self.has_requirements[a] && evidence.firm[a] && tags(a))
    }

    /// The rules that tag a paper with these scores: its subject topics
    /// best first, then its facets. A rule needs its minimum score, its
    /// requirements met and no `unless` phrase. Subjects are narrowed to the
    /// most specific (a rule goes when a descendant is there too, and a top
    /// topic with children goes unless it scores `broad_share` of the best
    /// narrower subject); when some subject is named in the title or the
    /// first sentence, subjects only the rest of the abstract and the AI
    /// keywords name go; then those under `min_share` of the best go,
    /// methods under `method_share` of the best subject that is no method
    /// (a method the title names: under 100% of the best subject of another
    /// field), and all
    /// past `max_per_paper` (0: no limit). In these last steps a
    /// subject narrowed from its parent weighs with the parent's score (see
    /// [`Matcher::inherited`]). Last, a topic that is no top topic gives
    /// its place to a descendant named up front below `min_score` (see
    /// [`Matcher::named_below`]).
    pub fn tagging(&self, evidence: &Scores, settings: &TaxonomyConfig) -> Vec<usize> {
        let mut topics = self.tagging_before_named(evidence, settings);
        for topic in &mut topics {
            if let Some(named) = self.named_below(*topic, evidence) {
                *topic = named;
            }
        }
        topics
    }

    /// The rules with their minimum score whose `requires` and `unless`
    /// allow them.
    fn passing(&self, evidence: &Scores, settings: &TaxonomyConfig) -> Vec<usize> {
        let scores = &evidence.scores;
        (0..scores.len())
            .filter(|&r| scores[r] > 0 && scores[r] >= self.min_scores[r].unwrap_or(settings.min_score))
            .filter(|&r| self.allowed(r, evidence))
            .collect()
    }

    /// [`Matcher::tagging`] before topics give their places to the
    /// descendants named up front.
    fn tagging_before_named(&self, evidence: &Scores, settings: &TaxonomyConfig) -> Vec<usize> {
        let scores = &evidence.scores;
        let passing = self.passing(evidence, settings);
        // A topic whose own requirement is said only in passing does not
        // narrow an ancestor that tags the paper and whose own requirement
        // is said firmly: the paper is about the ancestor's context.
        let passing: Vec<usize> =
            passing.iter().copied().filter(|&r| !self.said_in_passing(r, evidence, |a| passing.contains(&a))).collect();
        let specific: Vec<usize> =
            passing.iter().copied().filter(|&r| !passing.iter().any(|&d| self.ancestors[d].contains(&r))).collect();
        let inherited = self.inherited(scores, &passing, &specific);
        let (mut facets, mut subjects): (Vec<usize>, Vec<usize>) = specific.into_iter().partition(|&r| self.facet[r]);
        let best_narrow = subjects.iter().filter(|&&r| !self.broad[r]).map(|&r| scores[r]).max();
        if let Some(narrow) = best_narrow {
            subjects.retain(|&r| !self.broad[r] || scores[r] * 100 >= narrow * settings.broad_share);
        }
        let headed = |r: usize| {
            evidence.headed[r] || self.ancestors[r].iter().any(|&a| inherited[r].1 == Some(a) && evidence.headed[a])
        };
        let said_up_front = subjects.iter().any(|&r| headed(r));
        if said_up_front {
            subjects.retain(|&r| headed(r));
        }
        // A top topic that stays does not push out a narrower one it outscores.
        let narrow_best = subjects.iter().filter(|&&r| !self.broad[r]).map(|&r| scores[r]).max();
        let best = narrow_best.or(subjects.iter().map(|&r| scores[r]).max()).unwrap_or(0);
        // When neither the title nor the first sentence names a subject,
        // the abstract's mentions are all the paper says: only the subject
        // it says most stays (a tie, all of them), not every one it touches.
        let share = if said_up_front { settings.min_share.min(100) } else { 100 };
        subjects.retain(|&r| inherited[r].0 * 100 >= best * share);
        // A facet is what the paper is (a survey, a benchmark, a dataset, a
        // release), and a paper says that up front: beside a subject, a
        // facet only the rest of the abstract or the AI keywords name goes
        // (a method evaluated "on a new benchmark" is no benchmark paper).
        if !subjects.is_empty() {
            facets.retain(|&r| {
                evidence.headed[r] || self.ancestors[r].iter().any(|&a| evidence.headed[a] && passing.contains(&a))
            });
        }
        // A method the title names gives way to a subject of another field
        // only: beside a subject of its own field (test-time scaling beside
        // math reasoning) it is a peer, weighed as any subject is. Beside
        // another field's subject it stays when it scores as much (100%, not
        // `method_share`): the title names it, and a tie is no sign that it
        // is only the means (fine-tuning via explained variance adaptation,
        // a LoRA initialization, is about fine-tuning and optimization).
        let top = |r: usize| self.ancestors[r].last().copied().unwrap_or(r);
        let peers: Vec<(usize, u32)> =
            subjects.iter().filter(|&&s| !self.method[s] && !self.broad[s]).map(|&s| (top(s), scores[s])).collect();
        subjects.retain(|&r| {
            let own_field = evidence.titled[r].then(|| top(r));
            let best_subject = peers.iter().filter(|&&(field, _)| Some(field) != own_field).map(|&(_, s)| s).max();
            let share = if evidence.titled[r] { 100 } else { settings.method_share };
            !self.method[r] || best_subject.is_none_or(|subject| inherited[r].0 * 100 >= subject * share)
        });
        let by_score = |a: &usize, b: &usize| inherited[*b].0.cmp(&inherited[*a].0).then(a.cmp(b));
        subjects.sort_by(by_score);
        if settings.max_per_paper > 0 {
            subjects.truncate(settings.max_per_paper);
        }
        facets.sort_by(by_score);
        subjects.extend(facets);
        subjects
    }

    /// The narrower topic that takes the place of `r`, a topic that tags
    /// the paper, when the title or the first sentence names it below its
    /// `min_score` (as the first sentence alone does): a paper filed under *Video generation* whose first sentence
    /// says controllable video generation is about that. Of the descendants
    /// so named (the most specific of them), the best-scoring takes the
    /// place, and none when two tie: the child replaces its parent and is
    /// never added beside it. A top topic keeps its place: its evidence is
    /// a field's, and a field's first sentence names its neighbours as the
    /// context (`LLMs excel at code generation and math`), not the subject.
    fn named_below(&self, r: usize, evidence: &Scores) -> Option<usize> {
        if self.broad[r] {
            return None;
        }
        let named: Vec<usize> = self.descendants[r]
            .iter()
            .copied()
            .filter(|&d| {
                evidence.scores[d] > 0
                    && evidence.headed[d]
                    && self.allowed(d, evidence)
                    && !self.said_in_passing(d, evidence, |a| a == r || self.ancestors[r].contains(&a))
            })
            .collect();
        let specific = named.iter().copied().filter(|&d| !named.iter().any(|&e| self.ancestors[e].contains(&d)));
        let best = specific.clone().map(|d| evidence.scores[d]).max()?;
        let mut top = specific.filter(|&d| evidence.scores[d] == best);
        let first = top.next()?;
        top.next().is_none().then_some(first)
    }
}

impl Matcher {
    /// Each rule's score as it is weighed against the paper's other
    /// subjects, and the ancestor it was inherited from, if any. A subject
    /// narrowed from a parent that tags the paper (3D vision to 3D
    /// generation) carries the parent's score when that is higher, so a
    /// context the paper names often (the video model a 3D method distils)
    /// does not push the subject out: the parent's evidence is the
    /// subject's area. Only the best-scoring of the parent's narrowed
    /// topics inherits (a tie, all of them), so the area's evidence does
    /// not bring in every sibling; a top topic's evidence is a field's and
    /// is not passed down.
    fn inherited(&self, scores: &[u32], passing: &[usize], specific: &[usize]) -> Vec<(u32, Option<usize>)> {
        let mut out: Vec<(u32, Option<usize>)> = scores.iter().map(|&s| (s, None)).collect();
        for &r in specific {
            for &a in &self.ancestors[r] {
                if self.broad[a] || !passing.contains(&a) || scores[a] <= out[r].0 {
                    continue;
                }
                let best_under = specific.iter().filter(|&&d| self.ancestors[d].contains(&a)).map(|&d| scores[d]).max();
                if best_under == Some(scores[r]) {
                    out[r] = (scores[a], Some(a));
                }
            }
        }
        out
    }
}

/// How one rule fared with one paper, for `paperpress topics --explain`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleEvidence {
    /// The rule.
    pub rule: usize,
    /// Its score.
    pub score: u32,
    /// Whether it matched in the title or the first sentence.
    pub headed: bool,
    /// Whether its own and its parents' `requires` and `unless` allow it.
    pub allowed: bool,
    /// Whether it tags the paper.
    pub tags: bool,
    /// Whether its own `requires` is said only in passing beside an
    /// ancestor's said firmly, so that it leaves the paper to the ancestor.
    pub in_passing: bool,
    /// The narrower topic named up front that tags the paper in its place.
    pub gave_way_to: Option<usize>,
    /// The topic whose place it takes, named up front below its minimum score.
    pub in_place_of: Option<usize>,
    /// The phrases of the paper that scored for it, by place: `("title",
    /// "Table Lookup")`, as written, once per place.
    pub phrases: Vec<(&'static str, String)>,
}

impl Matcher {
    /// Every rule with a score for `doc`, best first.
    pub fn explain(&self, doc: &Doc, settings: &TaxonomyConfig) -> Vec<RuleEvidence> {
        let evidence = self.scores(doc, settings);
        let before = self.tagging_before_named(&evidence, settings);
        let replaced: Vec<(usize, usize)> =
            before.iter().filter_map(|&r| self.named_below(r, &evidence).map(|named| (r, named))).collect();
        let tagged = self.tagging(&evidence, settings);
        let passing = self.passing(&evidence, settings);
        let mut out: Vec<RuleEvidence> = (0..self.len())
            .filter(|&r| evidence.scores[r] > 0)
            .map(|r| RuleEvidence {
                rule: r,
                score: evidence.scores[r],
                headed: evidence.headed[r],
                allowed: self.allowed(r, &evidence),
                tags: tagged.contains(&r),
                in_passing: self.said_in_passing(r, &evidence, |a| passing.contains(&a)),
                gave_way_to: replaced.iter().find(|&&(from, _)| from == r).map(|&(_, to)| to),
                in_place_of: replaced.iter().find(|&&(_, to)| to == r).map(|&(from, _)| from),
                phrases: Vec::new(),
            })
            .collect();
        for (place, text, tokens, zone) in zones(doc) {
            let hits = self.matches(text, tokens, zone);
            for &(rule, start, end) in &hits.rules {
                let phrase = (place, text[tokens[start].start..tokens[end - 1].end].to_string());
                if let Some(e) = out.iter_mut().find(|e| e.rule == rule)
                    && !e.phrases.contains(&phrase)
                {
                    e.phrases.push(phrase);
                }
            }
        }
        out.sort_by(|a, b| b.score.cmp(&a.score).then(a.rule.cmp(&b.rule)));
        out
    }
}

/// The places of a paper that rules read, as `paperpress topics --explain`
/// names them, with their text, their words and how they count.
fn zones(doc: &Doc) -> Vec<(&'static str, &str, &[Token], Zone)> {
    let (lead, rest) = doc.abstract_tokens.split_at(doc.lead_tokens());
    let mut out = vec![("title", doc.title.as_str(), doc.title_tokens.as_slice(), Zone::Title)];
    for (keyword, tokens) in doc.keywords.iter().zip(&doc.keyword_tokens) {
        out.push(("AI keywords", keyword.as_str(), tokens.as_slice(), Zone::Keyword));
    }
    out.push(("first sentence", doc.abstract_text.as_str(), lead, Zone::Lead));
    out.push(("abstract", doc.abstract_text.as_str(), rest, Zone::Body));
    out
}

/// The last part of a name written in capitals (`Bench` of
/// `VideoReasonBench` and of `MMBench`), when the word has one after
/// another part: a capital before a lowercase letter, after a lowercase
/// letter, a digit or another capital. `None` for a word of one part
/// (`Bench`, `bench`, `GPT`).
fn name_tail(word: &str) -> Option<&str> {
    let mut chars = word.char_indices().peekable();
    let mut before = chars.next()?.1;
    let mut tail = None;
    while let Some((at, c)) = chars.next() {
        let after_lower = chars.peek().is_some_and(|&(_, next)| next.is_lowercase());
        if c.is_uppercase()
            && after_lower
            && (before.is_lowercase() || before.is_uppercase() || before.is_ascii_digit())
        {
            tail = Some(&word[at..]);
        }
        before = c;
    }
    tail
}

/// The rules whose requirements `required` (`(rule, start, end)`) holds at
/// least [`REQUIRED_MENTIONS`] times, overlapping phrases of one rule
/// (`large multimodal` and `multimodal`) counting once.
fn said_often(mut required: Vec<(usize, usize, usize)>) -> Vec<usize> {
    required.sort_unstable();
    let mut out = Vec::new();
    for run in required.chunk_by(|a, b| a.0 == b.0) {
        let mut mentions = 0;
        let mut end = 0;
        for &(_, s, e) in run {
            if mentions == 0 || s >= end {
                mentions += 1;
            }
            end = end.max(e);
        }
        if mentions >= REQUIRED_MENTIONS {
            out.push(run[0].0);
        }
    }
    out
}

/// Each rule's parent, by index.
fn parents_of(rules: &[TopicRule]) -> Vec<Option<usize>> {
    rules
        .iter()
        .enumerate()
        .map(|(i, rule)| {
            let parent = rule.parent.trim();
            if parent.is_empty() {
                return None;
            }
            rules.iter().position(|r| r.is_named(parent)).filter(|&p| p != i)
        })
        .collect()
}

/// Whether the words `tokens[start..end]` are one item of a list (`fields
/// such as physics, chemistry, and biology`): said in passing, not the
/// paper's subject. An item stands between list separators (a comma,
/// `such as`, `including`, `, and`) with another comma close by.
fn listed(text: &str, tokens: &[Token], start: usize, end: usize) -> bool {
    let gap = |i: usize| &text[tokens[i - 1].end..tokens[i].start];
    let is = |i: usize, words: &[&str]| tokens.get(i).is_some_and(|t| words.contains(&t.norm.as_str()));
    let opens = start > 0
        && (gap(start).contains(',')
            || (is(start - 1, &["and", "or"]) && start > 1 && gap(start - 1).contains(','))
            || (is(start - 1, &["as"]) && start > 1 && is(start - 2, &["such"]))
            || is(start - 1, &["including", "like"]));
    let closes = end < tokens.len() && (gap(end).contains(',') || (is(end, &["and", "or"]) && !gap(end).contains('.')));
    let last = opens && is(start.wrapping_sub(1), &["and", "or"]) && start > 1 && gap(start - 1).contains(',');
    if !(opens && (closes || last)) {
        return false;
    }
    // Another comma within a few words: a list, not an apposition.
    let from = tokens[start.saturating_sub(LIST_REACH)].start;
    let to = tokens[(end + LIST_REACH).min(tokens.len() - 1)].end;
    text[from..to].matches(',').count() >= 2
}

/// How many words around a list item the other commas of its list may be.
const LIST_REACH: usize = 5;

/// Words that negate what follows them within a clause: `without
/// fine-tuning`, `no need for retraining`, `does not require RL`.
const NEGATIONS: &[&str] = &[
    "avoid",
    "avoiding",
    "bypass",
    "bypassing",
    "eliminate",
    "eliminating",
    "instead",
    "no",
    "non",
    "not",
    "obviate",
    "obviating",
    "rather",
    "unlike",
    "without",
];

/// The hashes of [`NEGATIONS`], for a quick first test.
static NEGATION_HASHES: std::sync::LazyLock<Vec<u64>> =
    std::sync::LazyLock::new(|| NEGATIONS.iter().map(|w| word_hash(w)).collect());

/// How many words before a match a negation may stand.
const NEGATION_REACH: usize = 3;

/// Whether a negation governs the words `tokens[start..end]`: a negating
/// word shortly before, in the same clause (`not only` does not negate), or
/// `-free` right after (`fine-tuning-free`, `training-free`).
fn negated(text: &str, tokens: &[Token], start: usize, end: usize) -> bool {
    if let Some(next) = tokens.get(end)
        && next.norm == "free"
        && matches!(text[tokens[end - 1].end..next.start].trim(), "" | "-")
    {
        return true;
    }
    let from = start.saturating_sub(NEGATION_REACH);
    for i in (from..start).rev() {
        let between = &text[tokens[i].end..tokens[i + 1].start];
        if between.contains([',', '.', ';', ':', '!', '?', '(', ')']) {
            return false;
        }
        if NEGATION_HASHES.contains(&tokens[i].hash) && NEGATIONS.binary_search(&tokens[i].norm.as_str()).is_ok() {
            return !(tokens[i].norm == "not" && tokens.get(i + 1).is_some_and(|t| t.norm == "only"));
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enrich::text::tokens;

    fn rule(name: &str, parent: &str, keywords: &[&str]) -> TopicRule {
        TopicRule {
            name: name.into(),
            parent: parent.into(),
            keywords: keywords.iter().map(|k| k.to_string()).collect(),
            ..TopicRule::default()
        }
    }

    fn matched(matcher: &Matcher, text: &str) -> Vec<usize> {
        matcher.matches(text, &tokens(text), Zone::Body).rules.into_iter().map(|(rule, ..)| rule).collect()
    }

    fn scored(scores: &[u32]) -> Scores {
        let n = scores.len();
        Scores {
            scores: scores.to_vec(),
            required: vec![false; n],
            firm: vec![false; n],
            blocked: vec![false; n],
            headed: vec![true; n],
            titled: vec![true; n],
            stated: vec![true; n],
        }
    }

    #[test]
    fn overlapping_requirements_are_one_mention() {
        assert!(said_often(vec![(0, 3, 5), (0, 4, 5)]).is_empty(), "`large multimodal` and `multimodal`: once");
        assert_eq!(said_often(vec![(0, 3, 5), (0, 9, 10), (1, 2, 3)]), [0], "twice for rule 0, once for rule 1");
    }

    #[test]
    fn negations_are_sorted() {
        assert!(NEGATIONS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn negated_mentions_do_not_count() {
        let matcher = Matcher::new(&[rule("Fine-tuning", "", &["fine-tuning", "fine-tune"])]);
        for text in [
            "works without fine-tuning",
            "requires no additional fine-tuning",
            "a fine-tuning-free method",
            "does not fine-tune the model",
            "unlike fine-tuning, it edits weights",
        ] {
            assert_eq!(matched(&matcher, text), Vec::<usize>::new(), "{text}");
        }
        for text in [
            "we study fine-tuning",
            "not only fine-tuning",
            "without labels, fine-tuning helps",
            "no labels are needed and we then fine-tune",
        ] {
            assert_eq!(matched(&matcher, text), [0], "{text}");
        }
    }

    #[test]
    fn items_of_a_list_are_said_in_passing() {
        let matcher = Matcher::new(&[rule("Chemistry", "", &["chemistry"]), rule("Video", "", &["video generation"])]);
        for text in [
            "fields such as physics, chemistry, and biology",
            "in physics, chemistry, biology and materials",
            "tasks including math, chemistry, law, and medicine",
        ] {
            assert_eq!(matched(&matcher, text), Vec::<usize>::new(), "{text}");
        }
        for text in [
            "We propose X, a method for video generation, and show that it works.",
            "Chemistry, the study of matter, is hard.",
            "We study chemistry.",
        ] {
            assert_eq!(matched(&matcher, text).len(), 1, "{text}");
        }
    }

    #[test]
    fn a_longer_keyword_covers_a_shorter_one() {
        let matcher = Matcher::new(&[
            rule("Multimodal", "", &["vision-language", "vision language model"]),
            rule("Robotics", "", &["vision-language-action", "robot"]),
        ]);
        assert_eq!(matched(&matcher, "a vision-language-action model for robots"), [1, 1]);
        assert_eq!(matched(&matcher, "a vision-language model"), [0], "one match per span, the longest");
    }

    #[test]
    fn excluded_phrases_block_their_rule_only() {
        let mut robotics = rule("Robotics", "", &["manipulation"]);
        robotics.exclude = vec!["image manipulation".into()];
        let matcher = Matcher::new(&[robotics, rule("Editing", "", &["manipulation"])]);
        assert_eq!(matched(&matcher, "image manipulation"), [1]);
        assert_eq!(matched(&matcher, "dexterous manipulation"), [0, 1]);
    }

    #[test]
    fn the_most_specific_rule_wins_over_its_ancestors() {
        let rules = [
            rule("Vision", "", &["image"]),
            rule("Video", "Vision", &["video"]),
            rule("Video generation", "Video", &["video generation"]),
            rule("Audio", "", &["audio"]),
        ];
        let matcher = Matcher::new(&rules);
        assert_eq!(matcher.ancestors(2), [1, 0]);
        let settings = TaxonomyConfig::default();
        assert_eq!(matcher.tagging(&scored(&[9, 9, 3, 0]), &settings), [2], "narrowed to the leaf, whatever its score");
        assert_eq!(
            matcher.tagging(&scored(&[12, 0, 0, 6]), &settings),
            [0, 3],
            "a broad topic that says twice as much stays"
        );
        assert_eq!(matcher.tagging(&scored(&[9, 0, 0, 6]), &settings), [3], "a broad topic that says less goes");
        assert_eq!(
            matcher.tagging(&scored(&[20, 0, 0, 6]), &settings),
            [0, 3],
            "and one that says more does not push out a narrow one"
        );
        assert_eq!(matcher.tagging(&scored(&[9, 0, 0, 2]), &settings), [0], "below min_score");
        assert_eq!(matcher.tagging(&scored(&[0, 0, 12, 3]), &settings), [2], "under 30% of the best");
    }

    #[test]
    fn a_method_the_title_names_is_a_peer_of_its_own_fields_subjects() {
        let mut tuning = rule("Instruction tuning", "LM", &["instruction tuning"]);
        tuning.method = true;
        let rules = [
            rule("LM", "", &["language model"]),
            tuning,
            rule("Code generation", "LM", &["code"]),
            rule("Vision", "", &["image"]),
            rule("Driving", "Vision", &["driving"]),
        ];
        let matcher = Matcher::new(&rules);
        let settings = TaxonomyConfig::default();
        assert_eq!(
            matcher.tagging(&scored(&[0, 4, 6, 0, 0]), &settings),
            [2, 1],
            "code instruction tuning, named in the title, is about both"
        );
        let mut untitled = scored(&[0, 4, 6, 0, 0]);
        untitled.titled[1] = false;
        assert_eq!(matcher.tagging(&untitled, &settings), [2], "a method the title does not name gives way");
        assert_eq!(
            matcher.tagging(&scored(&[0, 4, 0, 0, 6]), &settings),
            [4],
            "beside another field's subject a method the title names gives way when it scores less"
        );
        assert_eq!(
            matcher.tagging(&scored(&[0, 6, 0, 0, 6]), &settings),
            [1, 4],
            "a method the title names that scores as much as another field's subject stays beside it"
        );
        let mut untitled = scored(&[0, 6, 0, 0, 6]);
        untitled.titled[1] = false;
        assert_eq!(matcher.tagging(&untitled, &settings), [4], "one the title does not name needs method_share");
    }

    /// Vision, with 3D (and its 3D generation and 3D reconstruction) and
    /// video generation under it: rules 0 to 4.
    fn vision_tree() -> [TopicRule; 5] {
        [
            rule("Vision", "", &["image"]),
            rule("3D", "Vision", &["3d"]),
            rule("3D generation", "3D", &["text-to-3d"]),
            rule("3D reconstruction", "3D", &["reconstruction"]),
            rule("Video generation", "Vision", &["video generation"]),
        ]
    }

    #[test]
    fn a_child_named_up_front_takes_its_parents_place() {
        let matcher = Matcher::new(&vision_tree());
        let settings = TaxonomyConfig::default();
        assert_eq!(matcher.tagging(&scored(&[0, 8, 2, 0, 0]), &settings), [2], "below min_score, in 3D's place");
        assert_eq!(
            matcher.tagging(&scored(&[0, 8, 2, 0, 6]), &settings),
            [2, 4],
            "in its parent's place beside another subject, never beside its parent"
        );
        let mut unsaid = scored(&[0, 8, 2, 0, 0]);
        unsaid.headed[2] = false;
        assert_eq!(matcher.tagging(&unsaid, &settings), [1], "said only in the rest of the abstract");
        assert_eq!(matcher.tagging(&scored(&[0, 8, 2, 2, 0]), &settings), [1], "two children tie: the parent stays");
        assert_eq!(matcher.tagging(&scored(&[8, 2, 0, 0, 0]), &settings), [0], "a top topic is a field: it stays");
        assert_eq!(
            matcher.tagging(&scored(&[8, 0, 2, 0, 0]), &settings),
            [0],
            "nor does a grandchild take a top topic's place"
        );
    }

    #[test]
    fn a_narrowed_subject_keeps_its_parents_evidence() {
        let matcher = Matcher::new(&vision_tree());
        let settings = TaxonomyConfig::default();
        assert_eq!(
            matcher.tagging(&scored(&[0, 11, 5, 3, 10]), &settings),
            [2, 4],
            "the 3D paper that distils a video model is about 3D generation, first; \
             its weaker sibling does not inherit"
        );
        assert_eq!(matcher.tagging(&scored(&[0, 0, 5, 3, 10]), &settings), [4], "without the parent, as before");
        assert_eq!(
            matcher.tagging(&scored(&[30, 0, 5, 0, 10]), &settings),
            [4],
            "a top topic's evidence is a field's, not passed down"
        );
        assert_eq!(matcher.tagging(&scored(&[0, 11, 5, 5, 10]), &settings), [2, 3, 4], "tied siblings both inherit");
    }
}
