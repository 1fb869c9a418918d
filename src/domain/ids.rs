//! Row identities. Newtypes so a unit id is never passed where a group id is meant.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub struct $name(pub i64);
    )*};
}

id_type!(
    /// 机构: a county/district or town/street.
    OrgId,
    /// 代表小组 or liaison station.
    GroupId,
    /// 承办单位: a handling unit.
    UnitId,
    /// A roster person (deputy, clerk, unit contact…).
    PersonId,
    /// A suggestion's row id (its public name is its [`super::SuggestionNo`]).
    SuggestionId,
    /// A resident's request's row id (its public name is its [`super::ResidentNo`]).
    RequestId,
);
