//! What `topics.lock` does to the automatic topics: every locked topic
//! stays, with its slug, name and parent, while its phrases find papers
//! under that parent, whatever mining's thresholds say; one with no paper
//! left (or whose parent is gone) is retired, and its page points to where
//! its papers went. A locked slug that a rule or a front matter topic now
//! has is theirs. Linear in the papers' mentions.

use rustc_hash::FxHashMap;

use super::mine::{Context, Names, holds};
use super::{Topic, TopicKind, Topics};
use crate::config::{LockedTopic, TopicLock};

/// A locked topic with no paper left: its page stays, pointing to its
/// parent (or to the topics overview).
#[derive(Debug, Clone, PartialEq)]
pub struct Retired {
    /// Its page is `topics/<slug>.html`.
    pub slug: String,
    /// Its name.
    pub name: String,
    /// Where its papers went: a topic, or the overview when `None`.
    pub to: Option<usize>,
    /// Its entry in the lock, kept as it was.
    pub entry: LockedTopic,
}

/// What the lock did, by slug, for `paperpress topics`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LockOutcome {
    /// How many entries the lock had.
    pub entries: usize,
    /// Locked topics that mining alone would not have made.
    pub held: Vec<String>,
    /// Automatic topics the lock does not have yet.
    pub added: Vec<String>,
    /// Locked slugs a rule or a front matter topic now has.
    pub ruled: Vec<String>,
}

/// The automatic topics once the lock is applied.
pub struct Applied {
    /// The topics, those mining made first, in its order.
    pub topics: Vec<Topic>,
    /// Locked topics without papers, `to` a topic of the context.
    pub retired: Vec<Retired>,
    /// What the lock did.
    pub outcome: LockOutcome,
}

/// A locked topic while the lock is applied.
struct Held<'a> {
    entry: &'a LockedTopic,
    /// Its parent in the context: `None` when the lock's parent is gone.
    parent: Option<Option<usize>>,
    phrases: Vec<String>,
    papers: Vec<usize>,
    placed: bool,
}

/// Where a topic of the result comes from.
enum Slot {
    /// A held topic, with the topic mining made of its slug, if any.
    Held(usize, Option<Topic>),
    New(Topic),
}

/// Applies `lock` to the topics mining made (`mined`).
pub fn apply(mined: Vec<Topic>, lock: &TopicLock, names: &Names, context: &Context) -> Applied {
    let by_slug: FxHashMap<&str, usize> =
        context.topics.iter().enumerate().map(|(i, t)| (t.slug.as_str(), i)).collect();
    let mut outcome = LockOutcome { entries: lock.topics.len(), ..LockOutcome::default() };
    let mut held: Vec<Held> = Vec::new();
    for entry in &lock.topics {
        if by_slug.contains_key(entry.slug.as_str()) {
            outcome.ruled.push(entry.slug.clone());
            continue;
        }
        let parent = match &entry.parent {
            None => Some(None),
            Some(p) => by_slug.get(p.as_str()).map(|&i| Some(i)),
        };
        held.push(Held { entry, parent, phrases: entry.phrases.clone(), papers: Vec::new(), placed: false });
    }
    let held_by_slug: FxHashMap<&str, usize> =
        held.iter().enumerate().map(|(h, t)| (t.entry.slug.as_str(), h)).collect();
    let mut slots = Vec::with_capacity(mined.len());
    for topic in mined {
        match held_by_slug.get(topic.slug.as_str()) {
            Some(&h) => {
                add_phrases(&mut held[h].phrases, &topic.phrases);
                slots.push(Slot::Held(h, Some(topic)));
            }
            None => slots.push(Slot::New(topic)),
        }
    }
    find_papers(&mut held, names, context);
    join_held(&mut slots, &mut held);
    finish(slots, held, outcome)
}

/// Adds the phrases of `more` that `phrases` lacks.
fn add_phrases(phrases: &mut Vec<String>, more: &[String]) {
    for phrase in more {
        if !phrases.contains(phrase) {
            phrases.push(phrase.clone());
        }
    }
}

/// Each held topic's papers: those with a strong mention of one of its
/// phrases, within its parent.
fn find_papers(held: &mut [Held], names: &Names, context: &Context) {
    let mut of_candidate: FxHashMap<u32, Vec<usize>> = FxHashMap::default();
    for (h, topic) in held.iter().enumerate() {
        if topic.parent.is_none() {
            continue;
        }
        for phrase in &topic.phrases {
            if let Some(c) = names.candidate(phrase) {
                of_candidate.entry(c).or_default().push(h);
            }
        }
    }
    if of_candidate.is_empty() {
        return;
    }
    let mut last = vec![usize::MAX; held.len()];
    for (p, evidence) in context.evidence.iter().enumerate() {
        if context.explicit[p] {
            continue;
        }
        for mention in &evidence.mentions {
            for &h in of_candidate.get(&mention.name).into_iter().flatten() {
                let within = held[h].parent.flatten().is_none_or(|parent| holds(context, p, parent));
                if last[h] != p && within {
                    last[h] = p;
                    held[h].papers.push(p);
                }
            }
        }
    }
}

/// A new topic whose papers are mostly (80%) a held topic's under the same
/// parent is that topic under another phrase (`gaussian splatting` and a
/// locked `3d gaussian splatting`): it joins it rather than repeat it.
fn join_held(slots: &mut [Slot], held: &mut [Held]) {
    let mut of_paper: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
    for (h, topic) in held.iter().enumerate() {
        for &p in &topic.papers {
            of_paper.entry(p).or_default().push(h);
        }
    }
    for slot in slots.iter_mut() {
        let Slot::New(topic) = slot else { continue };
        let mut shared: FxHashMap<usize, usize> = FxHashMap::default();
        for p in &topic.papers {
            for &h in of_paper.get(p).into_iter().flatten() {
                *shared.entry(h).or_default() += 1;
            }
        }
        let best = shared
            .into_iter()
            .filter(|&(h, _)| held[h].parent == Some(topic.parent))
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)));
        if let Some((h, common)) = best.filter(|&(_, common)| common * 10 >= topic.papers.len() * 8) {
            debug_assert!(common > 0);
            add_phrases(&mut held[h].phrases, &topic.phrases);
            held[h].papers = union(&held[h].papers, &topic.papers);
            *slot = Slot::Held(h, None);
        }
    }
}

/// The union of two sorted lists.
fn union(a: &[usize], b: &[usize]) -> Vec<usize> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    out.extend_from_slice(a);
    out.extend_from_slice(b);
    out.sort_unstable();
    out.dedup();
    out
}

/// The topics in order (mining's first), the retired ones, and the outcome.
fn finish(slots: Vec<Slot>, mut held: Vec<Held>, mut outcome: LockOutcome) -> Applied {
    let mut topics = Vec::new();
    let as_topic = |h: &mut Held| Topic {
        parent: h.parent.flatten(),
        phrases: h.phrases.clone(),
        papers: std::mem::take(&mut h.papers),
        ..Topic::new(h.entry.name.clone(), h.entry.slug.clone(), TopicKind::Auto)
    };
    for slot in slots {
        match slot {
            Slot::New(topic) => {
                outcome.added.push(topic.slug.clone());
                topics.push(topic);
            }
            Slot::Held(h, _) if !held[h].placed && !held[h].papers.is_empty() => {
                held[h].placed = true;
                topics.push(as_topic(&mut held[h]));
            }
            // Mining found it under another parent than the lock's, where
            // it has no paper left: it moves there rather than retire.
            Slot::Held(h, Some(mined)) if !held[h].placed => {
                held[h].placed = true;
                topics.push(Topic { name: held[h].entry.name.clone(), ..mined });
            }
            Slot::Held(..) => {}
        }
    }
    let mut retired = Vec::new();
    for h in held.iter_mut().filter(|h| !h.placed) {
        if h.papers.is_empty() {
            let entry = LockedTopic { phrases: h.phrases.clone(), ..h.entry.clone() };
            retired.push(Retired { slug: entry.slug.clone(), name: entry.name.clone(), to: h.parent.flatten(), entry });
        } else {
            outcome.held.push(h.entry.slug.clone());
            topics.push(as_topic(h));
        }
    }
    Applied { topics, retired, outcome }
}

/// The lock that keeps every automatic topic of `topics`: the live ones as
/// they are now, the retired ones as they were.
pub fn updated(topics: &Topics) -> TopicLock {
    let live = topics.topics.iter().filter(|t| t.kind == TopicKind::Auto).map(|t| LockedTopic {
        slug: t.slug.clone(),
        name: t.name.clone(),
        parent: t.parent.map(|p| topics.topics[p].slug.clone()),
        phrases: t.phrases.clone(),
    });
    let retired = topics.retired.iter().map(|r| r.entry.clone());
    let mut lock = TopicLock { topics: live.chain(retired).collect() };
    lock.topics.sort_by(|a, b| a.slug.cmp(&b.slug));
    lock
}
