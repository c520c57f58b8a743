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
err-photo-locked = The photo of card { $card } can no longer change: the card is { $state }. Request a new card to change the photo.
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
actor-sync = Directory sync

## Directory (synchronisation)
err-dir-not-configured = The directory is not configured: set { $key } (Settings → Directory, or guichet config set { $key } …).
err-dir-unreachable = Cannot reach the directory ({ $url }): { $message }. The desk keeps working on the local mirror; check the address, port and network.
err-dir-tls = Encrypted connection (TLS) refused with { $url }: { $message }. Check the server certificate and the CA file (directory.ca_file).
err-dir-ca-file = Cannot read the CA file ({ $path }): { $message }. Give a PEM file.
err-dir-bind = Bind refused for { $dn }: { $message }. Check the DN and the password (guichet secret set ldap-password).
err-dir-no-such-base = The search base does not exist in the directory ({ $op }): { $message }. Check the base DNs.
err-dir-ldap = Directory error during “{ $op }” (LDAP code { $rc }): { $message }
err-dir-protocol = Unreadable answer from the directory: { $message }. Nothing was deleted.
err-dir-mapping = Invalid attribute mapping ({ $entry }): { $message }
err-dir-mass-delete = Sync stopped before deleting anything: it would remove { $would } of the { $total } directory persons (limit { $percent }%). A wrong base DN or filter? Check the settings, then confirm the removal (“Delete anyway”, or guichet sync --allow-mass-delete).
err-dir-cancelled = Sync cancelled; it will resume next time.
cli-sync-bad-preset = Unknown preset “{ $value }”: supann or sdet.
sync-phase-connecting = connecting
sync-phase-structures = structures
sync-phase-people = persons
sync-phase-groups = groups
sync-phase-finishing = finishing
duration-min-sec = { $min } min { $sec } s
duration-sec = { $sec } s
sync-progress = Directory: { $phase } — { $seen } entries, { $rate }/s{ $left }
sync-progress-left = , { $left } left
sync-mode-full = full
sync-mode-incremental = incremental
sync-mode-fallback = by modification date
sync-report = Sync ({ $mode }): { $added } added, { $modified } modified, { $deleted } deleted, { $departed } departed, { $groups } groups, { $memberships } membership changes, { $seconds } s.
sync-report-cards = { $cards } cards updated from the rights end dates.
sync-report-skipped = { $skipped } entries skipped (see below).
dir-test-reachable = Directory reachable: { $url }
dir-test-tls-verified = Encrypted connection, certificate verified
dir-test-tls-none = Unencrypted connection (plain LDAP)
dir-test-bind = Bind accepted: { $dn }
dir-test-anonymous = Anonymous connection accepted
dir-test-content-sync = Incremental sync (RFC 4533) offered by the server
dir-test-no-content-sync = No RFC 4533 sync: modification-date mode with a periodic full pass
dir-test-count = { $what }: { $count } entries match the filter
dir-test-count-failed = { $what }: search failed — { $message }
dir-people = Persons
dir-groups = Groups
dir-structures = Structures

## gen-ldif
cli-gen-ldif-no-persons = --persons must be at least 1.
cli-gen-ldif-bad-options = Cannot generate with these options: the base { $base } must be a plain suffix starting with dc=, o= or ou= (for example dc=univ-guichet,dc=fr), with at most 10 million persons.
cli-gen-ldif-failed = Writing the LDIF failed: { $error }
cli-gen-ldif-done = LDIF written: { $persons } persons, { $structures } structures, { $groups } groups, { $members } member values in { $seconds } s.

## GUI directory
title-groups = Guichet — Groups
nav-groups = Groups
settings-tab-general = General
settings-tab-directory = Directory
status-sync-starting = Directory: starting the sync…
status-sync-running = Directory: { $phase }, { $seen } entries…
status-sync-confirm = Directory sync stopped: confirmation needed (Settings → Directory)
status-sync-offline = Directory offline since { $since }
status-sync-failed = Last directory sync failed (Settings → Directory)
status-sync-ok = Directory synchronised { $at }
status-sync-never = Directory never synchronised
dir-title = Directory
dir-help = The institution's LDAP directory that the local mirror follows. The desk keeps working on the mirror while the directory is unreachable.
dir-connection = Connection
dir-url = Address
dir-tls = Encryption
dir-tls-starttls = StartTLS
dir-tls-none = None (plain LDAP)
dir-tls-help = For ldap:// addresses. ldaps:// is always encrypted. Plain LDAP only for a directory on this machine.
dir-ca-file = CA certificate (PEM)
dir-ca-file-placeholder = Optional: the authority that signed the directory's certificate
dir-bind-dn = Bind DN
dir-bind-dn-placeholder = Empty for an anonymous connection
dir-password = Password
dir-password-placeholder = New password (empty: keep the stored one)
dir-password-stored = Stored in the OS keyring
dir-password-env = Taken from GUICHET_LDAP_PASSWORD
dir-password-missing = No password stored
dir-password-checking = Checking the keyring…
dir-password-forget = Remove the stored password
dir-preset = Preset
dir-preset-supann = SupAnn (universities)
dir-preset-sdet = SDET (ENT, schools)
dir-preset-help = Which attributes fill each field of the mirror:
dir-searches = Searches
dir-people-base = Persons base DN
dir-groups-base = Groups base DN
dir-structures-base = Structures base DN
dir-base-optional = Optional
dir-filter = Filter
dir-options = Synchronisation
dir-mass-delete = Mass deletion limit (%)
dir-mass-delete-help = A sync that would remove a larger share of the persons stops and asks first.
dir-every = Background sync (minutes)
dir-every-help = 0: only when you press “Synchronise now”.
dir-test = Test connection
dir-testing = Testing…
dir-test-title = Connection test
dir-sync-now = Synchronise now
dir-sync-cancelling = Cancelling…
dir-sync-needs-settings = Save an address and a persons base DN first.
dir-sync-title = Synchronisation in progress
dir-sync-last = Last synchronisation
dir-delete-anyway = Delete anyway
dir-form-saved = Directory settings saved.
dir-form-bad-url = The address starts with ldap:// or ldaps:// (for example ldap://ldap.univ.fr).
dir-form-need-people-base = Give the base DN of persons (for example ou=people,dc=univ,dc=fr).
dir-form-bad-filter = The { $what } filter is an LDAP filter in parentheses, for example (objectClass=person); leave it empty for the preset's.
dir-form-ca-missing = CA file not found: { $path }
dir-form-bad-percent = The mass deletion limit is a whole number from 1 to 100.
dir-form-bad-minutes = The background sync period is a whole number of minutes from 0 to 1440.
dir-field-uid = Login (uid)
dir-field-login = Login
dir-field-eppn = eppn
dir-field-jointure = Join keys
dir-field-surname = Surname
dir-field-given-name = Given name
dir-field-birth-name = Birth name
dir-field-civility = Civility
dir-field-email = E-mail
dir-field-affiliation = Affiliation
dir-field-profiles = Profiles
dir-field-etu-id = Student number
dir-field-emp-id = Staff number
dir-field-ine = INE
dir-field-structure = Structure
dir-field-establishment = Establishment (UAI)
dir-field-birth-date = Birth date
dir-field-due-date = Rights end date
dir-field-ref-id = Reference identifiers
dir-field-app-ids = Application identifiers
dir-field-classes = Classes
dir-field-teacher-classes = Classes taught
dir-field-pupils = Pupils (parents)
dir-field-member-of = Group memberships
dir-field-photo = Photo
dir-field-structure-code = Structure code
dir-field-uai = UAI
dir-field-structure-name = Structure name
dir-field-org-name = Establishment name
dir-field-parent = Parent structure
dir-field-group-name = Group name
dir-field-group-display-name = Group display name
dir-field-members = Members
dir-field-unique-members = Members (uniqueMember)
groups-filter-placeholder = Filter groups: name, class, stem…
groups-loading = Loading the groups…
groups-total = { $count ->
    [0] No group in the mirror
    [one] One group
   *[other] { $count } groups
}
groups-matches = { $count ->
    [0] No matching group
    [one] One matching group
   *[other] { $count } matching groups
}
groups-members = { $count ->
    [0] no member
    [one] 1 member
   *[other] { $count } members
}
groups-below = { $count ->
    [one] 1 group
   *[other] { $count } groups
}
groups-pick = Choose a group to list its members.
groups-loading-members = Loading the members…
groups-no-members = This group has no member.
person-departed = Left the directory on { $date }
# --- production photo ---
err-photo-not-an-image = This file is not an image. Choose a JPEG or PNG photo.
err-photo-unsupported = Photos in { $format } format are not accepted. Export the photo as JPEG or PNG and import it again.
err-photo-too-small = The photo is { $width }×{ $height } pixels; a card needs at least { $min_width }×{ $min_height }. Take a new photo or import a larger file.
err-photo-too-large = The photo is { $width }×{ $height } pixels, above the limit of { $max_side } pixels a side. Reduce it or import another file.
err-photo-limit = This photo needs too much memory to open. Reduce it or import another file.
err-photo-corrupt = The photo file is damaged and cannot be read ({ $message }). Import another file or take a new photo.
err-photo-encode = The card photo could not be produced ({ $message }). Try again; if it persists, report it.
err-photo-output-too-large = The card photo still weighs { $kb } KB at the lowest quality, above { $max_kb } KB. Choose a less grainy photo.
err-webcam-unsupported = Webcam capture is not available on this computer. Import a photo file instead.
err-webcam-open = Cannot open the camera { $path }: { $message }. Check that it is plugged in, then try again.
err-webcam-permission = Access to the camera { $path } is denied. Ask your administrator to add your account to the “video” group, then log in again.
err-webcam-busy = The camera { $path } is in use by another application. Close it (video call, camera app) and try again.
err-webcam-not-capture = { $path } is not a camera that can take pictures. Choose another device.
err-webcam-no-format = The camera { $path } offers no usable picture format (it offers: { $offered }). Use another camera or import a photo file.
err-webcam-ioctl = The camera refused an operation ({ $op }: { $message }). Unplug it, plug it back in and try again.
err-webcam-timeout = The camera sent no picture for { $seconds } s. Check that it is not covered or in use, then try again.
err-webcam-disconnected = The camera was disconnected. Plug it back in and choose it again.
err-webcam-frame = The camera sent an unusable picture ({ $message }). Try again.
webcam-synthetic-name = Demonstration camera
# --- production print ---
err-print-invalid-uri = The printer address { $uri } is not valid ({ $reason }). Use ipp://host/path, for example ipp://localhost:631/printers/cards.
err-print-unsupported = The printer address { $uri } uses { $what }, which Guichet cannot use. Use the printer's ipp:// address or its CUPS queue.
err-print-unreachable = Cannot reach the printer { $uri }: { $message }. Check that it is switched on and connected, then retry.
err-print-timeout = The printer { $uri } did not answer in time. Check that it is switched on and connected, then retry.
err-print-http = The printer { $uri } refused the request (HTTP { $status } { $reason }). Check the printer address in Settings → Printers.
err-print-protocol = The printer { $uri } sent an answer Guichet cannot read ({ $message }). Retry; if it persists, use another printer or save as PDF.
err-print-pdf-not-accepted = The printer { $uri } does not accept PDF documents (it accepts: { $formats }). Use its CUPS queue, which converts PDF, or save as PDF.
err-print-not-accepting = The printer { $uri } does not accept jobs now ({ $message }). Enable the queue or the printer, then retry.
err-print-copies = The printer { $uri } cannot print { $copies } copies (at most { $max }). Print fewer copies at a time.
err-print-not-authorized = The printer { $uri } refused the job for lack of rights ({ $status }: { $message }). Ask the print service administrator for access.
err-print-not-found = The printer { $uri } does not know this queue or job ({ $status }: { $message }). Check the printer address; a finished job may have been purged.
err-print-document-rejected = The printer { $uri } refused the document ({ $status }: { $message }). Retry; if it persists, save as PDF and check the document.
err-print-rejected = The printer { $uri } refused the request ({ $status }: { $message }). Check the printer's settings, then retry.
err-print-busy = The printer { $uri } is busy or temporarily unavailable ({ $status }: { $message }). Retry in a moment.
err-print-printer-failure = The printer { $uri } reported an error ({ $status }: { $message }). Check the printer (paper, ribbon, jam), then retry.
err-print-no-service = No print service answers at { $server } ({ $message }). Start CUPS, or save as PDF.
err-print-unknown-job = { $printer } has no job { $job }. Print the card again.
err-print-cannot-cancel = Job { $job } on { $printer } is already finished and cannot be cancelled.
err-print-file = Cannot write the PDF file { $path }: { $message }. Choose another folder or free some disk space.
err-print-wait-timeout = Job { $job } is still { $state } after the wait. Check the printer; the card stays in print until the job ends.
print-job-pending = waiting
print-job-held = held
print-job-processing = printing
print-job-stopped = stopped
print-job-canceled = cancelled
print-job-aborted = failed
print-job-completed = printed
print-job-status-message = { $state }: { $message }
printer-state-idle = ready
printer-state-processing = printing
printer-state-stopped = stopped
# --- production render ---
tpl-problem-missing = this value is missing
tpl-problem-not-positive = must be a number greater than zero
tpl-problem-outside-card = the item goes beyond the edge of the card; reduce its position or size
tpl-problem-bad-colour = not a colour: write it as "#rrggbb", e.g. "#1d4f91"
tpl-problem-bad-choice = must be one of: { $allowed }
tpl-problem-bad-file-name = not a plain file name: use letters, digits, ".", "-" or "_" and put the file next to template.toml
tpl-problem-min-above-size = the minimum font size is larger than the font size
tpl-problem-too-tall = at its minimum font size the text is taller than its box: make the box taller, or lower min_font_size or lines
tpl-problem-duplicate-name = another text already has this name; give each text its own name
tpl-problem-unknown-type = unknown item type: use rect, image, photo, text or qr
tpl-problem-unclosed-brace = a "{"{"}" is not closed; write "{"{{"}" for a literal brace
tpl-problem-not-applicable = this key does not apply to this item type; remove it
err-tpl-syntax = Card template { $file }, line { $line }: { $message }. Fix the file and reload the templates.
err-tpl-placeholder = Card template { $file }, line { $line }, { $field }: unknown placeholder "{ $placeholder }". Use one of surname, given_name, display_name, affiliation, establishment, student_number, staff_number, number, due_date, eppn, escn, card_id, or free.NAME with NAME declared in [free].
err-tpl-invalid = Card template { $file }, line { $line }, { $field }: { $problem }.
err-tpl-image = Card template { $file }, line { $line }: the image "{ $name }" cannot be used ({ $message }). Put a PNG or JPEG file of that name next to template.toml.
err-tpl-bad-id = "{ $id }" is not a valid template name: use lower-case letters, digits, "-" and "_" only.
err-tpl-io = Cannot read or write { $path }: { $message }. Check that the folder exists and that you may write to it.
err-tpl-exists = { $path } already exists: choose another name for the copy of the template.
err-tpl-photo = The person's photo cannot be read ({ $message }). Take or import the photo again.
err-qr-empty = The QR code has nothing to encode: check the card's eppn or ESCN.
err-qr-too-long = The QR code content is too long ({ $len } bytes): check the QR code settings.
err-qr-encode = The QR code cannot be made: { $message }.
err-font-unreadable = The built-in font { $face } cannot be read ({ $message }): reinstall Guichet.
err-raster-size = Cannot draw a { $width } × { $height } pixel image: each side must be between 1 and 8192 pixels.
err-raster-encode = The card image cannot be saved as PNG: { $message }.
err-pdf-font = The PDF writer cannot read the built-in font { $face }: reinstall Guichet.
err-pdf-image = An image cannot be put in the PDF ({ $message }): check the template's images and the photo.
err-pdf-empty = There is no card to print: select at least one card.
slip-page = page { $page } / { $pages }
