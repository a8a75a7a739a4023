//! Issue 12, hostile input and data safety: each attack the issue lists,
//! run end to end (import, build, feeds, the terminal), asserting on what a
//! reader or a site owner would see.

use std::path::{Path, PathBuf};
use std::process::Command;

use paperpress::config::Site;
use paperpress::import::{ImportOptions, ImportReport, import};
use paperpress::{BuildOptions, check};

use crate::support::{broken_links, build, page, try_build};

/// A site with nothing but a `site.toml` that publishes feeds.
fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.toml"), "title = \"Hostile\"\nbase_url = \"https://example.org/\"\n").unwrap();
    dir
}

/// Writes `text` as `content/digests/<name>` of the site.
fn digest(root: &Path, name: &str, text: &str) -> PathBuf {
    let path = root.join("content/digests").join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

fn import_files(root: &Path, files: &[PathBuf]) -> ImportReport {
    let site = Site::load(root).unwrap();
    import(&site, files, &ImportOptions::default()).unwrap()
}

/// One Daily Papers API item.
fn api_item(id: &str, title: &str, summary: &str, extra: &str) -> String {
    format!(
        r#"{{"paper": {{"id": "{id}", "title": {}, "summary": {}, "submittedOnDailyAt": "2025-10-24T02:14:45.526Z"{extra}}}}}"#,
        serde_json::to_string(title).unwrap(),
        serde_json::to_string(summary).unwrap()
    )
}

/// Every file of the built site.
fn outputs(root: &Path) -> Vec<(String, Vec<u8>)> {
    crate::support::tree(&root.join("public"))
}

/// Every `href` and `src` of every HTML page of the build.
fn all_links(root: &Path) -> Vec<String> {
    let selector = scraper::Selector::parse("[href], [src]").unwrap();
    let mut links = Vec::new();
    for (path, bytes) in outputs(root) {
        if path.ends_with(".html") {
            let doc = scraper::Html::parse_document(&String::from_utf8(bytes).unwrap());
            for element in doc.select(&selector) {
                let value = element.value();
                links.extend(value.attr("href").or(value.attr("src")).map(str::to_string));
            }
        }
    }
    links
}

/// Asserts that no output file holds a control character other than white
/// space, and that every feed parses.
fn assert_clean_outputs(root: &Path) {
    for (path, bytes) in outputs(root) {
        let text = String::from_utf8_lossy(&bytes);
        let control = text.chars().find(|&c| c < ' ' && !matches!(c, '\t' | '\n' | '\r'));
        assert_eq!(control, None, "{path} holds a control character");
        if path.ends_with(".xml") && path != "sitemap.xml" {
            feed_rs::parser::parse(&bytes[..]).unwrap_or_else(|e| panic!("{path} is not a feed: {e}"));
        }
    }
}

#[test]
fn issue_12_a_control_byte_before_a_markdown_link_makes_no_live_link_anywhere() {
    let summary = "Code: https://x.example/\u{1}[PDF](javascript:alert(document.domain)) thanks.";
    let site = site();
    let json = format!("[{}]", api_item("2510.19779", "A \u{1}Paper\u{1b}[2J", summary, ""));
    let text = format!(
        "Aug 6\n\nAnother Paper\n\n{summary} This text is long enough to be read as an abstract by the parser.\n"
    );
    let atom = format!(
        r#"<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2510.00001v1</id><title>Third &#x1b;Paper</title><summary>{}</summary><published>2025-10-24T00:00:00Z</published></entry></feed>"#,
        summary.replace('\u{1}', "&#x1;").replace('&', "&amp;").replace("&amp;#x1;", "&#x1;")
    );
    let files = vec![
        digest(site.path(), "2025-10-24.json", &json),
        digest(site.path(), "2025-08-06.txt", &text),
        digest(site.path(), "2025-10-25.xml", &atom),
    ];
    // Built from the digests, and from the pages import writes.
    for round in ["digests", "pages"] {
        if round == "pages" {
            let report = import_files(site.path(), &files);
            assert_eq!(report.new.len(), 3, "{:?}", report.skipped);
            std::fs::remove_dir_all(site.path().join("content/digests")).unwrap();
        }
        build(site.path());
        let links = all_links(site.path());
        assert!(links.iter().any(|l| l == "https://x.example/"), "{round}: the real link stays: {links:?}");
        assert!(!links.iter().any(|l| l.to_ascii_lowercase().contains("javascript")), "{round}: {links:?}");
        let paper = page(site.path(), "papers/2510.19779.html");
        assert!(paper.contains("[PDF](javascript:alert(document.domain))"), "{round}: shown as text");
        assert!(paper.contains("<title>A Paper [2J ·"), "{round}: the title, controls gone");
        assert!(page(site.path(), "index.html").contains("Third Paper"), "{round}");
        assert!(!page(site.path(), "atom.xml").contains("href=\"javascript"), "{round}");
        assert!(!page(site.path(), "atom.xml").contains("&lt;a href=&quot;javascript"), "{round}");
        assert_clean_outputs(site.path());
    }
}

#[test]
fn issue_12_control_bytes_in_titles_keep_every_feed_well_formed() {
    let site = tempfile::tempdir().unwrap();
    std::fs::write(
        site.path().join("site.toml"),
        "base_url = \"https://example.org/\"\n[[topics]]\nname = \"Unlearning\"\nkeywords = [\"unlearning\"]\n",
    )
    .unwrap();
    let items: Vec<String> = (1..=3)
        .map(|i| {
            api_item(
                &format!("2510.1000{i}"),
                &format!("Unlearning \u{0}\u{8}\u{b}\u{c}\u{1f}{i}"),
                "Machine unlearning \u{7f}\u{85}\u{2028} with \u{1b}]0;owned\u{7} controls.",
                r#", "authors": [{"name": "Ann\u0001 Lee"}], "ai_keywords": ["unlearning\u0002"]"#,
            )
        })
        .collect();
    digest(site.path(), "2025-10-24.json", &format!("[{}]", items.join(",")));
    build(site.path());
    assert_clean_outputs(site.path());
    assert!(page(site.path(), "topics/unlearning.xml").contains("<title>Unlearning 1</title>"));
    // The pages paperpress writes hold no control character either.
    let report = import_files(site.path(), &[site.path().join("content/digests/2025-10-24.json")]);
    assert_eq!(report.new.len(), 3);
    for (path, bytes) in crate::support::tree(&site.path().join("content/papers")) {
        assert!(!String::from_utf8(bytes).unwrap().chars().any(|c| c.is_control() && c != '\n'), "{path}");
    }
}

#[test]
fn bidirectional_overrides_never_reach_a_page_or_a_feed() {
    let site = site();
    let item = api_item(
        "2510.10001",
        "Harmless \u{202e}gnp.exe\u{202c} update",
        "An abstract \u{2067}turned\u{2069} around.",
        r#", "authors": [{"name": "Eve\u202e Mallory"}]"#,
    );
    digest(site.path(), "2025-10-24.json", &format!("[{item}]"));
    build(site.path());
    let bidi = |c: char| matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    for (path, bytes) in outputs(site.path()) {
        if let Ok(text) = String::from_utf8(bytes) {
            assert!(!text.chars().any(bidi), "{path} holds a bidirectional control");
        }
    }
    let paper = page(site.path(), "papers/2510.10001.html");
    assert!(paper.contains("Harmless gnp.exe update"), "the title reads as stored");
    assert!(paper.contains("Eve Mallory"));
}

#[test]
fn issue_12_ids_and_urls_print_escaped_on_the_terminal() {
    let site = site();
    let json = format!(
        "[{}, {}]",
        api_item("2510.19779", "A paper", "Text.", r#", "githubRepo": "\u001b]0;pwned\u0007\u001b[2J""#),
        api_item("\\u001b[31m../x", "Another", "Text.", "")
    );
    let file = digest(site.path(), "2025-10-24.json", &json);
    let out = Command::new(env!("CARGO_BIN_EXE_paperpress"))
        .args(["import", "--root"])
        .arg(site.path())
        .arg(&file)
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stderr.contains('\u{1b}') && !stderr.contains('\u{7}'), "{stderr:?}");
    assert!(stderr.contains("\\u{1b}]0;pwned\\u{7}\\u{1b}[2J"), "shown, not run: {stderr}");
    assert!(stderr.contains("`\\u{1b}[31m../x` is not an arXiv id"), "{stderr}");
    assert!(!String::from_utf8(out.stdout).unwrap().contains('\u{1b}'));
}

#[test]
fn issue_12_links_with_bidi_overrides_or_user_at_host_are_refused() {
    let site = site();
    let json = format!(
        "[{}]",
        api_item(
            "2510.19779",
            "A paper",
            "See https://github.com@evil.example/x and https://evil.example/\u{202e}fdp.exe here.",
            r#", "githubRepo": "https://github.com\u202e/a/b", "projectPage": "https://user:pw@evil.example/""#,
        )
    );
    let file = digest(site.path(), "2025-10-24.json", &json);
    let report = import_files(site.path(), &[file]);
    let warnings: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings.iter().all(|w| w.contains("is not a web link and was left out")), "{warnings:?}");
    build(site.path());
    let links = all_links(site.path());
    assert!(!links.iter().any(|l| l.contains('@') || l.contains('\u{202e}')), "{links:?}");
    assert!(links.iter().any(|l| l == "https://evil.example/"), "the URL up to the override is a link: {links:?}");
}

#[test]
fn issue_12_math_sizes_are_clamped_on_the_page() {
    let site = site();
    let json = format!(
        "[{}]",
        api_item("2510.19779", "Wide $\\hspace{1000000em}$ title", "Wide $\\kern-1000000em x$ text.", "")
    );
    digest(site.path(), "2025-10-24.json", &json);
    build(site.path());
    let spaces = regex::Regex::new(r"<mspace[^>]*>").unwrap();
    for path in ["papers/2510.19779.html", "index.html"] {
        let html = page(site.path(), path);
        let tags: Vec<&str> = spaces.find_iter(&html).map(|m| m.as_str()).collect();
        assert!(!tags.is_empty(), "{path}: still math");
        assert!(tags.iter().all(|t| !t.contains("1000000") && t.contains("20em")), "{path}: {tags:?}");
    }
}

#[test]
fn issue_12_dates_outside_four_digit_years_are_record_errors_not_panics() {
    let site = site();
    let json = format!(
        "[{}, {}, {}]",
        api_item("2510.00001", "Negative year", "Text.", "")
            .replace("2025-10-24T02:14:45.526Z", "-000001-01-01T00:00:00Z"),
        api_item("2510.00002", "Published long ago", "Text.", r#", "publishedAt": "0999-01-01T00:00:00Z""#),
        api_item("2510.00003", "A good paper", "Text.", "")
    );
    let atom = r#"<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2510.00004v1</id><title>Old</title><published>-000001-01-01T00:00:00Z</published></entry><entry><id>http://arxiv.org/abs/2510.00005v1</id><title>Fine</title><published>2025-10-24T00:00:00Z</published></entry></feed>"#;
    let files = vec![digest(site.path(), "2025-10-24.json", &json), digest(site.path(), "feed.xml", atom)];
    let out = Command::new(env!("CARGO_BIN_EXE_paperpress"))
        .args(["import", "--root"])
        .arg(site.path())
        .args(&files)
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains("`submittedOnDailyAt` is `-000001-01-01T00:00:00Z`"), "{stderr}");
    assert!(stderr.contains("`publishedAt` is `0999-01-01T00:00:00Z`, outside the years 1000 to 9999"), "{stderr}");
    assert!(stderr.contains("`published` is `-000001-01-01T00:00:00Z`, outside the years 1000 to 9999"), "{stderr}");
    assert!(
        stdout.contains(
            "imported 2 files: 2 new, 0 updated, 0 unchanged, 0 hand-written kept, 0 conflicts; 3 records skipped"
        ),
        "{stdout}"
    );
    build(site.path());

    let out = Command::new(env!("CARGO_BIN_EXE_paperpress"))
        .args(["import", "--date=-000001-08-06", "--root"])
        .arg(site.path())
        .arg(&files[0])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "a usage error: {stderr}");
    assert!(stderr.contains("`-000001-08-06` is outside the years 1000 to 9999"), "{stderr}");

    let papers = site.path().join("content/papers");
    std::fs::write(papers.join("hand.md"), "+++\ntitle = \"Mine\"\ndate = \"-000001-08-06\"\n+++\n").unwrap();
    // The page is reported and left out; the rest of the site builds.
    let report = try_build(site.path()).unwrap();
    let problems: Vec<String> = report.skipped.iter().map(|e| e.to_string()).collect();
    assert!(
        problems
            .iter()
            .any(|p| p.contains("hand.md` line 3: `date` must be a date like 2025-08-06, in the years 1000 to 9999")),
        "{problems:?}"
    );
}

#[test]
fn issue_12_a_megabyte_title_or_author_is_a_skipped_record_not_a_page_on_every_listing() {
    // A title of 100 KB was repeated in the page's title, headings, meta
    // tags, BibTeX, feeds, listings and search index: 600 KB for one paper.
    let site = site();
    let huge = "Attention ".repeat(10_000);
    let json = format!(
        "[{},\n{},\n{}]",
        api_item("2510.00001", &huge, "Text.", ""),
        api_item(
            "2510.00002",
            "A long author",
            "Text.",
            &format!(r#", "authors": [{{"name": "{}"}}]"#, "b".repeat(500))
        ),
        api_item("2510.00003", "A good paper", "Text.", "")
    );
    digest(site.path(), "2025-10-24.json", &json);
    let report = build(site.path());
    let problems: Vec<String> = report.data_skipped.iter().map(|e| e.to_string()).collect();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].contains("2025-10-24.json` line 1, column 2: the paper \"Attention Attention"), "{problems:?}");
    assert!(problems[0].ends_with(
        "its title is 99999 characters long, and a title has at most 2000 (is an abstract in the title field?)"
    ));
    assert!(
        problems[1]
            .contains("line 2, column 1: the paper \"A long author\" was skipped: its author 1 is 500 characters long")
    );
    assert!(page(site.path(), "papers/2510.00003.html").contains("A good paper"));
    let largest = outputs(site.path()).into_iter().map(|(_, bytes)| bytes.len()).max().unwrap();
    assert!(largest < 50_000, "the largest output is {largest} bytes");
}

#[test]
fn issue_12_import_never_writes_a_page_that_build_rejects() {
    let site = site();
    let long = "This abstract is long enough to be taken for one: it goes on for a while, with words, and ends.";
    let text = format!("Aug 6\n\n\\,\n\n{long}\n\nA Real Paper\n\n{long}\n");
    let file = digest(site.path(), "2025-08-06.txt", &text);
    let report = import_files(site.path(), std::slice::from_ref(&file));
    assert_eq!(report.new.len(), 1);
    assert_eq!(report.skipped.len(), 1);
    let skipped = report.skipped[0].to_string();
    assert!(skipped.starts_with("`") && skipped.contains("2025-08-06.txt` line 3: the paper"), "{skipped}");
    assert!(skipped.contains("shows no text"), "{skipped}");
    build(site.path());
    let again = import_files(site.path(), &[file]);
    assert_eq!((again.unchanged, again.skipped.len()), (1, 1), "the bad record is reported again, not `unchanged`");

    // A file name with a line break and `+++` stays one line of front matter.
    let name = "2025-08-07 x\n+++\ntitle = \"pwned\"\n.txt";
    let odd = digest(site.path(), name, &format!("Aug 7\n\nPaper From An Odd File\n\n{long}\n"));
    let report = import_files(site.path(), &[odd]);
    assert_eq!(report.new.len(), 1, "{:?}", report.skipped);
    let written = std::fs::read_to_string(&report.new[0]).unwrap();
    assert!(written.contains("source = '2025-08-07 x +++ title = \"pwned\" .txt'\n"), "{written}");
    build(site.path());
    assert!(page(site.path(), "papers/paper-from-an-odd-file.html").contains("Paper From An Odd File"));
}

#[test]
fn issue_12_titles_sharing_a_slug_get_their_own_pages() {
    let site = site();
    let abstract_of =
        |what: &str| format!("The abstract of {what}, which is long enough to be read as an abstract and ends.");
    digest(site.path(), "2025-08-05.txt", &format!("Aug 5\n\nC++ Tricks for Speed\n\n{}\n", abstract_of("A")));
    digest(site.path(), "2025-08-06.txt", &format!("Aug 6\n\nC# Tricks for Speed\n\n{}\n", abstract_of("B")));
    let stem = "A Very Long Title About Large Language Models That Goes On And On About One Thing";
    digest(
        site.path(),
        "2025-08-07.txt",
        &format!("Aug 7\n\n{stem}: Part One\n\n{}\n\n{stem}: Part Two\n\n{}\n", abstract_of("C"), abstract_of("D")),
    );
    for round in ["digests", "pages"] {
        if round == "pages" {
            let files: Vec<PathBuf> = ["2025-08-06.txt", "2025-08-05.txt", "2025-08-07.txt"]
                .iter()
                .map(|n| site.path().join("content/digests").join(n))
                .collect();
            let report = import_files(site.path(), &files);
            assert_eq!(report.new.len(), 4, "{round}: {:?}", report.new);
        }
        let report = build(site.path());
        assert_eq!(report.papers, 4, "{round}");
        let pages: Vec<String> = outputs(site.path())
            .into_iter()
            .filter(|(p, _)| p.starts_with("papers/"))
            .map(|(_, b)| String::from_utf8(b).unwrap())
            .collect();
        for (title, what) in [
            ("C++ Tricks for Speed", "A"),
            ("C# Tricks for Speed", "B"),
            (&format!("{stem}: Part One"), "C"),
            (&format!("{stem}: Part Two"), "D"),
        ] {
            let with_title: Vec<&String> = pages.iter().filter(|p| p.contains(&format!("<title>{title} ·"))).collect();
            assert_eq!(with_title.len(), 1, "{round}: {title}");
            assert!(
                with_title[0].contains(&format!("The abstract of {what},")),
                "{round}: {title} has its own abstract"
            );
        }
        assert!(broken_links(&site.path().join("public")).1.is_empty());
    }
}

#[test]
fn issue_12_no_two_outputs_claim_one_path() {
    let site = crate::support::fixture("site");
    std::fs::write(
        site.path().join("content/papers/index-topic.md"),
        "+++\ntitle = \"A paper filed under Index\"\ndate = 2025-08-05\ntopics = [\"Index\"]\n+++\n\nText.\n",
    )
    .unwrap();
    match try_build(site.path()) {
        Err(e) => {
            let message = format!("{e:#}");
            assert!(message.contains("would both be written to `topics/index.html`"), "{message}");
            assert!(!site.path().join("public").exists(), "a failed build writes nothing");
        }
        Ok(_) => {
            let overview = page(site.path(), "topics/index.html");
            assert!(overview.contains("Machine unlearning"), "topics/index.html is still the overview");
        }
    }
}

#[test]
fn issue_12_a_build_removes_what_killed_builds_left() {
    let site = crate::support::fixture("site");
    for stale in [".public.building-Ab12Cd/papers", ".public.old-Xy34Zw/site/days"] {
        let dir = site.path().join(stale);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("x.html"), "left by a killed build").unwrap();
    }
    std::fs::create_dir_all(site.path().join(".publication-notes")).unwrap();
    build(site.path());
    let names: Vec<String> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.starts_with(".public.")), "{names:?}");
    assert!(names.iter().any(|n| n == ".publication-notes"), "other folders stay: {names:?}");
}

#[test]
fn issue_12_init_ignores_build_leftovers_and_writes_with_the_umask() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("digest");
    let written = paperpress::init::init(&root, &Default::default()).unwrap();
    let gitignore = std::fs::read_to_string(root.join(".gitignore")).unwrap();
    for line in ["/public/", "/.public.building-*/", "/.public.old-*/"] {
        assert!(gitignore.lines().any(|l| l == line), "{gitignore}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::write(dir.path().join("plain"), "x").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let expected = mode(&dir.path().join("plain"));
        for path in &written {
            assert_eq!(mode(path), expected, "{}", path.display());
        }
        let report = import_files(&root, &[root.join("content/digests/2025-08-06.txt")]);
        assert_eq!(mode(&report.new[0]), expected);
    }
}

#[cfg(unix)]
#[test]
fn issue_12_a_static_folder_linked_out_of_the_site_is_not_published_unless_asked() {
    let site = crate::support::fixture("site");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("id_rsa"), "secret").unwrap();
    std::os::unix::fs::symlink(outside.path(), site.path().join("static")).unwrap();
    let err = format!("{:#}", try_build(site.path()).unwrap_err());
    assert!(err.contains("is a symlink to") && err.contains("static_outside_site = true"), "{err}");
    let toml = std::fs::read_to_string(site.path().join("site.toml")).unwrap();
    let toml = toml.replacen("[build]\n", "[build]\nstatic_outside_site = true\n", 1);
    std::fs::write(site.path().join("site.toml"), toml).unwrap();
    build(site.path());
    assert_eq!(page(site.path(), "id_rsa"), "secret", "published when the owner says so");
}

#[test]
fn issue_12_check_reports_unsafe_links_in_pages() {
    let site = crate::support::fixture("site");
    let papers = site.path().join("content/papers");
    std::fs::write(
        papers.join("old-import.md"),
        "+++\ntitle = \"Written by an old import\"\ndate = 2025-08-05\ncode = [\"javascript:alert(1)\"]\n+++\n\nSee [this](javascript:alert(2)) and <https://ok.example/>.\n",
    )
    .unwrap();
    let report = check(&Site::load(site.path()).unwrap(), &BuildOptions::default()).unwrap();
    assert!(report.unsafe_output.is_empty(), "{:?}", report.unsafe_output);
    build(site.path());
    let html = page(site.path(), "papers/old-import.html");
    assert!(!html.contains("javascript:"), "neither the link field nor the Markdown link is published");
    assert!(html.contains("href=\"https://ok.example/\""));
}

#[test]
fn issue_12_hostile_inputs_of_1_mb_import_and_build_in_linear_time() {
    // Each took minutes to hours when a stage was quadratic (100 KB of
    // `)` took 41 s to import); linear, each takes a few seconds even in
    // a debug build. The benchmark `cargo bench --bench hostile` times them.
    for (name, text) in crate::hostile_inputs::all() {
        let site = site();
        let file = digest(site.path(), name, &text);
        let start = std::time::Instant::now();
        let report = import_files(site.path(), &[file]);
        assert!(!report.new.is_empty(), "{name}: {:?}", report.skipped);
        build(site.path());
        let elapsed = start.elapsed();
        eprintln!("{name}: {} KB imported and built in {elapsed:.1?}", text.len() / 1024);
        assert!(elapsed < std::time::Duration::from_secs(240), "{name}: {elapsed:?}");
    }
}
