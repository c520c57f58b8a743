## Card states
state-new = New request
state-renewed = Renewal request
state-request-checked = Request validated
state-rejected = Rejected
state-canceled = Canceled
state-in-print = Printing
state-printed = Printed
state-in-encode = Encoding
state-encoded = Encoded
state-enabled = Enabled
state-disabled = Disabled
state-caduc = Expired
state-destroyed = Destroyed

## Actions (buttons that move a card to a state)
action-new = Request
action-renew = Renew
action-validate = Validate request
action-reject = Reject
action-cancel = Cancel request
action-print = Send to print
action-printed = Mark printed
action-encode = Start encoding
action-encoded = Mark encoded
action-enable = Enable
action-disable = Disable…
action-expire = Expire
action-destroy = Destroy

## Disable reasons
reason-lost = Lost
reason-theft = Stolen
reason-out-of-order = Out of order

note-replaced-by = disabled because card #{ $card } was enabled
note-renewal-of = renewal of card #{ $card }

id-jointure = ENT join key
id-app = Application id
id-refid = Reference id

aff-student = Student
aff-faculty = Faculty
aff-staff = Staff
aff-researcher = Researcher
aff-affiliate = Guest
aff-alum = Alumnus
aff-retired = Retired
aff-pupil = Pupil
aff-parent = Parent
aff-teacher = Teacher
aff-librarian = Librarian
aff-direction = School management
aff-school-life = School life
aff-school-staff = School staff

none = none

## Errors
err-transition-not-allowed = A card cannot go from { $from } to { $to }. Allowed from { $from }: { $allowed }.
err-transition-system-only = { $from } → { $to } is done by the system only (encoding, synchronisation). Allowed from { $from }: { $allowed }.
err-card-locked = This card is { $state } and held by { $holder }; only they can move it.
err-reason-required = Choose why the card is disabled: lost, stolen or out of order.
err-csn-required = A card becomes encoded only with its chip serial number (CSN).
err-not-editable = This person's record is blocked: the request cannot be validated. Check the directory.
err-request-pending = This person already has a card request in progress (card #{ $card }). Finish or cancel it first.
err-external-card = A card from another institution cannot be renewed here.
err-csn-in-use = Chip { $csn } already belongs to card #{ $card }. Use another card.
err-not-found = No { $kind } with number { $id }.
err-db-open = Cannot open the database { $path }: { $message }. Check the data folder and its permissions.
err-db-migration = The database could not be updated to this version: { $message }. Your data was not changed.
err-db = Database error: { $message }
err-config-io = Cannot read or write the settings file { $path }: { $message }
err-config-parse = The settings file { $path } is not valid: { $message }. Fix or delete it.
err-config-unknown-key = Unknown setting “{ $key }”. Known settings: { $keys }.
err-config-bad-value = Invalid value for { $key }: { $message }.
err-config-secret = “{ $key }” is a secret and is never written to the settings file. Use: guichet secret set NAME (it goes to the OS keyring).
err-keyring-unavailable = The OS keyring is not available ({ $message }). On a server, set the environment variable { $var } instead.
err-keyring-denied = The OS keyring refused access ({ $message }). Unlock it and try again.
err-keyring-other = Keyring error: { $message }
err-secret-empty = The secret is empty: nothing was stored.

## Command line
cli-demo-zero = --persons must be at least 1.
cli-demo-not-empty = The database already holds persons: the demo institution only fills an empty database. Use another --data-dir.
cli-demo-done = Demo institution created: { $persons } persons, { $cards } cards, { $groups } groups in { $seconds } s ({ $path }).
cli-search-none = Nobody matches “{ $query }”.
cli-card-requested = Card #{ $card } requested for person { $person }.
cli-card-none = Person { $person } has no card.
cli-bad-state = Unknown card state “{ $value }”. States: { $states }.
cli-bad-reason = Unknown disable reason “{ $value }”. Reasons: lost, theft, out_of_order.
cli-bad-csn = “{ $value }” is not a chip serial number: 8, 14 or 20 hexadecimal digits.
cli-card-moved = Card #{ $card }: { $from } → { $to }.
cli-card-renewal-created = Renewal: new card #{ $card } created.
cli-bad-secret = Unknown secret “{ $name }”. Secrets: { $names }.
cli-secret-stored = Secret { $name } stored in the OS keyring.

## Window
title-desk = Guichet — Desk
title-settings = Guichet — Settings
nav-desk = Desk
nav-settings = Settings
status-opening = Opening the database…
status-creating-demo = First start: creating the demo institution…
status-demo-loaded = Demo institution loaded: { $count } persons.
status-settings-saved = Settings saved.
status-database = Database: { $path }
status-counts = { $persons } persons · { $cards } cards · { $enabled } enabled · { $pending } requests to process
dismiss = Dismiss
cancel = Cancel
save = Save

## Desk
desk-search-placeholder = Name, eppn, INE, number, CSN, ESCN…
desk-results = { $count ->
    [0] No match
    [one] One match
   *[other] { $count } matches
}
desk-directory = { $count } persons in the directory
desk-empty-title = Find a person
desk-empty-help = Type a few letters of the first name and surname, in any order, without worrying about accents or capitals; or an eppn, INE, student or staff number, chip number (CSN, in any of its forms) or ESCN.
desk-empty-keys = ↑ ↓ move in the list · Enter opens · Ctrl+F or / goes back to the search field
desk-card-requested = Card #{ $card } requested.
desk-card-moved = Card #{ $card } is now: { $to }.

## Person panel
person-identifiers = Identifiers
person-groups = Groups and relations
person-cards = Cards
person-no-photo = No photo
person-birth-date = Birth date
person-email = E-mail
person-due-date = Rights until
person-not-editable = Record blocked: requests cannot be validated.
person-parent-of = Parent of { $name }
person-child-of = Child of { $name }
person-no-groups = No group.
person-request-card = Request a card
person-request-pending = A request is in progress (card #{ $card }).
person-no-card = No card yet.
card-title = Card #{ $card }
card-since = since { $date } by { $actor }
card-qr = QR code
card-disable-reason = Disable reason
card-disable-why = Why is the card disabled?
card-history = History

## Settings
settings-title = Settings
settings-language = Language
settings-language-help = Language of the whole application. The choice is kept.
settings-theme = Appearance
settings-theme-help = Light or dark colours.
settings-theme-light = Light
settings-theme-dark = Dark
settings-operator = Operator name
settings-operator-help = The name written in card history and the audit log for your actions.
settings-files = Files
settings-files-help = Where this workstation keeps its data. Secrets are in the OS keyring, never in these files.
settings-database = Database: { $path }
settings-config-file = Settings file: { $path }
desk-loading = Loading the directory…
actor-system = System
