//! `topics.lock`: automatic topic pages stay as days are added, a topic
//! with no paper left points to where its papers went, incremental builds
//! still equal full ones, and a damaged or hostile lock is refused or kept
//! inside the output folder.

use std::path::Path;
use std::process::{Command, Output};

use crate::support::{page, texts, tree};

const SITE: &str = "title = \"Locks\"\nbase_url = \"https://example.org/digest/\"\n\n\
                    [[topics]]\nname = \"3D vision\"\nkeywords = [\"3d\", \"scene reconstruction\"]\n\n\
                    [[topics]]\nname = \"Language models\"\nkeywords = [\"language model\"]\n";

/// A day of the Daily Papers text format: `(id, title, abstract)`.
fn day(label: &str, papers: &[(String, String, String)]) -> String {
    let mut out = format!("Daily Papers\n\n{label}\n\n");
    for (id, title, text) in papers {
        out.push_str(&format!("{title}\nhttps://arxiv.org/abs/{id}\n\n{text}\n\n"));
    }
    out
}

fn splatting(n: u32, what: &str) -> (String, String, String) {
    let text = format!(
        "We render {} with Gaussian splatting at interactive rates. Gaussian splatting needs no network.",
        what.to_lowercase()
    );
    (format!("2508.{n:05}"), format!("Fast Gaussian Splatting of 3D {what}"), text)
}

fn reconstruction(n: u32, what: &str) -> (String, String, String) {
    let text = format!("We reconstruct {} from photographs with a multi-view solver.", what.to_lowercase());
    (format!("2508.{n:05}"), format!("Scene Reconstruction of {what} in 3D"), text)
}

fn language(n: u32, what: &str) -> (String, String, String) {
    let text = format!("We train a language model that writes {}.", what.to_lowercase());
    (format!("2508.{n:05}"), format!("A Language Model for {what}"), text)
}

/// The days of the site, oldest first. On the second, Gaussian splatting
/// holds nearly all of 3D vision, and mining alone drops it as a topic
/// that only repeats its parent.
fn days() -> Vec<(&'static str, String)> {
    vec![
        (
            "2025-08-04.txt",
            day(
                "Aug 4",
                &[
                    splatting(1, "Rooms"),
                    splatting(2, "Streets"),
                    splatting(3, "Faces"),
                    reconstruction(4, "Bridges"),
                    reconstruction(5, "Statues"),
                    language(6, "Poems"),
                ],
            ),
        ),
        (
            "2025-08-05.txt",
            day(
                "Aug 5",
                &[
                    splatting(11, "Forests"),
                    splatting(12, "Cars"),
                    splatting(13, "Hands"),
                    splatting(14, "Cities"),
                    splatting(15, "Clouds"),
                    language(16, "Recipes"),
                ],
            ),
        ),
        ("2025-08-06.txt", day("Aug 6", &[language(21, "Letters"), reconstruction(22, "Caves")])),
    ]
}

fn paperpress(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_paperpress")).args(args).arg("--root").arg(root).output().unwrap()
}

fn ok(root: &Path, args: &[&str]) -> String {
    let out = paperpress(root, args);
    assert!(out.status.success(), "paperpress {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Slugs of the automatic topics `paperpress topics --json` lists.
fn automatic(root: &Path) -> Vec<String> {
    let json: serde_json::Value = serde_json::from_str(&ok(root, &["topics", "--json"])).unwrap();
    let topics = json["topics"].as_array().unwrap();
    topics.iter().filter(|t| t["kind"] == "automatic").map(|t| t["slug"].as_str().unwrap().to_string()).collect()
}

/// A topic page that only points elsewhere: where to.
fn points_to(root: &Path, slug: &str) -> Option<String> {
    let html = std::fs::read_to_string(root.join("public/topics").join(format!("{slug}.html"))).ok()?;
    let refresh = html.split("http-equiv=\"refresh\" content=\"0; url=").nth(1)?;
    Some(refresh.split('"').next().unwrap().to_string())
}

fn site() -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    std::fs::write(site.path().join("site.toml"), SITE).unwrap();
    std::fs::create_dir_all(site.path().join("content/digests")).unwrap();
    site
}

fn add_day(root: &Path, (file, text): &(&str, String)) {
    std::fs::write(root.join("content/digests").join(file), text).unwrap();
}

#[test]
fn automatic_topic_pages_stay_as_days_are_added_when_locked_after_each() {
    let (locked, unlocked) = (site(), site());
    let mut seen: Vec<String> = Vec::new();
    let mut lost_without_lock = Vec::new();
    for day in days() {
        add_day(locked.path(), &day);
        add_day(unlocked.path(), &day);
        ok(locked.path(), &["topics", "--lock"]);
        ok(locked.path(), &["build"]);
        ok(unlocked.path(), &["build"]);
        if seen.is_empty() {
            let same = tree(&locked.path().join("public")) == tree(&unlocked.path().join("public"));
            assert!(same, "a lock of today's topics changes nothing today");
        }
        for slug in &seen {
            let page = locked.path().join("public/topics").join(format!("{slug}.html"));
            assert!(page.is_file(), "`{slug}` lost its page on {}", day.0);
            if !unlocked.path().join("public/topics").join(format!("{slug}.html")).is_file() {
                lost_without_lock.push(slug.clone());
            }
        }
        if day.0 == "2025-08-05.txt" {
            let report = ok(locked.path(), &["topics"]);
            let held = "kept by the lock (mining alone would not make them today): 1\n    \
                        Gaussian splatting (gaussian-splatting, 8 papers)";
            assert!(report.contains(held), "{report}");
        }
        for slug in automatic(locked.path()) {
            if !seen.contains(&slug) {
                seen.push(slug);
            }
        }
    }
    assert_eq!(seen, ["gaussian-splatting"]);
    assert_eq!(
        lost_without_lock,
        ["gaussian-splatting"],
        "without a lock its page goes on the second day (to come back on the third)"
    );
    // The lock keeps it as a topic, with its name, parent and every paper.
    let topic = page(locked.path(), "topics/gaussian-splatting.html");
    assert_eq!(texts(&topic, ".paper-list h2").len(), 8, "its papers of both days");
    assert!(texts(&page(locked.path(), "topics/index.html"), ".topic-name").contains(&"Gaussian splatting".into()));
    assert!(texts(&page(locked.path(), "topics/3d-vision.html"), "a").iter().any(|t| t.contains("Gaussian splatting")));
    // An incremental build with a lock writes what a full build writes.
    let full = locked.path().join("full");
    ok(locked.path(), &["build", "--full", "--output", full.to_str().unwrap()]);
    assert_eq!(tree(&locked.path().join("public")), tree(&full), "incremental == full");
}

#[test]
fn a_locked_topic_without_papers_points_to_where_they_went() {
    let site = site();
    add_day(site.path(), &days()[0]);
    ok(site.path(), &["topics", "--lock"]);
    ok(site.path(), &["build"]);
    assert_eq!(points_to(site.path(), "gaussian-splatting"), None, "a topic of its own");
    // The owner narrows 3D vision: the splatting papers leave it, and the
    // topic keeps its page, now a top topic, since its papers are still
    // there to hold.
    let narrower = SITE.replace("[\"3d\", \"scene reconstruction\"]", "[\"scene reconstruction\"]");
    std::fs::write(site.path().join("site.toml"), &narrower).unwrap();
    ok(site.path(), &["build"]);
    assert_eq!(texts(&page(site.path(), "topics/gaussian-splatting.html"), ".paper-list h2").len(), 3);
    // A locked topic whose phrases find no paper any more points to its parent.
    let lock = site.path().join("topics.lock");
    let entry = "\n[[topic]]\nslug = \"neural-fields\"\nname = \"Neural fields\"\nparent = \"3d-vision\"\n\
                 phrases = [\"neural field\"]\n";
    std::fs::write(&lock, std::fs::read_to_string(&lock).unwrap() + entry).unwrap();
    ok(site.path(), &["build"]);
    assert_eq!(points_to(site.path(), "neural-fields").as_deref(), Some("3d-vision.html"));
    let moved = page(site.path(), "topics/neural-fields.html");
    assert!(moved.contains("<a href=\"3d-vision.html\">the topic “3D vision”</a>"), "{moved}");
    assert!(!texts(&page(site.path(), "topics/index.html"), ".topic-name").contains(&"Neural fields".into()));
    let sitemap = page(site.path(), "sitemap.xml");
    assert!(!sitemap.contains("neural-fields"), "not in the sitemap");
    assert!(sitemap.contains("topics/3d-vision.html"));
    assert!(!site.path().join("public/topics/neural-fields.xml").exists(), "no feed");
    let report = ok(site.path(), &["topics"]);
    assert!(report.contains("    Neural fields (neural-fields) -> 3D vision"), "{report}");
    // The lock keeps the entry, so the page stays tomorrow too.
    let written = ok(site.path(), &["topics", "--lock"]);
    assert!(written.contains(", 1 retired"), "{written}");
    assert!(std::fs::read_to_string(&lock).unwrap().contains("slug = \"neural-fields\""));
    // The owner removes the rule: the page points to the overview.
    std::fs::write(site.path().join("site.toml"), narrower.replace("name = \"3D vision\"", "name = \"Scenes\""))
        .unwrap();
    ok(site.path(), &["build"]);
    assert_eq!(points_to(site.path(), "neural-fields").as_deref(), Some("index.html"));
    // Made a rule with its slug, a topic is the rule's, and the lock lets
    // the entry go.
    let rule = "\n[[topics]]\nname = \"Splats\"\nslug = \"gaussian-splatting\"\nkeywords = [\"splatting\"]\n";
    std::fs::write(site.path().join("site.toml"), format!("{SITE}{rule}")).unwrap();
    ok(site.path(), &["build"]);
    assert_eq!(points_to(site.path(), "gaussian-splatting"), None);
    assert_eq!(texts(&page(site.path(), "topics/gaussian-splatting.html"), "h1"), ["Splats"]);
    let written = ok(site.path(), &["topics", "--lock"]);
    assert!(written.contains("; 1 let go (now a rule's or a front matter topic's)"), "{written}");
    assert!(!std::fs::read_to_string(&lock).unwrap().contains("gaussian-splatting"));
}

#[test]
fn a_damaged_lock_is_an_error_naming_file_and_line_and_nothing_is_written() {
    let site = site();
    add_day(site.path(), &days()[0]);
    ok(site.path(), &["build"]);
    let before = tree(&site.path().join("public"));
    let lock =
        "[[topic]]\nslug = \"gaussian-splatting\"\nname = \"Gaussian splatting\"\nphrases = [\"gaussian splatting\"\n";
    std::fs::write(site.path().join("topics.lock"), lock).unwrap();
    for args in [&["build"][..], &["topics", "--lock"], &["topics"]] {
        let out = paperpress(site.path(), args);
        assert!(!out.status.success(), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("topics.lock` line 4, column 32: unclosed array"), "{args:?}: {stderr}");
    }
    assert_eq!(std::fs::read_to_string(site.path().join("topics.lock")).unwrap(), lock, "the lock is left as it was");
    assert_eq!(tree(&site.path().join("public")), before, "the site is left as it was");
    std::fs::write(site.path().join("topics.lock"), "[[topic]]\nslug = \"a\"\nname = \"A\"\nphrases = \"a\"\n")
        .unwrap();
    let stderr = String::from_utf8(paperpress(site.path(), &["build"]).stderr).unwrap();
    assert!(stderr.contains("topics.lock` line 4, column 11:"), "{stderr}");
}

#[test]
fn a_hostile_lock_stays_inside_the_output_folder_and_escaped() {
    let site = site();
    add_day(site.path(), &days()[0]);
    let lock = "[[topic]]\nslug = \"../../../escaped\"\nname = \"<script>alert(1)</script>\\u0007\"\n\
                parent = \"../site.toml\"\nphrases = [\"nothing matches this\"]\n";
    std::fs::write(site.path().join("topics.lock"), lock).unwrap();
    ok(site.path(), &["build"]);
    assert!(!site.path().join("escaped.html").exists() && !site.path().parent().unwrap().join("escaped.html").exists());
    let moved = page(site.path(), "topics/escaped.html");
    assert!(moved.contains("<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>"), "{moved}");
    assert!(!moved.contains("<script>") && !moved.contains('\u{7}'));
    assert_eq!(points_to(site.path(), "escaped").as_deref(), Some("index.html"), "its parent is no topic");
}
