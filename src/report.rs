//! Text reports for the terminal: `paperpress topics`, which tells a site
//! owner how the taxonomy fits their papers and what to add to it.

use std::fmt::Write;

use crate::enrich::topics::TopicKind;
use crate::math;
use crate::model::Model;

/// Each topic with its count (and its papers, with `list_papers`); the
/// papers front matter and rules left
/// without a topic; and the automatic topics as `[[topics]]` rules ready to
/// paste into `site.toml`.
pub fn topics(model: &Model, list_papers: bool) -> String {
    let mut out = String::new();
    let topics = &model.topics;
    let n = model.papers.len();
    let with_topic = topics.of_paper.iter().filter(|t| !t.is_empty()).count();
    let _ = writeln!(out, "{n} papers, {} topics; {with_topic} papers have a topic\n", topics.topics.len());
    let width = topics.topics.iter().map(|t| t.name.chars().count()).max().unwrap_or(0);
    for topic in &topics.topics {
        let kind = match topic.kind {
            TopicKind::Rule => "",
            TopicKind::Explicit => "  (front matter)",
            TopicKind::Auto => "  (automatic)",
        };
        let share = 100.0 * topic.papers.len() as f64 / n.max(1) as f64;
        let _ = writeln!(out, "{:>5}  {:<width$}  {share:>3.0}%{kind}", topic.papers.len(), topic.name);
        if list_papers {
            for &p in &topic.papers {
                let _ = writeln!(out, "         - {}", math::plain_text(&model.papers[p].title));
            }
        }
    }
    let uncaught = &topics.uncaught;
    if uncaught.is_empty() {
        let _ = writeln!(out, "\nEvery paper has a topic from its front matter or a rule.");
        return out;
    }
    let _ = writeln!(out, "\n{} papers no rule caught:", uncaught.len());
    for &p in uncaught {
        let auto: Vec<&str> = topics.of_paper[p].iter().map(|&t| topics.topics[t].name.as_str()).collect();
        let note = if auto.is_empty() { "no topic".to_string() } else { format!("automatic: {}", auto.join(", ")) };
        let _ = writeln!(out, "  - {} ({note})", math::plain_text(&model.papers[p].title));
    }
    let suggestions: Vec<_> = topics.topics.iter().filter(|t| t.kind == TopicKind::Auto).collect();
    if !suggestions.is_empty() {
        let _ = writeln!(out, "\nSuggested topics (phrases these papers share), to add to site.toml:");
        for topic in suggestions {
            let keywords: Vec<String> = topic.phrases.iter().map(|p| format!("{p:?}")).collect();
            let _ = writeln!(
                out,
                "\n# {} paper{}\n[[topics]]\nname = {:?}\nkeywords = [{}]",
                topic.papers.len(),
                if topic.papers.len() == 1 { "" } else { "s" },
                topic.name,
                keywords.join(", ")
            );
        }
    }
    out
}
