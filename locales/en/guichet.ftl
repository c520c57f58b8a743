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
cli-write-file = Cannot write { $path }: { $message }
err-no-template = No card template is available: check Settings → Printing.
printer-not-accepting = not accepting jobs
printer-no-pdf = does not accept PDF
title-production = Guichet — Production
nav-production = Production
settings-tab-printing = Printing
card-photo-action = Photo…
card-print-sent = Sent to { $printer }: waiting for the printer's verdict.
card-print-failed = Not printed on { $printer }: { $message } Print again when the printer is ready.
studio-title = Card #{ $card }
studio-step-photo = 1. Photo
studio-step-print = 2. Preview and print
studio-close = Close
studio-loading-photo = Reading the photo…
studio-saving-photo = Saving the photo…
studio-sending = Sending the card to print…
studio-waiting-printer = The printer accepted the job; waiting for it to finish…
studio-photo-saved = Photo saved with the card.
studio-printed = Card { $card } printed.
studio-import = Import a file…
studio-use-directory = Directory photo
studio-use-previous = Previous card's photo
studio-webcam = Webcam: { $name }
studio-training-camera = Training camera
studio-drop-hint = You can also drop a JPEG or PNG file on the window.
studio-drop-first = Open a card's photo step first (Photo… on the card), then drop the file.
studio-crop-help = Drag the photo to move the frame; zoom with the wheel or the slider. The face should fill most of the frame.
studio-zoom = Zoom
studio-result = Result
studio-photo-size = { $width } × { $height } pixels
studio-consent = The holder agrees to the publication of this photo (directory, staff lists)
studio-save-photo = Use this photo
studio-keep-photo = Keep the current photo and preview
studio-front = Front
studio-back = Back
studio-preview-loading = Preparing the preview…
studio-choose-printer = Choose a printer
studio-print = Print
studio-save-pdf = Save as PDF…
studio-stop = Stop
studio-change-photo = Change the photo
photo-no-directory-photo = The directory has no photo of this person. Import a file or take a photo.
photo-no-previous = This person has no earlier card with a photo.
photo-webcam-gone = The webcam { $device } is no longer connected.
dialog-open-photo = Choose a photo
dialog-save-pdf = Save the cards as PDF
dialog-save-slip = Save the delivery slip
dialog-png-folder = Folder for the card bitmaps
production-title = Production
production-group = Group (name)
production-filter = Search: name, number, eppn…
production-apply = Show
production-by-structure = Slip by structure
production-by-group = Slip by class or group
production-progress = { $done } of { $total } cards done
production-pick-preview = Click a card to preview it.
production-print = Print { $count } cards
production-slip = Delivery slip…
production-png = Bitmaps (PNG)…
production-empty = No card matches these filters.
production-count = { $count } cards selected
production-more = … and { $count } more (all are printed).
production-no-photo = no photo
production-result-printed = ✔ printed
production-result-failed = ✘ { $message }
production-result-skipped = — { $message }
production-result-stopped = — stopped
production-slip-written = Delivery slip written: { $path }
production-png-written = { $count } bitmaps written in { $path }
printers-title = Printing
printers-printers = Printers
printers-help = The system's print queues (CUPS) and IPP Everywhere printers added by address. "Save as PDF" is always available.
printers-none = No printer found.
printers-default = Default
printers-make-default = Make default
printers-remove = Remove
printers-add = Add
printers-refresh = Refresh
printers-bad-uri = This printer address cannot be used: { $message }
templates-title = Card templates
templates-help = Built-in templates can be copied into the data folder and edited (template.toml and its images); a copy with the same id replaces the built-in one.
templates-user = Installation copy: { $path }
templates-built-in = Built-in
templates-customise = Copy to customise
templates-copy-id = Id of the copy
templates-copied = Template copied to { $path }. Edit template.toml there; changes apply to the next preview.
templates-rules = Template by population
templates-rules-help = Each card is printed with the template of its holder's population, else the default one.
templates-default = Default template
templates-population = { $population } ({ $count })
cli-read-file = Cannot read { $path }: { $message }
cli-unknown-group = No group is named “{ $name }”. Check the name on the Groups screen.
cli-card-photo-set = Card { $card }: photo saved ({ $kb } KB).
cli-print-no-printer = No printer chosen: give --printer ipp://… or --pdf FILE, or set print.printer in the settings.
cli-print-nothing = No card matches: nothing to print.
print-card-printed = Card { $card }: printed.
print-card-failed = Card { $card }: not printed, it stays “in print”: { $message }
print-card-skipped = Card { $card }: not sent to print: { $message }
print-card-stopped = Card { $card }: not printed, the batch was stopped.
print-summary = { $printed } of { $total } cards printed.
print-some-failed = { $failed } of { $total } cards were not printed; they can be printed again.
slip-title = Delivery slip
slip-subtitle = Printed on { $date } — { $count } cards
slip-section = { $name } ({ $count })
slip-no-section = No structure
slip-col-card = Card
slip-col-surname = Surname
slip-col-given = Given name
slip-col-number = Number
slip-col-affiliation = Status
slip-col-signature = Received (signature)
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

# --- nfc readers ---
err-nfc-no-service = The smart-card service (PC/SC) is not running, so no card reader can be used. Start it (on Linux: sudo systemctl start pcscd) or install it (package pcscd); the rest of Guichet keeps working.
err-nfc-no-reader = The card reader “{ $reader }” is not connected. Plug it in again, or choose another reader.
err-nfc-no-card = There is no card on the reader “{ $reader }”. Put the card flat on the reader and try again.
err-nfc-card-removed = The card left the reader during the operation. Put it back, keep it still on the reader and try again.
err-nfc-busy = Another program is using the card. Close that program or wait for it to finish, then try again.
err-nfc-uid-refused = The reader did not give the card's serial number (status { $sw }). Put the card back on the reader; if this persists, this card or reader is not supported.
err-nfc-reader = The card reader reported an error: { $message }. Unplug the reader, plug it back in and try again.
nfc-event-reader-added = Card reader connected: { $reader }
nfc-event-reader-removed = Card reader disconnected: { $reader }
nfc-event-card-present = Card on the reader { $reader }
nfc-event-card-removed = Card taken off the reader { $reader }
nfc-event-service-unavailable = Card readers unavailable: the smart-card service (PC/SC) is not running.
nfc-event-service-back = Card readers available again.
nfc-readers-none = No card reader found. Plug in a contactless (PC/SC) reader.
nfc-reader-card = { $reader }: card present, ATR { $atr }, UID { $uid }
nfc-reader-card-no-uid = { $reader }: card present, ATR { $atr }; UID unreadable: { $message }
nfc-reader-empty = { $reader }: no card

# --- nfc ---
err-nfc-card-status = The card refused the operation: { $status }
err-nfc-not-desfire = This card is not a MIFARE DESFire card (it answered { $sw }). Use a DESFire EV1, EV2 or EV3 card.
err-nfc-malformed = The card's answer could not be understood ({ $detail }). Remove the card, put it back and try again; if it happens again the card may be faulty.
err-nfc-integrity = The card's answer failed its security check ({ $detail }): the keys differ or the radio link was disturbed. Keep the card still on the reader and try again.
err-nfc-authentication = The card did not prove that it knows the key. Check the keys of the encoding profile; the card may also be a counterfeit.
err-nfc-key-length = A { $kind } key is { $expected } bytes long, not { $got }. Correct the key in the encoding profile.
err-nfc-key-type = A { $kind } key cannot be used for { $operation }. Correct the key type in the encoding profile.
err-nfc-too-long = A command for the card is too long ({ $len } bytes). This is a fault in Guichet: please report it.
err-nfc-diversification = The key diversification input is { $got } bytes long; 1 to { $max } bytes are allowed. Check the card's UID and the profile's diversification setting.
err-nfc-counter = The secure session with the card has used up its command counter. Remove the card, put it back and start again.
err-nfc-random = The system's random number generator failed ({ $message }). Restart the computer and try again.
nfc-status-ok = the operation succeeded.
nfc-status-no-changes = nothing was changed (code 0C).
nfc-status-out-of-eeprom = the card's memory is full (code 0E). Delete applications or use a larger card.
nfc-status-illegal-command = the card does not support this command (code 1C). Check that the card is a DESFire EV1 or later.
nfc-status-integrity-error = a security check failed on the card (code 1E): the keys differ or the radio link was disturbed. Try again.
nfc-status-no-such-key = the key does not exist on the card (code 40). Check the key numbers of the encoding profile.
nfc-status-length-error = the command has the wrong length (code 7E). This is a fault in Guichet: please report it.
nfc-status-permission-denied = the card's settings forbid this operation (code 9D). Check the access rights and key settings of the profile.
nfc-status-parameter-error = the card rejected a parameter (code 9E). Check the encoding profile.
nfc-status-application-not-found = the application is not on the card (code A0). Encode the card first or check the application ID.
nfc-status-authentication-error = the key is wrong (code AE). Check the keys of the encoding profile, or whether the card was encoded elsewhere.
nfc-status-additional-frame = the card expects more data (code AF). Try again.
nfc-status-boundary-error = the data goes beyond the end of the file (code BE). Check the file sizes of the profile.
nfc-status-command-aborted = the card aborted the command (code CA). Keep the card still and try again.
nfc-status-picc-disabled = the card is disabled (code CD) and cannot be used any more.
nfc-status-count-error = the card holds too many applications (code CE). Delete one or use another card.
nfc-status-duplicate = it already exists on the card (code DE). Use update mode or format the card first.
nfc-status-eeprom-error = the card's memory failed (code EE). The card is probably faulty: replace it.
nfc-status-file-not-found = the file is not on the card (code F0). Check the file numbers of the profile.
nfc-status-file-integrity-error = a file on the card is damaged (code F1). Re-encode or replace the card.
nfc-status-other = unknown status code { $code }. Try again; if it persists, replace the card.

# --- readers (window) ---
settings-tab-readers = Readers
readers-title = Card readers
readers-help = Contactless (PC/SC) readers appear here as soon as they are plugged in, with the card on them. Readers' SAM slots are not listed.
readers-waiting = Looking for card readers…
readers-card-present = Card present (ATR { $atr })
readers-no-card = No card
readers-last = Last event: { $event }
readers-status = { $readers ->
    [one] 1 reader
   *[other] { $readers } readers
} · { $cards ->
    [0] no card
    [one] 1 card
   *[other] { $cards } cards
}
readers-status-none = No card reader
readers-status-no-service = Card readers unavailable (PC/SC not running)

# --- nfc sim ---
err-cardsim-uid-length = A DESFire UID is 7 bytes (14 hexadecimal digits), not { $got }. Give --uid as 14 hexadecimal digits, e.g. 04A1B2C3D4E5F6.
err-cardsim-uid-hex = The UID “{ $uid }” is not hexadecimal. Give --uid as 14 hexadecimal digits, e.g. 04A1B2C3D4E5F6.
err-cardsim-address = “{ $addr }” is not a host and port. Give --vpcd as HOST:PORT, e.g. 127.0.0.1:35963.
err-cardsim-connect = Cannot reach the virtual reader at { $addr } ({ $message }). Check that pcscd is running with the vpcd driver (package vsmartcard-vpcd) and that the port is right.
err-cardsim-io = The connection to the virtual reader failed ({ $message }). Restart pcscd and the simulated card.
err-cardsim-response-too-long = The simulated card's answer is too long for the virtual reader ({ $len } bytes). This is a fault in Guichet: please report it.
cardsim-inserted = Simulated DESFire card { $uid } placed on the virtual reader { $addr }. Close standard input or stop the process to take it away.
cardsim-stopped = The simulated card was taken away after { $apdus } commands.
cardsim-closed = The virtual reader closed the connection after { $apdus } commands (pcscd stopped or the card was reset).
cardsim-pulled = The simulated card was pulled off the reader after { $apdus } commands, as requested.

# --- nfc profile ---
profile-picc-key = PICC master key: { $key } ({ $kind }).
profile-factory-key = the factory key (all zeros)
profile-diversified = { $key }, diversified from the card serial number
profile-picc-format = The card is formatted before writing.
profile-picc-change-last = The card arrives with its factory key; the PICC master key is set last.
profile-picc-random-uid = Random UID is switched on (this cannot be undone on a real card).
profile-application = Application { $aid } “{ $name }”: { $count } { $kind } keys, key settings { $settings }.
profile-key = Key { $number }: { $key }, version { $version }.
profile-file = File { $number }: { $size } bytes, { $comm }, access rights { $access } (read, write, read-write, change), content: { $content }.
profile-comm-plain = plain
profile-comm-maced = MACed
profile-comm-enciphered = enciphered
profile-content-access-id = access-control number from { $base }, on { $width } digits
profile-content-escn = European Student Card number (ESCN)
profile-content-csn-at = card serial number @ { $domain }
profile-content-crous = CROUS card number
profile-content-hex = fixed bytes { $hex }
profile-content-empty = nothing
profile-fact-csn = card serial number (CSN)
profile-fact-escn = European Student Card number (ESCN)
profile-fact-crous = CROUS card number
profile-fact-access-id = access-control number
err-profile-io = Cannot read the encoding profile { $path }: { $message }. Check the path and the file's permissions.
err-profile-syntax = The encoding profile is not valid TOML (line { $line }): { $message }. Correct the file and load it again.
err-profile-syntax-no-line = The encoding profile is not valid TOML: { $message }. Correct the file and load it again.
err-profile-bad-value = Encoding profile, { $field }: “{ $value }” is not { $expected }. Correct this field.
err-profile-no-application = The encoding profile has no application. Add at least one [[application]] section.
err-profile-reserved-aid = Encoding profile, { $field }: AID 000000 is the card level, not an application. Choose another AID.
err-profile-duplicate-aid = Encoding profile: application { $aid } is declared twice. Remove or renumber one of them.
err-profile-duplicate-file = Encoding profile, { $field }: file { $number } is declared twice in this application. Renumber one of them.
err-profile-key-count = Encoding profile, { $field }: { $count } keys; an application has 1 to 14 keys. Fix the key list.
err-profile-key-out-of-range = Encoding profile, { $field }: key { $key } does not exist, the application has { $count } keys (numbered from 0). Use an existing key or add keys.
err-profile-file-number = Encoding profile, { $field }: file number { $number }; numbers go from 0 to 31. Choose another number.
err-profile-file-size = Encoding profile, { $field }: size { $size } bytes; a file holds 1 to 16777215 bytes. Correct the size.
err-profile-content-too-large = Encoding profile, { $field }: the content needs { $needed } bytes but the file holds { $size }. Enlarge the file or shorten the content.
err-profile-iso-without-fid = Encoding profile, { $field }: an ISO id or name needs an application with an ISO id (iso_fid). Add it to the application or remove this one.
err-profile-empty-key-name = Encoding profile, { $field }: the key has no name. Give the name of a key in the keyring.
err-profile-change-last-without-key = Encoding profile: change_key_last needs a PICC master_key. Name the key or set change_key_last = false.
err-profile-width = Encoding profile, { $field }: width { $width }; use an even number of digits from 2 to 64.
err-profile-missing-fact = Cannot fill the card: the { $fact } is unknown for this card. Complete the card's record first.
err-profile-bad-escn = Cannot fill the card: “{ $value }” is not a valid ESCN. Generate a new ESCN for this card.
err-profile-number-too-long = Cannot fill the card: number { $number } does not fit in { $digits } digits. Widen the file or the width in the profile.

# --- nfc encode ---
note-encode-log = encoding: { $steps }
encode-already = already done
encode-step-csn = Reading the serial number (CSN)
encode-step-picc = Card master key
encode-step-uid = Reading the real UID (random-UID card)
encode-step-list = Listing the applications
encode-step-format = Formatting the card (foreign applications)
encode-step-check = Checking the keys of application { $aid }
encode-step-app = Creating application { $aid }
encode-step-keys = Keys of application { $aid }
encode-step-file = Creating file { $file } of { $aid }
encode-step-settings = Access rights of file { $file } of { $aid }
encode-step-write = Writing file { $file } of { $aid }
encode-step-verify = Reading back file { $file } of { $aid }
encode-step-random-uid = Switching random UID on
encode-step-picc-key = Changing the card master key
err-encode-pulled = The card was taken off the reader during “{ $step }”. Put the same card back: encoding resumes where it stopped.
err-encode-not-desfire = This card is not a MIFARE DESFire. Present a blank card or one of the institution's cards.
err-encode-foreign-card = This card's master key is neither the factory key nor ours: a card of another institution, or keys not imported. Check the card, or import the keys in Settings → Encoding.
err-encode-foreign-app = Application { $aid } is already on the card with keys we do not know: a card of another institution. Nothing was written; use another card.
err-encode-unknown-key = Key { $key } of application { $aid } has an unknown value. Nothing else was changed; check the imported keys.
err-encode-file-mismatch = File { $file } of application { $aid } exists with another size or type than the profile's. Format the card or adapt the profile.
err-encode-no-access = The profile gives no key that can access file { $file } of { $aid }. Fix the profile's access rights.
err-encode-full = The card is full: there is no room for the profile's applications. Use a new card.
err-encode-verify = Reading back file { $file } of { $aid } does not give what was written. Present the card again; if the error persists, the chip is faulty.
err-encode-other-chip = This card is bound to chip { $expected }, but the chip presented is { $found }. Present the right card, or scan this card's QR code.
err-encode-random-uid-key = Random-UID card: its master key is diversified and its UID unknown. Encode it once with the factory key first.
err-encode-card = Step “{ $step }”: { $error }
err-keys-syntax = Key file, line { $line }: expected “name = hexadecimal key”. Fix the line.
err-keys-name = Key file, line { $line }: “{ $name }” is not a valid key name (letters, digits, - _ .; at most 64 characters).
err-keys-hex = Key file, line { $line }: the value of { $name } is not hexadecimal. Check the key.
err-keys-length = Key file, line { $line }: { $name } is { $len } bytes long; a DESFire key is 8, 16 or 24 bytes.
err-keys-duplicate = Key file, line { $line }: { $name } appears twice. Keep one line.
err-keys-empty = The file holds no key.
err-keys-missing = The profile's key “{ $name }” is not in the keyring. Import it in Settings → Encoding.
err-keys-wrong-type = Key “{ $name }” is { $got } bytes long; the profile makes it a { $kind } key of { $expected } bytes. Import the right key.
err-keys-diversify = Key “{ $name }” cannot be diversified: { $message }

# --- encode (command line) ---
cli-encode-no-card = No reader holds a card. Put the card on a reader, or name the reader with --reader.
cli-encode-which-reader = Several readers hold a card ({ $readers }): choose one with --reader.
cli-encode-which-card = Name the card: --card NUMBER or --qr QR_CODE_CONTENT.
cli-encode-no-card-for-qr = No card carries the QR code “{ $qr }”. Check the scan, or give the number with --card.
cli-encode-done = Card #{ $card } encoded: CSN { $csn }, state { $state } ({ $apdus } APDUs).
cli-keys-kcv = KCV { $kcv }
cli-keys-missing = not in the keyring
cli-keys-imported = { $count } key(s) imported into the keyring.
cli-info-reader = Reader: { $reader }
cli-info-uid = UID: { $uid }
cli-info-version = DESFire version { $major }.{ $minor }, { $storage } bytes
cli-info-no-apps = Applications: none
cli-info-apps = Applications: { $apps }
cli-info-apps-locked = Applications: listing protected ({ $error })
cli-info-free = Free memory: { $bytes } bytes
err-nfc-not-authenticated = This command needs an authentication on the card first; nothing was sent. Start the operation again from the beginning.
# --- encode (window) ---
settings-tab-encoding = Encoding
encode-dialog-profile = Choose an encoding profile (TOML)
encode-dialog-keys = Choose a DESFire key file
encode-virtual-reader = Virtual reader (training)
encode-put-blank = Put a blank card
encode-random-uid = Random UID
encode-remove-card = Remove the card
encode-reader-card = card present
encode-reader = Reader
encode-choose-reader = Choose a reader
encode-no-reader = No reader with a card. Put the card on a reader, or turn the virtual reader on in Settings → Encoding.
encode-start = Encode
encode-retry = Retry
encode-close = Close
encode-title = Encode card { $card } — { $holder }
encode-running = Encoding… keep the card still on the reader.
encode-success = Card encoded. State: { $state }.
encode-updated = Card updated (it was already encoded). State: { $state }.
encode-done = Card { $card } encoded.
encode-action = Encode…
encode-update-action = Update the chip…
encode-batch = Encode the batch
encode-batch-title = Encode the batch: { $done } of { $total } cards encoded
encode-batch-close = Back to the list
encode-scan-placeholder = Scan the card's QR code (or type it, then Enter)
encode-next-card = Next card of the batch
encode-scan-unknown = No card matches “{ $text }”. Scan the QR code printed on the card again, or pick the next card.
encode-result-ok = { $state }, CSN { $csn }
encode-settings-title = Encoding
encode-settings-loading = Reading the profile and the keyring…
encode-profile = Encoding profile
encode-profile-file = Profile file: { $path }
encode-profile-built-in = Built-in profile (ESUP default layout)
encode-choose-profile = Choose a profile file…
encode-use-built-in = Use the built-in profile
encode-profile-chosen = Profile “{ $name }” checked and saved ({ $path }).
encode-profile-built-in-chosen = The built-in profile is used again.
encode-keys = Keys
encode-keys-help = The keys live only in the system keyring. They are shown by type, version and key check value (KCV), never by value.
encode-key-line = { $place } · { $name } · { $kind } version { $version } · { $state }
encode-key-kcv = KCV { $kcv }
encode-key-missing = missing
encode-key-wrong-length = wrong length ({ $got } bytes)
encode-key-diversified = diversified
encode-import-keys = Import a key file…
encode-type-key = Type a key:
encode-key-name = Key name
encode-key-value = Hexadecimal value
encode-save-key = Save the key
encode-key-choose-name = Choose the name of the key first.
encode-key-empty = Type the key's hexadecimal value first.
encode-keys-saved = { $count ->
    [one] 1 key saved in the keyring: { $names }.
   *[other] { $count } keys saved in the keyring: { $names }.
}
encode-keys-unreadable = Cannot read the key file { $path }: { $message }. Check the path and the file's permissions.
encode-options = Options
encode-auto-enable = Enable the card right after encoding (ENCODED → ENABLED)
encode-virtual-reader-option = Offer the virtual reader with a software card (training)

# --- integrations (pure) ---
err-tariff-json = The CROUS answer with the tariff rules could not be read ({ $message }). The previous rules are kept; try again later, and check the CROUS API address in the settings if it persists.
err-tariff-api-rule = Tariff rule { $index } sent by CROUS is unusable: field { $field }: { $problem }. The previous rules are kept; report it to the CROUS if it persists.
err-tariff-xml = The ESIST tariff file is not readable XML ({ $message }). Check that you chose the right file and that it is complete.
err-tariff-root = The file is not an ESIST tariff file: its root element is “{ $root }” instead of “esist”. Choose an ESIST*.xml file.
err-tariff-no-rules = The ESIST file holds no tariff section (EmployeurStatutIndiceSocieteTarif). Choose a complete ESIST file.
err-tariff-row = ESIST file, section { $section }, row { $row }, field { $field }: { $problem }. Correct the file and import it again; no rule was changed.
tariff-problem-missing = the value is missing
tariff-problem-not-number = “{ $value }” is not a whole number
tariff-problem-not-text = { $value } is not a text
tariff-problem-not-object = the rule is not a JSON object
tariff-problem-unknown-employer = the employer code “{ $code }” is not listed in the RneEmployeur section
err-patch-ids-header = The identifier file must start with the header line oldId;eppnNewId;mail (separated by semicolons or commas). Add that line and load the file again.
err-patch-ids-lines = { $count ->
    [one] 1 line of the identifier file is wrong; nothing was imported. Correct it and load the file again:
   *[other] { $count } lines of the identifier file are wrong; nothing was imported. Correct them and load the file again:
}
patch-ids-line = line { $line }: { $problem }
patch-ids-line-field = line { $line }, column { $field }: { $problem }
patch-ids-problem-columns = { $found } columns instead of 3 (oldId;eppnNewId;mail)
patch-ids-problem-empty = the value is empty
patch-ids-problem-email = this is not an e-mail address
patch-ids-problem-same = the new identifier is the same as the old one
patch-ids-problem-dup-old = this old identifier is already on line { $first }
patch-ids-problem-dup-new = this new identifier is already on line { $first }
err-template-no-colon = LDAP write-back templates, line { $line }: expected “attribute: template”. Correct the line.
err-template-attribute = LDAP write-back templates, line { $line }: “{ $attribute }” is not an LDAP attribute name (letters, digits and hyphens, starting with a letter). Correct the line.
err-template-empty = LDAP write-back templates, line { $line }: the template for { $attribute } is empty. Give a value such as {"{"}ISO15693{"}"}%csn%, or remove the line.

# --- integrations (run time) ---
remote-error = { $operation }: { $code } { $message } — { $next }
remote-next-offline = the service cannot be reached; the queue keeps the work and tries again when it comes back.
remote-next-retry = the queue tries again by itself later.
remote-next-human = a manager must act (Queue screen): fix the data or the settings, then "Retry now".
remote-next-recorded = the service refused without blocking; the refusal is recorded, nothing more is sent until the person changes.
tariff-line-rule = CROUS: société { $company }, tarif { $rate } (rule { $status }, source { $source }, priority { $priority })
tariff-line-default = CROUS: société { $company }, tarif { $rate } (defaults: no rule matches)
cli-queue-bad-status = Unknown state “{ $value }”. States: { $statuses }.
cli-queue-bad-date = “{ $value }” is not a date: write YYYY-MM-DD.
cli-queue-retried = { $count } row(s) will be tried again now.
cli-queue-purged = { $count } finished row(s) deleted.
cli-queue-exported = { $count } row(s) written to { $path }.
cli-queue-export-failed = Cannot write { $path }: { $message }
cli-queue-queued = { $count } person(s) queued for a check with the services.
cli-queue-no-service = No service is switched on: set crous.enabled, escr.enabled or writeback.enabled (guichet config set …) and store the credentials (guichet secret set …).
cli-queue-status-line = { $service }: pending { $pending }, in progress { $in_progress }, done { $done }, retrying { $retrying }, needs a human { $human }, refused { $gave_up }
cli-queue-drained = { $runs } run(s): { $done } done, { $retrying } will be retried, { $human } need a human, { $gave_up } refused.
cli-queue-offline = { $service } cannot be reached: its work waits in the queue.
cli-crous-no-person = No person “{ $key }” (give the number or the eppn).
cli-crous-bad-source = Tariff rule source “{ $value }”: write NUMERO_CROUS/RNE or NUMERO_CROUS/RNE/PRIORITY in crous.rule_sources.
cli-crous-no-sources = No tariff rule source is set: guichet config set crous.rule_sources NUMERO_CROUS/RNE
cli-crous-rules-refreshed = CROUS { $crous } / { $rne }: { $count } rule(s) (an empty answer keeps the previous rules).
cli-crous-rules-some-failed = Some rule sources could not be refreshed; their previous rules are kept.
cli-crous-rules-imported = { $count } tariff rule(s) imported.
cli-crous-no-remote = CROUS holds no right holder under this person's identifiers.
cli-crous-bad-option = “{ $value }”: write on or off.
cli-crous-option-set = CROUS option { $state }.
cli-crous-reopened = The CROUS account is re-opened; the person is queued to be sent again.
cli-crous-read-failed = Cannot read { $path }: { $message }
cli-crous-patch-what = Give a CSV file (oldId;eppnNewId;mail), --generate-ine, or --retry BATCH.
cli-crous-batch = Batch { $batch }: { $count } line(s), { $failed } failed.
cli-crous-batch-failed = { $count } line(s) failed; run them again with: guichet crous patch-ids --retry "{ $batch }" --run
