use std::path::Path;

use jiff::civil::date;

use super::parse;
use crate::source::Parsed;

const NEW_SCHEMA: &str = include_str!("../../../tests/fixtures/import/hf-daily-papers-2025-10-24.json");
const OLD_SCHEMA: &str = include_str!("../../../tests/fixtures/import/hf-daily-papers-2024-05-27.json");

fn parse_ok(text: &str, name: &str) -> Parsed {
    parse(text, Path::new(name), None).unwrap_or_else(|e| panic!("{e}"))
}

fn messages(errors: &[crate::error::ImportError]) -> Vec<String> {
    errors.iter().map(ToString::to_string).collect()
}

#[test]
fn newer_schema_fills_every_field() {
    let parsed = parse_ok(NEW_SCHEMA, "hf.json");
    assert_eq!(parsed.papers.len(), 18);
    assert!(parsed.skipped.is_empty() && parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    let p = &parsed.papers[0];
    assert_eq!(p.id, "2510.19779");
    assert_eq!(
        p.title, "AdaSPEC: Selective Knowledge Distillation for Efficient Speculative Decoders",
        "hard wrap unwrapped"
    );
    assert_eq!(p.authors, ["Yuezhou Hu", "Jiaxin Guo", "Xinyu Feng", "Tuo Zhao"]);
    assert_eq!(p.days[0].date, date(2025, 10, 24), "the Daily Papers date, not the arXiv date");
    assert_eq!(p.rank_on(date(2025, 10, 24)), Some(1));
    assert_eq!(p.published, Some(date(2025, 10, 22)));
    assert_eq!(p.arxiv.as_deref(), Some("https://arxiv.org/abs/2510.19779"));
    assert_eq!(p.pdf.as_deref(), Some("https://arxiv.org/pdf/2510.19779"));
    assert_eq!(p.code, ["https://github.com/yuezhouhu/adaspec"]);
    assert_eq!((p.upvotes, p.github_stars), (Some(39), Some(0)));
    assert_eq!(p.ai_keywords.len(), 10);
    assert!(p.ai_summary.as_deref().unwrap().starts_with("AdaSPEC enhances speculative decoding"));
    assert!(p.body.starts_with("Speculative Decoding (SD) accelerates"));
    assert_eq!(p.source.as_deref(), Some("hf.json"));

    let open_o3 = &parsed.papers[1];
    assert_eq!(open_o3.project.as_deref(), Some("https://marinero4972.github.io/projects/Open-o3-Video/"));
    assert_eq!(open_o3.code, ["https://github.com/marinero4972/Open-o3-Video"]);
    assert_eq!(open_o3.rank_on(date(2025, 10, 24)), Some(2));
}

#[test]
fn a_dollar_that_is_not_tex_stays_in_the_title() {
    let parsed = parse_ok(NEW_SCHEMA, "hf.json");
    let page = parsed.papers.iter().find(|p| p.id == "2510.19600").unwrap();
    assert_eq!(page.title, "Human-Agent Collaborative Paper-to-Page Crafting for Under $0.1");
}

#[test]
fn oldest_schema_takes_the_day_from_the_listing() {
    let parsed = parse_ok(OLD_SCHEMA, "daily.json");
    assert_eq!(parsed.papers.len(), 13);
    let p = &parsed.papers[0];
    assert_eq!(p.title, "ConvLLaVA: Hierarchical Backbones as Visual Encoder for Large Multimodal Models");
    assert_eq!(p.days[0].date, date(2024, 5, 27), "top-level publishedAt: when it was put on Daily Papers");
    assert_eq!(p.published, Some(date(2024, 5, 24)));
    assert_eq!(p.authors.len(), 9);
    assert!(p.project.is_none() && p.ai_keywords.is_empty() && p.github_stars.is_none());
}

#[test]
fn the_date_given_beats_the_listing_time_but_not_submitted_on_daily_at() {
    let given = Some(date(2024, 5, 28));
    let old = parse(OLD_SCHEMA, Path::new("daily.json"), given).unwrap();
    assert!(old.papers.iter().all(|p| p.date() == date(2024, 5, 28)));
    let new = parse(NEW_SCHEMA, Path::new("daily.json"), given).unwrap();
    assert!(new.papers.iter().all(|p| p.date() == date(2025, 10, 24)));
}

#[test]
fn a_single_paper_object_parses() {
    let text = r#"{"id": "2510.19779v2", "title": "AdaSPEC:\n  Decoders", "summary": "Text.",
        "authors": [{"name": "Yuezhou Hu"}, {"_id": "x"}], "submittedOnDailyAt": "2025-10-24T02:14:45.526Z",
        "githubRepo": "https://github.com/yuezhouhu/adaspec", "newField": {"any": [1, 2]}}"#;
    let parsed = parse_ok(text, "paper.json");
    assert_eq!(parsed.papers.len(), 1);
    let p = &parsed.papers[0];
    assert_eq!((p.id.as_str(), p.title.as_str()), ("2510.19779", "AdaSPEC: Decoders"), "the version collapses");
    assert_eq!(p.authors, ["Yuezhou Hu"], "an author without a name is left out");
    assert_eq!(p.date(), date(2025, 10, 24));
}

#[test]
fn missing_optional_fields_are_fine() {
    let parsed =
        parse(r#"[{"paper": {"title": "Only a Title"}}]"#, Path::new("x.json"), Some(date(2025, 1, 2))).unwrap();
    let p = &parsed.papers[0];
    assert_eq!((p.id.as_str(), p.body.as_str()), ("only-a-title", ""));
    assert!(p.arxiv.is_none() && p.authors.is_empty() && p.upvotes.is_none());
    assert_eq!(parse_ok("[]", "x.json").papers.len(), 0, "a day without papers is not an error");
}

#[test]
fn imported_text_is_escaped_markdown() {
    let text = r#"[{"paper": {"id": "2501.00001", "title": "T", "summary": "A <script>alert(1)</script> *b*",
        "submittedOnDailyAt": "2025-01-02T00:00:00Z"}}]"#;
    let body = &parse_ok(text, "x.json").papers[0].body;
    assert_eq!(body, r"A \<script>alert(1)\</script> \*b\*");
}

const PYTHON: &str = include_str!("../../../tests/fixtures/import/python-repr-2024-12-11.json");
const PYTHON_AS_JSON: &str = include_str!("../../../tests/fixtures/import/python-repr-2024-12-11.as-json.json");
const ENVELOPE: &str = include_str!("../../../tests/fixtures/import/python-repr-envelope-2025-01-10.json");

/// Everything a paper page shows, to compare two readings of one paper.
fn pages(parsed: &Parsed) -> Vec<String> {
    parsed.papers.iter().map(|p| p.to_page()).collect()
}

#[test]
fn python_repr_strings_read_as_the_same_papers_with_one_warning() {
    let day = Some(date(2024, 12, 11));
    let python = parse(PYTHON, Path::new("2024-12-11.json"), day).unwrap();
    let json = parse(PYTHON_AS_JSON, Path::new("2024-12-11.json"), day).unwrap();
    assert_eq!(python.papers.len(), 3);
    assert_eq!(pages(&python), pages(&json), "the same papers, field for field");
    assert!(python.papers[0].body.contains("there remains"), "`\\n` escapes read: {}", python.papers[0].body);
    assert_eq!(
        messages(&python.warnings),
        [
            "`2024-12-11.json` line 2, column 5: the items are Python literals (`{'paper': ...}`), not JSON: read as Python; save the API response itself (`curl -o`) to get JSON"
        ]
    );
    assert!(python.skipped.is_empty() && json.warnings.is_empty());
    let dicts =
        parse("[{'paper': {'id': '2501.00001', 'title': 'Dict', 'upvotes': 3}}]", Path::new("d.json"), day).unwrap();
    assert_eq!((dicts.papers[0].title.as_str(), dicts.papers[0].upvotes), ("Dict", Some(3)));
}

#[test]
fn a_wrapped_response_reads_its_data() {
    let parsed = parse(ENVELOPE, Path::new("archive.json"), None).unwrap();
    assert_eq!(parsed.papers.len(), 2, "{:?}", parsed.skipped);
    assert!(parsed.papers.iter().all(|p| p.date() == date(2025, 1, 10)), "{:?}", parsed.papers[0].days);
    assert_eq!(parsed.warnings.len(), 1, "one warning for the file");
    assert_eq!(parsed.warnings[0].line, Some(6));
}

#[test]
fn a_python_item_that_cannot_be_read_names_its_line_and_column() {
    let text = "[\n  \"{'paper': {'id': '2501.00001', 'title': 'A\\\\'s', 'x': datetime(1)}}\",\n  \"{'paper': {'id': '2501.00002', 'title': 'Fine'}}\"\n]";
    let parsed = parse(text, Path::new("2025-01-02.json"), Some(date(2025, 1, 2))).unwrap();
    assert_eq!(parsed.papers.iter().map(|p| p.title.as_str()).collect::<Vec<_>>(), ["Fine"]);
    assert_eq!(
        messages(&parsed.skipped),
        [
            "`2025-01-02.json` line 2, column 58: item 1 was skipped: it is not a Python literal: `datetime` is a call, not a Python literal (text, number, list, dict, True, False or None)"
        ]
    );
    assert_eq!(text.lines().nth(1).unwrap().chars().skip(57).take(8).collect::<String>(), "datetime");
}

#[test]
fn an_empty_day_says_so() {
    for text in ["[]", "[\n]\n", "{\"status\": \"success\", \"date\": \"2025-01-04\", \"data\": []}"] {
        let parsed = parse_ok(text, "2025-01-04.json");
        assert!(parsed.papers.is_empty() && parsed.skipped.is_empty() && parsed.warnings.is_empty());
        assert_eq!(
            messages(&parsed.notes),
            [
                "`2025-01-04.json`: no papers on this day: the list is empty (the API answers `[]` for a day without papers); no day page is made"
            ],
            "{text}"
        );
    }
}

#[test]
fn json_that_is_not_daily_papers_says_what_it_looks_like() {
    let err = |text: &str| parse(text, Path::new("x.json"), None).unwrap_err().to_string();
    assert_eq!(
        err("{\"name\": \"paperpress\", \"version\": \"1.0\", \"dependencies\": {}}"),
        "`x.json` line 1, column 1: this is not Daily Papers JSON: its first item is an object with the keys `dependencies`, `name`, `version`; expected a list of Daily Papers items (`[{\"paper\": {\"id\": ...}}]`) or one paper object (`{\"id\": ..., \"title\": ...}`)"
    );
    assert!(err("{\"error\": \"Invalid date\"}").contains("it is an error response (`Invalid date`)"));
    assert_eq!(
        err("[1, 2, 3]"),
        "`x.json` line 1, column 2: this is not Daily Papers JSON: item 1 is a number; expected an object like `{\"paper\": {\"id\": ...}}`"
    );
    assert!(err("[\"just text\"]").contains("this is not Daily Papers JSON: item 1 is a string, not an object"));
}

#[test]
fn item_numbers_count_from_one() {
    let parsed = parse_ok("{\"id\": \"bad id\", \"title\": \"T\"}", "x.json");
    assert_eq!(
        messages(&parsed.skipped),
        [
            "`x.json` line 1, column 8: item 1 was skipped: `bad id` is not an arXiv id; expected `paper.id` like `2510.19779`"
        ]
    );
}

#[test]
fn a_bad_optional_field_is_left_out_and_the_paper_kept() {
    let text = r#"[
  {"paper": {"id": "2510.00001", "title": "Huge", "upvotes": 1e30, "submittedOnDailyAt": "2025-10-24T01:00:00Z"}},
  {"paper": {"id": "2510.00002", "title": "Words", "upvotes": "many", "githubStars": -3, "ai_keywords": "llm",
     "authors": [{"name": "Ada"}, {"name": 7}], "submittedOnDailyAt": "2025-10-24T01:00:00Z"}},
  {"paper": {"id": "2510.00003", "title": "Whole", "upvotes": 12.0, "summary": 5, "submittedOnDailyAt": "2025-10-24T01:00:00Z"}}
]"#;
    let parsed = parse_ok(text, "bad.json");
    let kept: Vec<_> = parsed.papers.iter().map(|p| (p.id.as_str(), p.upvotes, p.github_stars)).collect();
    assert_eq!(kept, [("2510.00001", None, None), ("2510.00002", None, None), ("2510.00003", Some(12), None)]);
    assert_eq!(parsed.papers[1].authors, ["Ada"]);
    assert!(parsed.skipped.is_empty());
    let warnings = messages(&parsed.warnings);
    assert_eq!(
        warnings,
        [
            "`bad.json` line 2, column 62: item 1 (2510.00001): `upvotes` was left out: it is `1e30`; expected a whole number, 0 or more",
            "`bad.json` line 4, column 44: item 2 (2510.00002): `authors` was left out: it is `7`; expected text in quotes",
            "`bad.json` line 3, column 63: item 2 (2510.00002): `upvotes` was left out: it is `\"many\"`; expected a whole number, 0 or more",
            "`bad.json` line 3, column 86: item 2 (2510.00002): `githubStars` was left out: it is `-3`; expected a whole number, 0 or more",
            "`bad.json` line 3, column 105: item 2 (2510.00002): `ai_keywords` was left out: it is `\"llm\"`; expected a list of texts",
            "`bad.json` line 5, column 80: item 3 (2510.00003): `summary` was left out: it is `5`; expected text in quotes",
        ]
    );
    for w in &warnings {
        assert!(!w.contains("u64") && !w.contains("i128") && !w.contains("invalid type"), "{w}");
    }
}

#[test]
fn truncated_json_keeps_the_items_before_the_cut() {
    let cut = &NEW_SCHEMA[..NEW_SCHEMA.find("\"2510.19600\"").unwrap()];
    let parsed = parse_ok(cut, "cut.json");
    assert_eq!(parsed.papers.len(), 2);
    let last_line = cut.lines().count();
    let last_column = cut.lines().last().unwrap().chars().count() + 1;
    assert_eq!(
        messages(&parsed.skipped),
        [format!(
            "`cut.json` line {last_line}, column {last_column}: the file ends inside item 3 (which starts on line 232): the JSON is truncated; expected the rest of the item, then `]`"
        )]
    );
    let err = parse("[\n  {\"paper\": {\"id\": \"2501.0", Path::new("cut.json"), None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "`cut.json` line 2, column 27: the file ends inside item 1 (which starts on line 2): the JSON is truncated; expected the rest of the item, then `]`"
    );
}

#[test]
fn bad_items_are_skipped_with_their_place_and_the_good_ones_kept() {
    let text = r#"[
  {"paper": {"id": "../../etc/passwd", "title": "Evil", "submittedOnDailyAt": "2025-10-24T01:00:00Z"}},
  {"paper": {"id": "2510.00001", "summary": "No title here.", "submittedOnDailyAt": "2025-10-24T01:00:00Z"}},
  {"paper": {"id": "2510.00002", "title": "Typed", "upvotes": "many", "submittedOnDailyAt": "2025-10-24T01:00:00Z"}},
  {"paper": {"id": "2510.00003", "title": "Good", "githubRepo": "javascript:alert(1)", "submittedOnDailyAt": "2025-10-24T01:00:00Z"}},
  {"paper": {"id": "2510.00004", "title": "Undated"}},
  42
]"#;
    let parsed = parse_ok(text, "bad.json");
    assert_eq!(parsed.papers.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(), ["2510.00002", "2510.00003"]);
    assert_eq!(parsed.papers[1].rank_on(date(2025, 10, 24)), Some(2));
    assert!(parsed.papers[1].code.is_empty());
    assert_eq!(
        messages(&parsed.skipped),
        [
            "`bad.json` line 2, column 20: item 1 was skipped: `../../etc/passwd` is not an arXiv id; expected `paper.id` like `2510.19779`",
            "`bad.json` line 3, column 3: item 2 (2510.00001) was skipped: it has no title; expected a non-empty `paper.title`",
            "`bad.json` line 6, column 3: item 5 (2510.00004) was skipped: it has no Daily Papers date (`submittedOnDailyAt`): name the file after its date (like `2025-10-24.json`) or pass `--date YYYY-MM-DD`",
            "`bad.json` line 7, column 3: item 6 was skipped: it is a number; expected an object like `{\"paper\": {\"id\": ...}}`",
        ]
    );
    assert_eq!(
        messages(&parsed.warnings),
        [
            "`bad.json` line 4, column 63: item 3 (2510.00002): `upvotes` was left out: it is `\"many\"`; expected a whole number, 0 or more",
            "`bad.json` line 5, column 65: item 4 (2510.00003): `githubRepo` is not a web link and was left out: `javascript:alert(1)`"
        ]
    );
}

#[test]
fn text_that_is_not_json_names_what_was_expected() {
    let err = parse("Aug 6\n\nA title", Path::new("copy.json"), None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "`copy.json` line 1, column 1: found `A` where the JSON starts: expected a list of Daily Papers items (`[{\"paper\": ...}]`) or one paper object (`{\"id\": ...}`)"
    );
}

#[test]
fn an_item_too_large_to_keep_is_skipped() {
    let huge = "x".repeat((16 << 20) + 10);
    let text = format!(
        "[{{\"paper\": {{\"id\": \"2501.00001\", \"title\": \"Huge\", \"summary\": \"{huge}\"}}}},\n {{\"paper\": {{\"id\": \"2501.00002\", \"title\": \"Small\"}}}}]"
    );
    let parsed = parse(&text, Path::new("x.json"), Some(date(2025, 1, 2))).unwrap();
    assert_eq!(parsed.papers.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(), ["2501.00002"]);
    assert_eq!(messages(&parsed.skipped), ["`x.json` line 1, column 2: item 1 was skipped: it is larger than 16 MiB"]);
}

#[test]
fn a_well_formed_list_parses_as_the_scanner_reads_it() {
    // `parse` splits a valid list with serde_json; the streaming scanner
    // must give the same papers, skips, warnings and positions.
    let handmade = concat!(
        "\u{feff}[\n  {\"paper\": {\"id\": \"2501.00001\", \"title\": \"Ünïcode — first\", \"summary\": \"A.\"}},\n",
        "  \"a string item\",\n",
        "  {\"paper\": {\"id\": \"not-an-id\", \"title\": \"Bad id\"}},   {\"paper\": {\"id\": \"2501.00002\",\n",
        "    \"title\": \"Second\", \"githubRepo\": \"javascript:alert(1)\", \"projectPage\": \"ftp://x\"}},\n",
        "  true, 42, null, [1], {\"paper\": {\"title\": \"\"}},\n",
        "  {\"paper\": {\"id\": \"2501.00003\", \"title\": \"Third\", \"upvotes\": \"many\"}}\n]\n"
    );
    for (name, text) in [("new.json", NEW_SCHEMA), ("old.json", OLD_SCHEMA), ("2025-01-02.json", handmade)] {
        let text = text.trim_start_matches('\u{feff}');
        assert!(
            serde_json::from_str::<Vec<&serde_json::value::RawValue>>(text).is_ok(),
            "{name} takes the whole-list path"
        );
        let day = Some(date(2025, 1, 2));
        let fast = parse(text, Path::new(name), day);
        let slow = super::super::record::collect(super::records(text.as_bytes(), Path::new(name), day));
        let summary = |p: Result<Parsed, crate::error::ImportError>| match p {
            Ok(p) => format!(
                "{:?}\n{:?}\n{:?}",
                p.papers
                    .iter()
                    .map(|p| (&p.id, &p.title, &p.days, &p.code, &p.project, &p.upvotes))
                    .collect::<Vec<_>>(),
                messages(&p.skipped),
                messages(&p.warnings)
            ),
            Err(e) => format!("error: {e}"),
        };
        let (fast, slow) = (summary(fast), summary(slow));
        assert_eq!(fast, slow, "{name}");
        if name == "2025-01-02.json" {
            assert!(fast.contains("\"2501.00002\"") && fast.contains("line 7, column 63: item 10"), "{fast}");
            assert!(fast.contains("`githubRepo` is not a web link"), "{fast}");
        }
    }
}
