//! A site owner's files and habits: what the build keeps in the output
//! folder, drafts and menus, a stylesheet of one's own, ejecting the theme,
//! a real archive as it is, and `check` reporting everything at once.

use std::path::Path;

use paperpress::BuildOptions;
use paperpress::config::Site;
use paperpress::diagnostics::Severity;

use crate::support::{build, fixture, page, repo_root, texts};

fn write(root: &Path, relative: &str, text: &str) {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn a_rebuild_keeps_the_owners_dotfiles_and_replaces_the_rest() {
    let site = fixture("site");
    let root = site.path();
    build(root);
    write(root, "public/.git/HEAD", "ref: refs/heads/gh-pages\n");
    write(root, "public/.well-known/security.txt", "Contact: x\n");
    write(root, "public/stale.html", "left over");
    build(root);
    assert_eq!(std::fs::read_to_string(root.join("public/.git/HEAD")).unwrap(), "ref: refs/heads/gh-pages\n");
    assert!(root.join("public/.well-known/security.txt").is_file());
    assert!(!root.join("public/stale.html").exists(), "what the build made is replaced");
    assert!(root.join("public/.nojekyll").is_file(), "the build's own dotfile is written anew");
}

#[test]
fn drafts_are_left_out_and_in_menu_false_stays_out_of_the_header() {
    let site = fixture("site");
    let root = site.path();
    write(root, "content/draft.md", "+++\ntitle = \"Not yet\"\ndraft = true\n+++\nSoon.\n");
    write(root, "content/colophon.md", "+++\ntitle = \"Colophon\"\nin_menu = false\n+++\nMade with paperpress.\n");
    build(root);
    assert!(!root.join("public/draft.html").exists());
    assert!(root.join("public/colophon.html").is_file(), "a page out of the menu is still built");
    let header = texts(&page(root, "index.html"), "body > header nav a");
    assert!(header.iter().any(|l| l == "About the fixture"), "{header:?}");
    assert!(!header.iter().any(|l| l == "Colophon" || l == "Not yet"), "{header:?}");
}

#[test]
fn extra_css_is_loaded_after_the_theme_css() {
    let site = fixture("site");
    let root = site.path();
    build(root);
    assert!(!page(root, "index.html").contains("extra.css"), "no link without the file");
    write(root, "static/extra.css", ".site-nav { color: teal; }\n");
    build(root);
    let html = page(root, "papers/2508.00002.html");
    let theme = html.find("style.css").expect("the theme's stylesheet");
    let extra = html.find("href=\"../extra.css\"").expect("the site's extra.css, linked relatively");
    assert!(extra > theme, "extra.css comes after the theme's CSS");
    assert_eq!(std::fs::read_to_string(root.join("public/extra.css")).unwrap(), ".site-nav { color: teal; }\n");
}

#[test]
fn an_ejected_theme_builds_the_same_site_and_can_be_edited() {
    let site = fixture("site");
    let root = site.path();
    build(root);
    let before = page(root, "index.html");
    let written = paperpress::init::eject_theme(&Site::load(root).unwrap()).unwrap();
    assert!(written.iter().any(|p| p.ends_with("themes/default/templates/base.html")), "{written:?}");
    assert!(written.iter().any(|p| p.ends_with("themes/default/static/style.css")));
    build(root);
    assert_eq!(page(root, "index.html"), before, "the ejected theme is the built-in one");
    let base = root.join("themes/default/templates/base.html");
    let text = std::fs::read_to_string(&base).unwrap().replace("</footer>", "<p>ejected and edited</p></footer>");
    std::fs::write(&base, text).unwrap();
    build(root);
    assert!(page(root, "index.html").contains("ejected and edited"));
    let again = paperpress::init::eject_theme(&Site::load(root).unwrap()).unwrap_err();
    assert!(format!("{again:#}").contains("already holds every file of the built-in theme"));
    assert!(std::fs::read_to_string(&base).unwrap().contains("ejected and edited"), "never overwritten");
}

/// Days of the real archive as they are: Python-repr strings, a wrapped
/// response, an empty day and plain API JSON build together, every day.
#[test]
fn an_archive_as_it_is_builds_every_day() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "site.toml", "title = \"Archive\"\n");
    let fixtures = repo_root().join("tests/fixtures/import");
    for (from, to) in [
        ("python-repr-2024-12-11.json", "2024-12-11.json"),
        ("python-repr-envelope-2025-01-10.json", "2025-01-10.json"),
        ("hf-daily-papers-2025-10-24.json", "2025-10-24.json"),
    ] {
        std::fs::create_dir_all(root.join("content/digests")).unwrap();
        std::fs::copy(fixtures.join(from), root.join("content/digests").join(to)).unwrap();
    }
    write(root, "content/digests/2025-01-04.json", "[]\n");
    let report = build(root);
    assert_eq!((report.papers, report.days, report.digest_files), (3 + 2 + 18, 3, 4));
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    let problems = report.diagnostics();
    assert_eq!(problems.count(Severity::Warning), 2, "one warning per Python file: {:?}", problems.items);
    assert_eq!(problems.count(Severity::Note), 1, "the empty day says so");
    assert_eq!(problems.summary(), "2 warnings in 2 files");
    for day in ["2024-12-11", "2025-01-10", "2025-10-24"] {
        assert!(root.join(format!("public/days/{day}.html")).is_file(), "{day}");
    }
    assert!(!root.join("public/days/2025-01-04.html").exists(), "no page for a day without papers");
    let paper = page(root, "papers/2412.07730.html");
    assert!(paper.contains("Zongyu Lin"), "authors from the Python literal");
}

#[test]
fn check_reports_every_problem_with_a_summary() {
    let site = fixture("site");
    let root = site.path();
    write(root, "content/papers/bad.md", "+++\ntitle = \"Bad\"\nvotes = 3\n+++\n");
    write(
        root,
        "content/digests/2025-08-07.json",
        "[{\"paper\": {\"id\": \"2508.10001\", \"title\": \"T\", \"upvotes\": -1}}]",
    );
    write(root, "content/digests/2025-08-08.json", "{\"error\": \"Invalid date\"}");
    write(root, "content/about.md", "+++\ntitle = \"About\"\n+++\n\nFirst line.\n\nSee [the list](missing.md).\n");
    let report = paperpress::check(&Site::load(root).unwrap(), &BuildOptions::default()).unwrap();
    let errors: Vec<String> =
        report.problems.items.iter().filter(|d| d.severity == Severity::Error).map(|d| d.problem.to_string()).collect();
    let about = root.join("content/about.md").display().to_string();
    assert!(
        errors.contains(&format!("`{about}` line 7: links to `missing.html`: no such file in the build")),
        "{errors:#?}"
    );
    assert!(errors.iter().any(|e| e.contains("bad.md` line 3: in front matter: unknown field `votes`")), "{errors:#?}");
    assert!(errors.iter().any(|e| e.contains("2025-08-08.json") && e.contains("error response (`Invalid date`)")));
    let warnings = report.problems.count(Severity::Warning);
    assert!(
        report.problems.items.iter().any(
            |d| d.severity == Severity::Warning && d.problem.message.contains("`upvotes` was left out: it is `-1`")
        ),
        "{:#?}",
        report.problems.items
    );
    assert_eq!(report.problems.summary(), format!("3 errors, {warnings} warnings in {} files", files(&report)));
    assert!(report.problems.fails(false));
}

fn files(report: &paperpress::CheckReport) -> usize {
    let mut paths: Vec<_> =
        report.problems.items.iter().filter(|d| d.severity != Severity::Note).map(|d| d.problem.path.clone()).collect();
    paths.sort();
    paths.dedup();
    paths.len()
}

#[test]
fn the_progress_bar_counts_the_pages_it_says() {
    let site = fixture("site");
    let root = site.path();
    build(root);
    let loaded = Site::load(root).unwrap();
    let (model, _) = paperpress::load_model(&loaded, &loaded.config).unwrap();
    let pages = walkdir::WalkDir::new(root.join("public"))
        .into_iter()
        .filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "html"))
        .count();
    assert_eq!(paperpress::page_count(&loaded.config, &model), pages);
}

#[test]
fn colours_only_where_they_are_wanted() {
    let site = fixture("site");
    let run = |env: &[(&str, &str)]| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_paperpress"));
        command.args(["check", "--root"]).arg(site.path()).env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE");
        for (k, v) in env {
            command.env(k, v);
        }
        String::from_utf8(command.output().unwrap().stderr).unwrap()
    };
    write(site.path(), "content/papers/bad.md", "+++\ntitle = \"Bad\"\nvotes = 3\n+++\n");
    assert!(!run(&[]).contains('\u{1b}'), "plain in a pipe");
    assert!(run(&[("CLICOLOR_FORCE", "1")]).contains("\u{1b}[1m\u{1b}[31merror:\u{1b}[0m"), "red when forced");
    assert!(!run(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]).contains('\u{1b}'), "NO_COLOR wins");
}

#[test]
fn the_extra_table_works_in_templates_as_the_new_site_toml_says() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("digest");
    paperpress::init::init(&root, &Default::default()).unwrap();
    let toml = std::fs::read_to_string(root.join("site.toml")).unwrap();
    // The comment above `[extra]` names the variable templates read it as.
    let at = toml.find("\n[extra]\n").expect("the new site.toml has an [extra] table");
    let comment = toml[..at].rsplit("\n\n").next().unwrap();
    let variable = comment.split('`').nth(1).unwrap_or_else(|| panic!("no variable named in {comment:?}"));
    assert!(variable.ends_with(".extra"), "{comment:?}");
    write(&root, "site.toml", &format!("{toml}greeting = \"Hello from extra\"\n"));
    write(
        &root,
        "templates/404.html",
        &format!(
            "{{% extends \"base.html\" %}}{{% block content %}}<p>{{{{ {variable}.greeting }}}}</p>{{% endblock content %}}"
        ),
    );
    build(&root);
    assert_eq!(texts(&page(&root, "404.html"), "main p"), ["Hello from extra"]);
}
