### Names of the domain's values, shown in lists, reports and inside other messages.
### The same keys live in every locale (a test in src/i18n.rs checks it).

## State

state-submitted = submitted
state-returned = returned for revision
state-withdrawn = withdrawn
state-accepted = accepted
state-assigned = assigned
state-replied = replied
state-explaining = awaiting explanation
state-closed = closed
state-merged = merged
state-transferred = transferred
state-declined = declined

## Colour

colour-green = green
colour-yellow = yellow
colour-red = red

## Rating

rating-satisfied = satisfied
rating-basic = basically satisfied
rating-unsatisfied = unsatisfied

## Level

level-town = town (street) level
level-district = district (county) level
level-higher = city level or above

## Role

role-deputy = deputy
role-leader = group leader
role-clerk = clerk
role-secretary = secretary
role-chair = chair
role-unit = handling unit contact
role-admin = administrator

## Outcome

outcome-rated = rated
outcome-explained = explained
outcome-unrated = not rated in time
outcome-passed = closed by the committee's vote

## Categories (the default ones; a configured category without a key is shown by its code)

category-economy = Economic development
category-governance = Social governance
category-public_affairs = Public affairs
category-environment = Environment and resources
category-livelihood = Livelihood
category-other = Other
category-name =
    { $code ->
        [economy] { category-economy }
        [governance] { category-governance }
        [public_affairs] { category-public_affairs }
        [environment] { category-environment }
        [livelihood] { category-livelihood }
        [other] { category-other }
       *[unknown] { $code }
    }
