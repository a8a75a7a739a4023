//! The reader's site: what cards, paper pages, day pages, the archive and
//! the search page offer, asserted on the built files of
//! `tests/fixtures/reader` (real Daily Papers days); and, in Chromium, every
//! feature driven as a reader would (`tests/search/reader.js`).

use std::path::Path;
use std::process::Command;

use crate::support::{attr, build, fixture, page, repo_root, texts, topic_names};

fn meta(html: &str, name: &str) -> Vec<String> {
    attr(html, &format!("meta[name=\"{name}\"]"), "content")
}

#[test]
fn paper_pages_carry_citation_meta_json_ld_and_open_graph() {
    let site = fixture("reader");
    build(site.path());
    let paper = page(site.path(), "papers/2510.19779.html");
    let title = "AdaSPEC: Selective Knowledge Distillation for Efficient Speculative Decoders";
    assert_eq!(meta(&paper, "citation_title"), [title]);
    assert_eq!(meta(&paper, "citation_author"), ["Yuezhou Hu", "Jiaxin Guo", "Xinyu Feng", "Tuo Zhao"]);
    assert_eq!(meta(&paper, "citation_publication_date"), ["2025/10/22"]);
    assert_eq!(meta(&paper, "citation_pdf_url"), ["https://arxiv.org/pdf/2510.19779"]);
    assert_eq!(meta(&paper, "citation_arxiv_id"), ["2510.19779"]);
    assert_eq!(attr(&paper, "meta[property=\"og:title\"]", "content"), [title]);
    // A link preview takes the title and the description; the optional
    // og:type and og:site_name are left out (98 bytes a paper).
    assert_eq!(attr(&paper, "meta[property^=\"og:\"]", "property"), ["og:description", "og:title"]);
    let description = attr(&paper, "meta[property=\"og:description\"]", "content");
    assert!(description[0].starts_with("Speculative Decoding (SD) accelerates"), "{description:?}");
    let json = texts(&paper, "script[type=\"application/ld+json\"]");
    let article: serde_json::Value = serde_json::from_str(&json[0]).unwrap();
    assert_eq!(article["@type"], "ScholarlyArticle");
    assert_eq!(article["headline"], title);
    assert_eq!(article["author"][0]["name"], "Yuezhou Hu", "the first author; the others are in citation_author");
    assert_eq!(article["sameAs"], "https://arxiv.org/abs/2510.19779");
}

#[test]
fn every_paper_page_leads_to_the_paper() {
    let site = fixture("reader");
    build(site.path());
    let adaspec = page(site.path(), "papers/2510.19779.html");
    assert_eq!(texts(&adaspec, ".actions a"), ["PDF", "arXiv", "Hugging Face", "Code"]);
    assert_eq!(
        attr(&adaspec, ".actions a", "href"),
        [
            "https://arxiv.org/pdf/2510.19779",
            "https://arxiv.org/abs/2510.19779",
            "https://huggingface.co/papers/2510.19779",
            "https://github.com/yuezhouhu/adaspec",
        ]
    );
    assert_eq!(texts(&adaspec, ".actions .votes"), ["39 upvotes"]);
    let video = page(site.path(), "papers/2510.20579.html");
    assert_eq!(texts(&video, ".actions a.code"), ["Code ★ 15 stars"]);
    assert_eq!(texts(&video, ".actions a").last().unwrap(), "Project page");
    // A paper known only from a text copy: searches by title.
    let fast = page(site.path(), "papers/fast-attention-in-o-n-log-n-time-bounds-with-mathbf-k-kernels.html");
    assert_eq!(texts(&fast, ".actions a"), ["Find on arXiv", "Find on Hugging Face", "Code"]);
    let query = "Fast%20Attention%20in%20O%28n%20%5Clog%20n%29%20Time%3A%20Bounds%20with%20%5Cmathbf%7BK%7D%20Kernels";
    assert_eq!(
        attr(&fast, ".actions a", "href")[..2],
        [
            format!("https://arxiv.org/search/?query={query}&searchtype=title"),
            format!("https://huggingface.co/papers?q={query}")
        ]
    );
    assert!(meta(&fast, "citation_arxiv_id").is_empty() && meta(&fast, "citation_pdf_url").is_empty());
    assert!(texts(&fast, ".cite pre")[0].starts_with("@misc{fast2025,"), "a paper without an id still has BibTeX");
}

#[test]
fn imported_markup_stays_text_in_meta_json_ld_and_bibtex() {
    let site = fixture("reader");
    std::fs::write(
        site.path().join("content/digests/2025-10-26.txt"),
        "Oct 26\n\n</script><script>alert(1)</script> & <b>bold</b> \"quotes\"\n\nAn abstract that says <img src=x onerror=alert(2)> twice.\n",
    )
    .unwrap();
    build(site.path());
    let html = page(site.path(), "papers/script-script-alert-1-script-b-bold-b-quotes.html");
    assert!(!html.contains("<script>alert") && !html.contains("<b>bold") && !html.contains("<img"), "{html}");
    let title = "</script><script>alert(1)</script> & <b>bold</b> \"quotes\"";
    assert_eq!(meta(&html, "citation_title"), [title]);
    assert_eq!(texts(&html, "h1"), [title]);
    let json = texts(&html, "script[type=\"application/ld+json\"]");
    assert_eq!(json.len(), 1, "the title cannot close the JSON-LD script");
    let article: serde_json::Value = serde_json::from_str(&json[0]).unwrap();
    assert_eq!(article["headline"], title);
    let home = page(site.path(), "index.html");
    assert_eq!(texts(&home, ".paper-list > li h2")[0], title);
    let bib = std::fs::read_to_string(site.path().join("public/days/2025-10-26.bib")).unwrap();
    assert!(bib.contains("title={</script><script>alert(1)</script> \\& <b>bold</b> \"quotes\"}"), "{bib}");
}

#[test]
fn cards_show_a_one_line_summary_links_and_votes() {
    let site = fixture("reader");
    build(site.path());
    let day = page(site.path(), "days/2025-10-24.html");
    assert_eq!(texts(&day, "#papers > li").len(), 18);
    let first = "#papers > li:first-child";
    assert_eq!(texts(&day, &format!("{first} > h2 + p")), ["Yuezhou Hu, Jiaxin Guo, Xinyu Feng, Tuo Zhao"]);
    // The AI summary, cut at a space before 110 characters (the default).
    let summary = &texts(&day, &format!("{first} .summary"))[0];
    assert!(summary.starts_with("AdaSPEC enhances speculative decoding") && summary.ends_with('…'), "{summary}");
    assert!(summary.chars().count() <= 111, "{summary}");
    assert_eq!(texts(&day, &format!("{first} .links a")), ["PDF", "arXiv", "Code"]);
    assert_eq!(attr(&day, &format!("{first} .votes"), "value"), ["39"]);
    assert!(texts(&day, ".paper-list > li .chip").is_empty(), "no topic pills on cards");
    // Cards carry their topics for the filter, which lists the day's topics.
    let topics = attr(&day, "#papers > li", "data-t");
    assert!(topics.iter().any(|t| t.split(' ').any(|s| s == "diffusion-models")), "{topics:?}");
    // list.js adds the day's topics to the filter, named from one shared file.
    assert_eq!(texts(&day, "select[name=topic] option"), ["All topics"]);
    let names = topic_names(site.path());
    assert_eq!(names["diffusion-models"], "Diffusion models");
    let unnamed: Vec<&str> =
        topics.iter().flat_map(|t| t.split(' ')).filter(|s| !s.is_empty() && !names.contains_key(*s)).collect();
    assert!(unnamed.is_empty(), "every topic of a card is named: {unnamed:?}");
    assert_eq!(texts(&day, "select[name=sort] option"), ["Digest order", "Most upvotes", "Has code"]);
    // A text copy has no AI summary: the abstract's first sentence.
    let text_day = page(site.path(), "days/2025-10-25.html");
    let last = texts(&text_day, "#papers > li:last-child .summary");
    assert_eq!(last[0], "We give attention in O(nlogn) time.");
    // Days link to the days around them, and to their BibTeX.
    assert_eq!(attr(&text_day, ".day-nav a[rel=prev]", "href"), ["../days/2025-10-24.html"]);
    assert!(attr(&text_day, ".day-nav a[rel=next]", "href").is_empty());
    assert_eq!(attr(&text_day, ".list-bar a.bib", "href"), ["../days/2025-10-25.bib"]);
    // The picker's range comes from the list of days (list.js), so that a
    // day's page stays as it is when a newer day is added.
    assert!(attr(&text_day, ".day-pick", "max").is_empty());
    let dates = std::fs::read_to_string(site.path().join("public/days/dates.js")).unwrap();
    assert_eq!(dates, "paperpressDates([\"2025-06-27\",\"2025-10-24\",\"2025-10-25\"]);\n");
}

#[test]
fn a_paper_page_names_its_day_once_and_its_publication_date_beside_it() {
    let site = fixture("reader");
    build(site.path());
    let single = page(site.path(), "papers/2506.16655.html");
    assert_eq!(texts(&single, ".breadcrumb"), ["Jun 27, 2025 · paper 7 of 9 · published Jun 19, 2025"]);
    assert_eq!(attr(&single, ".breadcrumb a", "href"), ["../days/2025-06-27.html"]);
    assert!(texts(&single, ".listed-on").is_empty(), "a paper of one day names it in the breadcrumb alone");
    assert!(texts(&single, ".details dt").iter().all(|dt| dt != "Published"), "the date is not said twice");
    let twice = page(site.path(), "papers/2510.19779.html");
    assert_eq!(texts(&twice, ".listed-on"), ["Listed on Oct 24, 2025, Oct 25, 2025."]);
    // The actions and topics are plain links in their rows, as the CSS and
    // the reading list find them.
    assert_eq!(texts(&twice, ".actions > a")[..2], ["PDF", "arXiv"]);
    assert_eq!(attr(&twice, ".actions > a.primary", "href"), ["https://arxiv.org/pdf/2510.19779"]);
    assert!(!texts(&twice, ".paper-topics > a").is_empty());
}

#[test]
fn topic_cards_name_the_first_author_and_day_cards_five() {
    let site = fixture("reader");
    build(site.path());
    let topic = page(site.path(), "topics/agents.html");
    let bylines = texts(&topic, ".paper-list h2 + p");
    assert!(bylines.contains(&"Oct 24, 2025 · Yujia Zheng et al.".to_string()), "{bylines:?}");
    assert!(bylines.iter().all(|b| b.matches(", ").count() <= 1), "at most two names: {bylines:?}");
    let day = page(site.path(), "days/2025-10-24.html");
    let first = "#papers > li:first-child";
    assert_eq!(texts(&day, &format!("{first} > h2 + p")), ["Yuezhou Hu, Jiaxin Guo, Xinyu Feng, Tuo Zhao"]);
}

#[test]
fn each_day_and_topic_offers_its_papers_as_one_bib_file() {
    let site = fixture("reader");
    build(site.path());
    let bib = |path: &str| std::fs::read_to_string(site.path().join("public").join(path)).unwrap();
    let keys = |text: &str| -> Vec<String> {
        text.lines().filter_map(|l| l.strip_prefix("@misc{")).map(|k| k.trim_end_matches(',').to_string()).collect()
    };
    let day = bib("days/2025-10-25.bib");
    assert_eq!(
        keys(&day),
        [
            "zheng2025thought",
            "zhong2025impossiblebench",
            "jo2025loopholing",
            "hu2025adaspec",
            "meng2025holocine",
            "issachar2025dype",
            "fast2025"
        ],
        "the day's papers in digest order"
    );
    // The same entry as the paper page's.
    let html = scraper::Html::parse_document(&page(site.path(), "papers/2510.19779.html"));
    let pre = scraper::Selector::parse(".cite pre").unwrap();
    let adaspec: String = html.select(&pre).next().unwrap().text().collect();
    assert!(day.contains(&format!("{adaspec}\n\n")), "{day}");
    let topic = page(site.path(), "topics/diffusion-models.html");
    assert_eq!(attr(&topic, "a[download]", "href"), ["../topics/diffusion-models.bib"]);
    let topic_bib = bib("topics/diffusion-models.bib");
    assert_eq!(keys(&topic_bib).len(), texts(&topic, ".paper-list > li").len());
    assert!(keys(&topic_bib).contains(&"jo2025loopholing".to_string()));
}

#[test]
fn the_archive_is_a_calendar_per_month_grouped_by_year() {
    let site = fixture("reader");
    build(site.path());
    let archive = page(site.path(), "days/index.html");
    assert_eq!(texts(&archive, ".year h2"), ["2025 34 papers"]);
    assert_eq!(texts(&archive, ".month caption"), ["October 25 papers", "June 9 papers"]);
    let october = "#m2025-10";
    assert_eq!(texts(&archive, &format!("{october} th")), ["M", "T", "W", "T", "F", "S", "S"]);
    let days: Vec<String> = texts(&archive, &format!("{october} td")).into_iter().filter(|d| !d.is_empty()).collect();
    assert_eq!(days.len(), 31);
    assert_eq!(texts(&archive, &format!("{october} tbody tr:first-child td")), ["", "", "1", "2", "3", "4", "5"]);
    assert_eq!(attr(&archive, &format!("{october} a"), "href"), ["2025-10-24.html", "2025-10-25.html"]);
    assert_eq!(
        attr(&archive, &format!("{october} a"), "aria-label"),
        ["October 24, 2025: 18 papers", "October 25, 2025: 7 papers"]
    );
    // Shaded by count: more papers, a darker shade.
    let shades = attr(&archive, "td a", "class");
    assert_eq!(shades, ["l4", "l2", "l3"], "Oct 24 (18), Oct 25 (7), Jun 27 (9)");
}

#[test]
fn topic_pagers_show_the_first_nearby_and_last_pages() {
    let site = fixture("reader");
    let config = site.path().join("site.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    let everything = "[[topics]]\nname = \"Everything\"\nkeywords = [\"a\", \"we\"]\nmin_score = 1\n";
    std::fs::write(&config, format!("{text}\n{everything}\n[build]\npaginate_by = 1\n")).unwrap();
    build(site.path());
    let count = texts(&page(site.path(), "topics/everything.html"), ".lede")[0].clone();
    let total: usize = count.split(" paper").next().unwrap().parse().unwrap();
    assert!(total >= 9, "{count}");
    // Pages are numbered from the oldest; the latest is the topic's own page.
    let middle = page(site.path(), "topics/everything/5.html");
    let items = texts(&middle, ".pagination > *");
    let n = items.len();
    assert_eq!(
        [&items[0], &items[1], &items[n - 2], &items[n - 1]],
        ["← Newer", "Latest", "1", "Older →"],
        "{items:?}"
    );
    let nearby: Vec<&str> =
        items.iter().map(String::as_str).filter(|t| ["7", "6", "5", "4", "3"].contains(t)).collect();
    assert_eq!(nearby, ["7", "6", "5", "4", "3"], "{items:?}");
    assert_eq!(texts(&middle, ".pagination [aria-current=page]"), ["5"]);
    assert!(!texts(&middle, ".lede")[0].contains("newest first"), "only the latest page counts the papers");
    let latest = page(site.path(), "topics/everything.html");
    let items = texts(&latest, ".pagination > *");
    assert_eq!(items[0], "Latest");
    assert_eq!(texts(&latest, ".pagination [aria-current=page]"), ["Latest"]);
    assert_eq!(items[1], (total - 1).to_string(), "the newest full page comes next: {items:?}");
    assert_eq!(items.last().unwrap(), "Older →");
    // Page 1 holds the oldest paper, and stays as it is when papers are added.
    let oldest = page(site.path(), "topics/everything/1.html");
    assert_eq!(texts(&oldest, ".paper-list > li").len(), 1);
}

#[test]
fn the_search_page_suggests_topics_and_recent_days_and_the_index_knows_ids() {
    let site = fixture("reader");
    build(site.path());
    let search = page(site.path(), "search.html");
    let topics = texts(&search, "#search-start .chip");
    assert!(topics.len() >= 5 && topics.len() <= 12, "{topics:?}");
    assert_eq!(
        texts(&search, ".recent-days li"),
        ["Oct 25, 2025 7 papers", "Oct 24, 2025 18 papers", "Jun 27, 2025 9 papers"]
    );
    let index = std::fs::read_to_string(site.path().join("public/search/index.js")).unwrap();
    let json = index.trim_start_matches("paperpressSearchData(\"index\",").trim_end().trim_end_matches(");");
    let meta: serde_json::Value = serde_json::from_str(json).unwrap();
    let number = meta["ids"]["2510"]["19779"].as_u64().expect("the id of AdaSPEC is in the index") as usize;
    let record = &meta["doc_list"][number];
    assert_eq!(meta["names"]["url_affixes"], serde_json::json!(["papers/", ".html"]));
    assert_eq!(record[1], "2510.19779", "papers/2510.19779.html");
    assert_eq!(record[5], "Yuezhou Hu, Jiaxin Guo, Xinyu Feng, Tuo Zhao");
    assert_eq!(record[6], "https://github.com/yuezhouhu/adaspec");
}

fn node_and_chromium() -> bool {
    let chromium = std::env::var_os("PAPERPRESS_CHROMIUM").unwrap_or_else(|| "/usr/bin/chromium".into());
    Path::new(&chromium).is_file() && repo_root().join("tests/search/node_modules/playwright-core").is_dir()
}

#[test]
#[ignore = "needs chromium and node packages"]
fn the_readers_site_works_in_a_browser() {
    assert!(node_and_chromium(), "needs /usr/bin/chromium and `npm ci` in tests/search");
    let site = fixture("reader");
    build(site.path());
    let example = tempfile::tempdir().unwrap();
    let options = paperpress::BuildOptions { output: Some(example.path().join("site")), ..Default::default() };
    paperpress::build(&paperpress::config::Site::load(&repo_root()).unwrap(), &options).unwrap();
    let output = Command::new("node")
        .arg(repo_root().join("tests/search/reader.js"))
        .arg(site.path().join("public"))
        .arg(example.path().join("site"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    eprintln!("{stdout}{stderr}");
    assert!(output.status.success(), "reader.js failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("density: "), "{stdout}");
}

#[test]
fn an_ai_summary_shows_its_formulas_and_keywords_read_without_tex() {
    let site = tempfile::tempdir().unwrap();
    std::fs::write(site.path().join("site.toml"), "title = \"Digest\"\n").unwrap();
    let item = serde_json::json!({"paper": {
        "id": "2506.01320",
        "title": "Initial Particle Sampling",
        "summary": "We sample particles.",
        "submittedOnDailyAt": "2025-06-03T02:14:45.526Z",
        "ai_summary": "The framework $\\Psi$-Sampler uses \\textit{SMC} for <reward> alignment.",
        "ai_keywords": ["pass@\\textit{k}", "Sequential Monte Carlo"],
    }});
    std::fs::create_dir_all(site.path().join("content/digests")).unwrap();
    std::fs::write(site.path().join("content/digests/2025-06-03.json"), format!("[{item}]")).unwrap();
    build(site.path());
    let paper = page(site.path(), "papers/2506.01320.html");
    let short = texts(&paper, "p.tldr");
    assert_eq!(short, ["In short: The framework Ψ-Sampler uses SMC for <reward> alignment."], "{paper}");
    assert!(
        paper.contains("<p class=\"tldr\"><strong>In short:</strong> The framework <math"),
        "the formula as MathML"
    );
    assert!(paper.contains("for &lt;reward&gt; alignment"), "the rest escaped");
    assert_eq!(texts(&paper, "section.details dd")[0], "pass@k, Sequential Monte Carlo");
}
