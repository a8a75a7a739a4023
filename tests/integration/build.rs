//! `paperpress build` on the fixture site and on the example site.

use crate::support::{broken_links, build, fixture, page, repo_root, texts, tree, try_build};

#[test]
fn home_shows_the_latest_day_in_digest_order() {
    let site = fixture("site");
    let report = build(site.path());
    assert_eq!(report.papers, 5);
    assert_eq!(report.days, 2);
    let home = page(site.path(), "index.html");
    assert_eq!(texts(&home, "h1"), ["Papers of Aug 5, 2025"]);
    assert_eq!(
        texts(&home, ".paper-list h2"),
        [
            "Machine Unlearning for Diffusion Models: A Survey of ϵ-Forgetting",
            "Sparse Mixture of Experts at Scale",
            "The Fréchet Audio Distance, Revisited (annotated)",
            "<b>Bold</b> claims & \"quotes\" in a title",
            "A Hand-Written Paper Page",
        ]
    );
    assert_eq!(texts(&home, ".intro"), ["Welcome to the fixture digest."]);
}

#[test]
fn a_paper_on_two_days_gets_one_page_listed_on_both() {
    let site = fixture("site");
    build(site.path());
    let paper = page(site.path(), "papers/2508.00001.html");
    assert_eq!(texts(&paper, ".listed-on"), ["Listed on Aug 4, 2025, Aug 5, 2025."]);
    for day in ["days/2025-08-04.html", "days/2025-08-05.html"] {
        assert!(page(site.path(), day).contains("href=\"../papers/2508.00001.html\""), "{day}");
    }
    assert!(paper.contains("href=\"https://arxiv.org/abs/2508.00001\""));
    assert!(paper.contains("href=\"https://arxiv.org/pdf/2508.00001\""));
    assert!(paper.contains("href=\"https://github.com/example/sparse-moe\""));
    assert!(texts(&paper, ".bibtex")[0].contains("eprint={2508.00001}"));
}

#[test]
fn imported_html_is_shown_as_text_never_run() {
    let site = fixture("site");
    build(site.path());
    let survey =
        page(site.path(), "papers/machine-unlearning-for-diffusion-models-a-survey-of-epsilon-forgetting.html");
    assert!(!survey.contains("<script>alert"), "a script in an abstract must not become markup");
    let abstract_text = texts(&survey, ".abstract p").join(" ");
    assert!(abstract_text.contains("We show <script>alert(\"pwned\")</script> as text"), "{abstract_text}");
    assert!(abstract_text.contains("Under $0.1, and retraining costs $200k-$300k."), "{abstract_text}");
    assert!(abstract_text.contains("5 * 3 = 15 and snake_case_names"), "{abstract_text}");
    let bold = page(site.path(), "papers/b-bold-b-claims-quotes-in-a-title.html");
    assert!(!bold.contains("<b>Bold</b>"));
    assert_eq!(texts(&bold, "h1"), ["<b>Bold</b> claims & \"quotes\" in a title"]);
}

#[test]
fn math_becomes_mathml_and_tex_accents_become_letters() {
    let site = fixture("site");
    build(site.path());
    let survey =
        page(site.path(), "papers/machine-unlearning-for-diffusion-models-a-survey-of-epsilon-forgetting.html");
    let heading = survey.split("<h1").nth(1).unwrap().split("</h1>").next().unwrap();
    assert!(heading.contains("<math><mi>ϵ</mi></math>-Forgetting"), "{heading}");
    let hand = page(site.path(), "papers/2508.00002.html");
    assert!(hand.contains("<math><mi>E</mi>"), "a formula in a hand-written body is MathML");
    let abstract_html = survey.split("class=\"abstract\"").nth(1).unwrap();
    assert!(abstract_html.contains("AstroM<math><msup>"), "{abstract_html}");
    let abstract_text = texts(&survey, ".abstract p").join(" ");
    assert!(
        abstract_text.contains(
            "Named after Bailíng, the Fréchet metric moves by merely 0.07% across seeds, taking sim 20 hours"
        ),
        "{abstract_text}"
    );
    assert!(abstract_html.contains("20\u{2009}hours"), "`\\,` is a thin space");
}

#[test]
fn pages_on_disk_win_over_digest_records() {
    let site = fixture("site");
    build(site.path());
    let fad = page(site.path(), "papers/the-frechet-audio-distance-revisited.html");
    assert_eq!(texts(&fad, "h1"), ["The Fréchet Audio Distance, Revisited (annotated)"]);
    assert_eq!(texts(&fad, ".abstract p"), ["My own notes on this paper replace the imported abstract."]);
    assert_eq!(texts(&fad, "article .paper-authors"), ["Ada Lovelace, Alan Turing"]);
}

#[test]
fn hand_written_pages_are_rendered_with_highlighted_code() {
    let site = fixture("site");
    build(site.path());
    let about = page(site.path(), "about.html");
    assert!(about.contains("<pre class=\"code\" data-lang=\"rust\"><code><span class=\"hl-source hl-rust\">"));
    assert!(about.contains("href=\"notes/reading.html\""), "links to .md pages point at .html");
    let home = page(site.path(), "index.html");
    assert_eq!(
        texts(&home, "body > header nav a"),
        ["Days", "Topics", "Saved", "About the fixture"],
        "menu = false hides a page"
    );
    let nested = page(site.path(), "notes/reading.html");
    assert!(nested.contains("href=\"../style.css\""));
    assert!(page(site.path(), "syntax-dark.css").contains(".hl-"));
    let syntax = page(site.path(), "syntax.css");
    assert!(syntax.contains("@media screen and (prefers-color-scheme: dark)") && syntax.contains(".hl-"));
    assert!(nested.contains("href=\"../syntax.css\""), "a hand-written page loads the highlighting");
}

#[test]
fn site_templates_override_theme_templates() {
    let site = fixture("site");
    build(site.path());
    assert_eq!(texts(&page(site.path(), "404.html"), "h1"), ["Fixture 404"]);
    assert!(site.path().join("public/.nojekyll").is_file());
}

#[test]
fn every_internal_link_of_the_fixture_resolves() {
    let site = fixture("site");
    build(site.path());
    let (checked, broken) = broken_links(&site.path().join("public"));
    assert!(checked > 50, "only {checked} links checked");
    assert_eq!(broken, Vec::<(String, String)>::new());
}

#[test]
fn example_site_shows_the_72_papers_of_the_canonical_day() {
    let out = tempfile::tempdir().unwrap();
    let site = paperpress::config::Site::load(&repo_root()).unwrap();
    let options = paperpress::BuildOptions { output: Some(out.path().join("public")), ..Default::default() };
    let report = paperpress::build(&site, &options).unwrap();
    assert_eq!((report.papers, report.days), (72, 1));
    assert!(report.warnings.is_empty() && report.skipped.is_empty() && report.data_skipped.is_empty());
    let public = out.path().join("public");
    let home = std::fs::read_to_string(public.join("index.html")).unwrap();
    assert_eq!(texts(&home, ".paper-list > li").len(), 72);
    assert_eq!(texts(&home, "h1"), ["Papers of Aug 6, 2025"]);
    assert_eq!(std::fs::read_dir(public.join("papers")).unwrap().count(), 72);
    let (checked, broken) = broken_links(&public);
    assert!(checked > 72 * 5, "only {checked} links checked");
    assert_eq!(broken, Vec::<(String, String)>::new());
    let ling = std::fs::read_to_string(
        public.join("papers/every-flop-counts-scaling-a-300b-mixture-of-experts-ling-llm-without-premium.html"),
    )
    .unwrap();
    assert!(texts(&ling, ".abstract").join(" ").contains("Bailíng"));
}

#[test]
fn same_input_gives_byte_identical_output() {
    let site = fixture("site");
    build(site.path());
    let first = tree(&site.path().join("public"));
    build(site.path());
    assert_eq!(first, tree(&site.path().join("public")));
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public."))
        .collect();
    assert!(leftovers.is_empty(), "the previous build is removed after a rebuild: {leftovers:?}");
}

#[test]
fn failed_build_leaves_the_previous_output_untouched() {
    let site = fixture("site");
    build(site.path());
    let before = tree(&site.path().join("public"));
    std::fs::write(
        site.path().join("templates/paper.html"),
        "{% extends \"base.html\" %}{% block content %}{{ paper.title_html | nosuchfilter }}{% endblock content %}",
    )
    .unwrap();
    let err = format!("{:#}", try_build(site.path()).unwrap_err());
    assert!(err.contains("templates/paper.html"), "the error names the broken template: {err}");
    assert!(err.contains("nosuchfilter"), "{err}");
    assert_eq!(before, tree(&site.path().join("public")));
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().contains("building"))
        .collect();
    assert!(leftovers.is_empty(), "no staging folder is left behind: {leftovers:?}");
}

#[test]
fn a_folder_that_is_not_a_paperpress_output_is_never_replaced() {
    let site = fixture("site");
    std::fs::create_dir_all(site.path().join("public")).unwrap();
    std::fs::write(site.path().join("public/thesis.tex"), "precious").unwrap();
    let err = format!("{:#}", try_build(site.path()).unwrap_err());
    assert!(err.contains("exists and is not a paperpress output"), "{err}");
    assert_eq!(std::fs::read_to_string(site.path().join("public/thesis.tex")).unwrap(), "precious");
}

#[test]
fn broken_front_matter_fails_with_file_and_line() {
    let site = fixture("site");
    std::fs::write(
        site.path().join("content/papers/bad.md"),
        "+++\ntitle = \"Bad\"\ndate = 2025-08-05\nvotes = 3\n+++\n",
    )
    .unwrap();
    let report = build(site.path());
    let errors: Vec<String> = report.skipped.iter().map(ToString::to_string).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("bad.md` line 4: in front matter: unknown field `votes`"), "{errors:?}");
    assert_eq!(report.papers, 5, "the other papers are built");
}

#[test]
fn every_bad_input_is_reported_in_one_run() {
    let site = fixture("site");
    let dir = site.path().join("content");
    std::fs::write(dir.join("papers/bad.md"), "+++\ntitle = \"Bad\"\ndate = 2025-08-05\nvotes = 3\n+++\n").unwrap();
    std::fs::write(dir.join("papers/worse.md"), "no front matter\n").unwrap();
    std::fs::write(dir.join("digests/2025-08-07.json"), "[{\"paper\": {\"id\": \"2508.1\", \"title\": 3}}, 42]")
        .unwrap();
    std::fs::write(dir.join("digests/2025-08-08.txt"), "").unwrap();
    std::fs::write(dir.join("broken.md"), "+++\ntitle = 3\n+++\n").unwrap();
    let report = build(site.path());
    let errors: Vec<String> = report.skipped.iter().map(ToString::to_string).collect();
    for expected in ["bad.md` line 4", "worse.md` line 1", "broken.md` line 2"] {
        assert!(errors.iter().any(|e| e.contains(expected)), "{expected} in {errors:#?}");
    }
    // What a source sent and could not be read is left out with a warning:
    // one bad record upstream does not stop the site from being published.
    let data: Vec<String> = report.data_skipped.iter().map(ToString::to_string).collect();
    for expected in ["2025-08-07.json` line 1", "2025-08-08.txt`: the file is empty"] {
        assert!(data.iter().any(|e| e.contains(expected)), "{expected} in {data:#?}");
    }
    assert_eq!(report.diagnostics().summary(), format!("{} errors, {} warnings in 5 files", errors.len(), data.len()));
    assert!(report.diagnostics().fails(false), "the owner's broken pages fail the build");
    assert_eq!(report.papers, 5, "the rest is built");
}

#[test]
fn two_pages_for_one_paper_is_an_error_naming_both() {
    let site = fixture("site");
    std::fs::write(
        site.path().join("content/papers/copy.md"),
        "+++\nid = \"2508.00002\"\ntitle = \"Copy\"\ndate = 2025-08-05\n+++\n",
    )
    .unwrap();
    let report = build(site.path());
    let err = report.skipped.iter().map(ToString::to_string).collect::<String>();
    assert!(err.contains("copy.md") && err.contains("hand-written.md") && err.contains("2508.00002"), "{err}");
}

#[test]
fn a_text_copy_and_the_api_json_of_one_paper_build_one_page() {
    let site = fixture("site");
    let digests = site.path().join("content/digests");
    std::fs::copy(
        repo_root().join("tests/fixtures/import/hf-daily-papers-2025-10-24.json"),
        digests.join("2025-10-24.json"),
    )
    .unwrap();
    std::fs::write(
        digests.join("2025-10-25.txt"),
        "Oct 25\n\nAdaSPEC: Selective Knowledge Distillation for Efficient Speculative Decoders\n\nA short copy of the abstract.\n",
    )
    .unwrap();
    let report = build(site.path());
    assert_eq!(report.papers, 5 + 18, "the text copy joins the API record");
    let paper = page(site.path(), "papers/2510.19779.html");
    assert_eq!(texts(&paper, ".listed-on"), ["Listed on Oct 24, 2025, Oct 25, 2025."]);
    assert!(texts(&paper, "article .paper-authors")[0].starts_with("Yuezhou Hu"));
    assert!(
        !site
            .path()
            .join("public/papers/adaspec-selective-knowledge-distillation-for-efficient-speculative-decoders.html")
            .exists()
    );
}

/// The Pages workflow builds the site every day from what the sources
/// sent: a record it cannot read is left out with a warning, and the
/// build succeeds, so the rest of the day is published.
#[test]
fn a_bad_record_from_a_source_does_not_fail_the_build() {
    let site = fixture("site");
    let day = r#"[{"paper": {"id": "2508.10001", "title": "Fine", "summary": "An abstract.", "submittedOnDailyAt": "2025-08-07T02:00:00Z"}},
 {"paper": {"id": "2508.10002", "title": "Broken", "submittedOnDailyAt": "-000001-01-01T00:00:00Z"}}]"#;
    std::fs::write(site.path().join("content/digests/hf-2025-08-07.json"), day).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_paperpress"))
        .args(["build", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("warning: `") && stderr.contains("item 2 (2508.10002) was skipped"), "{stderr}");
    assert!(site.path().join("public/papers/2508.10001.html").is_file(), "the good record is published");
    assert!(!site.path().join("public/papers/2508.10002.html").exists());
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_paperpress"))
        .args(["check", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    assert!(!check.status.success(), "check calls it an error");
    assert!(String::from_utf8(check.stderr).unwrap().contains("error: `"));
}

#[test]
fn a_paper_with_dozens_of_authors_shows_the_first_twelve_and_the_rest_on_a_click() {
    let site = fixture("site");
    let names: Vec<String> = (1..=40).map(|i| format!("Author Number{i}")).collect();
    let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    std::fs::write(
        site.path().join("content/papers/big-team.md"),
        format!(
            "+++\nid = \"2508.00077\"\ntitle = \"A Paper by a Big Team\"\ndate = 2025-08-05\nauthors = [{}]\n+++\n\nAn abstract.\n",
            quoted.join(", ")
        ),
    )
    .unwrap();
    build(site.path());
    let big = page(site.path(), "papers/2508.00077.html");
    // Closed, the line under the title names twelve and counts the rest.
    assert_eq!(
        texts(&big, "article .all-authors summary .authors-head"),
        [format!("{} and 28 more", names[..12].join(", "))]
    );
    assert_eq!(texts(&big, "article .all-authors summary .authors-open"), ["40 authors"]);
    // Open, every name, once; the meta tags name them all.
    assert_eq!(texts(&big, "article .all-authors > .paper-authors"), [names.join(", ")]);
    assert_eq!(crate::support::attr(&big, "meta[name=citation_author]", "content"), names);
    // A short list is the plain line it was.
    let fad = page(site.path(), "papers/the-frechet-audio-distance-revisited.html");
    assert!(texts(&fad, "article .all-authors").is_empty());
    assert_eq!(texts(&fad, "article > .paper-authors"), ["Ada Lovelace, Alan Turing"]);
}
