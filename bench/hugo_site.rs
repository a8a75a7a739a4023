//! Writes the papers of a paperpress site as the pages of a Hugo site, for
//! the side-by-side benchmark on real papers (`bench/run.py --real`).
//!
//!     cargo run --release --example hugo_site -- SITE_DIR HUGO_DIR
//!
//! Loads the site as a build does (digests merged, topics assigned) and
//! writes `HUGO_DIR/content/papers/<id>.md` for each paper: its title,
//! first day, authors, topics, days and arXiv link in TOML front matter,
//! its abstract as the body. Hugo gets the same papers and topics as
//! paperpress; `bench/gen_corpus.py` writes the layouts.

use std::fmt::Write as _;
use std::path::Path;

use paperpress::config::Site;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(root), Some(hugo)) = (args.next(), args.next()) else {
        anyhow::bail!("usage: hugo_site SITE_DIR HUGO_DIR");
    };
    let site = Site::load(Path::new(&root))?;
    let (model, _) = paperpress::load_model(&site, &site.config)?;
    let pages = Path::new(&hugo).join("content").join("papers");
    std::fs::create_dir_all(&pages)?;
    for (i, paper) in model.papers.iter().enumerate() {
        let quoted = |text: &str| serde_json::to_string(text).expect("strings serialize");
        let list = |items: Vec<String>| items.iter().map(|s| quoted(s)).collect::<Vec<_>>().join(", ");
        let topics = model.topics.of_paper[i].iter().map(|&t| model.topics.topics[t].name.clone()).collect();
        let days = paper.dates().map(|d| d.to_string()).collect();
        let mut page = String::from("+++\n");
        writeln!(page, "title = {}", quoted(&paperpress::math::plain_text(&paper.title)))?;
        writeln!(page, "date = {}", paper.date())?;
        writeln!(page, "authors = [{}]", list(paper.authors.clone()))?;
        writeln!(page, "topics = [{}]", list(topics))?;
        writeln!(page, "days = [{}]", list(days))?;
        writeln!(page, "arxiv = {}", quoted(paper.arxiv.as_deref().unwrap_or("")))?;
        writeln!(page, "+++\n\n{}", paper.body)?;
        let name = paper.id.replace(['/', '\\'], "_");
        std::fs::write(pages.join(format!("{name}.md")), page)?;
    }
    println!("{} papers", model.papers.len());
    Ok(())
}
