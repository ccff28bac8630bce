//! The roles an ad can be tagged with, and [`PerRole`], one value for each.
//!
//! This module owns the list of roles and their order ([`Role::ALL`]): every per-role
//! score, count and column follows it. It does not say how a report shows a role (see
//! `report::RoleStyle`) or what counts as evidence for one (see `rules`).

use std::fmt;
use std::ops::{Index, IndexMut};

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

/// The roles an ad can be tagged with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Winning new customers: marketing, campaigns, lead generation, new-business sales.
    Acquisition,
    /// Serving existing customers: support, care, contact centres, complaints, success.
    Service,
    /// Making processes better: continuous improvement, lean, quality systems.
    Improvement,
    /// Owning an organisation-wide customer experience agenda.
    Cx,
    /// None of the four (a nurse, an engineer), or too little evidence to tell.
    Other,
}

/// How many roles there are.
const ROLES: usize = 5;

impl Role {
    /// Every role, in the order of score columns and of [`PerRole`].
    pub const ALL: [Role; ROLES] = [
        Role::Acquisition,
        Role::Service,
        Role::Improvement,
        Role::Cx,
        Role::Other,
    ];

    /// The label used in rule files and outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Acquisition => "acquisition",
            Role::Service => "service",
            Role::Improvement => "improvement",
            Role::Cx => "cx",
            Role::Other => "other",
        }
    }

    /// Parses a label as written in rule and label files.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

impl Serialize for Role {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One value for each role, in [`Role::ALL`] order: scores, counts, a row of a confusion
/// matrix. Indexed by [`Role`]; serialises as an object keyed by role name, in that
/// order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct PerRole<T>([T; ROLES]);

impl<T> PerRole<T> {
    /// The values, given in [`Role::ALL`] order.
    pub const fn new(values: [T; ROLES]) -> PerRole<T> {
        PerRole(values)
    }

    /// The value of each role, from `f`.
    pub fn from_fn(mut f: impl FnMut(Role) -> T) -> PerRole<T> {
        PerRole(Role::ALL.map(&mut f))
    }

    /// Each role with its value, in [`Role::ALL`] order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (Role, &T)> + Clone {
        Role::ALL.into_iter().zip(&self.0)
    }

    /// The values alone, in [`Role::ALL`] order.
    pub fn values(&self) -> std::slice::Iter<'_, T> {
        self.0.iter()
    }

    /// Every value passed through `f`.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> PerRole<U> {
        PerRole(self.0.map(f))
    }
}

impl<T> Index<Role> for PerRole<T> {
    type Output = T;
    fn index(&self, role: Role) -> &T {
        // The one place a role is a position: `Role::ALL` lists the variants in order.
        &self.0[role as usize]
    }
}

impl<T> IndexMut<Role> for PerRole<T> {
    fn index_mut(&mut self, role: Role) -> &mut T {
        &mut self.0[role as usize]
    }
}

impl<T: Serialize> Serialize for PerRole<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(ROLES))?;
        for (role, value) in self.iter() {
            map.serialize_entry(role.as_str(), value)?;
        }
        map.end()
    }
}

/// Serialises per-role values as a plain list in [`Role::ALL`] order: the serde form a
/// [`crate::Verdict`]'s scores had as an array, kept for readers of it.
pub fn as_list<T: Serialize, S: Serializer>(
    values: &PerRole<T>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    values.0.serialize(serializer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_lists_the_roles_in_declaration_order() {
        // `PerRole`'s index is the variant's position: the two orders must be one.
        for (i, role) in Role::ALL.into_iter().enumerate() {
            assert_eq!(role as usize, i, "{role}");
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
    }

    #[test]
    fn per_role_indexes_iterates_and_serialises_by_role() {
        let mut counts: PerRole<usize> = PerRole::default();
        counts[Role::Cx] += 2;
        counts[Role::Other] += 1;
        assert_eq!(counts[Role::Cx], 2);
        let listed: Vec<(Role, usize)> = counts.iter().map(|(r, &n)| (r, n)).collect();
        assert_eq!(listed[3], (Role::Cx, 2));
        assert_eq!(counts.values().sum::<usize>(), 3);
        assert_eq!(counts.map(|n| n * 10)[Role::Other], 10);
        assert_eq!(
            serde_json::to_string(&counts).unwrap(),
            r#"{"acquisition":0,"service":0,"improvement":0,"cx":2,"other":1}"#
        );
    }
}
