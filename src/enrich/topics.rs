//! Topics, in order of precedence: explicit `topics = [...]` in a paper's
//! front matter; `[[topics]]` rules matched against title, abstract and AI
//! keywords ([`rules`]); automatic topics, names the papers share
//! ([`mine`]). Pure and deterministic.
//!
//! Topics form a tree: a rule may name a `parent`, and an automatic topic
//! goes under the rule topic most of its papers have. A paper lands in the
//! most specific topics that fit ([`Topics::of_paper`]) and counts in all
//! their ancestors ([`Topic::papers`]).
//!
//! Slugs are stable as days are added: a rule's comes from `site.toml`, an
//! automatic topic's from the words of the phrase that names it (never from
//! its rank or a counter), and none takes a name the topic pages' URL
//! layout uses (`index`). `topics.lock` keeps the automatic topics a site
//! has had, whatever mining's thresholds say on a later day ([`lock`]).

pub mod lock;
pub mod mine;
pub mod neighbours;
pub mod quality;
pub mod rules;

use rayon::prelude::*;

use super::Doc;
use crate::config::{TaxonomyConfig, TopicLock, TopicRule, topic_slug};
use crate::paper::Paper;
pub use lock::{LockOutcome, Retired};
pub use mine::{Mention, Names};
pub use rules::{Matcher, RuleEvidence, Scores};

/// Where a topic comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TopicKind {
    /// A `[[topics]]` rule in `site.toml`.
    Rule,
    /// Named in a paper's front matter but not in `site.toml`.
    Explicit,
    /// Mined from the papers themselves.
    #[serde(rename = "automatic")]
    Auto,
}

impl TopicKind {
    /// The name scripts and templates see: `rule`, `explicit`, `automatic`.
    pub fn as_str(self) -> &'static str {
        match self {
            TopicKind::Rule => "rule",
            TopicKind::Explicit => "explicit",
            TopicKind::Auto => "automatic",
        }
    }
}

/// A topic and its papers.
#[derive(Debug, Clone, PartialEq)]
pub struct Topic {
    /// Display name.
    pub name: String,
    /// URL slug, unique among topics.
    pub slug: String,
    /// One sentence for the overview (rules only).
    pub description: String,
    /// Where it comes from.
    pub kind: TopicKind,
    /// For automatic topics, the phrases that define it (normalised).
    pub phrases: Vec<String>,
    /// The broader topic it belongs to.
    pub parent: Option<usize>,
    /// Its narrower topics, most papers first.
    pub children: Vec<usize>,
    /// Its papers and those of its descendants, newest first.
    pub papers: Vec<usize>,
    /// The papers its pages list: those of [`Topic::papers`] in none of
    /// its children, newest first. A broad topic's page shows the topics
    /// under it, then these, so that no page lists every paper of a field.
    pub listed: Vec<usize>,
}

impl Topic {
    fn new(name: String, slug: String, kind: TopicKind) -> Topic {
        Topic {
            name,
            slug,
            description: String::new(),
            kind,
            phrases: Vec::new(),
            parent: None,
            children: Vec::new(),
            papers: Vec::new(),
            listed: Vec::new(),
        }
    }
}

/// The topics of a site.
#[derive(Debug, Clone, Default)]
pub struct Topics {
    /// Topics with at least one paper, as a tree read depth first: each
    /// top topic (most papers first) followed by its descendants.
    pub topics: Vec<Topic>,
    /// Each paper's most specific topics, most relevant first.
    pub of_paper: Vec<Vec<usize>>,
    /// Papers that neither front matter nor a rule gave a topic (some of
    /// them may have automatic topics).
    pub uncaught: Vec<usize>,
    /// Locked automatic topics without papers: their pages point to where
    /// the papers went (see [`lock`]).
    pub retired: Vec<Retired>,
    /// What `topics.lock` did.
    pub lock: LockOutcome,
    /// For each paper, the rule topic its neighbours gave it, if any (see
    /// [`neighbours`]).
    pub from_neighbours: Vec<Option<neighbours::FromNeighbours>>,
}

impl Topics {
    /// The top topics (those without a parent), in order.
    pub fn roots(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.topics.len()).filter(|&t| self.topics[t].parent.is_none())
    }

    /// Whether `ancestor` is `topic` or one of its ancestors.
    pub fn is_within(&self, topic: usize, ancestor: usize) -> bool {
        let mut at = Some(topic);
        while let Some(t) = at {
            if t == ancestor {
                return true;
            }
            at = self.topics[t].parent;
        }
        false
    }
}

/// What topic assignment needs from one paper, computed while its text is
/// at hand (see [`super::enrich`]).
#[derive(Debug, Default)]
pub struct PaperEvidence {
    /// Rules that tag it, best first.
    pub rules: Vec<usize>,
    /// Its mentions of candidate names for automatic topics.
    pub mentions: Vec<Mention>,
}

/// The rules that tag a paper, best first, narrowed to the most specific
/// (see [`rules`]).
pub fn rule_topics(matcher: &Matcher, doc: &Doc, _rules: &[TopicRule], settings: &TaxonomyConfig) -> Vec<usize> {
    matcher.tagging(&matcher.scores(doc, settings), settings)
}

/// What topic assignment reads besides the papers and their evidence.
pub struct Inputs<'a> {
    /// The `[[topics]]` rules.
    pub rules: &'a [TopicRule],
    /// The rules, compiled.
    pub matcher: &'a Matcher,
    /// Candidate names for automatic topics.
    pub names: &'a Names,
    /// `[taxonomy]`.
    pub settings: &'a TaxonomyConfig,
    /// `topics.lock`.
    pub locked: &'a TopicLock,
}

/// Assigns topics from each paper's evidence: front matter first, then
/// rules, then automatic topics mined from all papers and kept by the lock.
pub fn assign(papers: &[Paper], evidence: &[PaperEvidence], inputs: &Inputs) -> Topics {
    let Inputs { rules, matcher, names, settings, locked } = *inputs;
    let mut topics = rule_topic_list(rules, matcher);
    let mut of_paper: Vec<Vec<usize>> = vec![Vec::new(); papers.len()];
    let mut uncaught = Vec::new();
    let mut explicit = vec![false; papers.len()];
    for (i, paper) in papers.iter().enumerate() {
        if !paper.topics.is_empty() {
            of_paper[i] = explicit_topics(&paper.topics, &mut topics);
            explicit[i] = true;
        } else if !evidence[i].rules.is_empty() {
            of_paper[i] = evidence[i].rules.clone();
        } else {
            uncaught.push(i);
        }
    }
    let (mut retired, mut outcome) = (Vec::new(), LockOutcome::default());
    if settings.auto {
        let context =
            mine::Context { papers, evidence, rules, of_paper: &of_paper, topics: &topics, explicit: &explicit };
        let applied = lock::apply(mine::automatic_topics(names, &context, settings), locked, names, &context);
        (retired, outcome) = (applied.retired, applied.outcome);
        for auto in applied.topics {
            let index = topics.len();
            for &p in &auto.papers {
                of_paper[p].push(index);
            }
            topics.push(Topic { papers: Vec::new(), ..auto });
        }
    }
    narrow_to_most_specific(&topics, &mut of_paper);
    fill(&mut topics, &of_paper);
    let mut done = finish(topics, of_paper, uncaught, papers, &mut retired);
    (done.retired, done.lock) = (retired, outcome);
    done.from_neighbours = vec![None; papers.len()];
    done
}

/// One topic per rule, with its parent.
fn rule_topic_list(rules: &[TopicRule], matcher: &Matcher) -> Vec<Topic> {
    rules
        .iter()
        .enumerate()
        .map(|(r, rule)| Topic {
            description: rule.description.clone(),
            parent: matcher.ancestors(r).first().copied(),
            ..Topic::new(rule.name.clone(), rule.slug(), TopicKind::Rule)
        })
        .collect()
}

/// Topics named in front matter: a rule with that name or slug, or a topic
/// of its own.
fn explicit_topics(names: &[String], topics: &mut Vec<Topic>) -> Vec<usize> {
    let mut out = Vec::new();
    for name in names {
        let name = name.trim();
        if slug::slugify(name).is_empty() {
            continue;
        }
        let slug = topic_slug(name);
        let found = topics
            .iter()
            .position(|t| t.slug == slug || t.slug == name || t.name.eq_ignore_ascii_case(name))
            .unwrap_or_else(|| {
                topics.push(Topic::new(name.to_string(), slug, TopicKind::Explicit));
                topics.len() - 1
            });
        if !out.contains(&found) {
            out.push(found);
        }
    }
    out
}

/// Drops, from each paper's topics, those that are ancestors of another of
/// its topics: the paper counts in them through the narrower one.
fn narrow_to_most_specific(topics: &[Topic], of_paper: &mut [Vec<usize>]) {
    of_paper.par_iter_mut().filter(|list| list.len() > 1).for_each(|list| {
        let ancestors: Vec<usize> =
            list.iter().flat_map(|&t| std::iter::successors(topics[t].parent, |&p| topics[p].parent)).collect();
        list.retain(|t| !ancestors.contains(t));
    });
}

/// Puts each paper into its topics and all their ancestors, once each, and
/// counts the papers each topic holds itself (after narrowing, a paper
/// lists a topic only when no child of it fits).
fn fill(topics: &mut [Topic], of_paper: &[Vec<usize>]) {
    // The last paper each topic took, so a paper enters a shared ancestor once.
    let mut last = vec![usize::MAX; topics.len()];
    for (p, list) in of_paper.iter().enumerate() {
        for &t in list {
            topics[t].listed.push(p);
            let mut at = Some(t);
            // A tree from validated rules; the bound guards against a cycle.
            let mut depth = 0;
            while let Some(a) = at.filter(|_| depth <= topics.len()) {
                if last[a] != p {
                    last[a] = p;
                    topics[a].papers.push(p);
                }
                at = topics[a].parent;
                depth += 1;
            }
        }
    }
}

/// Removes topics without papers, orders the rest as a tree (each level
/// most papers first), renumbers (where `retired` topics point too), and
/// sorts each topic's papers newest first.
fn finish(
    topics: Vec<Topic>,
    of_paper: Vec<Vec<usize>>,
    uncaught: Vec<usize>,
    papers: &[Paper],
    retired: &mut [Retired],
) -> Topics {
    let order = tree_order(&topics);
    let mut renumber = vec![usize::MAX; topics.len()];
    for (new, &old) in order.iter().enumerate() {
        renumber[old] = new;
    }
    for r in retired {
        // A parent without papers has no page: the overview is where they went.
        r.to = r.to.map(|old| renumber[old]).filter(|&new| new != usize::MAX);
    }
    let mut slots: Vec<Option<Topic>> = topics.into_iter().map(Some).collect();
    let mut kept: Vec<Topic> = order.iter().map(|&old| slots[old].take().expect("each topic is placed once")).collect();
    for topic in &mut kept {
        topic.parent = topic.parent.map(|p| renumber[p]);
        topic.children.clear();
    }
    for t in 0..kept.len() {
        if let Some(p) = kept[t].parent {
            kept[p].children.push(t);
        }
    }
    sort_newest_first(&mut kept, papers);
    let of_paper = of_paper
        .into_iter()
        .map(|list| list.into_iter().map(|t| renumber[t]).filter(|&t| t != usize::MAX).collect())
        .collect();
    Topics { topics: kept, of_paper, uncaught, ..Topics::default() }
}

/// The topics with papers, depth first: siblings by size, then name.
fn tree_order(topics: &[Topic]) -> Vec<usize> {
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); topics.len()];
    let mut roots = Vec::new();
    for (t, topic) in topics.iter().enumerate() {
        if topic.papers.is_empty() {
            continue;
        }
        match topic.parent {
            Some(p) => children[p].push(t),
            None => roots.push(t),
        }
    }
    let by_size = |list: &mut Vec<usize>| {
        list.sort_by(|&a, &b| {
            topics[b].papers.len().cmp(&topics[a].papers.len()).then_with(|| topics[a].slug.cmp(&topics[b].slug))
        })
    };
    by_size(&mut roots);
    children.iter_mut().for_each(by_size);
    let mut order = Vec::with_capacity(topics.len());
    let mut stack: Vec<usize> = roots.into_iter().rev().collect();
    while let Some(t) = stack.pop() {
        order.push(t);
        stack.extend(children[t].iter().rev());
    }
    order
}

/// Sorts each topic's papers newest first.
fn sort_newest_first(topics: &mut [Topic], papers: &[Paper]) {
    // Each paper's place in the newest-first order, computed once for all topics.
    let mut order: Vec<usize> = (0..papers.len()).collect();
    order.par_sort_by_cached_key(|&p| newest_first_key(&papers[p]));
    let mut place = vec![0u32; papers.len()];
    for (rank, &p) in order.iter().enumerate() {
        place[p] = rank as u32;
    }
    topics.par_iter_mut().for_each(|topic| {
        topic.papers.sort_unstable_by_key(|&p| place[p]);
        topic.listed.sort_unstable_by_key(|&p| place[p]);
    });
}

/// Sort key putting the most recently listed papers first, each day in its
/// digest order.
pub fn newest_first_key(paper: &Paper) -> (std::cmp::Reverse<jiff::civil::Date>, u32, String) {
    let last = paper.days.last().expect("a loaded paper has at least one day");
    (std::cmp::Reverse(last.date), last.rank.unwrap_or(u32::MAX), paper.id.clone())
}

#[cfg(test)]
mod tests;
