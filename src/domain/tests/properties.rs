//! Property tests of the state machine (issue 15): random sequences of actions by random
//! actors at random times, on a suggestion a deputy filed, run as storage runs them: `decide`
//! (the permission table, the start state, then the step) and, for 交办, storage's check that
//! every unit is within the clerk's org. Each property is checked against a reading of the
//! rules written here, not by asking the code under test twice:
//!
//! - the record is always one the machine has: its state is one of [`State::ALL`], the other
//!   fields agree with it, and a terminal state is never left;
//! - each accepted step appends exactly one event, from the state before to the state after,
//!   and the timeline only grows: one unbroken chain from the filing to the current state;
//! - a step is refused for permission exactly when the table says no, with the table's reason,
//!   and otherwise for the state or its arguments only, exactly when they are wrong;
//! - a deadline a step sets is never before the step.
//!
//! The organisation is the fixture's (county C; towns T1 and T2 under it; group G1 in T1 and
//! G2 in T2) with handling units in every org: UC and UC2 in C, UT1 in T1, UT2 in T2.

use std::fmt;
use std::sync::LazyLock;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{RngAlgorithm, TestRng, TestRunner};

use super::*;
use crate::domain::permissions::{PERMISSIONS, Reach};

const UC: UnitId = UnitId(1);
const UC2: UnitId = UnitId(2);
const UT1: UnitId = UnitId(3);
const UT2: UnitId = UnitId(4);
const UNITS: [UnitId; 4] = [UC, UC2, UT1, UT2];

/// The deputy who files the suggestion every sequence runs on.
const FILER: PersonId = PersonId(10);

/// The chain of orgs above a unit, nearest first.
fn unit_orgs(unit: UnitId) -> Vec<OrgId> {
    match unit {
        UC | UC2 => vec![C],
        UT1 => vec![T1, C],
        UT2 => vec![T2, C],
        other => panic!("no such unit {other:?}"),
    }
}

/// Everyone on the roster of the fixed org tree (besides the filer), a resident and the
/// system.
static ROSTER: LazyLock<Vec<Actor>> = LazyLock::new(|| {
    use Role::*;
    use Scope::{Group, Org};
    let person = |id, grants: &[(Role, Scope)]| {
        let grants = grants.iter().map(|&(r, s)| grant(r, s)).collect();
        Actor::person(PersonId(id), grants)
    };
    vec![
        person(11, &[(Deputy, Group(G1))]),
        person(12, &[(Deputy, Group(G1)), (Leader, Group(G1))]),
        person(13, &[(Deputy, Group(G2)), (Leader, Group(G2))]),
        person(14, &[(Deputy, Group(G2))]),
        person(20, &[(Clerk, Org(T1))]),
        person(21, &[(Clerk, Org(C))]),
        person(22, &[(Clerk, Org(T2))]),
        person(23, &[(Clerk, Org(T1)), (Chair, Org(T1))]),
        person(30, &[(Secretary, Org(C))]),
        person(31, &[(Chair, Org(C))]),
        person(32, &[(Chair, Org(T2))]),
        person(40, &[(Unit, Scope::Unit(UC))]),
        person(41, &[(Unit, Scope::Unit(UC2))]),
        person(42, &[(Unit, Scope::Unit(UT1))]),
        person(43, &[(Unit, Scope::Unit(UT2))]),
        person(44, &[(Unit, Scope::Unit(UC)), (Unit, Scope::Unit(UT1))]),
        person(50, &[(Admin, Org(C))]),
        person(51, &[(Admin, Org(T1))]),
        Actor {
            person: None,
            grants: Vec::new(),
            system: false,
        },
        Actor::system(),
    ]
});

/// Who takes a step.
#[derive(Debug, Clone)]
enum By {
    /// The deputy who filed it, with the grants they filed with.
    Filer,
    /// Someone on the roster.
    Roster(usize),
    /// The roster's person of this id.
    Person(i64),
    /// Someone on the roster (or the filer) who holds a role the table names for the step's
    /// kind of action: in scope or not. Only steers the sequences towards the table's rows.
    Likely(usize),
    /// Someone on the roster (or the filer) whom the table lets take the step here, if
    /// anyone. Only steers the sequences deeper into the loop.
    Allowed(usize),
    /// Anyone: random roles in random scopes (sometimes of the wrong kind for the role).
    Random(Actor),
}

/// What a step asks.
#[derive(Debug, Clone)]
enum What {
    /// This action, whatever the state.
    Action(Action),
    /// One of the kinds of action that may start from the state the suggestion is in then
    /// (the `n`-th, round), with these arguments. Only steers the sequences deeper into the
    /// loop.
    Fitting(usize, Args),
}

/// One step of a sequence: who, what, and how long after the previous step.
#[derive(Clone)]
struct Step {
    by: By,
    what: What,
    after_secs: i64,
}

/// Long texts are shown with their runs of one character counted, so a failing case prints.
impl fmt::Debug for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = shorten(&format!("{:?}", self.what));
        write!(f, "{:?} {what} +{}s", self.by, self.after_secs)
    }
}

impl What {
    fn action(&self, record: &Suggestion) -> Action {
        match self {
            What::Action(action) => action.clone(),
            What::Fitting(n, a) => {
                // Where an action may start depends on its kind and rating only.
                let bare = Args {
                    text: String::new(),
                    title: String::new(),
                    body: String::new(),
                    co: Vec::new(),
                    ..*a
                };
                let fits: Vec<usize> = (0..KINDS)
                    .filter(|&k| moves(&build(k, &bare), record).is_some())
                    .collect();
                match fits.is_empty() {
                    true => build(*n, a),
                    false => build(fits[n % fits.len()], a),
                }
            }
        }
    }
}

fn shorten(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let mut run = 1;
        while chars.peek() == Some(&c) {
            chars.next();
            run += 1;
        }
        match run {
            1..=8 => out.extend(std::iter::repeat_n(c, run)),
            _ => out.push_str(&format!("{c}×{run}")),
        }
    }
    out
}

/// A suggestion filed in `group` (by a deputy who may also be its leader) at `start`, then
/// the first `prefix` steps of a script along the loop (accept, assign, reply, unsatisfied,
/// reply, unsatisfied: so that every state is reached often), then the random steps.
#[derive(Debug, Clone)]
struct Case {
    group: GroupId,
    filer_leads: bool,
    start: DateTime<Utc>,
    prefix: usize,
    script: Vec<Step>,
    steps: Vec<Step>,
}

impl Case {
    fn filer(&self) -> Actor {
        let mut grants = vec![grant(Role::Deputy, Scope::Group(self.group))];
        if self.filer_leads {
            grants.push(grant(Role::Leader, Scope::Group(self.group)));
        }
        Actor::person(FILER, grants)
    }

    /// The steps taken, in order.
    fn steps(&self) -> impl Iterator<Item = &Step> {
        self.script[..self.prefix].iter().chain(&self.steps)
    }

    fn actor(&self, by: &By, action: &Action, record: &Suggestion) -> Actor {
        match by {
            By::Filer => self.filer(),
            By::Roster(i) => ROSTER[i % ROSTER.len()].clone(),
            By::Person(id) => ROSTER
                .iter()
                .find(|a| a.person == Some(PersonId(*id)))
                .expect("on the roster")
                .clone(),
            By::Allowed(i) => {
                let kind = kind_of(action);
                let filer = self.filer();
                let fits: Vec<&Actor> = std::iter::once(&filer)
                    .chain(ROSTER.iter())
                    .filter(|a| table_says(a, kind, record).is_ok())
                    .collect();
                match fits.is_empty() {
                    true => ROSTER[i % ROSTER.len()].clone(),
                    false => fits[i % fits.len()].clone(),
                }
            }
            By::Likely(i) => {
                let kind = kind_of(action);
                let filer = self.filer();
                let fits: Vec<&Actor> = std::iter::once(&filer)
                    .chain(ROSTER.iter())
                    .filter(|a| match a.system {
                        true => kind == ActionKind::AutoClose,
                        false => a.grants.iter().any(|g| {
                            PERMISSIONS
                                .iter()
                                .any(|&(k, r, _)| k == kind && r == g.role)
                        }),
                    })
                    .collect();
                fits[i % fits.len()].clone()
            }
            By::Random(actor) => actor.clone(),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Strategies.

fn scope() -> impl Strategy<Value = Scope> {
    prop_oneof![
        prop::sample::select(vec![G1, G2]).prop_map(Scope::Group),
        prop::sample::select(vec![C, T1, T2]).prop_map(Scope::Org),
        prop::sample::select(UNITS.to_vec()).prop_map(Scope::Unit),
    ]
}

/// A role in a scope of its kind, or now and then in any scope.
fn any_grant() -> impl Strategy<Value = Grant> {
    let role = prop::sample::select(Role::ALL.to_vec());
    let kinded = role.clone().prop_flat_map(|role| {
        let scopes = match role.scope_kind() {
            ScopeKind::Group => vec![Scope::Group(G1), Scope::Group(G2)],
            ScopeKind::Org => vec![Scope::Org(C), Scope::Org(T1), Scope::Org(T2)],
            ScopeKind::Unit => UNITS.map(Scope::Unit).to_vec(),
        };
        prop::sample::select(scopes).prop_map(move |scope| grant(role, scope))
    });
    prop_oneof![
        9 => kinded,
        1 => (role, scope()).prop_map(|(role, scope)| grant(role, scope)),
    ]
}

fn random_actor() -> impl Strategy<Value = Actor> {
    let person = prop::sample::select(vec![FILER, PersonId(11), PersonId(20), PersonId(40)]);
    prop_oneof![
        8 => (person, prop::collection::vec(any_grant(), 0..=3))
            .prop_map(|(person, grants)| Actor::person(person, grants)),
        1 => Just(Actor {
            person: None,
            grants: Vec::new(),
            system: false,
        }),
        1 => Just(Actor::system()),
    ]
    .boxed()
}

fn by() -> impl Strategy<Value = By> {
    prop_oneof![
        2 => Just(By::Filer),
        2 => any::<usize>().prop_map(By::Roster),
        3 => any::<usize>().prop_map(By::Likely),
        6 => any::<usize>().prop_map(By::Allowed),
        3 => random_actor().prop_map(By::Random),
    ]
    .boxed()
}

/// One to four words, with blanks between them and sometimes around them.
fn words() -> impl Strategy<Value = String> {
    const WORDS: [&str; 8] = ["lamps", "Elm", "road", "路灯", "late", "  ", "\n", "x"];
    prop::collection::vec(prop::sample::select(WORDS.to_vec()), 1..=4)
        .prop_map(|words| words.join(" "))
        .boxed()
}

/// A reason or reply text: mostly words, sometimes empty, blank, the longest allowed (with
/// blanks around it, which do not count) or one character too long.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        24 => words(),
        2 => Just(String::new()),
        2 => Just(" \t\n ".to_string()),
        1 => Just(format!("  {}\n", "字".repeat(MAX_TEXT))),
        1 => Just("x".repeat(MAX_TEXT + 1)),
    ]
    .boxed()
}

fn title() -> impl Strategy<Value = String> {
    prop_oneof![
        12 => words(),
        1 => Just(String::new()),
        1 => Just("  \n".to_string()),
        1 => Just(format!(" {} ", "字".repeat(MAX_TITLE))),
        1 => Just("x".repeat(MAX_TITLE + 1)),
    ]
    .boxed()
}

/// A body may be empty; it may not be longer than a text.
fn body() -> impl Strategy<Value = String> {
    prop_oneof![
        24 => prop_oneof![Just(String::new()), words()],
        1 => Just(format!("{}  ", "字".repeat(MAX_TEXT))),
        1 => Just("y".repeat(MAX_TEXT + 1)),
    ]
    .boxed()
}

fn days() -> impl Strategy<Value = u32> {
    prop_oneof![
        6 => 1..=MAX_DAYS,
        1 => Just(0),
        1 => Just(MAX_DAYS),
        1 => Just(MAX_DAYS + 1),
        1 => (MAX_DAYS + 1)..=u32::MAX,
    ]
}

fn level() -> impl Strategy<Value = Option<Level>> {
    prop::option::of(prop::sample::select(vec![
        Level::Town,
        Level::District,
        Level::Higher,
    ]))
}

fn unit() -> impl Strategy<Value = UnitId> {
    prop::sample::select(UNITS.to_vec())
}

/// The arguments of every kind of action, valid or not.
#[derive(Debug, Clone)]
struct Args {
    level: Option<Level>,
    text: String,
    title: String,
    body: String,
    lead: UnitId,
    co: Vec<UnitId>,
    assign_days: Option<u32>,
    days: u32,
    into: MergeTarget,
    rating: Rating,
}

fn args() -> impl Strategy<Value = Args> {
    let into = (
        prop::sample::select(vec![NO, OTHER_NO]),
        prop::sample::select(State::ALL.to_vec()),
    )
        .prop_map(|(no, state)| MergeTarget { no, state });
    let rating = prop::sample::select(vec![Rating::Satisfied, Rating::Basic, Rating::Unsatisfied]);
    (
        (level(), text(), title(), body()),
        (unit(), prop::collection::vec(unit(), 0..=2)),
        (prop::option::weighted(0.3, days()), days()),
        (into, rating),
    )
        .prop_map(
            |((level, text, title, body), (lead, co), (assign_days, days), (into, rating))| Args {
                level,
                text,
                title,
                body,
                lead,
                co,
                assign_days,
                days,
                into,
                rating,
            },
        )
        .boxed()
}

/// How many kinds of action [`build`] builds.
const KINDS: usize = 16;

/// The action of kind `kind` (0 to 15: every variant of [`Action`]) with the arguments it
/// takes from `a`.
fn build(kind: usize, a: &Args) -> Action {
    let text = || a.text.clone();
    match kind % KINDS {
        0 => Action::Accept { level: a.level },
        1 => Action::Return { reason: text() },
        2 => Action::Edit {
            title: a.title.clone(),
            body: a.body.clone(),
        },
        3 => Action::Withdraw,
        4 => Action::Assign {
            lead: a.lead,
            co: a.co.clone(),
            days: a.assign_days,
            level: a.level,
        },
        5 => Action::Extend {
            days: a.days,
            reason: text(),
        },
        6 => Action::Merge { into: a.into },
        7 => Action::Transfer { reason: text() },
        8 => Action::Decline { reason: text() },
        9 => Action::Key,
        10 => Action::Progress { text: text() },
        11 => Action::Reply { text: text() },
        12 => Action::Rate { rating: a.rating },
        13 => Action::Explain { text: text() },
        14 => Action::AutoClose,
        _ => Action::Vote {
            result: match a.rating {
                Rating::Unsatisfied => VoteResult::Fail,
                Rating::Satisfied | Rating::Basic => VoteResult::Pass,
            },
            on: chrono::NaiveDate::from_ymd_opt(MEETING.0, MEETING.1, MEETING.2).unwrap(),
            note: text(),
        },
    }
}

/// Every kind of action with random arguments, valid or not; the steps that move the loop
/// forward a little more often.
fn action() -> impl Strategy<Value = Action> {
    let weights: [usize; KINDS] = [4, 2, 2, 1, 4, 2, 1, 1, 1, 3, 2, 4, 5, 3, 2, 3];
    let kinds: Vec<usize> = (0..KINDS)
        .flat_map(|k| std::iter::repeat_n(k, weights[k]))
        .collect();
    (prop::sample::select(kinds), args())
        .prop_map(|(kind, a)| build(kind, &a))
        .boxed()
}

/// Up to an hour, up to three days or up to forty days: deadlines both pass and do not.
fn after_secs() -> impl Strategy<Value = i64> {
    prop_oneof![0..=3_600i64, 0..=3 * 86_400i64, 0..=40 * 86_400i64]
}

fn step() -> impl Strategy<Value = Step> {
    let what = prop_oneof![
        action().prop_map(What::Action),
        (any::<usize>(), args()).prop_map(|(n, a)| What::Fitting(n, a)),
    ];
    (by(), what, after_secs())
        .prop_map(|(by, what, after_secs)| Step {
            by,
            what,
            after_secs,
        })
        .boxed()
}

/// The loop's way forward with valid arguments, each step by someone the table allows (the
/// county's clerk assigns, who reaches every unit), within two days of the one before.
fn script() -> impl Strategy<Value = Vec<Step>> {
    let level = prop::option::of(prop::sample::select(vec![Level::Town, Level::District]));
    let units = prop::sample::subsequence(UNITS.to_vec(), 1..=3);
    let gaps = prop::array::uniform6(0..=2 * 86_400i64);
    let reply = prop::sample::select(vec!["the lamps are fixed", "路灯已修复", "ordered"]);
    (level, units, reply.clone(), reply, gaps).prop_map(|(level, units, first, second, gaps)| {
        let reply = |text: &str| Action::Reply { text: text.into() };
        let unsatisfied = Action::Rate {
            rating: Rating::Unsatisfied,
        };
        let assign = Action::Assign {
            lead: units[0],
            co: units[1..].to_vec(),
            days: None,
            level: None,
        };
        [
            (By::Allowed(0), Action::Accept { level }),
            (By::Person(21), assign),
            (By::Allowed(0), reply(first)),
            (By::Filer, unsatisfied.clone()),
            (By::Allowed(0), reply(second)),
            (By::Filer, unsatisfied),
        ]
        .into_iter()
        .zip(gaps)
        .map(|((by, action), after_secs)| Step {
            by,
            what: What::Action(action),
            after_secs,
        })
        .collect()
    })
}

fn case() -> impl Strategy<Value = Case> {
    let start = utc(2025, 6, 1, 0, 0, 0);
    (
        prop::sample::select(vec![G1, G2]),
        any::<bool>(),
        0..=2 * 366 * 86_400i64,
        // A third of the sequences start from the filing, to dwell on review and revision.
        prop_oneof![1 => Just(0usize), 2 => 0..=6usize],
        script(),
        prop::collection::vec(step(), 0..=30),
    )
        .prop_map(
            move |(group, filer_leads, secs, prefix, script, steps)| Case {
                group,
                filer_leads,
                start: start + chrono::Duration::seconds(secs),
                prefix,
                script,
                steps,
            },
        )
}

// ---------------------------------------------------------------------------------------
// Playing a sequence.

/// One step as it was taken.
struct Turn {
    actor: Actor,
    action: Action,
    at: DateTime<Utc>,
    before: Suggestion,
    result: Result<Decision, Refusal>,
    after: Suggestion,
    /// The timeline before and after the step.
    events_before: Vec<Event>,
    events: Vec<Event>,
}

/// A sequence played out: the first record and its filing event, then every turn.
struct Game {
    first: Suggestion,
    filed: Event,
    turns: Vec<Turn>,
}

/// Files the suggestion and takes every step as storage would, keeping the record and the
/// timeline: a refused step changes neither.
fn play(case: &Case) -> Game {
    let rules = rules();
    let filing = file(
        &case.filer(),
        draft(Some(case.group)),
        orgs_of,
        case.start,
        &rules,
        &categories(),
    )
    .expect("the filer may file in their group");
    let first = filing.record(SuggestionId(100), NO);
    let mut record = first.clone();
    let mut events = vec![filing.event.clone()];
    let mut at = case.start;
    let mut turns = Vec::new();
    for step in case.steps() {
        at += chrono::Duration::seconds(step.after_secs);
        let action = step.what.action(&record);
        let actor = case.actor(&step.by, &action, &record);
        let before = record.clone();
        let events_before = events.clone();
        let result = decide(&record, &actor, action.clone(), at, &rules)
            .and_then(|d| units_in_scope(&actor, &record, &action).map(|()| d));
        if let Ok(decision) = &result {
            events.push(decision.event.clone());
            record = decision.next.clone();
        }
        turns.push(Turn {
            actor,
            action,
            at,
            before,
            result,
            after: record.clone(),
            events_before,
            events: events.clone(),
        });
    }
    Game {
        first,
        filed: filing.event,
        turns,
    }
}

/// Storage's check after `decide` allows 交办: every unit is within the clerk's org.
fn units_in_scope(actor: &Actor, s: &Suggestion, action: &Action) -> Result<(), Refusal> {
    match action {
        Action::Assign { lead, co, .. } => {
            let mut units = std::iter::once(lead).chain(co);
            match units.all(|&u| may_assign_to(actor, &s.orgs, &unit_orgs(u))) {
                true => Ok(()),
                false => Err(Refusal::UnitOutOfScope),
            }
        }
        _ => Ok(()),
    }
}

impl fmt::Display for Turn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let result = match &self.result {
            Ok(d) => format!("allowed: {:?} → {:?}", d.event.kind, d.next.state),
            Err(r) => format!("refused: {r:?}"),
        };
        let action = shorten(&format!("{:?}", self.action));
        write!(
            f,
            "{:?} {:?} {action} at {} on {:?} (deadline {:?}): {result}",
            self.actor.person, self.actor.grants, self.at, self.before.state, self.before.deadline,
        )
    }
}

// ---------------------------------------------------------------------------------------
// The rules, read independently of the code under test.

/// The kind of action the table is read for.
fn kind_of(action: &Action) -> ActionKind {
    use ActionKind as K;
    match action {
        Action::Accept { .. } | Action::Return { .. } => K::Review,
        Action::Edit { .. } => K::Edit,
        Action::Withdraw => K::Withdraw,
        Action::Assign { .. } => K::Assign,
        Action::Extend { .. } => K::Extend,
        Action::Merge { .. } => K::Merge,
        Action::Transfer { .. } => K::Transfer,
        Action::Decline { .. } => K::Decline,
        Action::Key => K::Key,
        Action::Progress { .. } => K::Progress,
        Action::Reply { .. } => K::Reply,
        Action::Rate { .. } => K::Rate,
        Action::Explain { .. } => K::Explain,
        Action::AutoClose => K::AutoClose,
        Action::Vote { .. } => K::Vote,
    }
}

/// The permission table, read here: the system may close unrated replies, see, bind and
/// invite, and nothing else (README); a person may do what a row of `PERMISSIONS` gives one
/// of their roles where that role is held. Refused as not their role when no role of theirs
/// is in a row for the action, else as out of scope.
fn table_says(actor: &Actor, kind: ActionKind, s: &Suggestion) -> Result<(), Refusal> {
    use ActionKind as K;
    if actor.system {
        return match kind {
            K::AutoClose | K::See | K::Bind | K::Invite => Ok(()),
            _ => Err(Refusal::NotYourRole),
        };
    }
    let rows: Vec<(Role, Reach)> = PERMISSIONS
        .iter()
        .filter(|row| row.0 == kind)
        .map(|&(_, role, reach)| (role, reach))
        .collect();
    let mut holds_a_role = false;
    for g in &actor.grants {
        for &(role, reach) in &rows {
            if g.role != role {
                continue;
            }
            holds_a_role = true;
            let here = match (reach, g.scope) {
                (Reach::Filer, _) => actor.person == Some(s.deputy),
                (Reach::Group, Scope::Group(group)) => group == s.group,
                (Reach::Org, Scope::Org(org)) => s.orgs.contains(&org),
                (Reach::LeadUnit, Scope::Unit(unit)) => s.lead_unit == Some(unit),
                (Reach::AnyUnit, Scope::Unit(unit)) => {
                    s.lead_unit == Some(unit) || s.co_units.contains(&unit)
                }
                _ => false,
            };
            if here {
                return Ok(());
            }
        }
    }
    Err(match holds_a_role {
        true => Refusal::OutOfScope,
        false => Refusal::NotYourRole,
    })
}

/// The machine of PRODUCT.md §3: where `action` takes suggestion `s` (by its state, its
/// unsatisfied ratings so far and whether it is key), or `None` when it may not start there.
/// A key suggestion closes only by the committee's passed vote (§10): what would close
/// another leaves it replied.
fn moves(action: &Action, s: &Suggestion) -> Option<State> {
    use State::*;
    let (from, unsatisfied) = (s.state, s.unsatisfied_count);
    let closes = match s.key {
        true => Replied,
        false => Closed,
    };
    let to = match (action, from) {
        (Action::Accept { .. }, Submitted) => Accepted,
        (Action::Return { .. }, Submitted) => Returned,
        (Action::Edit { .. }, Returned) => Submitted,
        (Action::Withdraw, Submitted | Returned) => Withdrawn,
        (Action::Assign { .. }, Accepted) => Assigned,
        (Action::Extend { .. }, Accepted | Assigned | Explaining) => from,
        (Action::Merge { .. }, Accepted) => Merged,
        (Action::Transfer { .. }, Accepted) => Transferred,
        (Action::Decline { .. }, Accepted) => Declined,
        (Action::Key, Accepted | Assigned | Replied | Explaining) => from,
        (Action::Progress { .. }, Assigned) => Assigned,
        (Action::Reply { .. }, Assigned) => Replied,
        (Action::Rate { rating }, Replied) => match rating {
            Rating::Satisfied | Rating::Basic => closes,
            Rating::Unsatisfied if unsatisfied == 0 => Assigned,
            Rating::Unsatisfied => Explaining,
        },
        (Action::Explain { .. }, Explaining) => closes,
        (Action::AutoClose, Replied) => closes,
        (Action::Vote { result, .. }, Assigned | Replied | Explaining) => match result {
            VoteResult::Pass => Closed,
            VoteResult::Fail => Assigned,
        },
        _ => return None,
    };
    Some(to)
}

/// The event a step records, given where it went.
fn event_kind(action: &Action, to: State) -> EventKind {
    use EventKind as E;
    match action {
        Action::Accept { .. } => E::Accepted,
        Action::Return { .. } => E::Returned,
        Action::Edit { .. } => E::Resubmitted,
        Action::Withdraw => E::Withdrawn,
        Action::Assign { .. } => E::Assigned,
        Action::Extend { .. } => E::Extended,
        Action::Merge { .. } => E::Merged,
        Action::Transfer { .. } => E::Transferred,
        Action::Decline { .. } => E::Declined,
        Action::Key => E::MarkedKey,
        Action::Progress { .. } => E::Progress,
        Action::Reply { .. } => E::Replied,
        Action::Rate { .. } => match to {
            State::Closed | State::Replied => E::Rated,
            State::Assigned => E::KeySupervision,
            _ => E::ExplanationRequired,
        },
        Action::Explain { .. } => E::Explained,
        Action::AutoClose => E::AutoClosed,
        Action::Vote { .. } => match to {
            State::Closed => E::VotePassed,
            _ => E::VoteFailed,
        },
    }
}

/// Every way the arguments of a permitted step from a valid state are wrong (storage's unit
/// check included): the step is refused with one of them, or allowed when there is none.
fn problems(actor: &Actor, action: &Action, s: &Suggestion, now: DateTime<Utc>) -> Vec<Refusal> {
    let mut found = Vec::new();
    let text = |t: &str, missing: Refusal| {
        let t = t.trim();
        match t.chars().count() {
            0 => Some(missing),
            n if n > MAX_TEXT => Some(Refusal::TextTooLong { max: MAX_TEXT }),
            _ => None,
        }
    };
    match action {
        Action::Return { reason } | Action::Transfer { reason } | Action::Decline { reason } => {
            found.extend(text(reason, Refusal::ReasonRequired))
        }
        Action::Progress { text: t } | Action::Reply { text: t } | Action::Explain { text: t } => {
            found.extend(text(t, Refusal::TextRequired))
        }
        Action::Extend { days, reason } => {
            found.extend(text(reason, Refusal::ReasonRequired));
            if !(1..=MAX_DAYS).contains(days) {
                found.push(Refusal::DaysOutOfRange { max: MAX_DAYS });
            }
        }
        Action::Edit { title, body } => {
            let title = title.trim();
            if title.is_empty() {
                found.push(Refusal::TitleRequired);
            }
            if title.chars().count() > MAX_TITLE {
                found.push(Refusal::TitleTooLong { max: MAX_TITLE });
            }
            if body.trim().chars().count() > MAX_TEXT {
                found.push(Refusal::TextTooLong { max: MAX_TEXT });
            }
        }
        Action::Assign {
            lead,
            co,
            days,
            level,
        } => {
            // A matter accepted as higher-level too, unless the clerk says another level.
            if level.or(s.level) == Some(Level::Higher) {
                found.push(Refusal::UseTransfer);
            }
            let mut units = vec![*lead];
            units.extend(co);
            let distinct: std::collections::HashSet<_> = units.iter().collect();
            if distinct.len() < units.len() {
                found.push(Refusal::DuplicateUnit);
            }
            let rules = rules();
            let default = match co.is_empty() {
                true => rules.single_unit_days,
                false => rules.joint_days,
            };
            if !(1..=MAX_DAYS).contains(&days.unwrap_or(default)) {
                found.push(Refusal::DaysOutOfRange { max: MAX_DAYS });
            }
            // A clerk assigns to units of an org of the suggestion's that is also above the
            // unit (README, tiered routing).
            let reaches = |unit: UnitId| {
                actor.grants.iter().any(|g| match (g.role, g.scope) {
                    (Role::Clerk, Scope::Org(org)) => {
                        s.orgs.contains(&org) && unit_orgs(unit).contains(&org)
                    }
                    _ => false,
                })
            };
            if !units.iter().all(|&u| reaches(u)) {
                found.push(Refusal::UnitOutOfScope);
            }
        }
        Action::Merge { into } => {
            if into.no == s.no {
                found.push(Refusal::MergeIntoSelf);
            }
            use State::*;
            if !matches!(into.state, Accepted | Assigned | Replied | Explaining) {
                found.push(Refusal::MergeTargetNotOpen(into.no));
            }
        }
        Action::Key if s.key => found.push(Refusal::AlreadyKey),
        Action::Vote { note, on, .. } => {
            if !s.key {
                found.push(Refusal::NotKey);
            }
            if *on > rules().local_date(now) {
                found.push(Refusal::FutureDate(*on));
            }
            if note.trim().chars().count() > MAX_TEXT {
                found.push(Refusal::TextTooLong { max: MAX_TEXT });
            }
        }
        Action::Rate { .. } | Action::AutoClose if awaits_vote(s) => {
            found.push(Refusal::AwaitingVote)
        }
        Action::AutoClose if s.deadline.is_some_and(|d| now <= d) => found.push(Refusal::NotDue),
        Action::Accept { .. }
        | Action::Withdraw
        | Action::Key
        | Action::Rate { .. }
        | Action::AutoClose => {}
    }
    found
}

/// A key suggestion held for the committee's vote: replied, with no rating window running.
fn awaits_vote(s: &Suggestion) -> bool {
    s.key && s.state == State::Replied && s.deadline.is_none()
}

/// The day a generated vote's meeting was held: before every case, so a vote is never
/// refused for a date ahead unless a case makes one.
const MEETING: (i32, u32, u32) = (2020, 1, 15);

/// What a record in each state looks like (PRODUCT.md §3, README's decisions), and what no
/// step ever changes.
fn well_formed(s: &Suggestion, first: &Suggestion) -> Result<(), String> {
    use State::*;
    let mut wrong = Vec::new();
    let mut check = |ok: bool, what: &str| {
        if !ok {
            wrong.push(what.to_string());
        }
    };
    check(State::ALL.contains(&s.state), "a state of State::ALL");
    check(
        (
            s.id,
            s.no,
            s.deputy,
            s.group,
            &s.orgs,
            s.filed_at,
            s.request,
            &s.category,
        ) == (
            first.id,
            first.no,
            first.deputy,
            first.group,
            &first.orgs,
            first.filed_at,
            first.request,
            &first.category,
        ),
        "id, number, filer, group, orgs, filing time, request and category never change",
    );
    let open_step = matches!(
        s.state,
        Submitted | Accepted | Assigned | Replied | Explaining
    );
    check(
        s.deadline.is_some() == (open_step && !awaits_vote(s)),
        "a deadline exactly while a step is open (a key one waiting for the vote has none)",
    );
    check(
        s.deadline.is_none_or(|d| {
            let local = d.with_timezone(&rules().tz);
            local.time() == chrono::NaiveTime::from_hms_opt(23, 59, 59).unwrap()
        }),
        "a deadline ends at 23:59:59 local time",
    );
    check(
        s.level.is_some() == !matches!(s.state, Submitted | Returned | Withdrawn),
        "a level once accepted",
    );
    check(
        s.lead_unit.is_some() == matches!(s.state, Assigned | Replied | Explaining | Closed),
        "a lead unit once assigned",
    );
    check(
        s.lead_unit.is_some() || s.co_units.is_empty(),
        "no co-units without a lead unit",
    );
    let mut units: Vec<UnitId> = s.lead_unit.iter().chain(&s.co_units).copied().collect();
    let named = units.len();
    units.sort();
    units.dedup();
    check(units.len() == named, "no unit named twice");
    check(
        !(matches!(s.state, Assigned | Replied | Explaining | Closed)
            && s.level == Some(Level::Higher)),
        "a higher-level matter is transferred, not assigned",
    );
    check(
        s.outcome.is_some() == (s.state == Closed),
        "an outcome exactly when closed",
    );
    check(
        match s.outcome {
            Some(Outcome::Rated) => matches!(s.rating, Some(Rating::Satisfied | Rating::Basic)),
            Some(Outcome::Explained) => {
                s.rating == Some(Rating::Unsatisfied) && s.unsatisfied_count == 2
            }
            Some(Outcome::Unrated) => s.rating.is_none(),
            // The committee's vote closes a key suggestion whatever the deputy's rating.
            Some(Outcome::Passed) => s.key,
            None => s.state == Explaining || s.rating.is_none() || awaits_vote(s),
        },
        "the rating that counts goes with the outcome",
    );
    check(
        s.merged_into.is_some() == (s.state == Merged) && s.merged_into != Some(s.no),
        "merged into another exactly when merged",
    );
    check(
        s.state != Transferred || s.level == Some(Level::Higher),
        "a transferred matter is a higher-level one",
    );
    // A key suggestion is handled on after a failed vote and may be rated again: each
    // unsatisfied rating after the first asks the unit to explain once more.
    check(
        s.unsatisfied_count <= 2 || s.key,
        "at most two unsatisfied ratings (more only for a key suggestion)",
    );
    check(
        s.supervised == (s.unsatisfied_count > 0) || (s.key && s.supervised),
        "under key supervision after an unsatisfied rating or a failed vote",
    );
    check(
        s.outcome != Some(Outcome::Passed) || s.key,
        "only a key suggestion is closed by a vote",
    );
    check(
        s.state != Explaining || s.unsatisfied_count == 2 || (s.key && s.unsatisfied_count > 2),
        "explaining after the second unsatisfied rating",
    );
    match wrong.is_empty() {
        true => Ok(()),
        false => Err(wrong.join("; ")),
    }
}

// ---------------------------------------------------------------------------------------
// The properties.

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 2000,
        // Nothing is written next to the sources: a failure prints its minimal case.
        failure_persistence: None,
        // ChaCha, the default, takes most of the time in a debug build.
        rng_algorithm: RngAlgorithm::XorShift,
        ..ProptestConfig::default()
    }
}

fn at_turn(i: usize, turn: &Turn, what: String) -> TestCaseError {
    TestCaseError::fail(format!("step {}: {turn}: {what}", i + 1))
}

proptest! {
    #![proptest_config(config())]

    /// Every record reached is one the machine has, and a terminal state is never left: a
    /// step from one is refused and changes nothing.
    #[test]
    fn every_record_is_one_the_machine_has(case in case()) {
        let game = play(&case);
        well_formed(&game.first, &game.first).map_err(TestCaseError::fail)?;
        for (i, t) in game.turns.iter().enumerate() {
            well_formed(&t.after, &game.first).map_err(|e| at_turn(i, t, e))?;
            if t.before.state.is_terminal() && t.result.is_ok() {
                return Err(at_turn(i, t, "a terminal state was left".into()));
            }
            if t.result.is_err() && t.after != t.before {
                return Err(at_turn(i, t, "a refused step changed the record".into()));
            }
        }
    }

    /// Each accepted step appends exactly one event, of its kind, from the state before to
    /// the state after; a refused one appends none; earlier events are never changed; and
    /// the timeline is one chain from the filing to the current state.
    #[test]
    fn each_step_appends_one_event_and_the_timeline_only_grows(case in case()) {
        let game = play(&case);
        prop_assert_eq!(
            &game.filed,
            &Event { kind: EventKind::Filed, from: None, to: State::Submitted, text: None }
        );
        for (i, t) in game.turns.iter().enumerate() {
            let fail = |what: &str| Err(at_turn(i, t, what.into()));
            let (before, after) = (&t.events_before, &t.events);
            if after.get(..before.len()) != Some(&before[..]) {
                return fail("an earlier event changed or was lost");
            }
            let added = &after[before.len()..];
            match (&t.result, added) {
                (Ok(_), [e]) => {
                    if (e.from, e.to) != (Some(t.before.state), t.after.state) {
                        return fail("the event's from and to are not the record's");
                    }
                    if e.kind != event_kind(&t.action, t.after.state) {
                        return fail("the event is not the step's");
                    }
                }
                (Err(_), []) => {}
                _ => return fail("not exactly one event for an accepted step, none for a refused one"),
            }
            if after[0] != game.filed {
                return fail("the filing event changed");
            }
            if let Some(w) = after.windows(2).find(|w| w[1].from != Some(w[0].to)) {
                return fail(&format!("the timeline breaks between {:?} and {:?}", w[0], w[1]));
            }
            if after.last().map(|e| e.to) != Some(t.after.state) {
                return fail("the timeline does not end at the record's state");
            }
        }
    }

    /// Refused for permission exactly when the table (read here) says no, with its reason;
    /// else for the state exactly when the step may not start from it; else for an argument
    /// exactly when one is wrong; else allowed, to the state the machine says. Whoever may
    /// take a step may also see the suggestion (storage hides it from anyone else).
    #[test]
    fn refused_for_permission_exactly_when_the_table_says_no(case in case()) {
        let game = play(&case);
        for (i, t) in game.turns.iter().enumerate() {
            let fail = |what: String| Err(at_turn(i, t, what));
            let kind = kind_of(&t.action);
            let table = table_says(&t.actor, kind, &t.before);
            if allowed(&t.actor, kind, &t.before.place()) != table.is_ok() {
                return fail(format!("permissions::allowed disagrees with the table: {table:?}"));
            }
            if table.is_ok() && table_says(&t.actor, ActionKind::See, &t.before).is_err() {
                return fail("may act but may not see it".into());
            }
            let to = moves(&t.action, &t.before);
            let wrong = problems(&t.actor, &t.action, &t.before, t.at);
            match (&table, to, &t.result) {
                (Err(want), _, Err(got)) if got == want => {}
                (Err(want), _, _) => return fail(format!("the table refuses with {want:?}")),
                (Ok(()), None, Err(Refusal::WrongState(s))) if *s == t.before.state => {}
                (Ok(()), None, _) => return fail("may not start from this state".into()),
                (Ok(()), Some(_), Err(got)) if wrong.contains(got) => {}
                (Ok(()), Some(_), Err(got)) => {
                    return fail(format!("refused with {got:?}, not one of {wrong:?}"));
                }
                (Ok(()), Some(to), Ok(d)) if wrong.is_empty() && d.next.state == to => {}
                (Ok(()), Some(to), Ok(_)) => {
                    return fail(format!("expected {to:?}, or one of the refusals {wrong:?}"));
                }
            }
        }
    }

    /// A deadline a step sets is never before the step: it ends on a later local day. An
    /// extension is the exception: it adds its days to the current deadline (README), which
    /// may have passed; it moves it on by exactly that many local days. A key mark or a
    /// progress note leaves the deadline as it was.
    #[test]
    fn a_deadline_a_step_sets_is_not_before_it(case in case()) {
        let game = play(&case);
        let rules = rules();
        let day = |d: DateTime<Utc>| rules.local_date(d);
        for (i, t) in game.turns.iter().enumerate() {
            let fail = |what: String| Err(at_turn(i, t, what));
            let Ok(_) = &t.result else { continue };
            match (&t.action, t.before.deadline, t.after.deadline) {
                (Action::Extend { days, .. }, Some(old), Some(new)) => {
                    if day(new) != day(old) + chrono::Days::new((*days).into()) || new <= old {
                        return fail(format!("extended by {days} days from {old} to {new}"));
                    }
                }
                (Action::Extend { .. }, _, _) => return fail("an extension without a deadline".into()),
                (Action::Key | Action::Progress { .. }, before, after) if before != after => {
                    return fail(format!("the deadline moved from {before:?} to {after:?}"));
                }
                (Action::Key | Action::Progress { .. }, _, _) => {}
                (_, _, Some(new)) if day(new) <= day(t.at) => {
                    return fail(format!("the new deadline {new} does not fall after the step"));
                }
                (_, _, _) => {}
            }
        }
    }
}

/// The sequences reach every state and record every kind of event (or the properties above
/// would say little): 1000 sequences from a fixed seed.
#[test]
fn the_sequences_reach_every_state_and_every_event() {
    let rng = TestRng::deterministic_rng(RngAlgorithm::XorShift);
    let mut runner = TestRunner::new_with_rng(config(), rng);
    let strategy = case();
    let mut states = std::collections::HashSet::new();
    let mut kinds = std::collections::HashSet::new();
    let mut refusals = std::collections::HashSet::new();
    for _ in 0..1000 {
        let case = strategy.new_tree(&mut runner).expect("a case").current();
        for t in play(&case).turns {
            states.insert(t.after.state);
            match t.result {
                Ok(d) => kinds.insert(d.event.kind),
                Err(r) => refusals.insert(r.key()),
            };
        }
    }
    let missing: Vec<_> = State::ALL.iter().filter(|s| !states.contains(s)).collect();
    assert!(missing.is_empty(), "never reached {missing:?}");
    let missing: Vec<_> = EventKind::ALL
        .iter()
        .filter(|k| **k != EventKind::Filed && !kinds.contains(k))
        .collect();
    assert!(missing.is_empty(), "never recorded {missing:?}");
    // Every refusal a step can give (filing's own are not steps').
    let steps_refusals = [
        Refusal::NotYourRole,
        Refusal::OutOfScope,
        Refusal::WrongState(State::Closed),
        Refusal::ReasonRequired,
        Refusal::TextRequired,
        Refusal::TitleRequired,
        Refusal::TitleTooLong { max: MAX_TITLE },
        Refusal::TextTooLong { max: MAX_TEXT },
        Refusal::DaysOutOfRange { max: MAX_DAYS },
        Refusal::DuplicateUnit,
        Refusal::MergeIntoSelf,
        Refusal::MergeTargetNotOpen(NO),
        Refusal::UnitOutOfScope,
        Refusal::UseTransfer,
        Refusal::AlreadyKey,
        Refusal::NotDue,
        Refusal::NotKey,
        Refusal::AwaitingVote,
    ];
    let missing: Vec<_> = steps_refusals
        .iter()
        .map(Refusal::key)
        .filter(|k| !refusals.contains(k))
        .collect();
    assert!(missing.is_empty(), "never refused with {missing:?}");
}
