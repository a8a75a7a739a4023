//! Hostile inputs of about 1 MB, one per slow path found so far (issue 12):
//! shared by the test that imports and builds each within a generous bound
//! and by the benchmark that times them (`cargo bench --bench hostile`).

/// About 1 MB.
pub const SIZE: usize = 1 << 20;

/// An abstract long enough to be read as one.
const FILLER: &str = "This abstract is long enough to be taken for one, and it ends like a sentence.";

/// `(file name, contents)` of each hostile input.
pub fn all() -> Vec<(&'static str, String)> {
    vec![
        ("2025-08-06-closing-brackets.txt", closing_brackets()),
        ("2025-08-06-many-links.txt", many_links()),
        ("2025-08-06-many-papers.txt", many_papers()),
        ("2025-08-06-tex-quotes.txt", tex_quotes()),
        ("2025-10-24-keywords-twice.json", keywords_twice()),
        ("2025-10-24-long-bad-link.json", long_bad_link()),
        ("2025-10-24-many-days.json", many_days()),
        ("2025-10-25-categories.xml", atom_categories()),
        ("2025-10-25-attributes.xml", atom_attributes()),
        ("2025-08-06-dollars.txt", dollars()),
    ]
}

/// A URL followed by a megabyte of `)`: trimming them one at a time,
/// counting the brackets each time, was quadratic.
fn closing_brackets() -> String {
    format!("Aug 6\n\nBrackets\n\nCode at https://x.example/a{} {FILLER}\n", ")".repeat(SIZE))
}

/// An abstract of 40,000 distinct code links.
fn many_links() -> String {
    let links: Vec<String> = (0..40_000).map(|i| format!("https://github.com/o/r{i}")).collect();
    format!("Aug 6\n\nLinks\n\n{} {FILLER}\n", links.join(" "))
}

/// 10,000 papers (and each listed twice) in one text copy: the check for
/// a paper listed twice scanned every paper before it.
fn many_papers() -> String {
    let mut text = String::from("Aug 6\n\n");
    for i in 0..(SIZE / 200) {
        let title = format!("Paper number {}", i % (SIZE / 400));
        text.push_str(&format!("{title}\n\n{FILLER} {i}.\n\n"));
    }
    text
}

/// TeX closing quotes by the hundred thousand.
fn tex_quotes() -> String {
    format!("Aug 6\n\nQuotes\n\n\\'e {} {FILLER}\n", "a'' ".repeat(SIZE / 4))
}

/// One paper twice with 60,000 keywords each, half of them shared:
/// merging the lists compared each keyword with every other.
fn keywords_twice() -> String {
    let item = |from: usize| {
        let keywords: Vec<String> = (from..from + 60_000).map(|i| format!("\"k{i}\"")).collect();
        format!(
            r#"{{"paper": {{"id": "2510.19779", "title": "Twice", "summary": "{FILLER}", "submittedOnDailyAt": "2025-10-24T00:00:00Z", "ai_keywords": [{}]}}}}"#,
            keywords.join(",")
        )
    };
    format!("[{}, {}]", item(0), item(30_000))
}

/// A `githubRepo` of half a megabyte that is no link: finding it in the
/// item, to say where it is, compared it at every offset.
fn long_bad_link() -> String {
    let bad = "x".repeat(SIZE / 2);
    format!(
        r#"[{{"paper": {{"id": "2510.19779", "title": "Bad link", "summary": "{FILLER}", "submittedOnDailyAt": "2025-10-24T00:00:00Z", "githubRepo": "{bad}", "projectPage": "{bad}y"}}}}]"#
    )
}

/// One paper listed on 9,000 days, newest first: each day was found by a
/// scan of the days before, then all were sorted again.
fn many_days() -> String {
    let start = jiff::civil::date(2000, 1, 1);
    let items: Vec<String> = (0..9_000)
        .rev()
        .map(|d| {
            let day = start + jiff::Span::new().days(d);
            format!(
                r#"{{"paper": {{"id": "2510.19779", "title": "Every day", "summary": "Short.", "submittedOnDailyAt": "{day}T00:00:00Z"}}}}"#
            )
        })
        .collect();
    format!("[{}]", items.join(",\n"))
}

/// An Atom entry with 40,000 categories.
fn atom_categories() -> String {
    let categories: String = (0..40_000).map(|i| format!("<category term=\"c.{i}\"/>")).collect();
    format!(
        r#"<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2510.19779v1</id><title>Categories</title><summary>{FILLER}</summary><published>2025-10-24T00:00:00Z</published>{categories}</entry></feed>"#
    )
}

/// An Atom `<link>` with 60,000 attributes: the XML reader checked each
/// name against all before it.
fn atom_attributes() -> String {
    let attributes: String = (0..60_000).map(|i| format!(" a{i}=\"v\"")).collect();
    format!(
        r#"<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2510.19779v1</id><title>Attributes</title><summary>{FILLER}</summary><published>2025-10-24T00:00:00Z</published><link href="https://x.example/"{attributes}/></entry></feed>"#
    )
}

/// Dollar signs and braces that never close into a formula.
fn dollars() -> String {
    format!("Aug 6\n\nDollars\n\n{} {} {FILLER}\n", "$a {".repeat(SIZE / 8), "$x$ ".repeat(SIZE / 64))
}
