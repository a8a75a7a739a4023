//! What reaches readers beyond the pages: feeds, sitemap, robots.txt,
//! CNAME, canonical links and a 404 page that works under a sub-path.

use std::path::Path;

use paperpress::BuildOptions;
use paperpress::config::Site;

use crate::support::{fixture, page, texts, try_build};

const BASE: &str = "https://user.github.io/digest/";

fn build_with_base(root: &Path) -> paperpress::BuildReport {
    let site = Site::load(root).unwrap();
    paperpress::build(&site, &BuildOptions { base_url: Some(BASE.into()), ..Default::default() }).unwrap()
}

fn parse_feed(root: &Path, path: &str) -> feed_rs::model::Feed {
    let bytes = std::fs::read(root.join("public").join(path)).unwrap();
    feed_rs::parser::parse(&bytes[..]).unwrap_or_else(|e| panic!("{path} is not a valid feed: {e}"))
}

#[test]
fn site_feed_lists_recent_papers_with_absolute_links_and_stable_ids() {
    let site = fixture("site");
    build_with_base(site.path());
    let feed = parse_feed(site.path(), "atom.xml");
    assert_eq!(feed.title.unwrap().content, "Fixture digest");
    assert_eq!(feed.entries.len(), 5);
    let first = &feed.entries[0];
    assert_eq!(
        first.title.as_ref().unwrap().content,
        "Machine Unlearning for Diffusion Models: A Survey of ϵ-Forgetting"
    );
    assert_eq!(
        first.links[0].href,
        format!("{BASE}papers/machine-unlearning-for-diffusion-models-a-survey-of-epsilon-forgetting.html")
    );
    let sparse = feed
        .entries
        .iter()
        .find(|e| e.title.as_ref().unwrap().content == "Sparse Mixture of Experts at Scale")
        .unwrap();
    assert_eq!(sparse.id, "https://arxiv.org/abs/2508.00001", "an arXiv paper is identified by its arXiv id");
    assert_eq!(sparse.updated.unwrap().to_rfc3339(), "2025-08-05T00:00:00+00:00", "updated comes from the data");
    let summary = &first.summary.as_ref().unwrap().content;
    assert!(summary.contains("&lt;script&gt;alert"), "the abstract's script stays text in the feed: {summary}");
    assert!(!summary.contains("<script"), "{summary}");
    assert_eq!(feed.updated.unwrap().to_rfc3339(), "2025-08-05T00:00:00+00:00");
}

#[test]
fn every_topic_has_a_feed() {
    let site = fixture("site");
    build_with_base(site.path());
    let feed = parse_feed(site.path(), "topics/machine-unlearning.xml");
    assert_eq!(feed.title.unwrap().content, "Machine unlearning · Fixture digest");
    assert_eq!(feed.entries.len(), 1);
    assert!(feed.entries[0].categories.iter().any(|c| c.term == "Machine unlearning"));
    let topic_page = page(site.path(), "topics/machine-unlearning.html");
    assert!(topic_page.contains("href=\"../topics/machine-unlearning.xml\""), "the topic page links its feed");
}

#[test]
fn topic_feeds_carry_the_start_of_an_abstract_and_the_site_feed_all_of_it() {
    let site = fixture("site");
    build_with_base(site.path());
    let summary = |path: &str| {
        let feed = parse_feed(site.path(), path);
        let entry = feed.entries.iter().find(|e| e.title.as_ref().unwrap().content.starts_with("Machine Unlearning"));
        entry.unwrap().summary.as_ref().unwrap().content.clone()
    };
    let whole = summary("atom.xml");
    let start = summary("topics/machine-unlearning.xml");
    assert!(whole.contains("Project page"), "{whole}");
    assert!(start.starts_with("<p>We survey machine unlearning for diffusion models"), "{start}");
    assert!(start.trim_end().ends_with("…</p>") && !start.contains("Project page"), "{start}");
    let text = start.trim_end().trim_start_matches("<p>").trim_end_matches("…</p>");
    // About 300 characters of text (escapes make the HTML longer).
    assert!((250..400).contains(&text.chars().count()) && text.len() < whole.len() / 2 + 200, "{start}");
    assert!(whole.contains(text), "the start of the same abstract: {start}");
}

#[test]
fn sitemap_lists_every_page_and_robots_points_at_it() {
    let site = fixture("site");
    build_with_base(site.path());
    let sitemap = std::fs::read_to_string(site.path().join("public/sitemap.xml")).unwrap();
    for url in [
        "index.html",
        "papers/2508.00001.html",
        "days/2025-08-04.html",
        "topics/index.html",
        "about.html",
        "notes/reading.html",
    ] {
        assert!(sitemap.contains(&format!("<loc>{BASE}{url}</loc>")), "{url} missing from the sitemap");
    }
    assert!(!sitemap.contains("404.html"));
    assert!(sitemap.contains(&format!("<loc>{BASE}papers/2508.00001.html</loc><lastmod>2025-08-05</lastmod>")));
    let robots = std::fs::read_to_string(site.path().join("public/robots.txt")).unwrap();
    assert_eq!(robots, format!("User-agent: *\nAllow: /\nSitemap: {BASE}sitemap.xml\n"));
    let home = page(site.path(), "index.html");
    assert!(home.contains(&format!("<link rel=\"canonical\" href=\"{BASE}index.html\">")));
}

#[test]
fn without_base_url_feeds_are_skipped_with_a_note() {
    let site = fixture("site");
    let report = try_build(site.path()).unwrap();
    assert_eq!(report.notes.len(), 1);
    assert!(report.notes[0].starts_with("no `base_url` in site.toml: feeds and sitemap skipped"));
    assert!(!site.path().join("public/atom.xml").exists());
    assert!(!site.path().join("public/sitemap.xml").exists());
    assert_eq!(std::fs::read_to_string(site.path().join("public/robots.txt")).unwrap(), "User-agent: *\nAllow: /\n");
}

#[test]
fn not_found_page_links_absolutely_under_a_sub_path() {
    let site = fixture("site");
    std::fs::remove_file(site.path().join("templates/404.html")).unwrap();
    build_with_base(site.path());
    let not_found = page(site.path(), "404.html");
    assert!(not_found.contains(&format!("href=\"{BASE}style.css\"")), "the stylesheet loads at any depth");
    assert!(not_found.contains(&format!("href=\"{BASE}index.html\"")));
    assert_eq!(texts(&not_found, "h1"), ["Page not found"]);
}

#[test]
fn cname_is_written_when_configured() {
    let site = fixture("site");
    let config = site.path().join("site.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, text.replacen("[build]", "[github_pages]\ncname = \"papers.example.org\"\n\n[build]", 1))
        .unwrap();
    build_with_base(site.path());
    assert_eq!(std::fs::read_to_string(site.path().join("public/CNAME")).unwrap(), "papers.example.org\n");
}
