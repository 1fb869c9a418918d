//! Where a thing sits in the organisation: what a permission is checked against.

use super::ids::{GroupId, OrgId, PersonId, UnitId};

/// The place of a suggestion (or of a group, unit or org being bound): its filer, its group,
/// its handling units and the chain of orgs above it, nearest first. Loaded by storage; the
/// domain only reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Place {
    pub filer: Option<PersonId>,
    pub group: Option<GroupId>,
    pub lead_unit: Option<UnitId>,
    pub co_units: Vec<UnitId>,
    /// The org the group (or unit, or org) belongs to, then its parent, up to the root.
    pub orgs: Vec<OrgId>,
}

impl Place {
    pub fn units(&self) -> impl Iterator<Item = UnitId> + '_ {
        self.lead_unit
            .iter()
            .copied()
            .chain(self.co_units.iter().copied())
    }
}
