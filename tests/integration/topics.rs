//! Topics: pages a reader browses, the tree of topics, the `topics`
//! command, and the targets the default taxonomy must meet on real data.

use std::path::Path;
use std::process::Command;

use paperpress::config::{Config, Site};
use paperpress::enrich::topics::TopicKind;
use paperpress::enrich::topics::quality::Quality;
use paperpress::model::Model;

use crate::support::{attr, broken_links, build, fixture, page, repo_root, texts, topic_names, try_build};

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
        texts(&unlearning, ".paper-list h2"),
        ["Machine Unlearning for Diffusion Models: A Survey of ϵ-Forgetting"]
    );
    let moe = page(site.path(), "topics/mixture-of-experts.html");
    assert_eq!(texts(&moe, ".paper-list h2"), ["Sparse Mixture of Experts at Scale"]);
    let paper = page(site.path(), "papers/2508.00001.html");
    assert!(texts(&paper, ".paper-topics a").contains(&"Mixture of experts".to_string()));
    assert!(paper.contains("href=\"../topics/mixture-of-experts.html\""));
    let hand = page(site.path(), "papers/2508.00002.html");
    assert_eq!(texts(&hand, ".paper-topics a"), ["Hand picks"], "front matter replaces rules");
    let home = page(site.path(), "index.html");
    // The day's filter (made by list.js) offers the topics of its cards by name.
    let tagged = attr(&home, "#papers > li", "data-t");
    assert_eq!(tagged.iter().filter(|t| t.split(' ').any(|s| s == "machine-unlearning")).count(), 1, "{tagged:?}");
    assert_eq!(topic_names(site.path())["machine-unlearning"], "Machine unlearning");
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
    assert_eq!(texts(&first, ".paper-list h2").len(), 1);
    let oldest = page(site.path(), "topics/everything/1.html");
    assert_eq!(texts(&oldest, ".paper-list h2").len(), 1);
    assert!(oldest.contains("href=\"../../style.css\""), "page 1 is one folder deeper");
    // An older page says which it is, as its title does; the latest does not.
    assert!(texts(&oldest, ".lede")[0].contains("Older papers, page 1 (page 1 holds the oldest)."), "{oldest}");
    assert!(!texts(&first, ".lede")[0].contains("Older papers"));
    assert_eq!(texts(&first, ".pagination [aria-current=page]"), ["Latest"]);
    assert!(first.contains(&format!("href=\"../topics/everything/{full}.html\" rel=\"next\"")));
    let newer =
        if full == 1 { "../../topics/everything.html".to_string() } else { "../../topics/everything/2.html".into() };
    assert!(oldest.contains(&format!("href=\"{newer}\" rel=\"prev\"")));
    let (_, broken) = broken_links(&site.path().join("public"));
    assert_eq!(broken, Vec::<(String, String)>::new());
}

/// The fixture site with a small tree: `Machine learning` over the two
/// rules it has, and an empty `Speech` with a child of its own.
fn tree_site() -> tempfile::TempDir {
    let site = fixture("site");
    let config = site.path().join("site.toml");
    let text = std::fs::read_to_string(&config).unwrap().replace(
        "[[topics]]\nname = \"Machine unlearning\"",
        "[[topics]]\nname = \"Machine learning\"\nslug = \"ml\"\ndescription = \"All of it.\"\n\n\
         [[topics]]\nname = \"Audio\"\nkeywords = [\"audio\"]\n\n\
         [[topics]]\nname = \"Audio metrics\"\nparent = \"Audio\"\nkeywords = [\"audio distance\"]\n\n\
         [[topics]]\nname = \"Machine unlearning\"\nparent = \"ml\"",
    );
    let text =
        text.replace("name = \"Mixture of experts\"", "name = \"Mixture of experts\"\nparent = \"Machine learning\"");
    std::fs::write(&config, text).unwrap();
    site
}

#[test]
fn parent_pages_show_their_children_then_the_papers_in_none_of_them() {
    let site = tree_site();
    let papers = site.path().join("content/papers");
    std::fs::create_dir_all(&papers).unwrap();
    let own = "+++\nid = \"speech-own\"\ntitle = \"Listening to Rooms\"\ndate = 2025-08-06\ntopics = [\"Audio\"]\n+++\nWe listen to rooms.\n";
    std::fs::write(papers.join("speech-own.md"), own).unwrap();
    build(site.path());
    let ml = page(site.path(), "topics/ml.html");
    assert_eq!(texts(&ml, ".topic-children .topic-name"), ["Machine unlearning", "Mixture of experts"]);
    let lede = texts(&ml, ".lede")[0].clone();
    assert!(lede.contains("2 papers: 0 listed here"), "the parent counts its children's papers: {lede}");
    let papers = texts(&ml, ".paper-list h2");
    assert!(papers.is_empty(), "both papers are on their children's pages, not listed again: {papers:?}");
    // A parent with papers of its own lists those, after its children.
    let audio = page(site.path(), "topics/audio.html");
    let metrics = page(site.path(), "topics/audio-metrics.html");
    let (own, under) = (texts(&audio, ".paper-list h2"), texts(&metrics, ".paper-list h2"));
    assert!(!own.is_empty() && !under.is_empty(), "{own:?} {under:?}");
    assert!(own.iter().all(|t| !under.contains(t)), "a child's papers are not listed on its parent: {own:?} {under:?}");
    let count = own.len() + under.len();
    let lede = texts(&audio, ".lede")[0].clone();
    assert!(lede.contains(&format!("{count} papers: {} listed here", own.len())), "{lede}");
    assert!(
        audio.find("topic-children").unwrap() < audio.find("class=\"paper-list\"").unwrap(),
        "children first, then papers"
    );
    let bib = std::fs::read_to_string(site.path().join("public/topics/audio.bib")).unwrap();
    assert_eq!(bib.matches("@misc{").count() + bib.matches("@article{").count(), own.len(), "{bib}");
    let unlearning = page(site.path(), "topics/machine-unlearning.html");
    assert_eq!(texts(&unlearning, ".breadcrumb a"), ["Topics", "Machine learning"]);
    assert!(texts(&unlearning, ".topic-children .topic-name").is_empty(), "a leaf lists no children");
    let paper = page(site.path(), "papers/2508.00001.html");
    assert_eq!(
        texts(&paper, ".paper-topics a"),
        ["Mixture of experts"],
        "a paper shows its most specific topic, not its parent"
    );
    let (_, broken) = broken_links(&site.path().join("public"));
    assert_eq!(broken, Vec::<(String, String)>::new());
}

#[test]
fn the_overview_groups_topics_under_their_parents_largest_first() {
    let site = tree_site();
    build(site.path());
    let overview = page(site.path(), "topics/index.html");
    let doc = scraper::Html::parse_document(&overview);
    let tile = scraper::Selector::parse(".topic-grid > .topic-tile").unwrap();
    let name = scraper::Selector::parse(".topic-name").unwrap();
    let count = scraper::Selector::parse(".count").unwrap();
    let tiles: Vec<(Vec<String>, usize)> = doc
        .select(&tile)
        .map(|t| {
            let names = t.select(&name).map(|n| n.text().collect::<String>()).collect();
            let first: usize = t.select(&count).next().unwrap().text().collect::<String>().trim().parse().unwrap();
            (names, first)
        })
        .collect();
    let ml = tiles.iter().find(|(names, _)| names[0] == "Machine learning").expect("a tile for the parent");
    assert_eq!(ml.0, ["Machine learning", "Machine unlearning", "Mixture of experts"], "children inside the parent");
    assert_eq!(ml.1, 2);
    assert!(!tiles.iter().any(|(names, _)| names[0] == "Mixture of experts"), "a child is no tile of its own");
    let sizes: Vec<usize> = tiles.iter().map(|t| t.1).collect();
    assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "largest first: {tiles:?}");
}

#[test]
fn a_parent_needs_an_existing_topic_and_no_cycle() {
    for (rules, message) in [
        ("[[topics]]\nname = \"A\"\nparent = \"Nowhere\"\nkeywords = [\"a\"]\n", "has parent `Nowhere`, which is no"),
        (
            "[[topics]]\nname = \"A\"\nparent = \"B\"\nkeywords = [\"a\"]\n[[topics]]\nname = \"B\"\nparent = \"A\"\nkeywords = [\"b\"]\n",
            "is its own ancestor",
        ),
        ("[[topics]]\nname = \"Overview\"\nslug = \"index\"\nkeywords = [\"a\"]\n", "topic slug `index` is taken"),
    ] {
        let err = Config::parse(rules, Path::new("site.toml")).unwrap_err();
        let text = format!("{err:#}");
        assert!(text.starts_with("`site.toml` line "), "{text}");
        assert!(text.contains(message), "{text}");
    }
}

/// Regression (issue 12): a topic named `Index`, from a rule, front matter
/// or the papers themselves, does not write over the overview.
#[test]
fn regression_12_a_topic_named_index_keeps_the_overview() {
    let site = fixture("site");
    let config = site.path().join("site.toml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("\n[[topics]]\nname = \"Index\"\nkeywords = [\"fréchet\"]\n");
    std::fs::write(&config, text).unwrap();
    let page_path = site.path().join("content/papers/hand-written.md");
    let hand = std::fs::read_to_string(&page_path)
        .unwrap()
        .replace("topics = [\"Hand picks\"]", "topics = [\"Index\", \"2\"]");
    std::fs::write(&page_path, hand).unwrap();
    build(site.path());
    let overview = page(site.path(), "topics/index.html");
    assert_eq!(texts(&overview, "h1"), ["Topics"], "topics/index.html is still the overview");
    assert!(texts(&overview, ".topic-name").contains(&"Index".to_string()));
    let index = page(site.path(), "topics/index-topic.html");
    assert_eq!(texts(&index, "h1"), ["Index"]);
    assert!(site.path().join("public/topics/2-topic.html").is_file(), "numbers are kept for listing pages");
    let hand = page(site.path(), "papers/2508.00002.html");
    assert!(hand.contains("href=\"../topics/index-topic.html\""), "the paper links to the topic, not the overview");
    let (_, broken) = broken_links(&site.path().join("public"));
    assert_eq!(broken, Vec::<(String, String)>::new());
}

#[test]
fn regression_12_an_explicit_index_slug_is_an_error_at_its_line() {
    let site = fixture("site");
    let config = site.path().join("site.toml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("\n[[topics]]\nname = \"Overview\"\nslug = \"index\"\nkeywords = [\"a\"]\n");
    std::fs::write(&config, text).unwrap();
    let err = format!("{:#}", try_build(site.path()).unwrap_err());
    assert!(err.contains("topic slug `index` is taken by the topic pages"), "{err}");
    assert!(!site.path().join("public").exists(), "nothing was built");
}

fn paperpress(root: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_paperpress")).args(args).arg("--root").arg(root).output().unwrap()
}

#[test]
fn topics_json_lists_every_topic_with_parent_kind_and_papers() {
    let site = tree_site();
    let output = paperpress(site.path(), &["topics", "--json"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["papers"], 5);
    let topics = json["topics"].as_array().unwrap();
    let by_slug = |slug: &str| topics.iter().find(|t| t["slug"] == slug).unwrap_or_else(|| panic!("no `{slug}`"));
    let ml = by_slug("ml");
    assert_eq!(
        (ml["name"].as_str(), ml["kind"].as_str(), ml["parent"].is_null()),
        (Some("Machine learning"), Some("rule"), true)
    );
    assert_eq!(ml["count"], 2);
    let moe = by_slug("mixture-of-experts");
    assert_eq!(moe["parent"], "ml");
    assert_eq!(moe["papers"], serde_json::json!(["2508.00001"]));
    assert_eq!(by_slug("hand-picks")["kind"], "explicit");
    for topic in topics {
        let keys: Vec<&str> = topic.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["count", "kind", "name", "papers", "parent", "slug"]);
        assert_eq!(topic["count"].as_u64().unwrap() as usize, topic["papers"].as_array().unwrap().len());
        assert!(["rule", "explicit", "automatic"].contains(&topic["kind"].as_str().unwrap()));
        if let Some(parent) = topic["parent"].as_str() {
            assert!(topics.iter().any(|t| t["slug"] == parent), "parent `{parent}` is a topic");
        }
    }
}

#[test]
fn topics_report_gives_the_quality_figures_and_the_tree() {
    let site = tree_site();
    let output = paperpress(site.path(), &["topics"]);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with("5 papers, "), "{text}");
    for line in ["papers with a topic", "largest topic without children", "papers with a topic of at most 10%"] {
        assert!(text.contains(line), "`{line}` missing from:\n{text}");
    }
    let lines: Vec<&str> = text.lines().collect();
    let ml = lines.iter().position(|l| l.ends_with("  Machine learning  (0 of its own)")).expect(&text);
    assert!(lines[ml + 1].ends_with("    Machine unlearning"), "children indented under the parent:\n{text}");
    assert!(lines[ml + 2].ends_with("    Mixture of experts"), "{text}");
}

fn model_of(root: &Path, config: Config) -> Model {
    let site = Site::new(root, config);
    paperpress::load_model(&site, &site.config).unwrap().0
}

fn example_config() -> Config {
    Config::from_file(&repo_root().join("site.toml")).unwrap()
}

/// Paper titles of a topic, found by slug.
fn titles<'a>(model: &'a Model, slug: &str) -> Vec<&'a str> {
    let topic = model.topics.topics.iter().find(|t| t.slug == slug).unwrap_or_else(|| {
        panic!("no `{slug}` among {:?}", model.topics.topics.iter().map(|t| &t.slug).collect::<Vec<_>>())
    });
    topic.papers.iter().map(|&p| model.papers[p].title.as_str()).collect()
}

/// Indexes of the papers whose lowercase title holds any of `words`.
fn titled(model: &Model, words: &[&str]) -> Vec<usize> {
    (0..model.papers.len())
        .filter(|&i| words.iter().any(|w| model.papers[i].title.to_lowercase().contains(w)))
        .collect()
}

/// The clusters of the canonical day: a word of their topic's name, and
/// what their titles say.
const CANONICAL_CLUSTERS: [(&str, &[&str]); 3] = [
    ("unlearning", &["unlearning"]),
    ("mixture", &["mixture of experts", "mixture-of-experts"]),
    ("context", &["in-context learning"]),
];

#[test]
fn default_taxonomy_covers_the_canonical_day_and_keeps_its_clusters() {
    let model = model_of(&repo_root(), example_config());
    let n = model.papers.len();
    assert_eq!(n, 72);
    for (i, topics) in model.topics.of_paper.iter().enumerate() {
        assert!(!topics.is_empty(), "`{}` has no topic", model.papers[i].title);
    }
    for topic in &model.topics.topics {
        assert!(!topic.papers.is_empty(), "topic `{}` has an empty page", topic.name);
        if topic.children.is_empty() {
            assert!(topic.papers.len() * 10 <= n * 2, "`{}` holds {} of {n} papers", topic.name, topic.papers.len());
        }
    }
    let unlearning = titles(&model, "machine-unlearning");
    assert_eq!(unlearning.len(), 8, "{unlearning:?}");
    let about_forgetting = |t: &&str| t.to_lowercase().contains("unlearning") || t.to_lowercase().contains("forget");
    assert!(unlearning.iter().all(about_forgetting), "{unlearning:?}");
    for (slug, words) in [
        ("machine-unlearning", CANONICAL_CLUSTERS[0].1),
        ("mixture-of-experts", CANONICAL_CLUSTERS[1].1),
        ("in-context-learning", CANONICAL_CLUSTERS[2].1),
    ] {
        let members = titles(&model, slug);
        for i in titled(&model, words) {
            assert!(
                members.contains(&model.papers[i].title.as_str()),
                "`{}` is not in `{slug}`",
                model.papers[i].title
            );
        }
    }
}

#[test]
fn without_a_taxonomy_automatic_topics_keep_the_canonical_clusters() {
    let config = Config { topics: Vec::new(), ..example_config() };
    let model = model_of(&repo_root(), config);
    for (word, words) in CANONICAL_CLUSTERS {
        let members = titled(&model, words);
        assert!(members.len() >= 3, "the canonical day has several `{word}` papers");
        let topic = model
            .topics
            .topics
            .iter()
            .find(|t| members.iter().all(|m| t.papers.contains(m)))
            .unwrap_or_else(|| panic!("no topic holds every `{word}` paper"));
        assert_eq!(topic.kind, TopicKind::Auto);
        assert!(topic.name.to_lowercase().contains(word), "`{}` for `{word}`", topic.name);
    }
    for topic in &model.topics.topics {
        assert!(topic.papers.len() * 10 <= model.papers.len() * 2, "`{}` is too broad", topic.name);
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

/// A site of every twelfth day of a real archive (`tests/fixtures/real-days`).
fn real_days() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let digests = dir.path().join("content/digests");
    std::fs::create_dir_all(&digests).unwrap();
    for entry in std::fs::read_dir(repo_root().join("tests/fixtures/real-days")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            std::fs::copy(&path, digests.join(path.file_name().unwrap())).unwrap();
        }
    }
    dir
}

#[test]
fn default_taxonomy_meets_its_targets_on_a_year_of_real_days() {
    let dir = real_days();
    let model = model_of(dir.path(), example_config());
    let n = model.papers.len();
    assert!(n > 300, "{n} papers");
    let q = Quality::of(&model.topics, n);
    assert!(q.percent(q.with_topic) >= 97.0, "{:.1}% of papers have a topic", q.percent(q.with_topic));
    let (leaf, size) = q.largest_leaf.unwrap();
    assert!(q.percent(size) <= 10.0, "`{}` holds {:.1}%", model.topics.topics[leaf].name, q.percent(size));
    assert!(q.percent(q.with_specific_topic) >= 90.0, "{:.1}%", q.percent(q.with_specific_topic));
    let topics_per_paper = model.topics.of_paper.iter().map(Vec::len).max().unwrap();
    assert!(topics_per_paper <= 8, "a paper with {topics_per_paper} topics");
}

#[test]
fn rule_topics_keep_their_pages_and_papers_as_days_are_added() {
    for neighbours in [false, true] {
        let dir = real_days();
        let config = || {
            let mut config = example_config();
            config.taxonomy.neighbours = neighbours;
            config
        };
        let full = model_of(dir.path(), config());
        let digests = dir.path().join("content/digests");
        let mut files: Vec<_> = std::fs::read_dir(&digests).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        for file in &files[files.len() / 2..] {
            std::fs::remove_file(file).unwrap();
        }
        let half = model_of(dir.path(), config());
        assert!(half.papers.len() * 3 < full.papers.len() * 2);
        for topic in half.topics.topics.iter().filter(|t| t.kind == TopicKind::Rule) {
            let later = full.topics.topics.iter().find(|t| t.slug == topic.slug);
            let later = later.unwrap_or_else(|| panic!("`{}` lost its page when days were added", topic.slug));
            let ids: Vec<&str> = later.papers.iter().map(|&p| full.papers[p].id.as_str()).collect();
            for &p in &topic.papers {
                let id = half.papers[p].id.as_str();
                // Only a topic the paper's neighbours gave it (or one of that
                // topic's ancestors) may go: new papers can be its neighbours.
                let from_neighbours = half.topics.from_neighbours[p].as_ref().is_some_and(|n| {
                    let given = config().topics[n.rule].slug();
                    let at = half.topics.topics.iter().position(|t| t.slug == given);
                    std::iter::successors(at, |&t| half.topics.topics[t].parent)
                        .any(|t| half.topics.topics[t].slug == topic.slug)
                });
                assert!(
                    ids.contains(&id) || (neighbours && from_neighbours),
                    "`{id}` left `{}` when days were added (neighbours = {neighbours})",
                    topic.slug
                );
            }
        }
    }
}

#[test]
fn topics_explain_shows_why_a_paper_has_its_topics() {
    let site = tree_site();
    let output = paperpress(site.path(), &["topics", "--explain", "2508.00001"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with("Sparse Mixture of Experts at Scale\n"), "{text}");
    assert!(text.contains("topics: Mixture of experts"), "{text}");
    let row = text.lines().find(|l| l.ends_with("  Mixture of experts")).expect(&text);
    assert!(row.contains("title/lead"), "a title match is where the paper says what it is about: {row}");
    let missing = paperpress(site.path(), &["topics", "--explain", "no-such-paper"]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no paper has the id `no-such-paper`"));
}

#[test]
fn topics_explain_says_when_a_topic_named_up_front_takes_its_parents_place() {
    let site = tempfile::tempdir().unwrap();
    let rules = "[[topics]]\nname = \"Computer vision\"\nkeywords = [\"image\"]\n\n\
                 [[topics]]\nname = \"3D vision\"\nparent = \"Computer vision\"\nkeywords = [\"3d\"]\n\n\
                 [[topics]]\nname = \"3D generation\"\nparent = \"3D vision\"\nkeywords = [\"text-to-3d\"]\n";
    std::fs::write(site.path().join("site.toml"), format!("title = \"Named\"\n\n{rules}")).unwrap();
    std::fs::create_dir_all(site.path().join("content/digests")).unwrap();
    // The child is named once, in the first sentence (below the minimum
    // score); the parent in the title.
    let day = "Daily Papers\n\nAug 5\n\n\
               Fast 3D Meshes in Seconds\nhttps://arxiv.org/abs/2508.00021\n\n\
               We study text-to-3D synthesis. Our 3D meshes come from one network pass.\n";
    std::fs::write(site.path().join("content/digests/2025-08-05.txt"), day).unwrap();
    let output = paperpress(site.path(), &["topics", "--explain", "2508.00021"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("topics: 3D generation\n"), "{text}");
    let row = |name: &str| text.lines().find(|l| l.contains(&format!("  {name}"))).expect(&text).to_string();
    assert!(row("3D generation").ends_with("(named up front: in the place of 3D vision)"), "{text}");
    assert!(row("3D vision").ends_with("(gives its place to 3D generation, named up front)"), "{text}");
}

#[test]
fn topics_explain_says_a_paper_counts_in_a_parent_through_its_narrower_topic() {
    let site = tempfile::tempdir().unwrap();
    let rules = "[[topics]]\nname = \"Computer vision\"\nkeywords = [\"image\", \"images\"]\n\n\
                 [[topics]]\nname = \"3D vision\"\nparent = \"Computer vision\"\nkeywords = [\"3d\"]\n";
    std::fs::write(site.path().join("site.toml"), format!("title = \"Counted\"\n\n{rules}")).unwrap();
    std::fs::create_dir_all(site.path().join("content/digests")).unwrap();
    // Both rules pass; the paper lands in the narrower one.
    let day = "Daily Papers\n\nAug 5\n\n\
               3D Meshes from One Image\nhttps://arxiv.org/abs/2508.00031\n\n\
               We turn images into 3D meshes. The image gives the 3D shape.\n";
    std::fs::write(site.path().join("content/digests/2025-08-05.txt"), day).unwrap();
    let output = paperpress(site.path(), &["topics", "--explain", "2508.00031"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("topics: 3D vision\n"), "{text}");
    let row = text.lines().find(|l| l.contains("  Computer vision")).expect(&text);
    assert!(row.ends_with("Computer vision  (counts through 3D vision, the narrower topic it has)"), "{text}");
}

#[test]
fn topics_explain_names_the_phrases_that_scored_and_where() {
    let site = tempfile::tempdir().unwrap();
    let rules = "[[topics]]\nname = \"Fine-tuning\"\nkeywords = [\"fine-tuning\", \"adapters\"]\n\n\
                 [[topics]]\nname = \"Tables\"\nkeywords = [\"table\", \"tables\"]\n";
    std::fs::write(site.path().join("site.toml"), format!("title = \"Found\"\n\n{rules}")).unwrap();
    std::fs::create_dir_all(site.path().join("content/digests")).unwrap();
    // "without fine-tuning" is negated and scores nothing; the owner sees
    // that "Table" in the title is what gave the paper a topic.
    let day = "Daily Papers\n\nAug 5\n\n\
               Table Lookup for Fast Adapters\nhttps://arxiv.org/abs/2508.00032\n\n\
               We speed up adapters on phones. It works without fine-tuning, and the lookup\ntables stay small.\n";
    std::fs::write(site.path().join("content/digests/2025-08-05.txt"), day).unwrap();
    let output = paperpress(site.path(), &["topics", "--explain", "2508.00032"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8(output.stdout).unwrap();
    let found_under = |name: &str| {
        let mut lines = text.lines().skip_while(|l| !l.get(22..).is_some_and(|rule| rule.starts_with(name)));
        lines.next().expect(&text);
        lines.next().expect(&text).trim_start().to_string()
    };
    assert_eq!(found_under("Tables"), "found: \"Table\" (title), \"tables\" (abstract)", "{text}");
    assert_eq!(found_under("Fine-tuning"), "found: \"Adapters\" (title), \"adapters\" (first sentence)", "{text}");
}

fn method_site(taxonomy: &str) -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    let rules = "[[topics]]\nname = \"Autonomous driving\"\nkeywords = [\"driving\"]\n\n\
                 [[topics]]\nname = \"Preference optimization\"\nmethod = true\nkeywords = [\"dpo\", \"preference\"]\n";
    std::fs::write(site.path().join("site.toml"), format!("title = \"Methods\"\n\n[taxonomy]\n{taxonomy}\n{rules}"))
        .unwrap();
    std::fs::create_dir_all(site.path().join("content/digests")).unwrap();
    let day = "Daily Papers\n\nAug 5\n\n\
               Safer Autonomous Driving\nhttps://arxiv.org/abs/2508.00011\n\n\
               We use DPO for it. DPO and preference data help.\n\n\
               Stable DPO\nhttps://arxiv.org/abs/2508.00012\n\n\
               We make direct preference optimization stable.\n";
    std::fs::write(site.path().join("content/digests/2025-08-05.txt"), day).unwrap();
    site
}

fn papers_of(site: &Path) -> Vec<(String, Vec<String>)> {
    let output = paperpress(site, &["topics", "--json"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut topics: Vec<(String, Vec<String>)> = json["topics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["kind"] == "rule")
        .map(|t| {
            let papers = t["papers"].as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_string()).collect();
            (t["name"].as_str().unwrap().to_string(), papers)
        })
        .collect();
    topics.sort();
    topics
}

#[test]
fn a_method_topic_gives_way_to_the_subject_a_paper_uses_it_for() {
    let site = method_site("");
    assert_eq!(
        papers_of(site.path()),
        [
            ("Autonomous driving".to_string(), vec!["2508.00011".to_string()]),
            ("Preference optimization".to_string(), vec!["2508.00012".to_string()]),
        ],
        "the driving paper that uses DPO, not named in its title, is about driving; the DPO paper is about DPO"
    );
    let even = method_site("method_share = 100\n");
    let topics = papers_of(even.path());
    assert_eq!(topics[1].1, ["2508.00011", "2508.00012"], "with method_share = 100 a method is an equal: {topics:?}");
    let bad = method_site("method_share = \"most\"\n");
    let output = paperpress(bad.path(), &["topics"]);
    assert!(!output.status.success());
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(error.contains("site.toml` line 4") && error.contains("expected a whole number"), "{error}");
}

/// Seven papers on peptides whose titles say *Biology and chemistry*, ten
/// on speech, and paper 2508.00040 on peptide generation filed under
/// *Diffusion* by its title; `mention` is what its abstract adds.
fn neighbour_site(taxonomy: &str, mention: &str) -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    let rules = "[[topics]]\nname = \"Biology and chemistry\"\nkeywords = [\"protein\", \"molecule\"]\n\n\
                 [[topics]]\nname = \"Diffusion\"\nkeywords = [\"diffusion\"]\n\n\
                 [[topics]]\nname = \"Speech\"\nkeywords = [\"speech\"]\n";
    std::fs::write(site.path().join("site.toml"), format!("title = \"Near\"\n\n[taxonomy]\n{taxonomy}\n{rules}"))
        .unwrap();
    std::fs::create_dir_all(site.path().join("content/digests")).unwrap();
    let mut day = String::from("Daily Papers\n\nAug 5\n\n");
    for i in 0..7 {
        day.push_str(&format!(
            "Protein binders number{i}\nhttps://arxiv.org/abs/2508.000{:02}\n\n\
             We design therapeutic peptide binders with high binding affinity. Peptide \
             sequences are scored by affinity and solubility, variant{i}.\n\n",
            i + 41
        ));
    }
    for i in 0..10 {
        day.push_str(&format!(
            "Speech recognition study{i}\nhttps://arxiv.org/abs/2508.000{:02}\n\n\
             We transcribe spoken audio with acoustic models, corpus{i}. Accents and noise matter.\n\n",
            i + 50
        ));
    }
    day.push_str(&format!(
        "Discrete diffusion for peptide design\nhttps://arxiv.org/abs/2508.00040\n\n\
         We generate therapeutic peptide sequences with high binding affinity. The peptide \
         binders keep their solubility{mention}.\n"
    ));
    std::fs::write(site.path().join("content/digests/2025-08-05.txt"), day).unwrap();
    site
}

fn topics_of_paper(site: &Path, id: &str) -> Vec<String> {
    papers_of(site).into_iter().filter(|(_, papers)| papers.iter().any(|p| p == id)).map(|(name, _)| name).collect()
}

#[test]
fn a_paper_gets_a_topic_its_own_words_say_weakly_when_most_of_its_neighbours_have_it() {
    let site = neighbour_site("", ", as a protein would");
    assert_eq!(
        topics_of_paper(site.path(), "2508.00040"),
        ["Biology and chemistry", "Diffusion"],
        "one mention of its own, and all seven similar papers say it in their titles"
    );
    let output = paperpress(site.path(), &["topics", "--explain", "2508.00040"]);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains(
            "from its neighbours: Biology and chemistry (7 of its 7 most similar papers have it in their title \
             or first sentence; its own score 1)"
        ),
        "{text}"
    );
    let row = text.lines().find(|l| l.ends_with("similar papers)")).expect(&text);
    assert!(row.contains("Biology and chemistry  (from its neighbours: 7 of 7 similar papers)"), "{row}");
    assert_eq!(topics_of_paper(site.path(), "2508.00041"), ["Biology and chemistry"], "a neighbour keeps its own");
    assert_eq!(topics_of_paper(site.path(), "2508.00050"), ["Speech"], "the other papers vote for nothing");

    let off = neighbour_site("neighbours = false\n", ", as a protein would");
    assert_eq!(topics_of_paper(off.path(), "2508.00040"), ["Diffusion"], "with neighbours = false, its own only");
}

#[test]
fn neighbours_alone_need_a_large_majority() {
    let site = neighbour_site("", "");
    assert_eq!(
        topics_of_paper(site.path(), "2508.00040"),
        ["Diffusion"],
        "no word of its own for the topic: seven votes are fewer than the eight it would need"
    );
    let output = paperpress(site.path(), &["topics", "--explain", "2508.00040"]);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(!text.contains("from its neighbours"), "{text}");
}

#[test]
fn topics_counts_remarks_on_read_records_and_names_records_left_out() {
    let site = tempfile::tempdir().unwrap();
    std::fs::write(site.path().join("site.toml"), "title = \"Remarks\"\n").unwrap();
    let digests = site.path().join("content/digests");
    std::fs::create_dir_all(&digests).unwrap();
    // A day saved as Python literals is read, with a remark on every run;
    // a record without a title is left out, which changes the topics.
    let python = "[\"{'paper': {'id': '2510.19779', 'title': 'Sparse Mixture of Experts', 'summary': 'Experts route tokens.', 'submittedOnDailyAt': '2025-10-24T00:00:00Z'}}\"]";
    std::fs::write(digests.join("2025-10-24.json"), python).unwrap();
    let json = r#"[{"paper": {"id": "2510.19780", "title": "", "summary": "No title.", "submittedOnDailyAt": "2025-10-25T00:00:00Z"}}]"#;
    std::fs::write(digests.join("2025-10-25.json"), json).unwrap();
    let output = paperpress(site.path(), &["topics"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(!stderr.contains("Python literals"), "{stderr}");
    assert!(stderr.contains("note: 1 warning in 1 file; `paperpress check` lists them"), "{stderr}");
    assert!(stderr.contains("2025-10-25.json` line 1"), "the record left out is named: {stderr}");
    let check =
        Command::new(env!("CARGO_BIN_EXE_paperpress")).arg("check").arg("--root").arg(site.path()).output().unwrap();
    assert!(String::from_utf8_lossy(&check.stderr).contains("Python literals"), "check still lists the remark");
}
