//! Topics: pages a reader browses, and the targets the default taxonomy
//! must meet on real data.

use std::path::Path;

use paperpress::config::{Config, Site};
use paperpress::enrich::topics::TopicKind;
use paperpress::model::Model;

use crate::support::{broken_links, build, fixture, page, repo_root, texts};

#[test]
fn topic_pages_group_papers_and_link_back() {
    let site = fixture("site");
    build(site.path());
    let overview = page(site.path(), "topics/index.html");
    let names = texts(&overview, ".topic-name");
    assert!(names.contains(&"Machine unlearning".to_string()), "{names:?}");
    assert!(names.contains(&"Hand picks".to_string()), "front matter topics get a page: {names:?}");
    let unlearning = page(site.path(), "topics/machine-unlearning.html");
    assert_eq!(
        texts(&unlearning, ".paper-title"),
        ["Machine Unlearning for Diffusion Models: A Survey of ϵ-Forgetting"]
    );
    let moe = page(site.path(), "topics/mixture-of-experts.html");
    assert_eq!(texts(&moe, ".paper-title"), ["Sparse Mixture of Experts at Scale"]);
    let paper = page(site.path(), "papers/2508.00001.html");
    assert!(texts(&paper, ".paper-topics a").contains(&"Mixture of experts".to_string()));
    assert!(paper.contains("href=\"../topics/mixture-of-experts.html\""));
    let hand = page(site.path(), "papers/2508.00002.html");
    assert_eq!(texts(&hand, ".paper-topics a"), ["Hand picks"], "front matter replaces rules");
    let home = page(site.path(), "index.html");
    let filter = texts(&home, ".list-controls select[name=topic] option");
    assert!(filter.contains(&"Machine unlearning (1)".to_string()), "the day's topics filter its list: {filter:?}");
}

#[test]
fn topic_listings_are_paginated() {
    let site = fixture("site");
    let config = site.path().join("site.toml");
    let mut text = std::fs::read_to_string(&config)
        .unwrap()
        .replace("excerpt_chars = 120", "excerpt_chars = 120\npaginate_by = 1");
    text.push_str("\n[[topics]]\nname = \"Everything\"\nkeywords = [\"a\", \"we\"]\nmin_score = 1\n");
    std::fs::write(&config, text).unwrap();
    build(site.path());
    let first = page(site.path(), "topics/everything.html");
    let count = texts(&page(site.path(), "topics/index.html"), ".topic-tile a")
        .into_iter()
        .find_map(|t| t.strip_prefix("Everything ").map(|n| n.parse::<usize>().unwrap()))
        .unwrap();
    assert!(count >= 3, "the catch-all topic needs several pages, has {count} papers");
    // Full pages of one paper from the oldest; the latest holds the newest.
    let full = count - 1;
    assert_eq!(texts(&first, ".paper-title").len(), 1);
    let oldest = page(site.path(), "topics/everything/1.html");
    assert_eq!(texts(&oldest, ".paper-title").len(), 1);
    assert!(oldest.contains("href=\"../../style.css\""), "page 1 is one folder deeper");
    assert_eq!(texts(&first, ".pagination [aria-current=page]"), ["Latest"]);
    assert!(first.contains(&format!("href=\"../topics/everything/{full}.html\" rel=\"next\"")));
    let newer =
        if full == 1 { "../../topics/everything.html".to_string() } else { "../../topics/everything/2.html".into() };
    assert!(oldest.contains(&format!("href=\"{newer}\" rel=\"prev\"")));
    let (_, broken) = broken_links(&site.path().join("public"));
    assert_eq!(broken, Vec::<(String, String)>::new());
}

#[test]
fn paper_pages_list_related_papers() {
    let site = fixture("site");
    build(site.path());
    let sparse = page(site.path(), "papers/2508.00001.html");
    let related = texts(&sparse, ".related-list a");
    assert!(!related.is_empty(), "every fixture paper shares words with another");
    assert!(related.len() <= 5);
    assert!(!related.contains(&"Sparse Mixture of Experts at Scale".to_string()), "not related to itself");
}

fn model_of(root: &Path, config: Config) -> Model {
    let site = Site::new(root, config);
    paperpress::load_model(&site, &site.config).unwrap().0
}

fn example_config() -> Config {
    Config::from_file(&repo_root().join("site.toml")).unwrap()
}

#[test]
fn default_taxonomy_covers_the_canonical_day() {
    let model = model_of(&repo_root(), example_config());
    let n = model.papers.len();
    assert_eq!(n, 72);
    for (i, topics) in model.topics.of_paper.iter().enumerate() {
        assert!(!topics.is_empty(), "`{}` has no topic", model.papers[i].title);
    }
    for topic in &model.topics.topics {
        assert!(!topic.papers.is_empty(), "topic `{}` has an empty page", topic.name);
        assert!(
            topic.papers.len() * 10 <= n * 4,
            "topic `{}` holds {} of {n} papers (over 40%)",
            topic.name,
            topic.papers.len()
        );
    }
    let kinds: Vec<TopicKind> = model.topics.topics.iter().map(|t| t.kind).collect();
    assert!(kinds.iter().all(|k| *k == TopicKind::Rule), "the taxonomy alone covers the day");
    let unlearning = model.topics.topics.iter().find(|t| t.slug == "machine-unlearning").unwrap();
    let titles: Vec<&str> = unlearning.papers.iter().map(|&p| model.papers[p].title.as_str()).collect();
    assert_eq!(titles.len(), 7, "{titles:?}");
    assert!(titles.iter().all(|t| t.contains("Unlearning") || t.contains("Forget")), "{titles:?}");
}

#[test]
fn without_a_taxonomy_automatic_topics_gather_the_unlearning_papers() {
    let config = Config { topics: Vec::new(), ..example_config() };
    let model = model_of(&repo_root(), config);
    let topic =
        model.topics.topics.iter().find(|t| t.name == "Machine unlearning").expect("an automatic unlearning topic");
    assert_eq!(topic.kind, TopicKind::Auto);
    let unlearning_titles =
        model.papers.iter().enumerate().filter(|(_, p)| p.title.contains("Unlearning")).map(|(i, _)| i);
    for i in unlearning_titles {
        assert!(topic.papers.contains(&i), "`{}` is not in the topic", model.papers[i].title);
    }
    for topic in &model.topics.topics {
        assert!(topic.papers.len() * 10 <= model.papers.len() * 4, "`{}` is too broad", topic.name);
    }
}

#[test]
fn default_taxonomy_covers_nine_in_ten_papers_of_every_other_real_day() {
    for file in [
        "hf-daily-papers-2024-05-27.json",
        "hf-daily-papers-2025-10-24.json",
        "arxiv-atom-2016-search.xml",
        "arxiv-atom-2026-id-list.xml",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let digests = dir.path().join("content/digests");
        std::fs::create_dir_all(&digests).unwrap();
        std::fs::copy(repo_root().join("tests/fixtures/import").join(file), digests.join(file)).unwrap();
        let model = model_of(dir.path(), example_config());
        let n = model.papers.len();
        assert!(n > 0, "{file}");
        let with_topic = model.topics.of_paper.iter().filter(|t| !t.is_empty()).count();
        assert!(with_topic * 10 >= n * 9, "{file}: only {with_topic} of {n} papers have a topic");
        for topic in &model.topics.topics {
            assert!(!topic.papers.is_empty(), "{file}: `{}` is empty", topic.name);
        }
    }
}
