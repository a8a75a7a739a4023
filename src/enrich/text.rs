//! Words for topic matching, key-phrase mining and similarity: lowercase
//! tokens, a light plural normaliser (so `language models` matches the
//! keyword `language model`), and stop words.

use std::borrow::Cow;
use std::sync::LazyLock;

use compact_str::CompactString;
use rustc_hash::FxHashSet;

/// A word of the text, with its byte range in the text it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Lowercased and normalised (`models` -> `model`); short words are
    /// stored inline, without an allocation.
    pub norm: CompactString,
    /// Hash of `norm` ([`word_hash`]), computed once for every later use.
    pub hash: u64,
    /// Whether `norm` is a stop word.
    pub stop: bool,
    /// Byte offset of the word in the original text.
    pub start: usize,
    /// Byte offset just past the word.
    pub end: usize,
}

/// The hash of a normalised word; the same everywhere in a build.
pub fn word_hash(norm: &str) -> u64 {
    use std::hash::Hasher;
    let mut hasher = rustc_hash::FxHasher::default();
    hasher.write(norm.as_bytes());
    hasher.finish()
}

/// Splits `text` into words: runs of letters and digits. Hyphens, spaces
/// and punctuation all separate words, so `Mixture-of-Experts` and
/// `mixture of experts` give the same tokens.
pub fn tokens(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(text.len() / 6);
    let mut start = None;
    let mut i = 0;
    while i < bytes.len() {
        // ASCII bytes are tested as bytes; other characters are decoded.
        let (word, width) = match bytes[i] {
            b @ 0..=0x7f => (b.is_ascii_alphanumeric(), 1),
            _ => {
                let c = text[i..].chars().next().expect("`i` is at a character boundary");
                (c.is_alphanumeric(), c.len_utf8())
            }
        };
        if word {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            out.push(token(text, s, i));
        }
        i += width;
    }
    if let Some(s) = start {
        out.push(token(text, s, text.len()));
    }
    out
}

fn token(text: &str, start: usize, end: usize) -> Token {
    let word = &text[start..end];
    let norm = if word.is_ascii() {
        let mut lower = CompactString::from(word);
        lower.make_ascii_lowercase();
        match normalize(&lower) {
            Cow::Borrowed(b) if b.len() == lower.len() => lower,
            other => CompactString::from(other.as_ref()),
        }
    } else {
        CompactString::from(normalize(&word.to_lowercase()).as_ref())
    };
    let hash = word_hash(&norm);
    Token { hash, stop: norm.len() <= MAX_STOP_WORD_LEN && is_stop_hash(hash), norm, start, end }
}

/// Folds simple English plurals: `models` -> `model`, `studies` -> `study`,
/// `approaches` -> `approach`, `llms` -> `llm`; leaves `analysis`,
/// `corpus`, `class`, `series` alone.
pub fn normalize(word: &str) -> Cow<'_, str> {
    const KEEP: &[&str] =
        &["series", "species", "bias", "biases", "analysis", "basis", "news", "physics", "mathematics"];
    // Most words do not end in `s`: nothing to fold.
    if !word.ends_with('s') || word.len() <= 3 || KEEP.contains(&word) || word.chars().any(|c| c.is_ascii_digit()) {
        return Cow::Borrowed(word);
    }
    if let Some(stem) = word.strip_suffix("ies")
        && stem.len() >= 2
    {
        return Cow::Owned(format!("{stem}y"));
    }
    for suffix in ["sses", "ches", "shes", "xes", "zes"] {
        if word.ends_with(suffix) {
            return Cow::Borrowed(&word[..word.len() - 2]);
        }
    }
    if word.ends_with('s') && !["ss", "us", "is", "ous"].iter().any(|s| word.ends_with(s)) {
        return Cow::Borrowed(&word[..word.len() - 1]);
    }
    Cow::Borrowed(word)
}

/// Normalised tokens of a phrase, for matching.
pub fn phrase(text: &str) -> Vec<String> {
    tokens(text).into_iter().map(|t| t.norm.into()).collect()
}

/// English function words and the vocabulary every abstract uses; they
/// neither start nor end a key phrase and carry no similarity.
pub fn is_stop_word(word: &str) -> bool {
    word.len() <= MAX_STOP_WORD_LEN && is_stop_hash(word_hash(word))
}

/// [`is_stop_word`] for a word already hashed with [`word_hash`].
fn is_stop_hash(hash: u64) -> bool {
    static SET: LazyLock<FxHashSet<u64>> = LazyLock::new(|| STOP_WORDS.iter().map(|w| word_hash(w)).collect());
    SET.contains(&hash)
}

/// The longest stop word, so longer words skip the lookup.
const MAX_STOP_WORD_LEN: usize = 15;

/// Sorted, so [`is_stop_word`] can binary-search it.
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "achieve",
    "achieved",
    "achieves",
    "across",
    "after",
    "again",
    "against",
    "all",
    "allow",
    "allowing",
    "along",
    "also",
    "although",
    "among",
    "an",
    "analyze",
    "and",
    "another",
    "any",
    "applied",
    "apply",
    "approach",
    "are",
    "around",
    "as",
    "at",
    "available",
    "based",
    "be",
    "became",
    "because",
    "become",
    "been",
    "before",
    "being",
    "below",
    "benefit",
    "best",
    "better",
    "between",
    "both",
    "but",
    "by",
    "can",
    "challenge",
    "challenging",
    "common",
    "commonly",
    "compared",
    "comprehensive",
    "consider",
    "could",
    "current",
    "demonstrate",
    "demonstrated",
    "demonstrating",
    "design",
    "designed",
    "despite",
    "develop",
    "developed",
    "different",
    "do",
    "doe",
    "does",
    "doing",
    "due",
    "during",
    "each",
    "effective",
    "effectively",
    "effectiveness",
    "either",
    "enable",
    "enabling",
    "end",
    "enhance",
    "especially",
    "et",
    "etc",
    "evaluate",
    "even",
    "every",
    "existing",
    "experiment",
    "experimental",
    "few",
    "find",
    "finding",
    "first",
    "for",
    "from",
    "further",
    "furthermore",
    "given",
    "good",
    "had",
    "has",
    "have",
    "having",
    "here",
    "high",
    "highly",
    "how",
    "however",
    "i",
    "ie",
    "if",
    "important",
    "improve",
    "improved",
    "improvement",
    "improving",
    "in",
    "including",
    "increase",
    "increasing",
    "into",
    "introduce",
    "is",
    "issue",
    "it",
    "its",
    "itself",
    "key",
    "known",
    "large",
    "lead",
    "leading",
    "less",
    "like",
    "limited",
    "low",
    "main",
    "make",
    "making",
    "many",
    "may",
    "method",
    "more",
    "most",
    "much",
    "must",
    "need",
    "new",
    "no",
    "nor",
    "not",
    "notably",
    "novel",
    "number",
    "of",
    "often",
    "on",
    "one",
    "only",
    "or",
    "order",
    "other",
    "our",
    "ours",
    "out",
    "over",
    "overall",
    "paper",
    "particular",
    "particularly",
    "perform",
    "performance",
    "performed",
    "possible",
    "present",
    "previous",
    "problem",
    "propose",
    "proposed",
    "provide",
    "provided",
    "provides",
    "range",
    "recent",
    "recently",
    "remain",
    "require",
    "research",
    "result",
    "same",
    "second",
    "several",
    "show",
    "showing",
    "shown",
    "shows",
    "significant",
    "significantly",
    "similar",
    "simple",
    "since",
    "single",
    "so",
    "some",
    "specific",
    "still",
    "strong",
    "studied",
    "study",
    "such",
    "suggest",
    "task",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "therefore",
    "these",
    "they",
    "this",
    "those",
    "three",
    "through",
    "thu",
    "thus",
    "to",
    "together",
    "toward",
    "towards",
    "two",
    "under",
    "understanding",
    "up",
    "upon",
    "us",
    "use",
    "used",
    "useful",
    "using",
    "various",
    "very",
    "via",
    "was",
    "way",
    "we",
    "well",
    "were",
    "what",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "whose",
    "why",
    "wide",
    "widely",
    "will",
    "with",
    "within",
    "without",
    "work",
    "would",
    "yet",
    "you",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_sorted_and_short() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]), "STOP_WORDS must stay sorted");
        assert!(STOP_WORDS.iter().all(|w| w.len() <= MAX_STOP_WORD_LEN));
        assert!(is_stop_word("the") && is_stop_word("comprehensive") && !is_stop_word("unlearning"));
    }

    #[test]
    fn hyphens_and_case_do_not_matter() {
        assert_eq!(phrase("Mixture-of-Experts"), phrase("mixture of experts"));
        assert_eq!(phrase("In-Context Learning"), ["in", "context", "learning"]);
        assert_eq!(phrase("Large Language Models (LLMs)"), ["large", "language", "model", "llm"]);
    }

    #[test]
    fn plurals_fold() {
        for (word, norm) in [
            ("models", "model"),
            ("studies", "study"),
            ("approaches", "approach"),
            ("classes", "class"),
            ("analysis", "analysis"),
            ("corpus", "corpus"),
            ("series", "series"),
            ("gas", "gas"),
            ("experts", "expert"),
            ("3d", "3d"),
        ] {
            assert_eq!(normalize(word), norm, "{word}");
        }
    }

    #[test]
    fn tokens_keep_their_position() {
        let t = tokens("Über-fast LLMs!");
        assert_eq!(t.iter().map(|t| t.norm.as_str()).collect::<Vec<_>>(), ["über", "fast", "llm"]);
        assert_eq!((t[2].start, t[2].end), (11, 15));
    }
}
