//! Neighbour evidence: a rule topic a paper's own words say too weakly,
//! which most of its most similar papers (by the TF-IDF similarity of
//! related papers) have firmly.
//!
//! A paper *vouches* for a rule topic when its own rules tag it with that
//! topic and its title or first sentence names it (the AI keywords aside:
//! they are drawn from the abstract); it then vouches for the topic's
//! ancestors too, top topics aside. A paper without topics from its front
//! matter gets one topic more from its [`NEIGHBOURS`] most similar papers
//! when, for a rule that does not tag it, is no top topic with children and
//! no facet, and whose `requires` and `unless` allow it (a `requires` said
//! only in passing beside an ancestor's said firmly does not, as in
//! [`Matcher::tagging`]):
//!
//! - its own text gives the rule some score (below the minimum, or pushed
//!   out by a stronger subject) and at least [`VOTES_WITH_OWN`] of its
//!   neighbours vouch for it, or
//! - at least [`VOTES_ALONE`] of them vouch for it.
//!
//! Of such rules, the most specific with the most votes is taken (then the
//! best own score, then the first rule); it replaces a topic of the paper
//! it narrows, or joins its subjects. Neighbours vouch from their own words
//! only, never from their neighbours, so one pass over the papers, each
//! looking at its neighbours' lists, decides.

use super::Scores;
use super::rules::Matcher;

/// How many of a paper's most similar papers vote.
pub const NEIGHBOURS: usize = 10;
/// Votes a rule needs when the paper's own text gives it some score.
pub const VOTES_WITH_OWN: usize = 6;
/// Votes a rule needs when the paper's own text gives it none.
pub const VOTES_ALONE: usize = 8;

/// What one paper brings to neighbour evidence, its own and its neighbours'.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Vouch {
    /// The rules it vouches for, sorted.
    pub firm: Vec<u32>,
    /// Rules its own text scores but that do not tag it, with their
    /// scores, and that its `requires` and `unless` allow; sorted.
    pub weak: Vec<(u32, u32)>,
    /// The rules its `requires` and `unless` allow, as a bit set.
    pub allowed: Vec<u64>,
}

impl Vouch {
    fn allows(&self, rule: usize) -> bool {
        self.allowed.get(rule / 64).is_some_and(|w| w >> (rule % 64) & 1 == 1)
    }

    fn own(&self, rule: usize) -> u32 {
        self.weak.binary_search_by_key(&(rule as u32), |&(r, _)| r).map(|i| self.weak[i].1).unwrap_or(0)
    }
}

/// What a paper got from its neighbours, for `paperpress topics --explain`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FromNeighbours {
    /// The rule.
    pub rule: usize,
    /// How many neighbours vouch for it.
    pub votes: usize,
    /// How many neighbours the paper has (at most [`NEIGHBOURS`]).
    pub of: usize,
    /// The paper's own score for it.
    pub own: u32,
    /// The topic of the paper it replaces, one it narrows.
    pub in_place_of: Option<usize>,
}

/// What paper's own evidence brings: `tagged` are the rules that tag it.
pub fn vouch(matcher: &Matcher, evidence: &Scores, tagged: &[usize]) -> Vouch {
    let n = matcher.len();
    let mut firm: Vec<u32> = Vec::new();
    for &r in tagged.iter().filter(|&&r| evidence.stated[r] && !matcher.is_facet(r)) {
        for a in std::iter::once(r).chain(matcher.ancestors(r).iter().copied()) {
            if !matcher.is_broad(a) {
                firm.push(a as u32);
            }
        }
    }
    firm.sort_unstable();
    firm.dedup();
    let mut allowed = vec![0u64; n.div_ceil(64)];
    let mut weak = Vec::new();
    for r in 0..n {
        // A requirement said in passing beside an ancestor's said firmly
        // (one `visual` in a paper on language models) allows nothing here.
        if matcher.allowed(r, evidence) && !matcher.said_in_passing(r, evidence, |_| true) {
            allowed[r / 64] |= 1 << (r % 64);
            if evidence.scores[r] > 0 && !tagged.contains(&r) {
                weak.push((r as u32, evidence.scores[r]));
            }
        }
    }
    Vouch { firm, weak, allowed }
}

/// The topic paper `own` gets from its `neighbours` (indexes into `all`),
/// given `tagged`, the rules that tag it; `None` when no rule has the votes.
pub fn from_neighbours(
    matcher: &Matcher,
    own: &Vouch,
    tagged: &[usize],
    neighbours: &[usize],
    all: &[Vouch],
) -> Option<FromNeighbours> {
    let neighbours = &neighbours[..neighbours.len().min(NEIGHBOURS)];
    let mut votes: Vec<(u32, usize)> = Vec::new();
    for &q in neighbours {
        for &r in &all[q].firm {
            match votes.binary_search_by_key(&r, |&(v, _)| v) {
                Ok(i) => votes[i].1 += 1,
                Err(i) => votes.insert(i, (r, 1)),
            }
        }
    }
    let covered = |r: usize| tagged.iter().any(|&t| t == r || matcher.ancestors(t).contains(&r));
    let candidates: Vec<(usize, usize, u32)> = votes
        .iter()
        .map(|&(r, v)| (r as usize, v, own.own(r as usize)))
        .filter(|&(r, v, s)| {
            !matcher.is_broad(r)
                && !matcher.is_facet(r)
                && own.allows(r)
                && !covered(r)
                && ((s > 0 && v >= VOTES_WITH_OWN) || v >= VOTES_ALONE)
        })
        .collect();
    let specific =
        candidates.iter().filter(|&&(r, _, _)| !candidates.iter().any(|&(d, _, _)| matcher.ancestors(d).contains(&r)));
    let &(rule, votes, own_score) = specific.min_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then(a.0.cmp(&b.0)))?;
    let in_place_of = tagged.iter().copied().find(|&t| matcher.ancestors(rule).contains(&t));
    Some(FromNeighbours { rule, votes, of: neighbours.len(), own: own_score, in_place_of })
}

/// `tagged` with `topic` in it: in the place of the topic it narrows, or
/// after the subjects, before the facets.
pub fn apply(matcher: &Matcher, tagged: &mut Vec<usize>, topic: &FromNeighbours) {
    match topic.in_place_of.and_then(|t| tagged.iter().position(|&x| x == t)) {
        Some(i) => {
            tagged[i] = topic.rule;
            // Another topic under the one replaced stays; a duplicate goes.
            let mut seen = Vec::new();
            tagged.retain(|&t| {
                let first = !seen.contains(&t);
                seen.push(t);
                first
            });
        }
        None => {
            let at = tagged.iter().position(|&t| matcher.is_facet(t)).unwrap_or(tagged.len());
            tagged.insert(at, topic.rule);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::TopicRule;

    fn rule(name: &str, parent: &str) -> TopicRule {
        TopicRule {
            name: name.into(),
            parent: parent.into(),
            keywords: vec![name.to_lowercase()],
            ..TopicRule::default()
        }
    }

    /// Vision (0) over Video generation (1) over Controllable video
    /// generation (2); Biology (3).
    fn matcher() -> Matcher {
        Matcher::new(&[
            rule("Vision", ""),
            rule("Video generation", "Vision"),
            rule("Controllable", "Video generation"),
            rule("Biology", ""),
        ])
    }

    fn vouching(firm: &[u32]) -> Vouch {
        Vouch { firm: firm.to_vec(), weak: Vec::new(), allowed: vec![0b1111] }
    }

    #[test]
    fn the_most_specific_topic_with_the_votes_narrows_the_one_it_is_under() {
        let matcher = matcher();
        let mut all: Vec<Vouch> = (0..6).map(|_| vouching(&[1, 2])).collect();
        all.push(Vouch { weak: vec![(2, 1)], ..vouching(&[]) });
        let neighbours: Vec<usize> = (0..6).collect();
        let found = from_neighbours(&matcher, &all[6], &[1], &neighbours, &all).expect("six votes and a score");
        assert_eq!((found.rule, found.votes, found.of, found.own, found.in_place_of), (2, 6, 6, 1, Some(1)));
        let mut tagged = vec![1];
        apply(&matcher, &mut tagged, &found);
        assert_eq!(tagged, [2], "in the place of the topic it narrows");
        assert_eq!(from_neighbours(&matcher, &all[6], &[2], &neighbours, &all), None, "it has it already");
        assert_eq!(from_neighbours(&matcher, &all[6], &[1], &neighbours[..5], &all), None, "five votes are too few");
        let unscored = vouching(&[]);
        assert_eq!(
            from_neighbours(&matcher, &unscored, &[1], &neighbours, &all),
            None,
            "six without a score of its own"
        );
        let barred = Vouch { allowed: vec![0b1011], ..all[6].clone() };
        assert_eq!(from_neighbours(&matcher, &barred, &[1], &neighbours, &all), None, "its `requires` are not met");
    }

    #[test]
    fn a_topic_from_neighbours_joins_the_subjects() {
        let matcher = matcher();
        let all: Vec<Vouch> = (0..8).map(|_| vouching(&[3])).collect();
        let own = vouching(&[]);
        let found = from_neighbours(&matcher, &own, &[1], &(0..8).collect::<Vec<_>>(), &all).expect("eight votes");
        assert_eq!((found.rule, found.own, found.in_place_of), (3, 0, None));
        let mut tagged = vec![1];
        apply(&matcher, &mut tagged, &found);
        assert_eq!(tagged, [1, 3]);
    }
}
