//! Naming a role honestly: the seniority of a title, and a title for another role at the
//! same seniority ("Head of Customer Experience" describing a service job becomes "Head of
//! Customer Service").
//!
//! The seniority vocabulary is structural and lives here; what each role is called lives
//! in the role's rule file (`[titles]`, see `rules/README.md`).

use std::collections::BTreeMap;

use serde::Serialize;

/// The seniority of a title, as far as naming goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// "Chief ... Officer", "CXO".
    Chief,
    /// "VP", "Vice President".
    Vp,
    /// "Director".
    Director,
    /// "Head of".
    Head,
    /// "Manager".
    Manager,
    /// "Lead".
    Lead,
    /// A named job below management ("Advisor", "Team Leader"), kept as written.
    Staff(String),
    /// No seniority word.
    None,
}

impl Level {
    /// The key of this level in a `[titles] forms` table.
    pub fn key(&self) -> &'static str {
        match self {
            Level::Chief => "chief",
            Level::Vp => "vp",
            Level::Director => "director",
            Level::Head => "head",
            Level::Manager => "manager",
            Level::Lead => "lead",
            Level::Staff(_) => "staff",
            Level::None => "none",
        }
    }

    /// Every key a `forms` table may use.
    pub const KEYS: [&'static str; 8] = [
        "chief", "vp", "director", "head", "manager", "lead", "staff", "none",
    ];
}

/// Words that qualify a level and are kept ("Associate Director", "Senior Manager").
const MODIFIERS: &[&str] = &[
    "senior",
    "associate",
    "deputy",
    "assistant",
    "interim",
    "executive",
    "global",
    "group",
    "regional",
    "national",
    "principal",
];

/// Jobs below management whose name is kept as written ("Customer Service Advisor").
const STAFF: &[&str] = &[
    "team leader",
    "supervisor",
    "specialist",
    "advisor",
    "adviser",
    "officer",
    "coordinator",
    "co-ordinator",
    "executive",
    "analyst",
    "associate",
    "agent",
    "representative",
    "assistant",
    "consultant",
    "partner",
    "administrator",
    "designer",
    "researcher",
];

/// A title's seniority and the qualifiers that go with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seniority {
    /// The level.
    pub level: Level,
    /// Qualifiers, capitalised, in title order ("Senior", "Associate").
    pub modifiers: Vec<String>,
}

fn words(title: &str) -> Vec<String> {
    title
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn capitalise(word: &str) -> String {
    word.split(' ')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Reads the seniority of `title`.
pub fn seniority(title: &str) -> Seniority {
    let w = words(title);
    let has = |x: &str| w.iter().position(|t| t == x);
    let pair = |a: &str, b: &str| w.windows(2).position(|p| p[0] == a && p[1] == b);
    let (level, at) = if has("chief").is_some() && has("officer").is_some() {
        (Level::Chief, has("chief"))
    } else if let Some(i) = ["cxo", "cco", "cmo", "coo"].iter().find_map(|x| has(x)) {
        (Level::Chief, Some(i))
    } else if let Some(i) = pair("vice", "president") {
        (Level::Vp, Some(i))
    } else if let Some(i) = ["vp", "svp", "evp"].iter().find_map(|x| has(x)) {
        (Level::Vp, Some(i))
    } else if let Some(i) = has("director") {
        (Level::Director, Some(i))
    } else if let Some(i) = has("head") {
        (Level::Head, Some(i))
    } else if let Some(i) = has("manager") {
        (Level::Manager, Some(i))
    } else if let Some(i) = has("lead") {
        (Level::Lead, Some(i))
    } else if let Some((i, job)) = STAFF.iter().find_map(|s| match s.split_once(' ') {
        Some((a, b)) => pair(a, b).map(|i| (i, *s)),
        None => has(s).map(|i| (i, *s)),
    }) {
        (Level::Staff(capitalise(job)), Some(i))
    } else {
        (Level::None, None)
    };
    let mut modifiers: Vec<String> = Vec::new();
    if level != Level::Chief {
        let lead = w.iter().take_while(|t| MODIFIERS.contains(&t.as_str()));
        let before = at.map_or(&[][..], |i| &w[..i]);
        let near = before
            .iter()
            .rev()
            .take_while(|t| MODIFIERS.contains(&t.as_str()))
            .collect::<Vec<_>>();
        for m in lead.chain(near.into_iter().rev()) {
            let m = capitalise(m);
            // "Executive Assistant" is a job, not a qualified assistant.
            if !modifiers.contains(&m)
                && !matches!(&level, Level::Staff(s) if s.eq_ignore_ascii_case(&m))
            {
                modifiers.push(m);
            }
        }
    }
    Seniority { level, modifiers }
}

/// What a role is called in titles: from a rule file's `[titles]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Titles {
    /// The role's name in a title ("Customer Service").
    pub area: String,
    /// Whole titles for some levels; `{area}` is replaced.
    pub forms: BTreeMap<String, String>,
    /// Lower-case title words that change the area ("patient" -> "Patient Services").
    pub by_word: BTreeMap<String, String>,
}

impl Titles {
    /// The title that names this role at the seniority of `original`.
    pub fn suggest(&self, original: &str) -> String {
        let s = seniority(original);
        let w = words(original);
        let area = self
            .by_word
            .iter()
            .find(|(word, _)| w.iter().any(|t| t == *word))
            .map_or(self.area.as_str(), |(_, area)| area.as_str());
        let base = match self.forms.get(s.level.key()) {
            Some(form) => form.replace("{area}", area),
            None => match &s.level {
                Level::Chief => format!("Chief {area} Officer"),
                Level::Vp => format!("VP of {area}"),
                Level::Director => format!("Director of {area}"),
                Level::Head => format!("Head of {area}"),
                Level::Manager | Level::None => format!("{area} Manager"),
                Level::Lead => format!("{area} Lead"),
                Level::Staff(job) => format!("{area} {job}"),
            },
        };
        if s.modifiers.is_empty() || s.level == Level::Chief {
            base
        } else {
            format!("{} {base}", s.modifiers.join(" "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service() -> Titles {
        Titles {
            area: "Customer Service".into(),
            forms: BTreeMap::from([("chief".into(), "Chief Customer Officer".into())]),
            by_word: BTreeMap::from([("patient".into(), "Patient Services".into())]),
        }
    }

    #[test]
    fn seniority_is_kept() {
        let t = service();
        assert_eq!(
            t.suggest("Head of Customer Experience"),
            "Head of Customer Service"
        );
        assert_eq!(
            t.suggest("Customer Experience Director (EMEA)"),
            "Director of Customer Service"
        );
        assert_eq!(t.suggest("VP, CX"), "VP of Customer Service");
        assert_eq!(
            t.suggest("Senior Customer Experience Manager"),
            "Senior Customer Service Manager"
        );
        assert_eq!(
            t.suggest("Associate Director of Patient Experience - Band 8d"),
            "Associate Director of Patient Services"
        );
        assert_eq!(
            t.suggest("Chief Experience Officer"),
            "Chief Customer Officer"
        );
        assert_eq!(
            t.suggest("Customer Experience Team Leader"),
            "Customer Service Team Leader"
        );
        assert_eq!(
            t.suggest("Customer Experience Executive"),
            "Customer Service Executive"
        );
        assert_eq!(t.suggest("Customer Experience"), "Customer Service Manager");
    }

    #[test]
    fn levels_are_read_from_the_words() {
        assert_eq!(
            seniority("Vice President, Client Experience").level,
            Level::Vp
        );
        assert_eq!(seniority("Head of CX").level, Level::Head);
        assert_eq!(
            seniority("Deputy Head of Patient Experience").modifiers,
            vec!["Deputy"]
        );
        assert_eq!(seniority("Leadership coach").level, Level::None);
    }
}
