//! Every problem one run found, by severity, and the summary line that
//! ends the run ("3 errors, 12 warnings in 2 files").
//!
//! Reading goes on past a bad file or record, so that one run reports
//! everything: errors are what could not be read (a record, a page, a
//! link that leads nowhere), warnings what was read with a remark, notes
//! what is worth knowing and is not a problem. Errors fail `build`,
//! `check` and `import`; warnings fail only `check --strict`.

use std::collections::BTreeSet;
use std::path::Path;

use crate::error::ImportError;

/// How much a problem matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Something could not be read or does not work; the run fails.
    Error,
    /// Read with a remark; fails only `check --strict`.
    Warning,
    /// Worth knowing; never fails a run.
    Note,
}

impl Severity {
    /// `error`, `warning` or `note`, as printed before a message.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// One problem, located by file (and line and column when known).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// How much it matters.
    pub severity: Severity,
    /// Where and what.
    pub problem: ImportError,
}

/// The problems of one run, in the order they were found.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics {
    /// Every problem.
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Adds `problems`, all of one severity.
    pub fn extend<'a>(&mut self, severity: Severity, problems: impl IntoIterator<Item = &'a ImportError>) {
        self.items.extend(problems.into_iter().map(|p| Diagnostic { severity, problem: p.clone() }));
    }

    /// Adds one problem.
    pub fn push(&mut self, severity: Severity, problem: ImportError) {
        self.items.push(Diagnostic { severity, problem });
    }

    /// How many problems have `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    /// Whether the run fails: any error, or any warning when `strict`.
    pub fn fails(&self, strict: bool) -> bool {
        self.count(Severity::Error) > 0 || (strict && self.count(Severity::Warning) > 0)
    }

    /// `3 errors, 12 warnings in 2 files`, or `no problems`. Notes are not
    /// problems and are not counted.
    pub fn summary(&self) -> String {
        let (errors, warnings) = (self.count(Severity::Error), self.count(Severity::Warning));
        if errors + warnings == 0 {
            return "no problems".into();
        }
        let files: BTreeSet<&Path> =
            self.items.iter().filter(|d| d.severity != Severity::Note).map(|d| d.problem.path.as_path()).collect();
        let mut parts = Vec::new();
        if errors > 0 {
            parts.push(plural(errors, "error"));
        }
        if warnings > 0 {
            parts.push(plural(warnings, "warning"));
        }
        format!("{} in {}", parts.join(", "), plural(files.len(), "file"))
    }
}

/// `1 file`, `2 files`.
pub fn plural(n: usize, word: &str) -> String {
    format!("{} {word}{}", thousands(n), if n == 1 { "" } else { "s" })
}

/// `12807` as `12,807`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_counts_problems_and_files() {
        let mut d = Diagnostics::default();
        assert_eq!(d.summary(), "no problems");
        let at = |file: &str| ImportError::at(Path::new(file), 1, "x");
        d.push(Severity::Error, at("a.json"));
        d.push(Severity::Error, at("a.json"));
        d.push(Severity::Warning, at("b.txt"));
        d.push(Severity::Note, at("c.txt"));
        assert_eq!(d.summary(), "2 errors, 1 warning in 2 files");
        assert!(d.fails(false));
        let mut w = Diagnostics::default();
        w.push(Severity::Warning, at("b.txt"));
        assert_eq!(w.summary(), "1 warning in 1 file");
        assert!(!w.fails(false) && w.fails(true));
    }

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(12807), "12,807");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }
}
