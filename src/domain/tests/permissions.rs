//! The permission table for what is not a transition: seeing, filing, binding, inviting and
//! supervising; and the system actor's single power.

use super::*;
use Who::*;

use crate::domain::permissions::roles_for;

/// The fixture suggestion's place: filed by FILER in G1 (under T1, C), units U1 and U2.
fn suggestion_place() -> Place {
    suggestion(State::Assigned).place()
}

fn group_place(group: GroupId) -> Place {
    Place {
        group: Some(group),
        orgs: orgs_of(group),
        ..Place::default()
    }
}

fn org_place(orgs: &[OrgId]) -> Place {
    Place {
        orgs: orgs.to_vec(),
        ..Place::default()
    }
}

fn unit_place(unit: UnitId, orgs: &[OrgId]) -> Place {
    Place {
        lead_unit: Some(unit),
        orgs: orgs.to_vec(),
        ..Place::default()
    }
}

/// (action, place, who may): everyone else may not.
#[test]
fn the_table_row_by_row() {
    let cases: Vec<(ActionKind, Place, &[Who])> = vec![
        (
            ActionKind::See,
            suggestion_place(),
            &[
                Filer, Leader1, ClerkT1, ClerkC, Secretary, Chair, Admin, LeadUnit, CoUnit, System,
            ],
        ),
        // Filing is checked against the group filed in.
        (ActionKind::File, group_place(G1), &[Filer, Peer, Leader1]),
        (ActionKind::File, group_place(G2), &[Leader2]),
        // Binding a chat and inviting people: admins and clerks of the scope or above.
        (
            ActionKind::Bind,
            group_place(G1),
            &[ClerkT1, ClerkC, Admin, System],
        ),
        (
            ActionKind::Bind,
            group_place(G2),
            &[ClerkT2, ClerkC, Admin, System],
        ),
        (ActionKind::Bind, org_place(&[C]), &[ClerkC, Admin, System]),
        (
            ActionKind::Bind,
            unit_place(U3, &[T2, C]),
            &[ClerkT2, ClerkC, Admin, System],
        ),
        (
            ActionKind::Invite,
            org_place(&[T1, C]),
            &[ClerkT1, ClerkC, Admin, System],
        ),
        (
            ActionKind::Invite,
            org_place(&[C]),
            &[ClerkC, Admin, System],
        ),
        // Supervision lists of an org: its clerks, secretaries, chairs and admins, and those
        // above.
        (
            ActionKind::Supervise,
            org_place(&[T1, C]),
            &[ClerkT1, ClerkC, Secretary, Chair, Admin],
        ),
        (
            ActionKind::Supervise,
            org_place(&[T2, C]),
            &[ClerkT2, ClerkC, Secretary, Chair, ChairT2, Admin],
        ),
        (
            ActionKind::Supervise,
            org_place(&[C]),
            &[ClerkC, Secretary, Chair, Admin],
        ),
        // Only the system closes unrated replies; it also sees, binds and invites (the
        // operator at the command line).
        (ActionKind::AutoClose, suggestion_place(), &[System]),
    ];
    for (kind, place, may) in cases {
        for who in Who::ALL {
            assert_eq!(
                allowed(&who.actor(), kind, &place),
                may.contains(&who),
                "{who:?} {kind:?} at {place:?}"
            );
        }
    }
}

/// The system actor (scheduler, operator) may close unrated replies, see, bind and invite,
/// and nothing else, whatever grants it carries.
#[test]
fn the_system_only_closes_sees_binds_and_invites() {
    let kinds = TRANSITION_KINDS
        .into_iter()
        .chain(OTHER_KINDS)
        .filter(|kind| {
            ![
                ActionKind::AutoClose,
                ActionKind::See,
                ActionKind::Bind,
                ActionKind::Invite,
            ]
            .contains(kind)
        });
    let system_with_grants = Actor {
        grants: vec![grant(Role::Clerk, Scope::Org(C))],
        ..Actor::system()
    };
    for kind in kinds {
        assert!(
            !allowed(&Actor::system(), kind, &suggestion_place()),
            "{kind:?}"
        );
        assert!(
            !allowed(&system_with_grants, kind, &suggestion_place()),
            "{kind:?}"
        );
    }
    assert!(allowed(
        &Actor::system(),
        ActionKind::AutoClose,
        &suggestion_place()
    ));
    // A person never may, whatever their roles.
    let everything = Actor::person(
        PersonId(99),
        Role::ALL
            .into_iter()
            .map(|role| {
                let scope = match role.scope_kind() {
                    ScopeKind::Group => Scope::Group(G1),
                    ScopeKind::Unit => Scope::Unit(U1),
                    ScopeKind::Org => Scope::Org(C),
                };
                grant(role, scope)
            })
            .collect(),
    );
    assert!(!allowed(
        &everything,
        ActionKind::AutoClose,
        &suggestion_place()
    ));
    assert!(allowed(
        &everything,
        ActionKind::Assign,
        &suggestion_place()
    ));
}

/// "The deputy who filed it" means that person: a deputy grant plus the same person id, not
/// any deputy of the group and not an account without a person.
#[test]
fn the_filer_is_a_person() {
    let place = suggestion_place();
    let filer_no_longer_deputy = Actor::person(
        Who::Filer.person().unwrap(),
        vec![grant(Role::Clerk, Scope::Org(T2))],
    );
    assert!(!allowed(&filer_no_longer_deputy, ActionKind::Rate, &place));
    let anonymous_deputy = Actor {
        person: None,
        grants: vec![grant(Role::Deputy, Scope::Group(G1))],
        system: false,
    };
    let nobody_filed = Place {
        filer: None,
        ..place.clone()
    };
    assert!(!allowed(&anonymous_deputy, ActionKind::Rate, &nobody_filed));
    assert!(allowed(&Filer.actor(), ActionKind::Rate, &place));
    assert!(!allowed(&Peer.actor(), ActionKind::Rate, &place));
}

#[test]
fn roles_per_action_for_help() {
    let roles = |kind| roles_for(kind).collect::<Vec<_>>();
    assert_eq!(roles(ActionKind::Key), [Role::Clerk, Role::Chair]);
    assert_eq!(roles(ActionKind::Review), [Role::Leader]);
    assert_eq!(roles(ActionKind::Rate), [Role::Deputy]);
    assert_eq!(
        roles(ActionKind::Supervise),
        [Role::Clerk, Role::Secretary, Role::Chair, Role::Admin]
    );
    assert!(roles(ActionKind::AutoClose).is_empty());
}

#[test]
fn roles_parse_and_scope() {
    for role in Role::ALL {
        assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        assert_eq!(role.to_string(), role.as_str());
    }
    assert_eq!(" Clerk ".parse::<Role>(), Ok(Role::Clerk));
    assert!("mayor".parse::<Role>().is_err());
    assert_eq!(Role::Deputy.scope_kind(), ScopeKind::Group);
    assert_eq!(Role::Leader.scope_kind(), ScopeKind::Group);
    assert_eq!(Role::Unit.scope_kind(), ScopeKind::Unit);
    for role in [Role::Clerk, Role::Secretary, Role::Chair, Role::Admin] {
        assert_eq!(role.scope_kind(), ScopeKind::Org);
    }
    assert_eq!(
        Who::Leader1.actor().deputy_groups().collect::<Vec<_>>(),
        [G1]
    );
    assert!(Who::Leader1.actor().has_role(Role::Leader));
    assert!(!Who::Peer.actor().has_role(Role::Leader));
}

/// A refusal names the first reason in the order the table is read: the role, then the scope.
/// A deputy asking to invite is told inviting is not a deputy's to do, wherever the invitee is.
#[test]
fn a_refusal_names_the_role_before_the_scope() {
    use crate::domain::{Refusal, permit};
    let t1 = org_place(&orgs_of(G1));
    let t2 = org_place(&orgs_of(G2));
    for place in [&t1, &t2] {
        assert_eq!(
            permit(&Filer.actor(), ActionKind::Invite, place),
            Err(Refusal::NotYourRole)
        );
        assert_eq!(
            permit(&LeadUnit.actor(), ActionKind::Supervise, place),
            Err(Refusal::NotYourRole)
        );
    }
    assert_eq!(permit(&ClerkT1.actor(), ActionKind::Invite, &t1), Ok(()));
    assert_eq!(
        permit(&ClerkT1.actor(), ActionKind::Invite, &t2),
        Err(Refusal::OutOfScope)
    );
    assert_eq!(
        permit(&Leader1.actor(), ActionKind::Review, &group_place(G2)),
        Err(Refusal::OutOfScope)
    );
    assert_eq!(
        permit(&System.actor(), ActionKind::Review, &t1),
        Err(Refusal::NotYourRole)
    );
    assert_eq!(
        permit(&Filer.actor(), ActionKind::AutoClose, &suggestion_place()),
        Err(Refusal::NotYourRole)
    );
}
