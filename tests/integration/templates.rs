//! `docs/templates.md` lists every variable of every template: each probe
//! renders a template that names a variable that is not there, and the
//! error's list of what is there must be what the document lists.

use std::collections::BTreeSet;

use paperpress::BuildOptions;
use paperpress::config::Site;

use crate::support::{fixture, repo_root};

/// The names a table of `docs/templates.md` documents under `section`
/// (a `## ` heading; `None` for every heading), as written: `paper.title_html`.
fn documented(section: Option<&str>) -> Vec<String> {
    let doc = std::fs::read_to_string(repo_root().join("docs/templates.md")).unwrap();
    let mut names = Vec::new();
    let mut current = String::new();
    for line in doc.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            current = heading.to_string();
        } else if let Some(rest) = line.strip_prefix("| `")
            && section.is_none_or(|s| current.split(", ").any(|h| h == s))
        {
            names.push(rest.split('`').next().unwrap().to_string());
        }
    }
    names
}

/// The direct children of `prefix` documented under `section`.
fn children(section: &str, prefix: &str) -> BTreeSet<String> {
    documented(Some(section))
        .into_iter()
        .filter_map(|name| name.strip_prefix(&format!("{prefix}.")).map(str::to_string))
        .filter(|rest| !rest.contains('.'))
        .collect()
}

/// What the error lists when `template` is replaced by `body`.
fn available(template: &str, body: &str) -> BTreeSet<String> {
    let site = fixture("site");
    let path = site.path().join("templates").join(template);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, body).unwrap();
    let options = BuildOptions { base_url: Some("https://user.github.io/repo/".into()), ..BuildOptions::default() };
    let err = paperpress::check(&Site::load(site.path()).unwrap(), &options).unwrap_err();
    let message = format!("{err:#}");
    assert!(message.contains("docs/templates.md"), "the error points at the document: {message}");
    let list = message.split("Available ").nth(1).unwrap_or_else(|| panic!("{template}: {message}"));
    let list = list.split_once(": ").unwrap().1.lines().next().unwrap();
    let list = list.split(" (").next().unwrap();
    list.split(", ").map(|s| s.trim().to_string()).collect()
}

#[test]
fn every_variable_of_every_template_is_documented() {
    let everywhere: BTreeSet<String> = ["root", "path", "site"].into_iter().map(String::from).collect();
    for template in [
        "index.html",
        "paper.html",
        "day.html",
        "days.html",
        "topics.html",
        "topic.html",
        "page.html",
        "404.html",
        "search.html",
        "saved.html",
    ] {
        let own = documented(Some(template)).into_iter().filter(|n| !n.contains('.')).collect::<BTreeSet<_>>();
        let expected: BTreeSet<String> = everywhere.union(&own).cloned().collect();
        assert_eq!(available(template, "{{ not_a_variable }}"), expected, "{template}");
    }
    let feed: BTreeSet<String> = ["feed", "site"].into_iter().map(String::from).collect();
    assert_eq!(available("atom.xml", "{{ not_a_variable }}"), feed);
}

#[test]
fn every_field_of_every_object_is_documented() {
    let card = children("Objects", "card");
    let link = children("Objects", "link");
    let topic_link = children("Objects", "topic_link");
    let probes: &[(&str, &str, BTreeSet<String>)] = &[
        ("index.html", "{{ site.nope }}", children("Every template", "site")),
        ("index.html", "{% for l in site.nav %}{{ l.nope }}{% endfor %}", link.clone()),
        ("index.html", "{{ day.nope }}", children("day.html", "day")),
        ("index.html", "{% for p in day.papers %}{{ p.nope }}{% endfor %}", card.clone()),
        (
            "index.html",
            "{% for p in day.papers %}{% for t in p.topics %}{{ t.nope }}{% endfor %}{% endfor %}",
            topic_link.clone(),
        ),
        ("index.html", "{% for t in day_topics %}{{ t.nope }}{% endfor %}", children("index.html", "day_topics")),
        ("paper.html", "{{ paper.nope }}", children("paper.html", "paper")),
        ("paper.html", "{{ day.nope }}", link.clone()),
        ("paper.html", "{{ next.nope }}", card.clone()),
        ("paper.html", "{% for d in paper.related %}{{ d.nope }}{% endfor %}", card.clone()),
        ("paper.html", "{% for d in paper.days %}{{ d.nope }}{% endfor %}", link.clone()),
        ("day.html", "{{ next.nope }}", link.clone()),
        ("days.html", "{% for y in years %}{{ y.nope }}{% endfor %}", children("days.html", "years")),
        (
            "days.html",
            "{% for y in years %}{% for m in y.months %}{{ m.nope }}{% endfor %}{% endfor %}",
            children("days.html", "years.months"),
        ),
        (
            "days.html",
            "{% for y in years %}{% for m in y.months %}{% for w in m.weeks %}{% for c in w %}{% if c %}{{ c.nope }}{% endif %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}",
            children("days.html", "years.months.weeks"),
        ),
        ("topics.html", "{% for t in topics %}{{ t.nope }}{% endfor %}", children("topics.html", "topics")),
        ("topic.html", "{{ topic.nope }}", children("topic.html", "topic")),
        ("topic.html", "{{ pagination.nope }}", children("topic.html", "pagination")),
        ("page.html", "{{ page.nope }}", children("page.html", "page")),
        ("atom.xml", "{{ feed.nope }}", children("atom.xml", "feed")),
        ("atom.xml", "{% for e in feed.entries %}{{ e.nope }}{% endfor %}", children("atom.xml", "feed.entries")),
        ("sitemap.xml", "{% for u in urls %}{{ u.nope }}{% endfor %}", children("sitemap.xml", "urls")),
    ];
    for (template, body, expected) in probes {
        assert!(!expected.is_empty(), "{template} {body}: the document lists fields");
        assert_eq!(&available(template, body), expected, "{template} {body}");
    }
    let paper = children("paper.html", "paper");
    assert!(card.is_subset(&paper), "a paper page has every field of a card");
}
