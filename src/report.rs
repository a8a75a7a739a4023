//! Reports for `paperpress topics`: how the taxonomy fits the papers, as
//! text for the owner (quality figures, the topic tree, papers left out,
//! suggested rules) or as JSON for scripts and CI checks.

use std::fmt::Write;

use serde::Serialize;

use crate::config::LOCK_FILE;
use crate::enrich::topics::quality::{BROAD_SHARE, Quality};
use crate::enrich::topics::{TopicKind, Topics};
use crate::math;
use crate::model::Model;

/// Share of papers with a topic the default taxonomy aims at (percent).
const COVERAGE_TARGET: f64 = 97.0;
/// Share of papers with a topic of at most [`BROAD_SHARE`] percent it aims at.
const SPECIFIC_TARGET: f64 = 90.0;

/// The quality figures, the topic tree with counts (and papers, with
/// `list_papers`), the papers without a topic, and the automatic topics as
/// `[[topics]]` rules ready to paste into `site.toml`.
pub fn topics(model: &Model, list_papers: bool) -> String {
    let mut out = String::new();
    let topics = &model.topics;
    let n = model.papers.len();
    let count = |kind| topics.topics.iter().filter(|t| t.kind == kind).count();
    let _ = writeln!(
        out,
        "{n} papers, {} topics ({} from rules, {} automatic, {} from front matter)\n",
        topics.topics.len(),
        count(TopicKind::Rule),
        count(TopicKind::Auto),
        count(TopicKind::Explicit)
    );
    figures(&mut out, model);
    tree(&mut out, model, list_papers);
    without_topic(&mut out, model);
    lock(&mut out, topics);
    suggestions(&mut out, topics);
    out
}

/// What `paperpress topics --lock` did: whether it `wrote` the lock, and
/// what the lock keeps.
pub fn lock_written(model: &Model, wrote: bool) -> String {
    let topics = &model.topics;
    let automatic = topics.topics.iter().filter(|t| t.kind == TopicKind::Auto).count();
    let mut out = format!(
        "{} {LOCK_FILE}: {} automatic topic{} with papers, {} retired (pages pointing to where their papers went)\n",
        if wrote { "wrote" } else { "unchanged:" },
        automatic,
        if automatic == 1 { "" } else { "s" },
        topics.retired.len(),
    );
    let lock = &topics.lock;
    let _ = writeln!(
        out,
        "  {} in the lock and mined again today, {} kept only by the lock, {} new; {} let go (now a rule's or a front matter topic's)",
        automatic - lock.held.len() - lock.added.len(),
        lock.held.len(),
        lock.added.len(),
        lock.ruled.len()
    );
    out
}

/// What `topics.lock` keeps, adds and retires.
fn lock(out: &mut String, topics: &Topics) {
    let outcome = &topics.lock;
    let automatic = topics.topics.iter().filter(|t| t.kind == TopicKind::Auto).count();
    if outcome.entries == 0 {
        if automatic > 0 {
            let _ = writeln!(
                out,
                "\nNo {LOCK_FILE}: an automatic topic may lose its page as days are added; \
                 `paperpress topics --lock` keeps the {automatic} of today."
            );
        }
        return;
    }
    let _ = writeln!(out, "\n{LOCK_FILE}: {} topic{}", outcome.entries, if outcome.entries == 1 { "" } else { "s" });
    let by_slug = |slug: &String| topics.topics.iter().find(|t| &t.slug == slug);
    let list = |out: &mut String, what: &str, slugs: &[String]| {
        let _ = writeln!(out, "  {what}: {}", slugs.len());
        for slug in slugs {
            match by_slug(slug) {
                Some(t) => {
                    let _ = writeln!(out, "    {} ({slug}, {} papers)", t.name, t.papers.len());
                }
                None => {
                    let _ = writeln!(out, "    {slug}");
                }
            }
        }
    };
    list(out, "kept by the lock (mining alone would not make them today)", &outcome.held);
    list(out, "new, not in the lock yet (`paperpress topics --lock` adds them)", &outcome.added);
    let _ = writeln!(
        out,
        "  retired, no paper left (their pages point to where the papers went): {}",
        topics.retired.len()
    );
    for r in &topics.retired {
        let to = r.to.map_or("the topics overview".to_string(), |t| topics.topics[t].name.clone());
        let _ = writeln!(out, "    {} ({}) -> {to}", r.name, r.slug);
    }
    list(out, "now a rule's or a front matter topic's (the lock lets them go)", &outcome.ruled);
}

/// The three quality figures against their targets.
fn figures(out: &mut String, model: &Model) {
    let q = Quality::of(&model.topics, model.papers.len());
    let mark = |ok: bool| if ok { "ok" } else { "MISSED" };
    let coverage = q.percent(q.with_topic);
    let specific = q.percent(q.with_specific_topic);
    let _ = writeln!(out, "quality                                     figure  target");
    let _ = writeln!(
        out,
        "  papers with a topic                       {coverage:>5.1}%  at least {COVERAGE_TARGET:.0}%  {}",
        mark(coverage >= COVERAGE_TARGET)
    );
    match q.largest_leaf {
        Some((t, size)) => {
            let share = q.percent(size);
            let _ = writeln!(
                out,
                "  largest topic without children            {share:>5.1}%  at most {BROAD_SHARE}%   {}  ({}, {size} papers)",
                mark(share <= BROAD_SHARE as f64),
                model.topics.topics[t].name
            );
        }
        None => {
            let _ = writeln!(out, "  largest topic without children                -  at most {BROAD_SHARE}%");
        }
    }
    let _ = writeln!(
        out,
        "  papers with a topic of at most {BROAD_SHARE}%         {specific:>5.1}%  at least {SPECIFIC_TARGET:.0}%  {}\n",
        mark(specific >= SPECIFIC_TARGET)
    );
}

/// Every topic, indented under its parent, with its papers and share.
fn tree(out: &mut String, model: &Model, list_papers: bool) {
    let topics = &model.topics;
    let n = model.papers.len().max(1);
    let _ = writeln!(out, "topics (papers, share; * automatic, + front matter):");
    for (t, topic) in topics.topics.iter().enumerate() {
        let depth = std::iter::successors(topic.parent, |&p| topics.topics[p].parent).count();
        let mark = match topic.kind {
            TopicKind::Rule => "",
            TopicKind::Explicit => " +",
            TopicKind::Auto => " *",
        };
        let share = 100.0 * topic.papers.len() as f64 / n as f64;
        let own =
            if topic.children.is_empty() { String::new() } else { format!("  ({} of its own)", topic.listed.len()) };
        let _ =
            writeln!(out, "{:>6} {share:>4.1}%  {}{}{mark}{own}", topic.papers.len(), "  ".repeat(depth), topic.name);
        if list_papers {
            for &p in topics.topics[t].papers.iter().filter(|&&p| topics.of_paper[p].contains(&t)) {
                let _ = writeln!(out, "{:>14}{}- {}", "", "  ".repeat(depth), math::plain_text(&model.papers[p].title));
            }
        }
    }
}

/// The papers without any topic.
fn without_topic(out: &mut String, model: &Model) {
    let topics = &model.topics;
    let missing: Vec<usize> = (0..model.papers.len()).filter(|&p| topics.of_paper[p].is_empty()).collect();
    if missing.is_empty() {
        let _ = writeln!(out, "\nEvery paper has a topic.");
        return;
    }
    let _ = writeln!(out, "\n{} papers without a topic (add keywords to a [[topics]] rule):", missing.len());
    for p in missing {
        let _ = writeln!(out, "  - {}", math::plain_text(&model.papers[p].title));
    }
}

/// The automatic topics as rules to paste into `site.toml`.
fn suggestions(out: &mut String, topics: &Topics) {
    let suggested: Vec<_> = topics.topics.iter().filter(|t| t.kind == TopicKind::Auto).collect();
    if suggested.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nAutomatic topics, as rules to add to site.toml if you want to keep or edit them:");
    for topic in suggested {
        let keywords: Vec<String> = topic.phrases.iter().map(|p| format!("{p:?}")).collect();
        let parent = topic.parent.map(|p| format!("parent = {:?}\n", topics.topics[p].name)).unwrap_or_default();
        let _ = writeln!(
            out,
            "\n# {} paper{}\n[[topics]]\nname = {:?}\nslug = {:?}\n{parent}keywords = [{}]",
            topic.papers.len(),
            if topic.papers.len() == 1 { "" } else { "s" },
            topic.name,
            topic.slug,
            keywords.join(", ")
        );
    }
}

/// Why paper `id` has its topics: the score of every rule that matched it,
/// where it matched, and whether it tags the paper; `None` when no paper
/// has that id.
pub fn explain(model: &Model, config: &crate::config::Config, id: &str) -> Option<String> {
    let p = model.papers.iter().position(|p| p.id == id)?;
    let paper = &model.papers[p];
    let matcher = crate::enrich::topics::Matcher::new(&config.topics);
    let doc = crate::enrich::Doc::new(paper);
    let mut out = String::new();
    let _ = writeln!(out, "{}\n", math::plain_text(&paper.title));
    let topics: Vec<&str> = model.topics.of_paper[p].iter().map(|&t| model.topics.topics[t].name.as_str()).collect();
    let _ = writeln!(out, "topics: {}\n", if topics.is_empty() { "none".to_string() } else { topics.join(", ") });
    if !paper.topics.is_empty() {
        let _ = writeln!(out, "(its front matter names its topics: rules do not apply)\n");
    }
    let near = model.topics.from_neighbours.get(p).and_then(Option::as_ref);
    if let Some(n) = near {
        let place = n.in_place_of.map(|t| format!(", in the place of {}", config.topics[t].name)).unwrap_or_default();
        let _ = writeln!(
            out,
            "from its neighbours: {} ({} of its {} most similar papers have it in their title or first sentence; \
             its own score {}{place})\n",
            config.topics[n.rule].name, n.votes, n.of, n.own
        );
    }
    // The paper's topic under rule `r`, if any: the paper counts in `r` through it.
    let tagged_below = |r: usize| {
        let slug = config.topics[r].slug();
        model.topics.of_paper[p].iter().find_map(|&t| {
            let mut above = std::iter::successors(model.topics.topics[t].parent, |&a| model.topics.topics[a].parent);
            above.any(|a| model.topics.topics[a].slug == slug).then(|| model.topics.topics[t].name.as_str())
        })
    };
    let _ = writeln!(out, "score  where          rule");
    for e in matcher.explain(&doc, &config.taxonomy) {
        let place = if e.headed { "title/lead" } else { "abstract" };
        let name = |r: usize| config.topics[r].name.as_str();
        let verdict = match (e.tags, e.in_place_of, e.gave_way_to) {
            _ if near.is_some_and(|n| n.rule == e.rule) => {
                let n = near.expect("checked");
                format!("  (from its neighbours: {} of {} similar papers)", n.votes, n.of)
            }
            (_, _, _) if near.is_some_and(|n| n.in_place_of == Some(e.rule)) => {
                format!("  (gives its place to {}, from its neighbours)", name(near.expect("checked").rule))
            }
            (true, Some(parent), _) => format!("  (named up front: in the place of {})", name(parent)),
            (true, None, _) => String::new(),
            (false, _, Some(child)) => format!("  (gives its place to {}, named up front)", name(child)),
            _ if !e.allowed => "  (requires/unless)".to_string(),
            _ if e.in_passing => "  (requires said in passing)".to_string(),
            _ if let Some(narrower) = tagged_below(e.rule) => {
                format!("  (counts through {narrower}, the narrower topic it has)")
            }
            _ => "  (not tagged)".to_string(),
        };
        let _ = writeln!(out, "{:>5}  {place:<13}  {}{verdict}", e.score, config.topics[e.rule].name);
        if !e.phrases.is_empty() {
            let found: Vec<String> =
                e.phrases.iter().map(|(at, phrase)| format!("\"{}\" ({at})", crate::clean::collapse(phrase))).collect();
            let _ = writeln!(out, "{:22}found: {}", "", found.join(", "));
        }
    }
    Some(out)
}

/// `paperpress topics --json`.
#[derive(Debug, Serialize)]
pub struct TopicsJson<'a> {
    /// Papers on the site.
    pub papers: usize,
    /// Every topic, as a tree read depth first.
    pub topics: Vec<TopicJson<'a>>,
}

/// One topic in `paperpress topics --json`.
#[derive(Debug, Serialize)]
pub struct TopicJson<'a> {
    /// Display name.
    pub name: &'a str,
    /// URL slug: the page is `topics/<slug>.html`.
    pub slug: &'a str,
    /// The parent topic's slug, or null for a top topic.
    pub parent: Option<&'a str>,
    /// `explicit`, `rule` or `automatic`.
    pub kind: &'static str,
    /// Papers in the topic, its descendants' included.
    pub count: usize,
    /// Their ids, newest first.
    pub papers: Vec<&'a str>,
}

/// The topics of `model` for scripts: each with its parent, kind and papers.
pub fn topics_json(model: &Model) -> String {
    let topics = &model.topics.topics;
    let report = TopicsJson {
        papers: model.papers.len(),
        topics: topics
            .iter()
            .map(|t| TopicJson {
                name: &t.name,
                slug: &t.slug,
                parent: t.parent.map(|p| topics[p].slug.as_str()),
                kind: t.kind.as_str(),
                count: t.papers.len(),
                papers: t.papers.iter().map(|&p| model.papers[p].id.as_str()).collect(),
            })
            .collect(),
    };
    serde_json::to_string_pretty(&report).expect("topics serialize to JSON")
}
