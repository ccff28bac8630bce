//! Finds every place a rule fires in an ad, in one pass over its words.
//!
//! The ad is read once into tokens ([`crate::tokens`]). Every keyword, phrase, exception
//! and `requires` word of a rule set (and the layout's boilerplate and company phrases, and
//! the words a reporting line starts with) is a path of tokens in one trie. Each token of
//! the ad is looked up once in a hash of the rules' words (most are in none); a pattern
//! starts at a word that begins one and follows the trie's edges (a word and whether a
//! space comes before it), and a stem (`complain*`) is a prefix of the last word. Regex
//! rules run after, on the normalised text, and only in ads where one of their `requires`
//! words was seen. This module knows nothing of roles, sections or scores.

use rustc_hash::FxHashMap;

use crate::rules::{RuleId, RuleSet};
use crate::text::Normalized;
use crate::tokens::{Token, Tokens, fold, fold_at, word_breaks};

/// One place where a rule fired, in byte offsets of the original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// The rule.
    pub rule: RuleId,
    /// Start, inclusive.
    pub start: usize,
    /// End, exclusive.
    pub end: usize,
}

/// What a pattern does when it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Purpose {
    /// A keyword or phrase of rule `.0`: a hit.
    Hit(RuleId),
    /// An exception of rule `.0`: cancels its nearby hits.
    Exception(RuleId),
    /// A prefilter word of rule `.0`: lets its regex run.
    Requires(RuleId),
    /// A boilerplate line phrase of the layout ([`crate::document::LayoutWords::boilerplate`]).
    Boilerplate,
    /// A company-line phrase of the layout ([`crate::document::LayoutWords::company_lines`]).
    Company,
    /// A word a reporting line starts with ([`crate::reporting::REPORT_WORDS`]).
    Report,
}

/// A last word that any ending may follow, and what it completes.
#[derive(Debug, Clone)]
struct StemEdge {
    /// In ASCII lower case.
    stem: Box<[u8]>,
    /// Whether a space comes before it (ignored for a pattern's first word).
    gap: bool,
    purposes: Vec<Purpose>,
}

impl StemEdge {
    /// Whether `word` (as written) starts with the stem, ASCII case folded.
    fn prefixes(&self, word: &[u8]) -> bool {
        word.len() >= self.stem.len() && word[..self.stem.len()].eq_ignore_ascii_case(&self.stem)
    }
}

/// A point in the trie: the patterns that end here, and the stems that may follow.
#[derive(Debug, Clone, Default)]
struct Node {
    purposes: Vec<Purpose>,
    stems: Vec<StemEdge>,
    /// Its word edges: a range of [`Matcher::next`], set by [`Matcher::finish`]. Most
    /// nodes end their patterns and have none.
    edges: (u32, u32),
}

impl Node {
    /// Whether a word edge leaves it.
    fn fanout(&self) -> bool {
        self.edges.0 < self.edges.1
    }
}

/// A word edge's key: the word's id, and whether a space comes before it.
fn edge_key(id: u32, gap: bool) -> u64 {
    u64::from(id) << 1 | u64::from(gap)
}

const ROOT: u32 = 0;
/// No node, no word.
const NONE: u32 = u32::MAX;

/// The words of the patterns, ASCII case folded, to their ids: words of up to 16 bytes
/// (nearly all) as integers, longer ones as bytes.
#[derive(Debug, Default)]
struct Vocabulary {
    short: FxHashMap<u128, u32>,
    long: FxHashMap<Box<[u8]>, u32>,
    longest: usize,
}

impl Vocabulary {
    fn intern(&mut self, word: &[u8]) -> u32 {
        let next = (self.short.len() + self.long.len()) as u32;
        self.longest = self.longest.max(word.len());
        match fold(word) {
            Some(k) => *self.short.entry(k).or_insert(next),
            None => *self
                .long
                .entry(word.to_ascii_lowercase().into())
                .or_insert(next),
        }
    }

    /// The id of `word` (as written), if a pattern has it. `buf` holds the folded copy of a
    /// long word.
    fn get(&self, word: &[u8], buf: &mut Vec<u8>) -> Option<u32> {
        self.get_folded(word, fold(word), buf)
    }

    /// The id of `word`, whose [`fold`] is `key`.
    fn get_folded(&self, word: &[u8], key: Option<u128>, buf: &mut Vec<u8>) -> Option<u32> {
        if word.len() > self.longest {
            return None;
        }
        match key {
            Some(k) => self.short.get(&k).copied(),
            None => self.get_long(word, buf),
        }
    }

    fn get_long(&self, word: &[u8], buf: &mut Vec<u8>) -> Option<u32> {
        buf.clear();
        buf.extend(word.iter().map(u8::to_ascii_lowercase));
        self.long.get(&buf[..]).copied()
    }

    fn len(&self) -> usize {
        self.short.len() + self.long.len()
    }
}

/// The compiled search for one rule set.
#[derive(Debug)]
pub struct Matcher {
    words: Vocabulary,
    /// The trie's nodes; 0 is the root.
    nodes: Vec<Node>,
    /// The node a pattern's first word leads to, by word id ([`NONE`] if none).
    first: Vec<u32>,
    /// `(node, word id, space before)` to the next node, while the rules are added.
    edges: FxHashMap<(u32, u32, bool), u32>,
    /// The same edges grouped by node, each node's sorted by [`edge_key`]: `(key, next
    /// node)`. A node has few, so the walk scans them with no hash (and binary-searches a
    /// node of more than 16).
    next: Vec<(u64, u32)>,
    /// Stems that are a whole pattern's first word.
    root_stems: RootStems,
    /// Regex rules: rule index, regex, and whether it waits for a `requires` word.
    regexes: Vec<(RuleId, regex::Regex, bool)>,
    exception_window: usize,
    negation: Negators,
    /// The word id of each ASCII mark ([`NONE`] if no pattern has it): a mark needs no hash.
    marks: [u32; 128],
    /// Whether each word id is a common English word of the layout's.
    english: Vec<bool>,
}

/// The layout's negation ([`crate::document::Negation`]), as ids of the matcher's
/// vocabulary: the walk has already looked every token's word up once.
#[derive(Debug, Default)]
struct Negators {
    /// Per word id, what the word does ([`Negators::WORD`], [`Negators::NOT_BEFORE`],
    /// [`Negators::CARRY`]); ids past its end do nothing.
    roles: Vec<u8>,
    /// Whether `n't` is one of the words: a word ending in `n`, an apostrophe, then `t`.
    contraction: bool,
    window: usize,
}

impl Negators {
    /// A negation ("not").
    const WORD: u8 = 1;
    /// Undoes a negation right before it ("not only").
    const NOT_BEFORE: u8 = 2;
    /// Starts the window again ("or").
    const CARRY: u8 = 4;

    /// Interns the words in `vocabulary`, which then has an id for each.
    fn new(n: &crate::document::Negation, vocabulary: &mut Vocabulary) -> Negators {
        let mut roles = Vec::new();
        for (list, role) in [
            (&n.words, Negators::WORD),
            (&n.not_before, Negators::NOT_BEFORE),
            (&n.carry, Negators::CARRY),
        ] {
            for w in list.iter().filter(|w| *w != "n't") {
                let id = vocabulary.intern(w.as_bytes()) as usize;
                if roles.len() <= id {
                    roles.resize(id + 1, 0);
                }
                roles[id] |= role;
            }
        }
        Negators {
            roles,
            contraction: n.words.iter().any(|w| w == "n't"),
            window: n.window,
        }
    }

    /// Whether word id `id` (maybe [`NONE`]) has `role`.
    fn is(&self, id: u32, role: u8) -> bool {
        self.roles.get(id as usize).is_some_and(|r| r & role != 0)
    }

    /// Whether token `i` is a negation: one of the words, or the `t` of `n't`.
    fn at(&self, text: &[u8], tokens: &[Token], ids: &[u32], i: usize) -> bool {
        self.is(ids[i], Negators::WORD)
            || self.contraction && i >= 2 && is_contraction(text, &tokens[i - 2..=i])
    }

    /// Whether a negation stands within `window` words before token `first`, in the same
    /// sentence and line, and is not undone by the word after it ("not only"); a `carry`
    /// word on the way ("or") starts the window again.
    fn negates(&self, text: &[u8], tokens: &[Token], ids: &[u32], first: usize) -> bool {
        let mut words = 0;
        let mut i = first.min(tokens.len());
        while i > 0 && words < self.window {
            i -= 1;
            let t = &tokens[i];
            let next = tokens.get(i + 1).map_or(text.len(), Token::start);
            if text[t.end()..next.max(t.end())].contains(&b'\n') {
                return false;
            }
            if !t.is_word() {
                if b".;:!?()[]".contains(&t.bytes(text)[0]) {
                    return false;
                }
                continue;
            }
            words += 1;
            let id = ids[i];
            if self.is(id, Negators::CARRY) {
                words = 0;
                continue;
            }
            if self.at(text, tokens, ids, i) {
                return ids
                    .get(i + 1)
                    .is_none_or(|&next| !self.is(next, Negators::NOT_BEFORE));
            }
        }
        false
    }
}

/// Whether three tokens are a contraction's `n`, `'`, `t` ("don't"), with nothing between.
fn is_contraction(text: &[u8], t: &[Token]) -> bool {
    let [word, apostrophe, last] = t else {
        return false;
    };
    last.bytes(text).eq_ignore_ascii_case(b"t")
        && !last.gap()
        && apostrophe.bytes(text) == b"'"
        && !apostrophe.gap()
        && word.is_word()
        && word
            .bytes(text)
            .last()
            .is_some_and(|c| c.eq_ignore_ascii_case(&b'n'))
}

/// Reusable buffers, so classifying many ads allocates nothing per ad once warm.
#[derive(Debug, Default)]
pub struct Scratch {
    /// The ad's tokens.
    pub tokens: Tokens,
    /// The ad normalised, filled only when a regex rule runs.
    normalized: Normalized,
    /// Hits found in it, sorted by position.
    pub hits: Vec<Hit>,
    exceptions: Vec<Hit>,
    /// Rules whose `requires` word was seen in this ad.
    required: Vec<RuleId>,
    /// Where boilerplate phrases start, increasing.
    pub boilerplate: Vec<usize>,
    /// Where company-line phrases are, `(start, end)`, increasing.
    pub company: Vec<(usize, usize)>,
    /// Where the words a reporting line starts with stand, increasing.
    pub report: Vec<usize>,
    /// Word id of each token ([`NONE`] when no pattern has it).
    ids: Vec<u32>,
    /// Words (with no case break) that may start with a stem: token index and key.
    stemmed: Vec<(usize, u64)>,
    breaks: Vec<usize>,
    folded: Vec<u8>,
}

/// Stems that are a whole pattern's first word (`complain*`), found by the first bytes of
/// a word: as many as the shortest stem has (at most 8), so that a common start ("com")
/// does not send most words of an ad to the stems.
#[derive(Debug, Default)]
struct RootStems {
    /// Every stem, while the rules are added.
    all: Vec<StemEdge>,
    /// How many first bytes of a word are its key (0 when there is no stem).
    key_len: usize,
    /// Stems by key: the first `key_len` bytes of the stem, folded.
    by_key: FxHashMap<u64, Vec<StemEdge>>,
    /// A bit per [`RootStems::bucket`] of every key: most words of an ad start with none,
    /// and cost this one test.
    starts: Box<[u64]>,
}

impl RootStems {
    /// Indexes the stems added, by key.
    fn index(&mut self) {
        self.key_len = self
            .all
            .iter()
            .map(|e| e.stem.len())
            .min()
            .unwrap_or(0)
            .min(8);
        self.starts = vec![0u64; 1 << 10].into_boxed_slice();
        self.by_key.clear();
        for e in &self.all {
            let key = fold(&e.stem[..self.key_len]).expect("at most 8 bytes") as u64;
            let b = Self::bucket(key);
            self.starts[b / 64] |= 1 << (b % 64);
            self.by_key.entry(key).or_default().push(e.clone());
        }
    }

    /// One of 65,536 bits.
    fn bucket(key: u64) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 48) as usize
    }

    /// The stems that prefix the word `text[start..end]`, or `None` when no stem can: a
    /// word whose first bytes start no stem costs one bit test and builds no iterator.
    fn of<'a>(
        &'a self,
        text: &'a [u8],
        start: usize,
        end: usize,
    ) -> Option<impl Iterator<Item = &'a StemEdge> + 'a> {
        let key = self.may_start(text, start, end, None)?;
        self.prefixing(key, &text[start..end])
    }

    /// The key of the word `text[start..end]` if a stem may prefix it (one bit test), or
    /// `None` if none can. `folded` is the word's [`fold`] when the caller has it.
    fn may_start(
        &self,
        text: &[u8],
        start: usize,
        end: usize,
        folded: Option<u128>,
    ) -> Option<u64> {
        let k = self.key_len;
        if k == 0 || end - start < k {
            return None;
        }
        let key = match folded {
            // Folding is byte by byte: a word's first bytes fold as they do in the word.
            Some(word) => word as u64 & (u64::MAX >> (64 - 8 * k)),
            None => fold_at(text, start, start + k).expect("at most 8 bytes") as u64,
        };
        let b = Self::bucket(key);
        (self.starts[b / 64] & (1 << (b % 64)) != 0).then_some(key)
    }

    /// The stems that prefix `word`, whose key ([`RootStems::may_start`]) is `key`.
    fn prefixing<'a>(
        &'a self,
        key: u64,
        word: &'a [u8],
    ) -> Option<impl Iterator<Item = &'a StemEdge> + 'a> {
        let stems = self.by_key.get(&key)?;
        Some(stems.iter().filter(move |e| e.prefixes(word)))
    }
}

impl Matcher {
    fn empty(exception_window: usize) -> Matcher {
        Matcher {
            words: Vocabulary::default(),
            nodes: vec![Node::default()],
            first: Vec::new(),
            edges: FxHashMap::default(),
            next: Vec::new(),
            root_stems: RootStems::default(),
            regexes: Vec::new(),
            exception_window,
            negation: Negators::default(),
            marks: [NONE; 128],
            english: Vec::new(),
        }
    }

    /// Compiles the rules. `exception_window` is how many words (and marks) around a hit
    /// an exception phrase may sit and still cancel it.
    pub fn new(rules: &RuleSet, exception_window: usize) -> Matcher {
        let mut m = Matcher::empty(exception_window);
        let mut tokens = Tokens::default();
        for (i, rule) in rules.rules.iter().enumerate() {
            let i = RuleId(i);
            let lits = rule.literals.iter().map(|l| (l, Purpose::Hit(i)));
            let excs = rule.exceptions.iter().map(|l| (l, Purpose::Exception(i)));
            let reqs = rule.requires.iter().map(|l| (l, Purpose::Requires(i)));
            for (lit, purpose) in lits.chain(excs).chain(reqs) {
                m.add(&mut tokens, &lit.text, lit.stem, purpose);
            }
            if let Some(re) = &rule.regex {
                m.regexes.push((i, re.clone(), !rule.requires.is_empty()));
            }
        }
        m.add_layout(&mut tokens, &rules.layout);
        for word in crate::reporting::REPORT_WORDS {
            m.add(&mut tokens, word, false, Purpose::Report);
        }
        m.negation = Negators::new(rules.layout.negation(), &mut m.words);
        // Common English words have ids too: the layout counts them from this pass.
        let english: Vec<u32> = rules
            .layout
            .english()
            .iter()
            .filter(|w| !w.is_empty() && w.len() <= 16 && w.is_ascii())
            .map(|w| m.words.intern(w.as_bytes()))
            .collect();
        m.finish();
        m.english = vec![false; m.words.len()];
        for id in english {
            m.english[id as usize] = true;
        }
        m
    }

    /// The node the edge `(id, gap)` leads to from `node`, if any.
    fn edge(&self, node: &Node, id: u32, gap: bool) -> Option<u32> {
        let key = edge_key(id, gap);
        let (from, to) = node.edges;
        let edges = &self.next[from as usize..to as usize];
        if edges.len() <= 16 {
            edges.iter().find(|e| e.0 == key).map(|e| e.1)
        } else {
            let at = edges.binary_search_by_key(&key, |e| e.0).ok()?;
            Some(edges[at].1)
        }
    }

    /// Whether token `i` of the ad `scratch` last held, as a whole, is one of the layout's
    /// common English words ([`crate::document::LayoutWords::english`]).
    pub fn is_english(&self, scratch: &Scratch, i: usize) -> bool {
        let id = scratch.ids[i];
        id != NONE && self.english.get(id as usize).copied().unwrap_or(false)
    }

    /// A matcher for the layout's phrases alone (boilerplate lines, company lines).
    pub fn for_layout(words: &crate::document::LayoutWords) -> Matcher {
        let mut m = Matcher::empty(0);
        m.add_layout(&mut Tokens::default(), words);
        m.finish();
        m
    }

    /// Sizes the tables read by word id, once every word is in the vocabulary, and groups
    /// the edges by node.
    fn finish(&mut self) {
        self.first.resize(self.words.len(), NONE);
        // The map is only needed while patterns are added.
        let mut edges: Vec<(u32, u64, u32)> = std::mem::take(&mut self.edges)
            .into_iter()
            .map(|((node, id, gap), next)| (node, edge_key(id, gap), next))
            .collect();
        edges.sort_unstable();
        self.next = edges.iter().map(|&(_, key, next)| (key, next)).collect();
        for n in &mut self.nodes {
            n.edges = (0, 0);
        }
        let mut from = 0;
        for group in edges.chunk_by(|a, b| a.0 == b.0) {
            let to = from + group.len() as u32;
            self.nodes[group[0].0 as usize].edges = (from, to);
            from = to;
        }
        self.root_stems.index();
        let mut buf = Vec::new();
        for b in 1..128u8 {
            self.marks[usize::from(b)] = self.words.get(&[b], &mut buf).unwrap_or(NONE);
        }
    }

    fn add_layout(&mut self, tokens: &mut Tokens, words: &crate::document::LayoutWords) {
        // The layout's phrases ride along, so the ad is read once.
        for phrase in words.boilerplate() {
            self.add(tokens, phrase, true, Purpose::Boilerplate);
        }
        for phrase in words.company_lines() {
            self.add(tokens, phrase, false, Purpose::Company);
        }
    }

    /// Adds one normalised pattern; `stem` when its last word may have any ending.
    fn add(&mut self, tokens: &mut Tokens, pattern: &str, stem: bool, purpose: Purpose) {
        tokens.fill(pattern);
        let text = pattern.as_bytes();
        let list = &tokens.list;
        let Some(last) = list.last() else {
            return;
        };
        let stem = stem && last.is_word();
        let path = if stem {
            &list[..list.len() - 1]
        } else {
            &list[..]
        };
        let mut node = ROOT;
        for (i, t) in path.iter().enumerate() {
            let id = self.words.intern(t.bytes(text));
            if self.first.len() < self.words.len() {
                self.first.resize(self.words.len(), NONE);
            }
            let next = if i == 0 {
                self.first[id as usize]
            } else {
                self.edges
                    .get(&(node, id, t.gap()))
                    .copied()
                    .unwrap_or(NONE)
            };
            node = if next != NONE {
                next
            } else {
                self.nodes.push(Node::default());
                let n = (self.nodes.len() - 1) as u32;
                if i == 0 {
                    self.first[id as usize] = n;
                } else {
                    self.edges.insert((node, id, t.gap()), n);
                }
                n
            };
        }
        if !stem {
            self.nodes[node as usize].purposes.push(purpose);
            return;
        }
        let word = last.bytes(text).to_ascii_lowercase();
        self.words.longest = self.words.longest.max(word.len());
        let edges = if node != ROOT {
            &mut self.nodes[node as usize].stems
        } else {
            &mut self.root_stems.all
        };
        let gap = node != ROOT && last.gap();
        match edges.iter_mut().find(|e| *e.stem == *word && e.gap == gap) {
            Some(e) => e.purposes.push(purpose),
            None => edges.push(StemEdge {
                stem: word.into(),
                gap,
                purposes: vec![purpose],
            }),
        }
    }

    /// Fills `scratch.hits` with every hit in `text`, sorted by position, minus those
    /// cancelled by an exception of their own rule; and the layout's phrases found.
    pub fn find(&self, text: &str, scratch: &mut Scratch) {
        scratch.tokens.fill(text);
        let bytes = text.as_bytes();
        let list = &scratch.tokens.list;
        scratch.ids.clear();
        scratch.stemmed.clear();
        for (i, t) in list.iter().enumerate() {
            let id = match t.mark() {
                Some(b) => self.marks[usize::from(b & 0x7f)],
                None => {
                    let key = fold_at(bytes, t.start(), t.end());
                    // Words that may start with a stem (very few) are kept for after the
                    // walk; a word with case breaks finds its stems in the walk.
                    if let Some(k) = self.root_stems.may_start(bytes, t.start(), t.end(), key)
                        && !t.breaks()
                    {
                        scratch.stemmed.push((i, k));
                    }
                    self.words
                        .get_folded(t.bytes(bytes), key, &mut scratch.folded)
                        .unwrap_or(NONE)
                }
            };
            scratch.ids.push(id);
        }
        let mut found = Found {
            hits: std::mem::take(&mut scratch.hits),
            exceptions: std::mem::take(&mut scratch.exceptions),
            required: std::mem::take(&mut scratch.required),
            boilerplate: std::mem::take(&mut scratch.boilerplate),
            company: std::mem::take(&mut scratch.company),
            report: std::mem::take(&mut scratch.report),
        };
        found.clear();
        let mut walk = Walk {
            m: self,
            tokens: list,
            text: bytes,
            ids: &scratch.ids,
            breaks: &mut scratch.breaks,
            folded: &mut scratch.folded,
            found: &mut found,
        };
        for i in 0..list.len() {
            walk.start_at(i);
        }
        for &(i, key) in &scratch.stemmed {
            let t = list[i];
            for e in self
                .root_stems
                .prefixing(key, t.bytes(bytes))
                .into_iter()
                .flatten()
            {
                found.emit(&e.purposes, t.start(), t.end());
            }
        }
        let Found {
            mut hits,
            exceptions,
            mut required,
            mut boilerplate,
            mut company,
            mut report,
        } = found;
        boilerplate.sort_unstable();
        required.sort_unstable();
        company.sort_unstable();
        report.sort_unstable();
        report.dedup();
        let mut normalized = false;
        for (rule, re, gated) in &self.regexes {
            if *gated && required.binary_search(rule).is_err() {
                continue;
            }
            if !normalized {
                scratch.normalized.fill(text);
                normalized = true;
            }
            let n = &scratch.normalized;
            hits.extend(re.find_iter(&n.text).map(|m| Hit {
                rule: *rule,
                start: n.original_offset(m.start()),
                end: n.original_offset(m.end()),
            }));
        }
        if !exceptions.is_empty() {
            // Near in words, not bytes: how an ad is spaced or wrapped changes nothing.
            let tokens = &scratch.tokens;
            let words = |h: &Hit| {
                let first = tokens.at(h.start);
                let last = tokens.at(h.end.saturating_sub(1));
                (first, last.max(first))
            };
            let w = self.exception_window;
            // By rule, then by first word: a hit looks only at its own rule's exceptions
            // that start near it, so an ad of thousands of both costs no more than its
            // length (a long repeated line would otherwise cost hits times exceptions).
            let mut near: Vec<(RuleId, usize, usize)> = exceptions
                .iter()
                .map(|e| {
                    let (f, l) = words(e);
                    (e.rule, f, l)
                })
                .collect();
            near.sort_unstable();
            let span = near.iter().map(|&(_, f, l)| l - f).max().unwrap_or(0);
            hits.retain(|h| {
                let (first, last) = words(h);
                // An exception starting before this ends before `first - w`: too far.
                let from = first.saturating_sub(w + span);
                let at = near.partition_point(|&(r, f, _)| (r, f) < (h.rule, from));
                !near[at..]
                    .iter()
                    .take_while(|&&(r, f, _)| r == h.rule && f <= last + w)
                    .any(|&(_, _, l)| first <= l + w)
            });
        }
        if self.negation.window > 0 && !hits.is_empty() {
            let tokens = &scratch.tokens;
            hits.retain(|h| {
                !self
                    .negation
                    .negates(bytes, &tokens.list, &scratch.ids, tokens.at(h.start))
            });
        }
        // At one place, the longest phrase first: it is the one shown as evidence.
        hits.sort_unstable_by_key(|h| (h.start, h.rule, std::cmp::Reverse(h.end)));
        scratch.hits = hits;
        scratch.exceptions = exceptions;
        scratch.required = required;
        scratch.boilerplate = boilerplate;
        scratch.company = company;
        scratch.report = report;
    }
}

/// What one ad's walk found.
struct Found {
    hits: Vec<Hit>,
    exceptions: Vec<Hit>,
    required: Vec<RuleId>,
    boilerplate: Vec<usize>,
    company: Vec<(usize, usize)>,
    report: Vec<usize>,
}

impl Found {
    fn clear(&mut self) {
        self.hits.clear();
        self.exceptions.clear();
        self.required.clear();
        self.boilerplate.clear();
        self.company.clear();
        self.report.clear();
    }

    fn emit(&mut self, purposes: &[Purpose], start: usize, end: usize) {
        for &p in purposes {
            match p {
                Purpose::Hit(rule) => self.hits.push(Hit { rule, start, end }),
                Purpose::Exception(rule) => self.exceptions.push(Hit { rule, start, end }),
                Purpose::Requires(rule) => self.required.push(rule),
                Purpose::Boilerplate => self.boilerplate.push(start),
                Purpose::Company => self.company.push((start, end)),
                Purpose::Report => self.report.push(start),
            }
        }
    }
}

/// One ad's walk through the trie.
struct Walk<'a> {
    m: &'a Matcher,
    tokens: &'a [Token],
    text: &'a [u8],
    ids: &'a [u32],
    breaks: &'a mut Vec<usize>,
    folded: &'a mut Vec<u8>,
    found: &'a mut Found,
}

impl Walk<'_> {
    /// Every pattern that starts in token `i`, but for the stems of a word with no case
    /// break: the id pass lists the few words a stem may start, and they are read after.
    fn start_at(&mut self, i: usize) {
        let t = self.tokens[i];
        if t.breaks() {
            return self.start_in_broken(i, t);
        }
        let m = self.m;
        let id = self.ids[i];
        if id != NONE {
            let node = m.first[id as usize];
            if node != NONE {
                self.found
                    .emit(&m.nodes[node as usize].purposes, t.start(), t.end());
                self.follow(node, i, t.start());
            }
        }
    }

    /// Patterns that start in a word with case breaks ("theCustomer"): at its start and at
    /// each break, ending at a break or its end.
    fn start_in_broken(&mut self, i: usize, t: Token) {
        let m = self.m;
        let word = t.bytes(self.text);
        word_breaks(word, self.breaks);
        let breaks = std::mem::take(self.breaks);
        for (n, &b) in breaks[..breaks.len() - 1].iter().enumerate() {
            for &e in &breaks[n + 1..] {
                if e - b > m.words.longest {
                    break;
                }
                let Some(id) = m.words.get(&word[b..e], self.folded) else {
                    continue;
                };
                let node = m.first[id as usize];
                if node == NONE {
                    continue;
                }
                self.found.emit(
                    &m.nodes[node as usize].purposes,
                    t.start() + b,
                    t.start() + e,
                );
                if e == word.len() {
                    self.follow(node, i, t.start() + b);
                }
            }
            let from = t.start() + b;
            for e in m
                .root_stems
                .of(self.text, from, t.end())
                .into_iter()
                .flatten()
            {
                let end = word_end(&breaks, b + e.stem.len());
                self.found.emit(&e.purposes, t.start() + b, t.start() + end);
            }
        }
        *self.breaks = breaks;
    }

    /// Patterns that go on from `node` (reached at the end of token `i`) into the next
    /// token. `start` is where the match began.
    fn follow(&mut self, node: u32, i: usize, start: usize) {
        let Some(&t) = self.tokens.get(i + 1) else {
            return;
        };
        let m = self.m;
        let id = self.ids[i + 1];
        let here = &m.nodes[node as usize];
        let fanout = here.fanout();
        if id != NONE
            && fanout
            && let Some(next) = m.edge(here, id, t.gap())
        {
            self.found
                .emit(&m.nodes[next as usize].purposes, start, t.end());
            self.follow(next, i + 1, start);
        }
        let stems = &m.nodes[node as usize].stems;
        if !t.is_word() || stems.is_empty() && !t.breaks() {
            return;
        }
        let word = t.bytes(self.text);
        word_breaks(word, self.breaks);
        let breaks = std::mem::take(self.breaks);
        // A pattern may end at a break inside the next word ("journeyAcross").
        let inner = if fanout {
            &breaks[1..breaks.len() - 1]
        } else {
            &[]
        };
        for &e in inner {
            if let Some(id) = m.words.get(&word[..e], self.folded)
                && let Some(next) = m.edge(here, id, t.gap())
            {
                self.found
                    .emit(&m.nodes[next as usize].purposes, start, t.start() + e);
            }
        }
        for e in stems
            .iter()
            .filter(|e| e.gap == t.gap() && e.prefixes(word))
        {
            let end = word_end(&breaks, e.stem.len());
            self.found.emit(&e.purposes, start, t.start() + end);
        }
        *self.breaks = breaks;
    }
}

/// The first break at or after `pos`: where a stem's word ends.
fn word_end(breaks: &[usize], pos: usize) -> usize {
    breaks[breaks.partition_point(|&b| b < pos)]
}

#[cfg(test)]
mod reference;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{RuleSet, RuleSource};
    use proptest::prelude::*;

    fn matcher(rules: &str) -> (RuleSet, Matcher) {
        let src = RuleSource {
            origin: "t.toml".into(),
            text: rules.into(),
        };
        let (set, _) = RuleSet::load(&[src]).expect("test rules load");
        let m = Matcher::new(&set, 40);
        (set, m)
    }

    fn hits(m: &Matcher, text: &str) -> Vec<(usize, String)> {
        let mut s = Scratch::default();
        m.find(text, &mut s);
        s.hits
            .iter()
            .map(|h| (h.rule.0, text[h.start..h.end].to_string()))
            .collect()
    }

    const RULES: &str = r#"
role = "cx"
[[rule]]
id = "cx.word"
weight = 1
keywords = ["cx", "complain*"]
[[rule]]
id = "cx.phrase"
weight = 1
phrases = ["customer centric", "customer journey"]
exceptions = ["no customer journey experience needed"]
[[rule]]
id = "cx.re"
weight = 1
regex = '\bnps\s+of\s+\d+'
"#;

    #[test]
    fn a_negation_cancels_hits_a_few_words_after_it_on_its_line() {
        let sources = [
            RuleSource {
                origin: "cx.toml".into(),
                text: "role = \"service\"\n[[rule]]\nid = \"service.work\"\nweight = 1\n\
                       keywords = [\"calls\"]\nphrases = [\"service team\"]\n"
                    .into(),
            },
            RuleSource {
                origin: "layout.toml".into(),
                text: "[negation]\nwords = [\"not\", \"n't\"]\nnot_before = [\"only\"]\n\
                       carry = [\"or\"]\nwindow = 3\n"
                    .into(),
            },
        ];
        let (set, _) = RuleSet::load(&sources).expect("test rules load");
        let m = Matcher::new(&set, 40);
        let found =
            |text: &str| -> Vec<String> { hits(&m, text).into_iter().map(|(_, s)| s).collect() };
        assert_eq!(found("you will answer calls"), ["calls"]);
        assert_eq!(found("you will not answer calls"), [""; 0]);
        assert_eq!(found("you will NOT answer calls"), [""; 0]);
        // Three words back at most; a line or a sentence ends it.
        assert_eq!(found("not one of the calls"), ["calls"]);
        assert_eq!(found("not\ncalls"), ["calls"]);
        assert_eq!(found("not. calls"), ["calls"]);
        // The word after the negation may undo it.
        assert_eq!(found("not only calls"), ["calls"]);
        // A contraction negates; "or" starts the window again.
        assert_eq!(found("won't take calls or lead a service team"), [""; 0]);
        assert_eq!(
            found("won't take calls and lead a service team"),
            ["service team"]
        );
    }

    #[test]
    fn keywords_match_whole_words_only() {
        let (_, m) = matcher(RULES);
        assert_eq!(hits(&m, "a complex role"), vec![]);
        assert_eq!(hits(&m, "Lead CX."), vec![(0, "CX".into())]);
        assert_eq!(hits(&m, "cxo"), vec![]);
    }

    #[test]
    fn stems_match_any_ending_but_not_inside_words() {
        let (_, m) = matcher(RULES);
        assert_eq!(hits(&m, "Complaints team"), vec![(0, "Complaints".into())]);
        assert_eq!(hits(&m, "uncomplaining"), vec![]);
    }

    #[test]
    fn phrases_span_lines_spaces_hyphens_and_case() {
        let (_, m) = matcher(RULES);
        for text in [
            "Customer-Centric",
            "customer\n  centric",
            "CUSTOMER CENTRIC",
            "customer - centric",
        ] {
            assert_eq!(hits(&m, text).len(), 1, "{text:?}");
        }
        assert_eq!(hits(&m, "customercentric"), vec![]);
    }

    #[test]
    fn words_run_together_by_lost_line_breaks_still_match() {
        let (_, m) = matcher(RULES);
        assert_eq!(
            hits(&m, "mapping theCustomer journeyAcross"),
            vec![(1, "Customer journey".into())]
        );
        assert_eq!(
            hits(&m, "ourComplaintsTeam"),
            vec![(0, "Complaints".into())]
        );
    }

    #[test]
    fn exceptions_cancel_nearby_hits_of_their_rule_only() {
        let (_, m) = matcher(RULES);
        assert_eq!(hits(&m, "No customer journey experience needed."), vec![]);
        assert_eq!(hits(&m, "Own the customer journey.").len(), 1);
        // Among thousands of hits and exceptions, each exception cancels only the hits
        // within the window (40 words here) of it: 60 words of filler keep them apart.
        let filler = "and so on ".repeat(20);
        let kept = format!("Own the customer journey. {filler}");
        let cancelled = format!("No customer journey experience needed. {filler}");
        let text = format!("{kept}{cancelled}").repeat(1000);
        assert_eq!(hits(&m, &text).len(), 1000);
        // Closer together, every hit is cancelled.
        let text = format!("Own the customer journey. {cancelled}").repeat(1000);
        assert_eq!(hits(&m, &text), vec![]);
    }

    #[test]
    fn a_stemmed_exception_cancels_like_a_stemmed_keyword_fires() {
        let (_, m) = matcher(
            "role = \"other\"\n[[rule]]\nid = \"t\"\nweight = 1\nphrases = [\"user researcher\"]\nexceptions = [\"service design*\"]\n",
        );
        assert_eq!(hits(&m, "User Researcher (Service Designer)"), vec![]);
        assert_eq!(hits(&m, "User Researcher, service design"), vec![]);
        assert_eq!(hits(&m, "User Researcher (servicedesign)").len(), 1);
    }

    #[test]
    fn regex_rules_fire_at_original_offsets() {
        let (_, m) = matcher(RULES);
        assert_eq!(
            hits(&m, "Reach an NPS  of\n60"),
            vec![(2, "NPS  of\n60".into())]
        );
    }

    #[test]
    fn a_regex_with_requires_runs_only_when_a_required_word_occurs() {
        let (_, m) = matcher(
            "role = \"cx\"\n[[rule]]\nid = \"r\"\nweight = 1\nregex = '\\bown\\w* \\w+'\nrequires = [\"nps\", \"csat\"]\n",
        );
        assert_eq!(hits(&m, "You own the roadmap"), vec![]);
        assert_eq!(
            hits(&m, "You own the roadmap and CSAT"),
            vec![(0, "own the".into())]
        );
    }

    #[test]
    fn a_literal_shared_by_two_rules_fires_both() {
        let (_, m) = matcher(
            "role = \"cx\"\n[[rule]]\nid = \"a\"\nweight = 1\nkeywords = [\"insight\"]\n[[rule]]\nid = \"b\"\nweight = 1\nkeywords = [\"insight*\"]\n",
        );
        assert_eq!(hits(&m, "insights"), vec![(1, "insights".into())]);
        assert_eq!(hits(&m, "insight").len(), 2);
    }

    #[test]
    fn marks_inside_patterns_match_as_written() {
        let (_, m) = matcher(
            "role = \"other\"\n[[rule]]\nid = \"a\"\nweight = 1\nkeywords = [\"c#\", \"p&l\"]\nphrases = [\"patients' enquiries\", \"phone, email and chat\"]\n",
        );
        assert_eq!(hits(&m, "C# and P&L").len(), 2);
        assert_eq!(hits(&m, "patients’ enquiries").len(), 1);
        assert_eq!(hits(&m, "phone, email and chat").len(), 1);
        assert_eq!(hits(&m, "phone,email and chat"), vec![]);
        assert_eq!(hits(&m, "P&Ls"), vec![]);
    }

    /// Pieces of text the property test joins: words of the default rules in any case,
    /// words run together, marks, typographic quotes and dashes, and other scripts.
    const PIECES: &[&str] = &[
        "customer",
        "Customer",
        "CUSTOMER",
        "experience",
        "Experience",
        "service",
        "services",
        "journey",
        "journeys",
        "complaint",
        "complaints",
        "Complaints",
        "contact",
        "centre",
        "centric",
        "head",
        "of",
        "the",
        "and",
        "lead",
        "cx",
        "CX",
        "nps",
        "NPS",
        "csat",
        "voice",
        "insight",
        "insights",
        "marketing",
        "campaign",
        "campaigns",
        "sales",
        "engineer",
        "pre",
        "sales",
        "software",
        "quality",
        "equal",
        "opportunity",
        "opportunities",
        "we",
        "are",
        "a",
        "an",
        "is",
        "leading",
        "founded",
        "in",
        "our",
        "patients",
        "enquiries",
        "phone",
        "email",
        "chat",
        "p",
        "l",
        "c",
        "co",
        "ordinator",
        "theCustomer",
        "journeyAcross",
        "eCommerce",
        "sitesSupporting",
        "CustomerService",
        "compLaints",
        "ComplaintsTeam",
        "x",
        "café",
        "日本",
        "’",
        "'",
        "\"",
        "“",
        ",",
        ".",
        "…",
        "&",
        "#",
        "(",
        ")",
        "/",
        ":",
        "-",
        "–",
        "—",
        " ",
        " ",
        "  ",
        "\n",
        "\t",
        "\u{a0}",
        "•",
        "_",
        "2",
        "24",
        "7",
    ];

    fn reference_hits(
        m: &reference::Matcher,
        text: &str,
    ) -> (Vec<(RuleId, usize, usize)>, Vec<usize>) {
        let mut s = reference::Scratch::default();
        s.normalized.fill(text);
        m.find(&mut s);
        let n = &s.normalized;
        let mut hits: Vec<_> = s
            .hits
            .iter()
            .map(|h| (h.rule, n.original_offset(h.start), n.original_offset(h.end)))
            .collect();
        hits.sort_unstable();
        let mut starts: Vec<_> = s
            .boilerplate
            .iter()
            .map(|&b| n.original_offset(b))
            .collect();
        starts.dedup();
        (hits, starts)
    }

    /// The default rules in both matchers, without exception windows (the automaton
    /// measured them in normalised bytes) and without negation (it had none).
    static DEFAULTS: std::sync::LazyLock<(reference::Matcher, Matcher)> =
        std::sync::LazyLock::new(|| {
            let set = RuleSet::defaults().expect("the default rules load");
            let old = reference::Matcher::new(&set, 0);
            let mut m = Matcher::new(&set, 0);
            m.negation = Negators::default();
            (old, m)
        });

    #[test]
    fn english_words_are_known_from_the_walk_as_the_layout_knows_them() {
        let set = RuleSet::defaults().expect("the default rules load");
        let m = Matcher::new(&set, 5);
        let mut s = Scratch::default();
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");
        let mut texts: Vec<String> = std::fs::read_dir(dir)
            .expect("examples/ exists")
            .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
            .collect();
        texts.push("The THE tHe Customers customerS theCustomer and/or Zendesk".into());
        let mut english = 0;
        for text in &texts {
            m.find(text, &mut s);
            for (i, t) in s
                .tokens
                .list
                .iter()
                .enumerate()
                .filter(|(_, t)| t.is_word())
            {
                let want = set.layout.is_english_word(t.bytes(text.as_bytes()));
                assert_eq!(m.is_english(&s, i), want, "{:?}", &text[t.start()..t.end()]);
                english += usize::from(want);
            }
        }
        assert!(english > 100, "the examples hold common English words");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// The word trie finds exactly the hits the Aho-Corasick automaton over the
        /// normalised text found, at the same original offsets, and the same boilerplate.
        #[test]
        fn the_word_matcher_agrees_with_the_automaton(
            pieces in proptest::collection::vec(
                prop_oneof![
                    4 => proptest::sample::select(PIECES).prop_map(str::to_string),
                    1 => "\\PC{0,6}",
                ],
                0..40,
            ),
            joins in proptest::collection::vec(proptest::sample::select(&[" ", "", "\n", "-", " - "][..]), 40),
        ) {
            let mut text = String::new();
            for (p, j) in pieces.iter().zip(&joins) {
                text.push_str(p);
                text.push_str(j);
            }
            let (old, m) = &*DEFAULTS;
            let mut s = Scratch::default();
            m.find(&text, &mut s);
            let mut hits: Vec<_> = s.hits.iter().map(|h| (h.rule, h.start, h.end)).collect();
            hits.sort_unstable();
            let mut starts = s.boilerplate.clone();
            starts.dedup();
            let (want_hits, want_starts) = reference_hits(old, &text);
            prop_assert_eq!(hits, want_hits, "{:?}", text);
            prop_assert_eq!(starts, want_starts, "{:?}", text);
        }
    }
}
