use std::path::Path;

use jiff::civil::date;

use super::parse;
use crate::source::Parsed;

const LEGACY: &str = include_str!("../../../tests/fixtures/import/arxiv-atom-2016-search.xml");
const CURRENT: &str = include_str!("../../../tests/fixtures/import/arxiv-atom-2026-id-list.xml");

fn parse_ok(text: &str) -> Parsed {
    parse(text, Path::new("feed.xml"), None).unwrap_or_else(|e| panic!("{e}"))
}

fn messages(errors: &[crate::error::ImportError]) -> Vec<String> {
    errors.iter().map(ToString::to_string).collect()
}

fn feed(entries: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:arxiv=\"http://arxiv.org/schemas/atom\">\n{entries}</feed>\n"
    )
}

#[test]
fn legacy_layout_with_namespaces_on_each_element() {
    let parsed = parse_ok(LEGACY);
    assert_eq!(parsed.papers.len(), 10);
    assert!(parsed.skipped.is_empty() && parsed.warnings.is_empty());
    let p = &parsed.papers[0];
    assert_eq!(p.id, "1201.4869");
    assert_eq!(p.title, "A Luttinger Liquid Core Inside Helium-4 Filled Nanopores");
    assert_eq!(p.authors, ["Adrian Del Maestro"]);
    assert_eq!(p.categories, ["cond-mat.mes-hall", "cond-mat.other"]);
    assert_eq!(p.primary_category.as_deref(), Some("cond-mat.mes-hall"));
    assert_eq!(p.doi.as_deref(), Some("10.1142/S021797921244002X"));
    assert_eq!(p.journal_ref.as_deref(), Some("Int. J. Mod. Phys. B, 26, 1244002 (2012)"));
    assert_eq!(p.comment.as_deref(), Some("26 pages, 10 figures"));
    assert_eq!(p.arxiv.as_deref(), Some("https://arxiv.org/abs/1201.4869"));
    assert_eq!(p.pdf.as_deref(), Some("https://arxiv.org/pdf/1201.4869"));
    assert_eq!((p.date(), p.published), (date(2012, 1, 23), Some(date(2012, 1, 23))));
    assert!(
        p.body.starts_with("As helium-4 is cooled below 2.17 K it undergoes a phase transition to a fundamentally")
    );

    let old_style = &parsed.papers[1];
    assert_eq!(old_style.id, "cond-mat/0412498");
    assert_eq!(old_style.file_stem(), "cond-mat_0412498");
    assert_eq!(old_style.authors, ["Adrian Del Maestro", "Subir Sachdev"]);
    assert!(old_style.body.contains(r#"ordering on the square lattice (p >= 3, integer)"#), "entities decoded");
    let wrapped = &parsed.papers[2];
    assert_eq!(
        wrapped.title,
        "From stripe to checkerboard order on the square lattice in the presence of quenched disorder"
    );
}

#[test]
fn current_layout_with_namespaces_on_the_feed() {
    let parsed = parse_ok(CURRENT);
    assert_eq!(parsed.papers.len(), 1);
    let p = &parsed.papers[0];
    assert_eq!((p.id.as_str(), p.title.as_str()), ("1605.08386", "Heat-bath random walks with Markov bases"));
    assert_eq!(p.authors, ["Caprice Stanley", "Tobias Windisch"]);
    assert_eq!(p.categories, ["math.CO", "math.ST"]);
    assert_eq!(p.comment.as_deref(), Some("20 pages, 3 figures"));
    assert_eq!(p.doi, None);
}

#[test]
fn order_and_prefixes_do_not_matter() {
    let entry = r#"<a:entry xmlns:a="http://www.w3.org/2005/Atom">
  <x:primary_category xmlns:x="http://arxiv.org/schemas/atom" term="cs.CL"/>
  <a:author><a:name>B. Author</a:name></a:author>
  <a:category term="cs.LG"/><a:category term="cs.CL"/>
  <a:summary>Text &amp; more.</a:summary>
  <a:published>2024-02-03T10:00:00Z</a:published>
  <a:title>Reordered</a:title>
  <a:id>https://arxiv.org/abs/2402.01234v3</a:id>
  <arxiv:doi>10.1/x</arxiv:doi>
</a:entry>
"#;
    let p = &parse_ok(&feed(entry)).papers[0];
    assert_eq!((p.id.as_str(), p.title.as_str()), ("2402.01234", "Reordered"));
    assert_eq!(p.categories, ["cs.CL", "cs.LG"], "primary first, no duplicate");
    assert_eq!(p.authors, ["B. Author"]);
    assert_eq!(p.doi.as_deref(), Some("10.1/x"));
    assert_eq!(p.body, "Text & more.");
}

#[test]
fn elements_of_other_namespaces_are_not_taken() {
    let entry = r#"<entry><id>http://arxiv.org/abs/2402.01234</id><title>Real</title>
  <published>2024-02-03T10:00:00Z</published>
  <other:title xmlns:other="urn:x">Fake</other:title>
  <other:comment xmlns:other="urn:x">not arXiv's</other:comment>
</entry>
"#;
    let p = &parse_ok(&feed(entry)).papers[0];
    assert_eq!(p.title, "Real");
    assert_eq!(p.comment, None);
}

#[test]
fn the_date_given_is_the_digest_day() {
    let parsed = parse(LEGACY, Path::new("feed.xml"), Some(date(2016, 10, 9))).unwrap();
    assert!(parsed.papers.iter().all(|p| p.date() == date(2016, 10, 9)));
    let ranks: Vec<_> = parsed.papers.iter().map(|p| p.rank_on(date(2016, 10, 9)).unwrap()).collect();
    assert_eq!(ranks, (1..=10).collect::<Vec<_>>());
    assert_eq!(parsed.papers[0].published, Some(date(2012, 1, 23)));
}

#[test]
fn xml_that_is_not_an_atom_feed_is_rejected() {
    let err = parse("<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel/></rss>\n", Path::new("news.xml"), None)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "`news.xml` line 2, column 1: not an Atom feed: the root element is `<rss>`; expected `<feed xmlns=\"http://www.w3.org/2005/Atom\">` as the arXiv API returns"
    );
    let err = parse("<feed><entry/></feed>", Path::new("plain.xml"), None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "`plain.xml` line 1, column 1: not an Atom feed: the root element `<feed>` is not in the Atom namespace; expected `<feed xmlns=\"http://www.w3.org/2005/Atom\">` as the arXiv API returns"
    );
    let err = parse("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n  <entry>\n  </feed>", Path::new("bad.xml"), None)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "`bad.xml` line 3, column 3: the XML is not well-formed: ill-formed document: expected `</entry>`, but `</feed>` was found"
    );
}

#[test]
fn bad_entries_are_skipped_with_their_place() {
    let entries = r#"  <entry>
    <id>http://arxiv.org/abs/../../etc/passwd</id>
    <title>Climbing out</title>
  </entry>
  <entry>
    <id>http://arxiv.org/abs/2001.00001v2</id>
    <published>2020-01-01T00:00:00Z</published>
  </entry>
  <entry>
    <id>http://arxiv.org/api/errors#incorrect_id_format_for_1234.1234</id>
    <title>Error</title>
    <summary>incorrect id format for 1234.1234</summary>
  </entry>
  <entry>
    <id>http://arxiv.org/abs/2001.00002v1</id>
    <title>Good</title>
    <published>2020-01-01T00:00:00Z</published>
  </entry>
"#;
    let parsed = parse_ok(&feed(entries));
    assert_eq!(parsed.papers.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(), ["2001.00002"]);
    assert_eq!(
        messages(&parsed.skipped),
        [
            "`feed.xml` line 4, column 5: entry 1 was skipped: `http://arxiv.org/abs/../../etc/passwd` is not an arXiv id; expected an `<id>` like `http://arxiv.org/abs/2510.19779v1`",
            "`feed.xml` line 7, column 3: entry 2 (2001.00001) was skipped: it has no title; expected a `<title>` with text",
            "`feed.xml` line 12, column 5: entry 3 was skipped: the arXiv API returned an error instead of a paper: incorrect id format for 1234.1234",
        ]
    );
}

#[test]
fn a_truncated_feed_keeps_the_entries_before_the_cut() {
    let cut = &LEGACY[..LEGACY.find("<title>Thermal melting").unwrap()];
    let parsed = parse_ok(cut);
    assert_eq!(parsed.papers.len(), 1);
    let lines = cut.lines().count();
    let column = cut.lines().last().unwrap().chars().count() + 1;
    assert_eq!(
        messages(&parsed.skipped),
        [format!(
            "`feed.xml` line {lines}, column {column}: the file ends inside entry 2 (which starts on line 49): the feed is truncated; expected `</entry>` and `</feed>`"
        )]
    );
    let cut = &LEGACY[..LEGACY.find("  <entry>").unwrap()];
    let err = parse(cut, Path::new("feed.xml"), None).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "`feed.xml` line {}, column 1: the file ends after 0 entries: the feed is truncated; expected `</feed>`",
            cut.lines().count() + 1
        )
    );
}

#[test]
fn text_is_not_xml() {
    let err = parse("Aug 6\n", Path::new("copy.xml"), None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "`copy.xml` line 1, column 1: found text where the XML should start: expected an Atom feed (`<?xml ...?>` then `<feed xmlns=\"http://www.w3.org/2005/Atom\">`)"
    );
}

#[test]
fn an_entry_too_large_to_keep_is_skipped() {
    let huge = "word ".repeat((16 << 20) / 5 + 10);
    let entries = format!(
        "<entry><id>http://arxiv.org/abs/2001.00001</id><title>Huge</title><summary>{huge}</summary></entry>\n<entry><id>http://arxiv.org/abs/2001.00002</id><title>Small</title></entry>\n"
    );
    let parsed = parse(&feed(&entries), Path::new("feed.xml"), Some(date(2026, 1, 2))).unwrap();
    assert_eq!(parsed.papers.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(), ["2001.00002"]);
    assert_eq!(
        messages(&parsed.skipped),
        ["`feed.xml` line 3, column 1: entry 1 was skipped: its text is larger than 16 MiB"]
    );
}
