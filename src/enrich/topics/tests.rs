use std::path::Path;

use jiff::civil::date;

use super::*;
use crate::config::Config;
use crate::enrich::enrich;
use crate::paper::Listing;

fn paper(id: &str, title: &str, body: &str) -> Paper {
    Paper {
        id: id.into(),
        title: title.into(),
        body: body.into(),
        days: vec![Listing::new(date(2025, 8, 6), None)],
        ..Paper::default()
    }
}

fn rule(name: &str, keywords: &[&str]) -> TopicRule {
    TopicRule { name: name.into(), keywords: keywords.iter().map(|k| k.to_string()).collect(), ..TopicRule::default() }
}

fn config(rules: Vec<TopicRule>) -> Config {
    Config { topics: rules, ..Config::default() }
}

fn names(topics: &Topics, paper: usize) -> Vec<&str> {
    topics.of_paper[paper].iter().map(|&t| topics.topics[t].name.as_str()).collect()
}

#[test]
fn title_match_tags_but_a_passing_mention_does_not() {
    let papers = [
        paper("a", "Machine Unlearning at Scale", "We study forgetting."),
        paper("b", "Graph networks", "Unlike machine unlearning, we do other things."),
        paper("c", "Deletion", "Machine unlearning removes data. Our machine unlearning method is fast."),
    ];
    let config = config(vec![rule("Machine unlearning", &["machine unlearning"])]);
    let topics = enrich(&papers, &config).topics;
    assert_eq!(names(&topics, 0), ["Machine unlearning"]);
    assert!(!names(&topics, 1).contains(&"Machine unlearning"), "one abstract mention is not enough");
    assert_eq!(names(&topics, 2), ["Machine unlearning"], "two abstract mentions are");
}

#[test]
fn matching_is_whole_word_case_insensitive_and_ignores_hyphens_and_plurals() {
    let papers = [
        paper("a", "A Survey of Mixture-of-Experts", ""),
        paper("b", "MoE layers", ""),
        paper("c", "Moet and champagne", ""),
        paper("d", "Relearning is not unlearning", ""),
        paper("e", "Large Language Models for code", ""),
    ];
    let config = config(vec![
        rule("Mixture of experts", &["mixture of experts", "moe"]),
        rule("Unlearning", &["unlearn"]),
        rule("Language models", &["language model"]),
    ]);
    let topics =
        enrich(&papers, &Config { taxonomy: TaxonomyConfig { auto: false, ..Default::default() }, ..config }).topics;
    assert_eq!(names(&topics, 0), ["Mixture of experts"]);
    assert_eq!(names(&topics, 1), ["Mixture of experts"]);
    assert!(names(&topics, 2).is_empty(), "`moe` does not match `Moet`");
    assert!(names(&topics, 3).is_empty(), "`unlearn` does not match `unlearning` or `relearning`");
    assert_eq!(names(&topics, 4), ["Language models"], "plural folds to the keyword");
}

#[test]
fn front_matter_beats_rules_and_rules_beat_automatic_topics() {
    let mut explicit = paper("a", "Machine unlearning survey", "machine unlearning");
    explicit.topics = vec!["Surveys".into(), "machine-unlearning".into()];
    let papers = [
        explicit,
        paper("b", "Machine unlearning for diffusion", ""),
        paper("c", "Protein folding with transformers", "protein structures"),
        paper("d", "Protein folding at scale", "protein design"),
    ];
    let config = config(vec![rule("Machine unlearning", &["machine unlearning"])]);
    let topics = enrich(&papers, &config).topics;
    assert_eq!(names(&topics, 0), ["Surveys", "Machine unlearning"], "front matter wins and names a new topic");
    assert_eq!(names(&topics, 1), ["Machine unlearning"]);
    assert_eq!(names(&topics, 2), ["Protein folding"], "no rule matched: an automatic topic");
    assert_eq!(names(&topics, 3), ["Protein folding"]);
    let kinds: Vec<TopicKind> = topics.topics.iter().map(|t| t.kind).collect();
    assert_eq!(kinds, [TopicKind::Rule, TopicKind::Explicit, TopicKind::Auto]);
    assert_eq!(topics.uncaught, [2, 3]);
}

#[test]
fn at_most_max_per_paper_rules_best_first() {
    let papers = [paper("a", "Graphs", "alpha alpha alpha beta beta gamma gamma delta delta")];
    let rules =
        vec![rule("Alpha", &["alpha"]), rule("Beta", &["beta"]), rule("Gamma", &["gamma"]), rule("Delta", &["delta"])];
    let config = Config { taxonomy: TaxonomyConfig { max_per_paper: 2, ..Default::default() }, ..config(rules) };
    assert_eq!(names(&enrich(&papers, &config).topics, 0), ["Alpha", "Beta"]);
}

#[test]
fn empty_topics_get_no_page() {
    let papers = [paper("a", "Machine unlearning", "")];
    let config = config(vec![rule("Machine unlearning", &["machine unlearning"]), rule("Robotics", &["robot"])]);
    let topics = enrich(&papers, &config).topics;
    assert_eq!(topics.topics.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), ["Machine unlearning"]);
}

fn canonical_papers() -> Vec<Paper> {
    let text = include_str!("../../../content/digests/2025-08-06.txt");
    crate::source::parse_text(text, Path::new("2025-08-06.txt"), None, None).unwrap().papers
}

#[test]
fn without_a_taxonomy_the_unlearning_papers_end_up_together() {
    let papers = canonical_papers();
    let topics = enrich(&papers, &Config::default()).topics;
    let unlearning: Vec<usize> = papers
        .iter()
        .enumerate()
        .filter(|(_, p)| p.title.to_lowercase().contains("unlearning"))
        .map(|(i, _)| i)
        .collect();
    assert!(unlearning.len() >= 6, "the canonical day has several unlearning papers");
    let topic = topics.topics.iter().find(|t| t.name.to_lowercase().contains("unlearning")).unwrap_or_else(|| {
        panic!("no unlearning topic among {:?}", topics.topics.iter().map(|t| &t.name).collect::<Vec<_>>())
    });
    assert_eq!(topic.kind, TopicKind::Auto);
    for i in &unlearning {
        assert!(topic.papers.contains(i), "`{}` is missing from `{}`", papers[*i].title, topic.name);
    }
}

#[test]
fn automatic_topics_are_deterministic() {
    let papers = canonical_papers();
    let a = enrich(&papers, &Config::default());
    let b = enrich(&papers, &Config::default());
    assert_eq!(a.topics.topics, b.topics.topics);
    assert_eq!(a.related, b.related);
}

#[test]
fn display_names_read_naturally() {
    let mut surfaces = BTreeMap::new();
    surfaces.insert("Machine Unlearning", 3);
    surfaces.insert("machine unlearning", 2);
    assert_eq!(display_name(&surfaces), "Machine unlearning");
    let mut surfaces = BTreeMap::new();
    surfaces.insert("IR", 1);
    assert_eq!(display_name(&surfaces), "IR");
    let mut surfaces = BTreeMap::new();
    surfaces.insert("In-Context Learning", 1);
    assert_eq!(display_name(&surfaces), "In-context learning");
    let mut surfaces = BTreeMap::new();
    surfaces.insert("LLMs for MoE Routing", 1);
    assert_eq!(display_name(&surfaces), "LLMs for MoE routing");
    let mut surfaces = BTreeMap::new();
    surfaces.insert("MACHINE UNLEARNING", 1);
    assert_eq!(display_name(&surfaces), "Machine unlearning");
    let mut surfaces = BTreeMap::new();
    surfaces.insert("IR", 1);
    assert_eq!(display_name(&surfaces), "IR");
}

#[test]
fn generic_words_stay_sorted() {
    assert!(GENERIC.windows(2).all(|w| w[0] < w[1]));
}
