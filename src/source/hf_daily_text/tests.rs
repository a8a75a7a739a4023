use std::path::Path;

use jiff::civil::date;

use super::parse;
use crate::markdown;

const CHROME: &str = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nDaily Papers\n\nbyAK and the research community\n\n";

fn long_abstract(topic: &str) -> String {
    format!(
        "We study {topic} in depth. Our method improves over strong baselines on many benchmarks, \
         and we release code and data. Experiments on several datasets show consistent gains, and \
         ablations explain where they come from. This paragraph is long enough to be an abstract."
    )
}

fn parse_ok(text: &str) -> super::Parsed {
    parse(text, Path::new("2025-08-06.txt"), Some(date(2025, 8, 6))).unwrap()
}

#[test]
fn pairs_titles_with_abstracts_and_skips_chrome() {
    let text =
        format!("{CHROME}Aug 6\n\nFirst Paper\n\n{}\n\nSecond Paper\n\n{}\n", long_abstract("a"), long_abstract("b"));
    let parsed = parse_ok(&text);
    let titles: Vec<&str> = parsed.papers.iter().map(|p| p.title.as_str()).collect();
    assert_eq!(titles, ["First Paper", "Second Paper"]);
    assert_eq!(parsed.papers[1].rank_on(date(2025, 8, 6)), Some(2));
    assert_eq!(parsed.papers[0].date(), date(2025, 8, 6));
    assert_eq!(parsed.papers[0].id, "first-paper");
    assert!(parsed.warnings.is_empty() && parsed.skipped.is_empty());
}

#[test]
fn tolerates_crlf_bom_trailing_spaces_and_url_lines() {
    let text = format!(
        "\u{feff}Aug 6  \r\n\r\nFirst Paper   \r\nhttps://arxiv.org/abs/2508.01234v2\r\n\r\n{}  \r\n\r\nSecond Paper\r\n\r\nhttps://huggingface.co/papers/2508.04321\r\n\r\n{}\r\n",
        long_abstract("a"),
        long_abstract("b")
    );
    let parsed = parse_ok(&text);
    assert_eq!(parsed.papers.len(), 2, "{:?}", parsed.warnings);
    assert_eq!(parsed.papers[0].title, "First Paper");
    assert_eq!(parsed.papers[0].id, "2508.01234");
    assert_eq!(parsed.papers[0].arxiv.as_deref(), Some("https://arxiv.org/abs/2508.01234"));
    assert_eq!(parsed.papers[1].id, "2508.04321");
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
}

#[test]
fn several_day_headings_start_several_days() {
    let text =
        format!("Aug 5\n\nOld Paper\n\n{}\n\nAug 6\n\nNew Paper\n\n{}\n", long_abstract("a"), long_abstract("b"));
    let parsed = parse_ok(&text);
    assert_eq!(parsed.papers[0].date(), date(2025, 8, 5));
    assert_eq!(parsed.papers[1].date(), date(2025, 8, 6));
    assert_eq!(parsed.papers[1].rank_on(date(2025, 8, 6)), Some(1), "rank restarts each day");
}

#[test]
fn heading_with_year_needs_no_date() {
    let text = format!("August 6, 2024\n\nA Paper\n\n{}\n", long_abstract("a"));
    let parsed = parse(&text, Path::new("copy.txt"), None).unwrap();
    assert_eq!(parsed.papers[0].date(), date(2024, 8, 6));
}

#[test]
fn missing_year_is_an_error_that_says_how_to_give_it() {
    let text = format!("Aug 6\n\nA Paper\n\n{}\n", long_abstract("a"));
    let err = parse(&text, Path::new("copy.txt"), None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "`copy.txt` line 1: the day heading `Aug 6` has no year: name the file after its date (like `2025-08-06.txt`) or pass `--date YYYY-MM-DD`"
    );
}

#[test]
fn papers_without_any_heading_take_the_given_date() {
    let text = format!("A Paper\n\n{}\n", long_abstract("a"));
    let parsed = parse(&text, Path::new("x.txt"), Some(date(2025, 1, 2))).unwrap();
    assert_eq!(parsed.papers[0].date(), date(2025, 1, 2));
    let err = parse(&text, Path::new("x.txt"), None).unwrap_err();
    assert!(err.to_string().starts_with("`x.txt` line 1: this paper comes before any day heading"), "{err}");
}

#[test]
fn impossible_date_is_an_error() {
    let err = parse("Feb 30\n\nA\n\nB\n", Path::new("x.txt"), Some(date(2025, 3, 1))).unwrap_err();
    assert_eq!(err.to_string(), "`x.txt` line 1: `Feb 30` is not a real date");
}

#[test]
fn a_title_without_abstract_is_skipped_with_a_warning() {
    let text = format!("Aug 6\n\nLonely Title\n\nSecond Paper\n\n{}\n\nDangling Title\n", long_abstract("b"));
    let parsed = parse_ok(&text);
    let titles: Vec<&str> = parsed.papers.iter().map(|p| p.title.as_str()).collect();
    assert_eq!(titles, ["Second Paper"]);
    assert_eq!(
        parsed.warnings.iter().map(ToString::to_string).collect::<Vec<_>>(),
        [
            "`2025-08-06.txt` line 3: \"Lonely Title\" has no abstract after it and was skipped as not a paper",
            "`2025-08-06.txt` line 9: \"Dangling Title\" has no abstract after it and was skipped as not a paper",
        ]
    );
}

#[test]
fn a_copy_of_titles_alone_keeps_its_titles() {
    let parsed = parse_ok("Aug 6\n\nFirst Paper Title\n\nSecond Paper Title\n\n39\n\nakhaliq\n");
    let titles: Vec<&str> = parsed.papers.iter().map(|p| p.title.as_str()).collect();
    assert_eq!(titles, ["First Paper Title", "Second Paper Title"]);
    assert_eq!(parsed.papers[0].body, "");
    assert_eq!(
        parsed.warnings[0].to_string(),
        "`2025-08-06.txt` line 3: title with no abstract after it: \"First Paper Title\" (kept without an abstract)"
    );
    assert_eq!(
        parsed.notes.iter().map(ToString::to_string).collect::<Vec<_>>(),
        ["`2025-08-06.txt`: 2 lines that are not part of a paper (page navigation, vote and author counts) skipped"]
    );
}

const LIVE_PAGE: &str = include_str!("../../../tests/fixtures/import/live-page-2025-08-06.txt");
const LIVE_PAGE_NO_BLANKS: &str =
    include_str!("../../../tests/fixtures/import/live-page-no-blank-lines-2025-08-06.txt");

#[test]
fn a_copy_of_the_live_page_gives_its_papers_and_skips_the_navigation() {
    for text in [LIVE_PAGE, LIVE_PAGE_NO_BLANKS] {
        let parsed = parse_ok(text);
        let titles: Vec<&str> = parsed.papers.iter().map(|p| p.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "AstroM$^3$: A self-supervised multimodal model for astronomy",
                "Towards robust audio spoofing detection: a detailed comparison of traditional and learned features",
                "ComPile: A Large IR Dataset from Production Sources",
                "Lessons Learned from the 1st ARIEL Machine Learning Challenge: Correcting Transiting Exoplanet Light Curves for Stellar Spots",
            ]
        );
        assert!(parsed.papers.iter().all(|p| p.body.len() > 500 && p.date() == date(2025, 8, 6)));
        assert_eq!(parsed.papers[3].rank_on(date(2025, 8, 6)), Some(4));
        assert!(parsed.warnings.is_empty() && parsed.skipped.is_empty(), "{:?} {:?}", parsed.warnings, parsed.skipped);
        assert_eq!(
            parsed.notes.iter().map(ToString::to_string).collect::<Vec<_>>(),
            [
                "`2025-08-06.txt`: 48 lines that are not part of a paper (page navigation, vote and author counts) skipped"
            ]
        );
    }
}

#[test]
fn an_author_line_between_title_and_abstract_gives_the_authors() {
    let text =
        format!("Aug 6\n\nA Paper Title\n\nAda Lovelace, Alan M. Turing, Grace Hopper\n\n{}\n", long_abstract("a"));
    let parsed = parse_ok(&text);
    assert_eq!(parsed.papers.len(), 1, "{:?}", parsed.warnings);
    assert_eq!(parsed.papers[0].title, "A Paper Title");
    assert_eq!(parsed.papers[0].authors, ["Ada Lovelace", "Alan M. Turing", "Grace Hopper"]);
}

#[test]
fn a_heading_that_disagrees_with_the_file_name_is_a_warning() {
    let text = format!("Aug 6\n\nA Paper\n\n{}\n", long_abstract("a"));
    let parsed = crate::source::parse_text(&text, Path::new("2025-09-10.txt"), None, None).unwrap();
    assert_eq!(parsed.papers[0].date(), date(2025, 8, 6));
    assert_eq!(
        parsed.warnings.iter().map(ToString::to_string).collect::<Vec<_>>(),
        [
            "`2025-09-10.txt` line 1: the file name says 2025-09-10 but the day heading `Aug 6` says 2025-08-06: its papers are filed under 2025-08-06; rename the file or fix the heading"
        ]
    );
    let given = crate::source::parse_text(&text, Path::new("copy.txt"), None, Some(date(2025, 9, 10))).unwrap();
    assert!(given.warnings[0].message.starts_with("`--date` says 2025-09-10 but"), "{:?}", given.warnings);
    let several = format!("Aug 5\n\nOld\n\n{}\n\nAug 6\n\nNew\n\n{}\n", long_abstract("a"), long_abstract("b"));
    let agree = crate::source::parse_text(&several, Path::new("2025-08-06.txt"), None, None).unwrap();
    assert!(agree.warnings.is_empty(), "one of the headings is the file's date");
}

#[test]
fn short_abstracts_still_pair() {
    let parsed = parse_ok("Aug 6\n\nTitle A\n\nShort abstract A.\n\nTitle B\n\nShort abstract B.\n");
    let pairs: Vec<(String, String)> = parsed.papers.iter().map(|p| (p.title.clone(), p.body.clone())).collect();
    assert_eq!(
        pairs,
        [
            ("Title A".to_string(), "Short abstract A.".to_string()),
            ("Title B".to_string(), "Short abstract B.".to_string())
        ]
    );
}

#[test]
fn paragraph_without_title_is_skipped_with_its_line() {
    let text = format!("Aug 6\n\n{}\n\nA Paper\n\n{}\n", long_abstract("orphan"), long_abstract("a"));
    let parsed = parse_ok(&text);
    assert_eq!(parsed.papers.len(), 1);
    assert_eq!(parsed.skipped.len(), 1);
    assert!(
        parsed.skipped[0]
            .to_string()
            .starts_with("`2025-08-06.txt` line 3: paragraph with no title before it was skipped: \"We study orphan")
    );
}

#[test]
fn empty_and_chrome_only_files_are_errors() {
    let err = parse("", Path::new("e.txt"), None).unwrap_err();
    assert!(err.to_string().starts_with("`e.txt`: the file is empty: expected a day heading"), "{err}");
    let err = parse("  \n\r\n", Path::new("e.txt"), None).unwrap_err();
    assert!(err.to_string().starts_with("`e.txt`: the file is empty"), "{err}");
    let err = parse(CHROME, Path::new("c.txt"), None).unwrap_err();
    assert!(err.to_string().starts_with("`c.txt`: the file holds only page navigation"), "{err}");
}

#[test]
fn binary_garbage_is_an_error() {
    let garbage: String = (0u8..=255).map(char::from).collect();
    let err = parse(&garbage, Path::new("b.txt"), None).unwrap_err();
    assert_eq!(err.to_string(), "`b.txt`: this looks like a binary file, not a text copy of a papers page");
}

#[test]
fn duplicated_paper_on_one_day_is_merged_with_a_warning() {
    let text = format!("Aug 6\n\nSame Paper\n\n{}\n\nSame Paper\n\n{}\n", long_abstract("a"), long_abstract("a"));
    let parsed = parse_ok(&text);
    assert_eq!(parsed.papers.len(), 1);
    assert!(parsed.warnings[0].to_string().contains("\"Same Paper\" is listed twice on 2025-08-06"));
}

#[test]
fn html_in_title_and_abstract_stays_text() {
    let text =
        "Aug 6\n\n<script>alert(1)</script> Title\n\nAbstract with <img src=x onerror=alert(2)> and <b>tags</b>.\n";
    let parsed = parse_ok(text);
    let paper = &parsed.papers[0];
    assert_eq!(paper.title, "<script>alert(1)</script> Title");
    let html = markdown::to_html(&paper.body, markdown::Trust::Imported);
    assert!(!html.contains("<img") && !html.contains("<b>"), "{html}");
    assert!(html.contains("&lt;img src=x onerror=alert(2)&gt;"), "{html}");
    assert!(crate::paper::validate_id(&paper.id).is_some());
    assert!(!paper.id.contains('<') && !paper.id.contains('/'));
}

#[test]
fn links_and_tex_accents_are_extracted() {
    let text = "Aug 6\n\nThe Fr\\'echet Paper\n\nBail\\'ing is here. Code: https://github.com/a/b. Demo at https://a.github.io/demo/ and video https://youtu.be/x.\n";
    let paper = &parse_ok(text).papers[0];
    assert_eq!(paper.title, "The Fréchet Paper");
    assert!(paper.body.starts_with("Bailíng is here."), "{}", paper.body);
    assert_eq!(paper.code, ["https://github.com/a/b"]);
    assert_eq!(paper.project.as_deref(), Some("https://a.github.io/demo/"));
}

#[test]
fn canonical_digest_yields_72_papers_cleanly() {
    let text = include_str!("../../../content/digests/2025-08-06.txt");
    let parsed = crate::source::parse_text(text, Path::new("content/digests/2025-08-06.txt"), None, None).unwrap();
    assert_eq!(parsed.papers.len(), 72);
    assert!(
        parsed.papers.iter().all(|p| p.date() == date(2025, 8, 6) && p.days.len() == 1),
        "the year comes from the file name"
    );
    assert!(parsed.warnings.is_empty() && parsed.skipped.is_empty(), "{:?} {:?}", parsed.warnings, parsed.skipped);
    assert_eq!(parsed.papers[0].title, "AstroM$^3$: A self-supervised multimodal model for astronomy");
    assert_eq!(
        parsed.papers[71].title,
        "Score Forgetting Distillation: A Swift, Data-Free Method for Machine Unlearning in Diffusion Models"
    );
    let bailing = parsed.papers.iter().find(|p| p.body.contains("Bailíng")).expect("the Ling paper mentions Bailíng");
    assert!(bailing.title.starts_with("Every FLOP Counts"));
    let mut ids: Vec<&str> = parsed.papers.iter().map(|p| p.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 72, "every paper gets its own id");
}
