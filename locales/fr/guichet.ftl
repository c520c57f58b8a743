## États de carte
state-new = Nouvelle demande
state-renewed = Demande de renouvellement
state-request-checked = Demande validée
state-rejected = Rejetée
state-canceled = Annulée
state-in-print = En impression
state-printed = Imprimée
state-in-encode = En encodage
state-encoded = Encodée
state-enabled = Activée
state-disabled = Désactivée
state-caduc = Caduque
state-destroyed = Détruite

## Actions
action-new = Demander
action-renew = Renouveler
action-validate = Valider la demande
action-reject = Rejeter
action-cancel = Annuler la demande
action-print = Envoyer à l’impression
action-printed = Marquer imprimée
action-encode = Lancer l’encodage
action-encoded = Marquer encodée
action-enable = Activer
action-disable = Désactiver…
action-expire = Rendre caduque
action-destroy = Détruire

## Motifs de désactivation
reason-lost = Perdue
reason-theft = Volée
reason-out-of-order = Hors service

note-replaced-by = désactivée car la carte n° { $card } a été activée
note-renewal-of = renouvellement de la carte n° { $card }

id-jointure = Clé de jointure ENT
id-app = Identifiant applicatif
id-refid = Identifiant de référence

aff-student = Étudiant·e
aff-faculty = Enseignant·e-chercheur·e
aff-staff = Personnel
aff-researcher = Chercheur·e
aff-affiliate = Invité·e
aff-alum = Ancien·ne étudiant·e
aff-retired = Retraité·e
aff-pupil = Élève
aff-parent = Responsable légal
aff-teacher = Enseignant·e
aff-librarian = Professeur·e documentaliste
aff-direction = Direction
aff-school-life = Vie scolaire
aff-school-staff = Personnel de l’établissement

none = aucune

## Erreurs
err-transition-not-allowed = Une carte ne peut pas passer de { $from } à { $to }. Possibles depuis { $from } : { $allowed }.
err-transition-system-only = { $from } → { $to } est fait par le système seulement (encodage, synchronisation). Possibles depuis { $from } : { $allowed }.
err-card-locked = Cette carte est { $state } et réservée par { $holder } ; seul·e cette personne peut la faire avancer.
err-reason-required = Indiquez pourquoi la carte est désactivée : perdue, volée ou hors service.
err-csn-required = Une carte n’est encodée qu’avec le numéro de série de sa puce (CSN).
err-not-editable = La fiche de cette personne est bloquée : la demande ne peut pas être validée. Vérifiez l’annuaire.
err-request-pending = Cette personne a déjà une demande de carte en cours (carte n° { $card }). Terminez-la ou annulez-la d’abord.
err-external-card = Une carte d’un autre établissement ne peut pas être renouvelée ici.
err-csn-in-use = La puce { $csn } appartient déjà à la carte n° { $card }. Prenez une autre carte.
err-not-found = Aucun·e { $kind } numéro { $id }.
err-photo-locked = La photo de la carte { $card } ne peut plus changer : la carte est « { $state } ». Demandez une nouvelle carte pour changer la photo.
cli-write-file = Impossible d’écrire { $path } : { $message }
err-no-template = Aucun modèle de carte n’est disponible : vérifiez Paramètres → Impression.
printer-not-accepting = n’accepte pas de travaux
printer-no-pdf = n’accepte pas le PDF
title-production = Guichet — Production
nav-production = Production
settings-tab-printing = Impression
card-photo-action = Photo…
card-print-sent = Envoyée à { $printer } : en attente du verdict de l’imprimante.
card-print-failed = Non imprimée sur { $printer } : { $message } Relancez l’impression quand l’imprimante est prête.
studio-title = Carte n° { $card }
studio-step-photo = 1. Photo
studio-step-print = 2. Aperçu et impression
studio-close = Fermer
studio-loading-photo = Lecture de la photo…
studio-saving-photo = Enregistrement de la photo…
studio-sending = Envoi de la carte à l’impression…
studio-waiting-printer = L’imprimante a accepté le travail ; attente de la fin de l’impression…
studio-photo-saved = Photo enregistrée avec la carte.
studio-printed = Carte { $card } imprimée.
studio-import = Importer un fichier…
studio-use-directory = Photo de l’annuaire
studio-use-previous = Photo de la carte précédente
studio-webcam = Webcam : { $name }
studio-training-camera = Caméra d’entraînement
studio-drop-hint = Vous pouvez aussi déposer un fichier JPEG ou PNG sur la fenêtre.
studio-drop-first = Ouvrez d’abord l’étape photo d’une carte (Photo… sur la carte), puis déposez le fichier.
studio-crop-help = Faites glisser la photo pour déplacer le cadre ; zoomez avec la molette ou le curseur. Le visage doit occuper l’essentiel du cadre.
studio-zoom = Zoom
studio-result = Résultat
studio-photo-size = { $width } × { $height } pixels
studio-consent = Le titulaire accepte la publication de cette photo (annuaire, trombinoscope)
studio-save-photo = Utiliser cette photo
studio-keep-photo = Garder la photo actuelle et voir l’aperçu
studio-front = Recto
studio-back = Verso
studio-preview-loading = Préparation de l’aperçu…
studio-choose-printer = Choisir une imprimante
studio-print = Imprimer
studio-save-pdf = Enregistrer en PDF…
studio-stop = Arrêter
studio-change-photo = Changer la photo
photo-no-directory-photo = L’annuaire n’a pas de photo de cette personne. Importez un fichier ou prenez une photo.
photo-no-previous = Cette personne n’a pas de carte précédente avec une photo.
photo-webcam-gone = La webcam { $device } n’est plus branchée.
dialog-open-photo = Choisir une photo
dialog-save-pdf = Enregistrer les cartes en PDF
dialog-save-slip = Enregistrer le bordereau de livraison
dialog-png-folder = Dossier des images de cartes
production-title = Production
production-group = Groupe (nom)
production-filter = Recherche : nom, numéro, eppn…
production-apply = Afficher
production-by-structure = Bordereau par structure
production-by-group = Bordereau par classe ou groupe
production-progress = { $done } carte(s) traitée(s) sur { $total }
production-pick-preview = Cliquez sur une carte pour la prévisualiser.
production-print = Imprimer { $count } cartes
production-slip = Bordereau de livraison…
production-png = Images (PNG)…
production-empty = Aucune carte ne correspond à ces filtres.
production-count = { $count } cartes sélectionnées
production-more = … et { $count } autres (toutes sont imprimées).
production-no-photo = sans photo
production-result-printed = ✔ imprimée
production-result-failed = ✘ { $message }
production-result-skipped = — { $message }
production-result-stopped = — arrêtée
production-slip-written = Bordereau de livraison écrit : { $path }
production-png-written = { $count } images écrites dans { $path }
printers-title = Impression
printers-printers = Imprimantes
printers-help = Les files d’impression du système (CUPS) et les imprimantes IPP Everywhere ajoutées par adresse. « Enregistrer en PDF » est toujours possible.
printers-none = Aucune imprimante trouvée.
printers-default = Par défaut
printers-make-default = Choisir par défaut
printers-remove = Retirer
printers-add = Ajouter
printers-refresh = Actualiser
printers-bad-uri = Cette adresse d’imprimante est inutilisable : { $message }
templates-title = Modèles de carte
templates-help = Les modèles fournis peuvent être copiés dans le dossier de données et modifiés (template.toml et ses images) ; une copie de même identifiant remplace le modèle fourni.
templates-user = Copie de l’établissement : { $path }
templates-built-in = Fourni
templates-customise = Copier pour personnaliser
templates-copy-id = Identifiant de la copie
templates-copied = Modèle copié dans { $path }. Modifiez-y template.toml ; les changements s’appliquent au prochain aperçu.
templates-rules = Modèle par population
templates-rules-help = Chaque carte est imprimée avec le modèle de la population de son titulaire, sinon avec le modèle par défaut.
templates-default = Modèle par défaut
templates-population = { $population } ({ $count })
cli-read-file = Impossible de lire { $path } : { $message }
cli-unknown-group = Aucun groupe ne s’appelle « { $name } ». Vérifiez le nom dans l’écran Groupes.
cli-card-photo-set = Carte { $card } : photo enregistrée ({ $kb } Ko).
cli-print-no-printer = Aucune imprimante choisie : indiquez --printer ipp://… ou --pdf FICHIER, ou réglez print.printer dans les paramètres.
cli-print-nothing = Aucune carte ne correspond : rien à imprimer.
print-card-printed = Carte { $card } : imprimée.
print-card-failed = Carte { $card } : non imprimée, elle reste « en impression » : { $message }
print-card-skipped = Carte { $card } : non envoyée à l’impression : { $message }
print-card-stopped = Carte { $card } : non imprimée, le lot a été arrêté.
print-summary = { $printed } carte(s) imprimée(s) sur { $total }.
print-some-failed = { $failed } carte(s) sur { $total } n’ont pas été imprimées ; elles peuvent être réimprimées.
slip-title = Bordereau de livraison
slip-subtitle = Édité le { $date } — { $count } cartes
slip-section = { $name } ({ $count })
slip-no-section = Sans structure
slip-col-card = Carte
slip-col-surname = Nom
slip-col-given = Prénom
slip-col-number = Numéro
slip-col-affiliation = Statut
slip-col-signature = Reçue (signature)
err-db-open = Impossible d’ouvrir la base { $path } : { $message }. Vérifiez le dossier de données et ses droits.
err-db-migration = La base n’a pas pu être mise à jour pour cette version : { $message }. Vos données n’ont pas été modifiées.
err-db = Erreur de base de données : { $message }
err-config-io = Impossible de lire ou d’écrire le fichier de réglages { $path } : { $message }
err-config-parse = Le fichier de réglages { $path } n’est pas valide : { $message }. Corrigez-le ou supprimez-le.
err-config-unknown-key = Réglage inconnu « { $key } ». Réglages connus : { $keys }.
err-config-bad-value = Valeur invalide pour { $key } : { $message }.
err-config-secret = « { $key } » est un secret et n’est jamais écrit dans le fichier de réglages. Utilisez : guichet secret set NOM (il va dans le trousseau du système).
err-keyring-unavailable = Le trousseau du système n’est pas disponible ({ $message }). Sur un serveur, renseignez plutôt la variable d’environnement { $var }.
err-keyring-denied = Le trousseau du système a refusé l’accès ({ $message }). Déverrouillez-le et réessayez.
err-keyring-other = Erreur du trousseau : { $message }
err-secret-empty = Le secret est vide : rien n’a été enregistré.

## Ligne de commande
cli-demo-zero = --persons doit valoir au moins 1.
cli-demo-not-empty = La base contient déjà des personnes : l’établissement de démonstration ne remplit qu’une base vide. Prenez un autre --data-dir.
cli-demo-done = Établissement de démonstration créé : { $persons } personnes, { $cards } cartes, { $groups } groupes en { $seconds } s ({ $path }).
cli-search-none = Personne ne correspond à « { $query } ».
cli-card-requested = Carte n° { $card } demandée pour la personne { $person }.
cli-card-none = La personne { $person } n’a aucune carte.
cli-bad-state = État de carte inconnu « { $value } ». États : { $states }.
cli-bad-reason = Motif de désactivation inconnu « { $value } ». Motifs : lost (perdue), theft (volée), out_of_order (hors service).
cli-bad-csn = « { $value } » n’est pas un numéro de série de puce : 8, 14 ou 20 chiffres hexadécimaux.
cli-card-moved = Carte n° { $card } : { $from } → { $to }.
cli-card-renewal-created = Renouvellement : nouvelle carte n° { $card } créée.
cli-bad-secret = Secret inconnu « { $name } ». Secrets : { $names }.
cli-secret-stored = Secret { $name } enregistré dans le trousseau du système.

## Fenêtre
title-desk = Guichet — Accueil
title-settings = Guichet — Réglages
nav-desk = Accueil
nav-settings = Réglages
status-opening = Ouverture de la base…
status-creating-demo = Premier démarrage : création de l’établissement de démonstration…
status-demo-loaded = Établissement de démonstration chargé : { $count } personnes.
status-settings-saved = Réglages enregistrés.
status-database = Base : { $path }
status-counts = { $persons } personnes · { $cards } cartes · { $enabled } activées · { $pending } demandes à traiter
dismiss = Fermer
cancel = Annuler
save = Enregistrer

## Accueil
desk-search-placeholder = Nom, eppn, INE, numéro, CSN, ESCN…
desk-results = { $count ->
    [0] Aucun résultat
    [one] Un résultat
   *[other] { $count } résultats
}
desk-directory = { $count } personnes dans l’annuaire
desk-empty-title = Trouver une personne
desk-empty-help = Tapez quelques lettres du prénom et du nom, dans n’importe quel ordre, sans vous soucier des accents ni des majuscules ; ou un eppn, un INE, un numéro d’étudiant ou de personnel, un numéro de puce (CSN, sous n’importe laquelle de ses formes) ou un ESCN.
desk-empty-keys = ↑ ↓ se déplacer dans la liste · Entrée ouvre · Ctrl+F ou / revient au champ de recherche
desk-card-requested = Carte n° { $card } demandée.
desk-card-moved = Carte n° { $card } : { $to }.

## Fiche personne
person-identifiers = Identifiants
person-groups = Groupes et relations
person-cards = Cartes
person-no-photo = Pas de photo
person-birth-date = Date de naissance
person-email = Courriel
person-due-date = Droits jusqu’au
person-not-editable = Fiche bloquée : les demandes ne peuvent pas être validées.
person-parent-of = Responsable de { $name }
person-child-of = Enfant de { $name }
person-no-groups = Aucun groupe.
person-request-card = Demander une carte
person-request-pending = Une demande est en cours (carte n° { $card }).
person-no-card = Aucune carte pour l’instant.
card-title = Carte n° { $card }
card-since = depuis le { $date } par { $actor }
card-qr = QR code
card-disable-reason = Motif de désactivation
card-disable-why = Pourquoi désactiver la carte ?
card-history = Historique

## Réglages
settings-title = Réglages
settings-language = Langue
settings-language-help = Langue de toute l’application. Le choix est conservé.
settings-theme = Apparence
settings-theme-help = Couleurs claires ou sombres.
settings-theme-light = Clair
settings-theme-dark = Sombre
settings-operator = Nom de l’opérateur
settings-operator-help = Le nom inscrit dans l’historique des cartes et le journal d’audit pour vos actions.
settings-files = Fichiers
settings-files-help = Où ce poste garde ses données. Les secrets sont dans le trousseau du système, jamais dans ces fichiers.
settings-database = Base : { $path }
settings-config-file = Fichier de réglages : { $path }
desk-loading = Chargement de l’annuaire…
actor-system = Système
actor-sync = Synchronisation de l’annuaire

## Annuaire (synchronisation)
err-dir-not-configured = L’annuaire n’est pas configuré : renseignez { $key } (Réglages → Annuaire, ou guichet config set { $key } …).
err-dir-unreachable = Annuaire injoignable ({ $url }) : { $message }. Le guichet continue sur la copie locale ; vérifiez l’adresse, le port et le réseau.
err-dir-tls = Connexion chiffrée (TLS) refusée avec { $url } : { $message }. Vérifiez le certificat du serveur et le fichier d’autorité (directory.ca_file).
err-dir-ca-file = Fichier d’autorité de certification illisible ({ $path }) : { $message }. Donnez un fichier PEM.
err-dir-bind = Authentification refusée pour { $dn } : { $message }. Vérifiez le DN et le mot de passe (guichet secret set ldap-password).
err-dir-no-such-base = La base de recherche n’existe pas dans l’annuaire ({ $op }) : { $message }. Vérifiez les DN de base.
err-dir-ldap = Erreur de l’annuaire pendant « { $op } » (code LDAP { $rc }) : { $message }
err-dir-protocol = Réponse de l’annuaire incompréhensible : { $message }. Rien n’a été supprimé.
err-dir-mapping = Correspondance d’attributs invalide ({ $entry }) : { $message }
err-dir-mass-delete = Synchronisation arrêtée avant toute suppression : elle retirerait { $would } des { $total } personnes de l’annuaire (limite { $percent } %). Une base DN ou un filtre erroné ? Vérifiez les réglages, puis confirmez la suppression (« Supprimer quand même », ou guichet sync --allow-mass-delete).
err-dir-cancelled = Synchronisation annulée ; elle reprendra au prochain lancement.
cli-sync-bad-preset = Préréglage inconnu « { $value } » : supann ou sdet.
sync-phase-connecting = connexion
sync-phase-structures = structures
sync-phase-people = personnes
sync-phase-groups = groupes
sync-phase-finishing = finalisation
duration-min-sec = { $min } min { $sec } s
duration-sec = { $sec } s
sync-progress = Annuaire : { $phase } — { $seen } entrées, { $rate }/s{ $left }
sync-progress-left = , reste { $left }
sync-mode-full = complète
sync-mode-incremental = incrémentale
sync-mode-fallback = par date de modification
sync-report = Synchronisation { $mode } : { $added } ajoutées, { $modified } modifiées, { $deleted } supprimées, { $departed } parties, { $groups } groupes, { $memberships } appartenances modifiées, { $seconds } s.
sync-report-cards = { $cards } cartes mises à jour selon la date de fin de droits.
sync-report-skipped = { $skipped } entrées ignorées (voir ci-dessous).
dir-test-reachable = Annuaire joignable : { $url }
dir-test-tls-verified = Connexion chiffrée, certificat vérifié
dir-test-tls-none = Connexion non chiffrée (LDAP simple)
dir-test-bind = Authentification acceptée : { $dn }
dir-test-anonymous = Connexion anonyme acceptée
dir-test-content-sync = Synchronisation incrémentale (RFC 4533) proposée par le serveur
dir-test-no-content-sync = Pas de synchronisation RFC 4533 : mode par date de modification, avec une passe complète périodique
dir-test-count = { $what } : { $count } entrées correspondent au filtre
dir-test-count-failed = { $what } : recherche impossible — { $message }
dir-people = Personnes
dir-groups = Groupes
dir-structures = Structures

## gen-ldif
cli-gen-ldif-no-persons = --persons doit valoir au moins 1.
cli-gen-ldif-bad-options = Génération impossible avec ces options : la base { $base } doit être un suffixe simple commençant par dc=, o= ou ou= (par exemple dc=univ-guichet,dc=fr), avec au plus 10 millions de personnes.
cli-gen-ldif-failed = Échec de l’écriture du LDIF : { $error }
cli-gen-ldif-done = LDIF écrit : { $persons } personnes, { $structures } structures, { $groups } groupes, { $members } valeurs de membres en { $seconds } s.

## GUI annuaire
title-groups = Guichet — Groupes
nav-groups = Groupes
settings-tab-general = Général
settings-tab-directory = Annuaire
status-sync-starting = Annuaire : démarrage de la synchronisation…
status-sync-running = Annuaire : { $phase }, { $seen } entrées…
status-sync-confirm = Synchronisation arrêtée : confirmation nécessaire (Réglages → Annuaire)
status-sync-offline = Annuaire injoignable depuis le { $since }
status-sync-failed = Échec de la dernière synchronisation (Réglages → Annuaire)
status-sync-ok = Annuaire synchronisé le { $at }
status-sync-never = Annuaire jamais synchronisé
dir-title = Annuaire
dir-help = L’annuaire LDAP de l’établissement, que la copie locale suit. Le guichet continue de fonctionner sur cette copie quand l’annuaire est injoignable.
dir-connection = Connexion
dir-url = Adresse
dir-tls = Chiffrement
dir-tls-starttls = StartTLS
dir-tls-none = Aucun (LDAP simple)
dir-tls-help = Pour les adresses ldap://. ldaps:// est toujours chiffré. LDAP simple uniquement pour un annuaire sur ce poste.
dir-ca-file = Certificat d’autorité (PEM)
dir-ca-file-placeholder = Facultatif : l’autorité qui a signé le certificat de l’annuaire
dir-bind-dn = DN de connexion
dir-bind-dn-placeholder = Vide pour une connexion anonyme
dir-password = Mot de passe
dir-password-placeholder = Nouveau mot de passe (vide : inchangé)
dir-password-stored = Enregistré dans le trousseau du système
dir-password-env = Pris dans GUICHET_LDAP_PASSWORD
dir-password-missing = Aucun mot de passe enregistré
dir-password-checking = Consultation du trousseau…
dir-password-forget = Supprimer le mot de passe enregistré
dir-preset = Préréglage
dir-preset-supann = SupAnn (universités)
dir-preset-sdet = SDET (ENT, établissements scolaires)
dir-preset-help = Les attributs qui alimentent chaque champ de la copie locale :
dir-searches = Recherches
dir-people-base = DN de base des personnes
dir-groups-base = DN de base des groupes
dir-structures-base = DN de base des structures
dir-base-optional = Facultatif
dir-filter = Filtre
dir-options = Synchronisation
dir-mass-delete = Seuil de suppression massive (%)
dir-mass-delete-help = Une synchronisation qui retirerait une plus grande part des personnes s’arrête et demande confirmation.
dir-every = Synchronisation en arrière-plan (minutes)
dir-every-help = 0 : seulement quand vous cliquez sur « Synchroniser maintenant ».
dir-test = Tester la connexion
dir-testing = Test en cours…
dir-test-title = Test de connexion
dir-sync-now = Synchroniser maintenant
dir-sync-cancelling = Annulation…
dir-sync-needs-settings = Enregistrez d’abord une adresse et le DN de base des personnes.
dir-sync-title = Synchronisation en cours
dir-sync-last = Dernière synchronisation
dir-delete-anyway = Supprimer quand même
dir-form-saved = Réglages de l’annuaire enregistrés.
dir-form-bad-url = L’adresse commence par ldap:// ou ldaps:// (par exemple ldap://ldap.univ.fr).
dir-form-need-people-base = Indiquez le DN de base des personnes (par exemple ou=people,dc=univ,dc=fr).
dir-form-bad-filter = Le filtre { $what } est un filtre LDAP entre parenthèses, par exemple (objectClass=person) ; laissez-le vide pour celui du préréglage.
dir-form-ca-missing = Fichier d’autorité introuvable : { $path }
dir-form-bad-percent = Le seuil de suppression massive est un nombre entier de 1 à 100.
dir-form-bad-minutes = La période de synchronisation est un nombre entier de minutes, de 0 à 1440.
dir-field-uid = Identifiant (uid)
dir-field-login = Identifiant de connexion
dir-field-eppn = eppn
dir-field-jointure = Clés de jointure
dir-field-surname = Nom
dir-field-given-name = Prénom
dir-field-birth-name = Nom de naissance
dir-field-civility = Civilité
dir-field-email = Courriel
dir-field-affiliation = Affiliation
dir-field-profiles = Profils
dir-field-etu-id = Numéro d’étudiant
dir-field-emp-id = Numéro de personnel
dir-field-ine = INE
dir-field-structure = Structure
dir-field-establishment = Établissement (UAI)
dir-field-birth-date = Date de naissance
dir-field-due-date = Date de fin de droits
dir-field-ref-id = Identifiants de référence
dir-field-app-ids = Identifiants applicatifs
dir-field-classes = Classes
dir-field-teacher-classes = Classes enseignées
dir-field-pupils = Élèves (responsables)
dir-field-member-of = Appartenance aux groupes
dir-field-photo = Photo
dir-field-structure-code = Code de la structure
dir-field-uai = UAI
dir-field-structure-name = Nom de la structure
dir-field-org-name = Nom de l’établissement
dir-field-parent = Structure parente
dir-field-group-name = Nom du groupe
dir-field-group-display-name = Libellé du groupe
dir-field-members = Membres
dir-field-unique-members = Membres (uniqueMember)
groups-filter-placeholder = Filtrer les groupes : nom, classe, branche…
groups-loading = Chargement des groupes…
groups-total = { $count ->
    [0] Aucun groupe dans la copie locale
    [one] Un groupe
   *[other] { $count } groupes
}
groups-matches = { $count ->
    [0] Aucun groupe ne correspond
    [one] Un groupe correspond
   *[other] { $count } groupes correspondent
}
groups-members = { $count ->
    [0] aucun membre
    [one] 1 membre
   *[other] { $count } membres
}
groups-below = { $count ->
    [one] 1 groupe
   *[other] { $count } groupes
}
groups-pick = Choisissez un groupe pour en voir les membres.
groups-loading-members = Chargement des membres…
groups-no-members = Ce groupe n’a aucun membre.
person-departed = A quitté l’annuaire le { $date }
# --- production photo ---
err-photo-not-an-image = Ce fichier n’est pas une image. Choisissez une photo JPEG ou PNG.
err-photo-unsupported = Les photos au format { $format } ne sont pas acceptées. Exportez la photo en JPEG ou PNG puis importez-la à nouveau.
err-photo-too-small = La photo fait { $width }×{ $height } pixels ; une carte demande au moins { $min_width }×{ $min_height }. Prenez une nouvelle photo ou importez un fichier plus grand.
err-photo-too-large = La photo fait { $width }×{ $height } pixels, au-delà de la limite de { $max_side } pixels de côté. Réduisez-la ou importez un autre fichier.
err-photo-limit = Cette photo demande trop de mémoire pour être ouverte. Réduisez-la ou importez un autre fichier.
err-photo-corrupt = Le fichier photo est endommagé et illisible ({ $message }). Importez un autre fichier ou prenez une nouvelle photo.
err-photo-encode = La photo de carte n’a pas pu être produite ({ $message }). Réessayez ; si cela persiste, signalez-le.
err-photo-output-too-large = La photo de carte pèse encore { $kb } Ko à la qualité la plus basse, au-delà de { $max_kb } Ko. Choisissez une photo moins granuleuse.
err-webcam-unsupported = La capture par webcam n’est pas disponible sur cet ordinateur. Importez plutôt un fichier photo.
err-webcam-open = Impossible d’ouvrir la caméra { $path } : { $message }. Vérifiez qu’elle est branchée puis réessayez.
err-webcam-permission = L’accès à la caméra { $path } est refusé. Demandez à votre administrateur d’ajouter votre compte au groupe « video », puis reconnectez-vous.
err-webcam-busy = La caméra { $path } est utilisée par une autre application. Fermez-la (visioconférence, application photo) et réessayez.
err-webcam-not-capture = { $path } n’est pas une caméra capable de prendre des photos. Choisissez un autre périphérique.
err-webcam-no-format = La caméra { $path } ne propose aucun format d’image utilisable (elle propose : { $offered }). Utilisez une autre caméra ou importez un fichier photo.
err-webcam-ioctl = La caméra a refusé une opération ({ $op } : { $message }). Débranchez-la, rebranchez-la et réessayez.
err-webcam-timeout = La caméra n’a envoyé aucune image depuis { $seconds } s. Vérifiez qu’elle n’est ni masquée ni utilisée ailleurs, puis réessayez.
err-webcam-disconnected = La caméra a été déconnectée. Rebranchez-la et choisissez-la à nouveau.
err-webcam-frame = La caméra a envoyé une image inutilisable ({ $message }). Réessayez.
webcam-synthetic-name = Caméra de démonstration
# --- production print ---
err-print-invalid-uri = L’adresse d’imprimante { $uri } n’est pas valide ({ $reason }). Utilisez ipp://hôte/chemin, par exemple ipp://localhost:631/printers/cartes.
err-print-unsupported = L’adresse d’imprimante { $uri } utilise { $what }, que Guichet ne sait pas utiliser. Utilisez l’adresse ipp:// de l’imprimante ou sa file CUPS.
err-print-unreachable = Impossible de joindre l’imprimante { $uri } : { $message }. Vérifiez qu’elle est allumée et connectée, puis réessayez.
err-print-timeout = L’imprimante { $uri } n’a pas répondu à temps. Vérifiez qu’elle est allumée et connectée, puis réessayez.
err-print-http = L’imprimante { $uri } a refusé la requête (HTTP { $status } { $reason }). Vérifiez l’adresse de l’imprimante dans Paramètres → Imprimantes.
err-print-protocol = L’imprimante { $uri } a envoyé une réponse illisible ({ $message }). Réessayez ; si cela persiste, utilisez une autre imprimante ou enregistrez en PDF.
err-print-pdf-not-accepted = L’imprimante { $uri } n’accepte pas les documents PDF (elle accepte : { $formats }). Utilisez sa file CUPS, qui convertit le PDF, ou enregistrez en PDF.
err-print-not-accepting = L’imprimante { $uri } n’accepte pas de travaux pour l’instant ({ $message }). Activez la file ou l’imprimante, puis réessayez.
err-print-copies = L’imprimante { $uri } ne peut pas imprimer { $copies } exemplaires (au plus { $max }). Imprimez moins d’exemplaires à la fois.
err-print-not-authorized = L’imprimante { $uri } a refusé le travail faute de droits ({ $status } : { $message }). Demandez l’accès à l’administrateur du service d’impression.
err-print-not-found = L’imprimante { $uri } ne connaît pas cette file ou ce travail ({ $status } : { $message }). Vérifiez l’adresse de l’imprimante ; un travail terminé a pu être purgé.
err-print-document-rejected = L’imprimante { $uri } a refusé le document ({ $status } : { $message }). Réessayez ; si cela persiste, enregistrez en PDF et vérifiez le document.
err-print-rejected = L’imprimante { $uri } a refusé la requête ({ $status } : { $message }). Vérifiez les réglages de l’imprimante, puis réessayez.
err-print-busy = L’imprimante { $uri } est occupée ou momentanément indisponible ({ $status } : { $message }). Réessayez dans un instant.
err-print-printer-failure = L’imprimante { $uri } signale une erreur ({ $status } : { $message }). Vérifiez l’imprimante (cartes, ruban, bourrage), puis réessayez.
err-print-no-service = Aucun service d’impression ne répond sur { $server } ({ $message }). Démarrez CUPS, ou enregistrez en PDF.
err-print-unknown-job = { $printer } n’a pas de travail { $job }. Relancez l’impression de la carte.
err-print-cannot-cancel = Le travail { $job } sur { $printer } est déjà terminé et ne peut plus être annulé.
err-print-file = Impossible d’écrire le fichier PDF { $path } : { $message }. Choisissez un autre dossier ou libérez de l’espace disque.
err-print-wait-timeout = Le travail { $job } est toujours « { $state } » à la fin de l’attente. Vérifiez l’imprimante ; la carte reste en impression jusqu’à la fin du travail.
print-job-pending = en attente
print-job-held = retenu
print-job-processing = en cours d’impression
print-job-stopped = arrêté
print-job-canceled = annulé
print-job-aborted = en échec
print-job-completed = imprimé
print-job-status-message = { $state } : { $message }
printer-state-idle = prête
printer-state-processing = en cours d’impression
printer-state-stopped = arrêtée
# --- production render ---
tpl-problem-missing = valeur manquante
tpl-problem-not-positive = doit être un nombre supérieur à zéro
tpl-problem-outside-card = l'élément dépasse le bord de la carte ; réduisez sa position ou sa taille
tpl-problem-bad-colour = ce n'est pas une couleur : écrivez-la « #rrvvbb », par exemple « #1d4f91 »
tpl-problem-bad-choice = doit valoir l'une de ces valeurs : { $allowed }
tpl-problem-bad-file-name = ce n'est pas un simple nom de fichier : utilisez lettres, chiffres, « . », « - » ou « _ » et placez le fichier à côté de template.toml
tpl-problem-min-above-size = la taille minimale du texte dépasse sa taille
tpl-problem-too-tall = à sa taille minimale le texte est plus haut que son cadre : agrandissez le cadre, ou baissez min_font_size ou lines
tpl-problem-duplicate-name = un autre texte porte déjà ce nom ; donnez un nom différent à chaque texte
tpl-problem-unknown-type = type d'élément inconnu : utilisez rect, image, photo, text ou qr
tpl-problem-unclosed-brace = une « {"{"} » n'est pas fermée ; écrivez « {"{{"} » pour une accolade
tpl-problem-not-applicable = cette clé ne s'applique pas à ce type d'élément ; supprimez-la
err-tpl-syntax = Modèle de carte { $file }, ligne { $line } : { $message }. Corrigez le fichier puis rechargez les modèles.
err-tpl-placeholder = Modèle de carte { $file }, ligne { $line }, { $field } : champ « { $placeholder } » inconnu. Utilisez surname, given_name, display_name, affiliation, establishment, student_number, staff_number, number, due_date, eppn, escn, card_id, ou free.NOM avec NOM déclaré dans [free].
err-tpl-invalid = Modèle de carte { $file }, ligne { $line }, { $field } : { $problem }.
err-tpl-image = Modèle de carte { $file }, ligne { $line } : l'image « { $name } » est inutilisable ({ $message }). Placez un fichier PNG ou JPEG de ce nom à côté de template.toml.
err-tpl-bad-id = « { $id } » n'est pas un nom de modèle valable : utilisez seulement des minuscules, des chiffres, « - » et « _ ».
err-tpl-io = Impossible de lire ou d'écrire { $path } : { $message }. Vérifiez que le dossier existe et que vous pouvez y écrire.
err-tpl-exists = { $path } existe déjà : choisissez un autre nom pour la copie du modèle.
err-tpl-photo = La photo de la personne est illisible ({ $message }). Reprenez ou importez de nouveau la photo.
err-qr-empty = Le QR code n'a rien à coder : vérifiez l'eppn ou l'ESCN de la carte.
err-qr-too-long = Le contenu du QR code est trop long ({ $len } octets) : vérifiez les réglages du QR code.
err-qr-encode = Impossible de produire le QR code : { $message }.
err-font-unreadable = La police intégrée { $face } est illisible ({ $message }) : réinstallez Guichet.
err-raster-size = Impossible de dessiner une image de { $width } × { $height } pixels : chaque côté doit mesurer de 1 à 8192 pixels.
err-raster-encode = L'image de la carte ne peut pas être enregistrée en PNG : { $message }.
err-pdf-font = Le générateur de PDF ne peut pas lire la police intégrée { $face } : réinstallez Guichet.
err-pdf-image = Une image ne peut pas être mise dans le PDF ({ $message }) : vérifiez les images du modèle et la photo.
err-pdf-empty = Aucune carte à imprimer : sélectionnez au moins une carte.
slip-page = page { $page } / { $pages }

# --- nfc readers ---
err-nfc-no-service = Le service des cartes à puce (PC/SC) n’est pas démarré : aucun lecteur de cartes n’est utilisable. Démarrez-le (sous Linux : sudo systemctl start pcscd) ou installez-le (paquet pcscd) ; le reste de Guichet continue de fonctionner.
err-nfc-no-reader = Le lecteur de cartes « { $reader } » n’est pas branché. Rebranchez-le ou choisissez un autre lecteur.
err-nfc-no-card = Aucune carte sur le lecteur « { $reader } ». Posez la carte à plat sur le lecteur et réessayez.
err-nfc-card-removed = La carte a quitté le lecteur pendant l’opération. Reposez-la, laissez-la immobile sur le lecteur et réessayez.
err-nfc-busy = Un autre programme utilise la carte. Fermez ce programme ou attendez qu’il ait fini, puis réessayez.
err-nfc-uid-refused = Le lecteur n’a pas donné le numéro de série de la carte (statut { $sw }). Reposez la carte sur le lecteur ; si cela persiste, cette carte ou ce lecteur n’est pas pris en charge.
err-nfc-reader = Le lecteur de cartes signale une erreur : { $message }. Débranchez le lecteur, rebranchez-le et réessayez.
nfc-event-reader-added = Lecteur de cartes branché : { $reader }
nfc-event-reader-removed = Lecteur de cartes débranché : { $reader }
nfc-event-card-present = Carte sur le lecteur { $reader }
nfc-event-card-removed = Carte retirée du lecteur { $reader }
nfc-event-service-unavailable = Lecteurs de cartes indisponibles : le service des cartes à puce (PC/SC) n’est pas démarré.
nfc-event-service-back = Lecteurs de cartes de nouveau disponibles.
nfc-readers-none = Aucun lecteur de cartes trouvé. Branchez un lecteur sans contact (PC/SC).
nfc-reader-card = { $reader } : carte présente, ATR { $atr }, UID { $uid }
nfc-reader-card-no-uid = { $reader } : carte présente, ATR { $atr } ; UID illisible : { $message }
nfc-reader-empty = { $reader } : pas de carte

# --- nfc ---
err-nfc-card-status = La carte a refusé l’opération : { $status }
err-nfc-not-desfire = Cette carte n’est pas une carte MIFARE DESFire (elle a répondu { $sw }). Utilisez une carte DESFire EV1, EV2 ou EV3.
err-nfc-malformed = La réponse de la carte est incompréhensible ({ $detail }). Retirez la carte, reposez-la et réessayez ; si cela se reproduit, la carte est peut-être défectueuse.
err-nfc-integrity = La réponse de la carte n’a pas passé le contrôle de sécurité ({ $detail }) : les clés diffèrent ou la liaison radio a été perturbée. Laissez la carte immobile sur le lecteur et réessayez.
err-nfc-authentication = La carte n’a pas prouvé qu’elle connaît la clé. Vérifiez les clés du profil d’encodage ; la carte peut aussi être une contrefaçon.
err-nfc-key-length = Une clé { $kind } fait { $expected } octets, pas { $got }. Corrigez la clé dans le profil d’encodage.
err-nfc-key-type = Une clé { $kind } ne peut pas servir pour { $operation }. Corrigez le type de clé dans le profil d’encodage.
err-nfc-too-long = Une commande pour la carte est trop longue ({ $len } octets). C’est un défaut de Guichet : merci de le signaler.
err-nfc-diversification = La donnée de diversification de clé fait { $got } octets ; de 1 à { $max } octets sont permis. Vérifiez l’UID de la carte et le réglage de diversification du profil.
err-nfc-counter = La session sécurisée avec la carte a épuisé son compteur de commandes. Retirez la carte, reposez-la et recommencez.
err-nfc-random = Le générateur de nombres aléatoires du système a échoué ({ $message }). Redémarrez l’ordinateur et réessayez.
nfc-status-ok = l’opération a réussi.
nfc-status-no-changes = rien n’a été modifié (code 0C).
nfc-status-out-of-eeprom = la mémoire de la carte est pleine (code 0E). Supprimez des applications ou utilisez une carte de plus grande capacité.
nfc-status-illegal-command = la carte ne connaît pas cette commande (code 1C). Vérifiez que c’est une carte DESFire EV1 ou plus récente.
nfc-status-integrity-error = un contrôle de sécurité a échoué sur la carte (code 1E) : les clés diffèrent ou la liaison radio a été perturbée. Réessayez.
nfc-status-no-such-key = la clé n’existe pas sur la carte (code 40). Vérifiez les numéros de clé du profil d’encodage.
nfc-status-length-error = la commande n’a pas la bonne longueur (code 7E). C’est un défaut de Guichet : merci de le signaler.
nfc-status-permission-denied = les réglages de la carte interdisent cette opération (code 9D). Vérifiez les droits d’accès et les réglages de clés du profil.
nfc-status-parameter-error = la carte a refusé un paramètre (code 9E). Vérifiez le profil d’encodage.
nfc-status-application-not-found = l’application n’est pas sur la carte (code A0). Encodez d’abord la carte ou vérifiez l’identifiant d’application.
nfc-status-authentication-error = la clé est fausse (code AE). Vérifiez les clés du profil d’encodage, ou si la carte a été encodée ailleurs.
nfc-status-additional-frame = la carte attend d’autres données (code AF). Réessayez.
nfc-status-boundary-error = les données dépassent la fin du fichier (code BE). Vérifiez les tailles de fichier du profil.
nfc-status-command-aborted = la carte a abandonné la commande (code CA). Laissez la carte immobile et réessayez.
nfc-status-picc-disabled = la carte est désactivée (code CD) et ne peut plus servir.
nfc-status-count-error = la carte contient trop d’applications (code CE). Supprimez-en une ou utilisez une autre carte.
nfc-status-duplicate = l’élément existe déjà sur la carte (code DE). Utilisez le mode mise à jour ou formatez d’abord la carte.
nfc-status-eeprom-error = la mémoire de la carte est défaillante (code EE). La carte est sans doute défectueuse : remplacez-la.
nfc-status-file-not-found = le fichier n’est pas sur la carte (code F0). Vérifiez les numéros de fichier du profil.
nfc-status-file-integrity-error = un fichier de la carte est abîmé (code F1). Réencodez ou remplacez la carte.
nfc-status-other = code d’état inconnu { $code }. Réessayez ; si cela persiste, remplacez la carte.

# --- readers (window) ---
settings-tab-readers = Lecteurs
readers-title = Lecteurs de cartes
readers-help = Les lecteurs sans contact (PC/SC) apparaissent ici dès qu’ils sont branchés, avec la carte posée dessus. Les emplacements SAM des lecteurs ne sont pas listés.
readers-waiting = Recherche des lecteurs de cartes…
readers-card-present = Carte présente (ATR { $atr })
readers-no-card = Pas de carte
readers-last = Dernier événement : { $event }
readers-status = { $readers ->
    [one] 1 lecteur
   *[other] { $readers } lecteurs
} · { $cards ->
    [0] aucune carte
    [one] 1 carte
   *[other] { $cards } cartes
}
readers-status-none = Aucun lecteur de cartes
readers-status-no-service = Lecteurs indisponibles (service PC/SC arrêté)

# --- nfc sim ---
err-cardsim-uid-length = Un UID DESFire fait 7 octets (14 chiffres hexadécimaux), pas { $got }. Donnez --uid en 14 chiffres hexadécimaux, par exemple 04A1B2C3D4E5F6.
err-cardsim-uid-hex = L’UID « { $uid } » n’est pas hexadécimal. Donnez --uid en 14 chiffres hexadécimaux, par exemple 04A1B2C3D4E5F6.
err-cardsim-address = « { $addr } » n’est pas une adresse hôte:port. Donnez --vpcd sous la forme HÔTE:PORT, par exemple 127.0.0.1:35963.
err-cardsim-connect = Impossible de joindre le lecteur virtuel à l’adresse { $addr } ({ $message }). Vérifiez que pcscd tourne avec le pilote vpcd (paquet vsmartcard-vpcd) et que le port est le bon.
err-cardsim-io = La connexion au lecteur virtuel a échoué ({ $message }). Redémarrez pcscd et la carte simulée.
err-cardsim-response-too-long = La réponse de la carte simulée est trop longue pour le lecteur virtuel ({ $len } octets). C’est un défaut de Guichet : merci de le signaler.
cardsim-inserted = Carte DESFire simulée { $uid } posée sur le lecteur virtuel { $addr }. Fermez l’entrée standard ou arrêtez le processus pour la retirer.
cardsim-stopped = La carte simulée a été retirée après { $apdus } commandes.
cardsim-closed = Le lecteur virtuel a fermé la connexion après { $apdus } commandes (pcscd arrêté ou carte réinitialisée).
cardsim-pulled = La carte simulée a été arrachée du lecteur après { $apdus } commandes, comme demandé.

# --- nfc profile ---
profile-picc-key = Clé maître de la carte : { $key } ({ $kind }).
profile-factory-key = la clé d’usine (tout à zéro)
profile-diversified = { $key }, diversifiée à partir du numéro de série de la carte
profile-picc-format = La carte est formatée avant l’écriture.
profile-picc-change-last = La carte arrive avec sa clé d’usine ; la clé maître de la carte est posée en dernier.
profile-picc-random-uid = L’UID aléatoire est activé (irréversible sur une vraie carte).
profile-application = Application { $aid } « { $name } » : { $count } clés { $kind }, paramètres de clés { $settings }.
profile-key = Clé { $number } : { $key }, version { $version }.
profile-file = Fichier { $number } : { $size } octets, { $comm }, droits { $access } (lecture, écriture, lecture-écriture, modification), contenu : { $content }.
profile-comm-plain = en clair
profile-comm-maced = avec MAC
profile-comm-enciphered = chiffré
profile-content-access-id = numéro de contrôle d’accès à partir de { $base }, sur { $width } chiffres
profile-content-escn = numéro de carte étudiante européenne (ESCN)
profile-content-csn-at = numéro de série de la carte @ { $domain }
profile-content-crous = numéro de carte CROUS
profile-content-hex = octets fixes { $hex }
profile-content-empty = rien
profile-fact-csn = numéro de série de la carte (CSN)
profile-fact-escn = numéro de carte étudiante européenne (ESCN)
profile-fact-crous = numéro de carte CROUS
profile-fact-access-id = numéro de contrôle d’accès
err-profile-io = Impossible de lire le profil d’encodage { $path } : { $message }. Vérifiez le chemin et les droits du fichier.
err-profile-syntax = Le profil d’encodage n’est pas un TOML valide (ligne { $line }) : { $message }. Corrigez le fichier puis rechargez-le.
err-profile-syntax-no-line = Le profil d’encodage n’est pas un TOML valide : { $message }. Corrigez le fichier puis rechargez-le.
err-profile-bad-value = Profil d’encodage, { $field } : « { $value } » n’est pas valide (attendu : { $expected }). Corrigez ce champ.
err-profile-no-application = Le profil d’encodage ne contient aucune application. Ajoutez au moins une section [[application]].
err-profile-reserved-aid = Profil d’encodage, { $field } : l’AID 000000 désigne la carte elle-même, pas une application. Choisissez un autre AID.
err-profile-duplicate-aid = Profil d’encodage : l’application { $aid } est déclarée deux fois. Supprimez-en une ou changez son AID.
err-profile-duplicate-file = Profil d’encodage, { $field } : le fichier { $number } est déclaré deux fois dans cette application. Renumérotez l’un d’eux.
err-profile-key-count = Profil d’encodage, { $field } : { $count } clés ; une application a de 1 à 14 clés. Corrigez la liste des clés.
err-profile-key-out-of-range = Profil d’encodage, { $field } : la clé { $key } n’existe pas, l’application a { $count } clés (numérotées à partir de 0). Utilisez une clé existante ou ajoutez des clés.
err-profile-file-number = Profil d’encodage, { $field } : numéro de fichier { $number } ; les numéros vont de 0 à 31. Choisissez un autre numéro.
err-profile-file-size = Profil d’encodage, { $field } : taille de { $size } octets ; un fichier contient de 1 à 16777215 octets. Corrigez la taille.
err-profile-content-too-large = Profil d’encodage, { $field } : le contenu demande { $needed } octets mais le fichier n’en contient que { $size }. Agrandissez le fichier ou raccourcissez le contenu.
err-profile-iso-without-fid = Profil d’encodage, { $field } : un identifiant ou un nom ISO exige une application avec un identifiant ISO (iso_fid). Ajoutez-le à l’application ou retirez celui-ci.
err-profile-empty-key-name = Profil d’encodage, { $field } : la clé n’a pas de nom. Indiquez le nom d’une clé du trousseau.
err-profile-change-last-without-key = Profil d’encodage : change_key_last exige une clé maître (master_key). Nommez la clé ou mettez change_key_last = false.
err-profile-width = Profil d’encodage, { $field } : largeur { $width } ; utilisez un nombre pair de chiffres, de 2 à 64.
err-profile-missing-fact = Impossible de remplir la carte : le { $fact } de cette carte est inconnu. Complétez d’abord la fiche de la carte.
err-profile-bad-escn = Impossible de remplir la carte : « { $value } » n’est pas un ESCN valide. Générez un nouvel ESCN pour cette carte.
err-profile-number-too-long = Impossible de remplir la carte : le numéro { $number } ne tient pas sur { $digits } chiffres. Agrandissez le fichier ou la largeur dans le profil.

# --- nfc encode ---
note-encode-log = encodage : { $steps }
encode-already = déjà fait
encode-step-csn = Lecture du numéro de série (CSN)
encode-step-picc = Clé maître de la carte
encode-step-uid = Lecture de l’UID réel (carte à UID aléatoire)
encode-step-list = Liste des applications
encode-step-format = Formatage de la carte (applications étrangères)
encode-step-check = Vérification des clés de l’application { $aid }
encode-step-app = Création de l’application { $aid }
encode-step-keys = Clés de l’application { $aid }
encode-step-file = Création du fichier { $file } de { $aid }
encode-step-settings = Droits du fichier { $file } de { $aid }
encode-step-write = Écriture du fichier { $file } de { $aid }
encode-step-verify = Relecture du fichier { $file } de { $aid }
encode-step-random-uid = Activation de l’UID aléatoire
encode-step-picc-key = Changement de la clé maître de la carte
err-encode-pulled = La carte a été retirée du lecteur pendant l’étape « { $step } ». Reposez la même carte : l’encodage reprendra là où il s’est arrêté.
err-encode-not-desfire = Cette carte n’est pas une MIFARE DESFire. Présentez une carte vierge ou une carte de l’établissement.
err-encode-foreign-card = La clé maître de cette carte n’est ni la clé d’usine ni la nôtre : carte d’un autre établissement, ou clés non importées. Vérifiez la carte, ou importez les clés dans Réglages → Encodage.
err-encode-foreign-app = L’application { $aid } existe déjà sur la carte avec des clés que nous ne connaissons pas : carte d’un autre établissement. Rien n’a été écrit ; utilisez une autre carte.
err-encode-unknown-key = La clé { $key } de l’application { $aid } a une valeur inconnue. Rien d’autre n’a été modifié ; vérifiez les clés importées.
err-encode-file-mismatch = Le fichier { $file } de l’application { $aid } existe avec une autre taille ou un autre type que ceux du profil. Formatez la carte ou adaptez le profil.
err-encode-no-access = Le profil ne donne aucune clé permettant d’accéder au fichier { $file } de { $aid }. Corrigez les droits d’accès du profil.
err-encode-full = La carte est pleine : il n’y a plus de place pour les applications du profil. Utilisez une carte neuve.
err-encode-verify = La relecture du fichier { $file } de { $aid } ne donne pas ce qui a été écrit. Représentez la carte ; si l’erreur persiste, la puce est défectueuse.
err-encode-other-chip = Cette carte est liée à la puce { $expected }, mais la puce présentée est { $found }. Présentez la bonne carte, ou scannez le QR code de celle-ci.
err-encode-random-uid-key = Carte à UID aléatoire : sa clé maître est diversifiée et son UID est inconnu. Encodez-la une première fois avec la clé d’usine.
err-encode-card = Étape « { $step } » : { $error }
err-keys-syntax = Fichier de clés, ligne { $line } : attendu « nom = clé en hexadécimal ». Corrigez la ligne.
err-keys-name = Fichier de clés, ligne { $line } : « { $name } » n’est pas un nom de clé valide (lettres, chiffres, - _ . ; 64 caractères au plus).
err-keys-hex = Fichier de clés, ligne { $line } : la valeur de { $name } n’est pas en hexadécimal. Vérifiez la clé.
err-keys-length = Fichier de clés, ligne { $line } : { $name } fait { $len } octets ; une clé DESFire fait 8, 16 ou 24 octets.
err-keys-duplicate = Fichier de clés, ligne { $line } : { $name } apparaît deux fois. Gardez une seule ligne.
err-keys-empty = Le fichier ne contient aucune clé.
err-keys-missing = La clé « { $name } » du profil n’est pas dans le trousseau. Importez-la dans Réglages → Encodage.
err-keys-wrong-type = La clé « { $name } » fait { $got } octets ; le profil en fait une clé { $kind } de { $expected } octets. Importez la bonne clé.
err-keys-diversify = La clé « { $name } » ne peut pas être diversifiée : { $message }

# --- encode (command line) ---
cli-encode-no-card = Aucun lecteur ne porte de carte. Posez la carte sur un lecteur, ou nommez le lecteur avec --reader.
cli-encode-which-reader = Plusieurs lecteurs portent une carte ({ $readers }) : choisissez-en un avec --reader.
cli-encode-which-card = Indiquez la carte : --card NUMÉRO ou --qr CONTENU_DU_QR_CODE.
cli-encode-no-card-for-qr = Aucune carte ne porte le QR code « { $qr } ». Vérifiez le scan, ou indiquez le numéro avec --card.
cli-encode-done = Carte n° { $card } encodée : CSN { $csn }, état { $state } ({ $apdus } APDU).
cli-keys-kcv = KCV { $kcv }
cli-keys-missing = absente du trousseau
cli-keys-imported = { $count } clé(s) importée(s) dans le trousseau.
cli-info-reader = Lecteur : { $reader }
cli-info-uid = UID : { $uid }
cli-info-version = DESFire version { $major }.{ $minor }, { $storage } octets
cli-info-no-apps = Applications : aucune
cli-info-apps = Applications : { $apps }
cli-info-apps-locked = Applications : liste protégée ({ $error })
cli-info-free = Mémoire libre : { $bytes } octets
err-nfc-not-authenticated = Cette commande exige une authentification préalable sur la carte ; rien n’a été envoyé. Recommencez l’opération depuis le début.
# --- encode (window) ---
settings-tab-encoding = Encodage
encode-dialog-profile = Choisir un profil d’encodage (TOML)
encode-dialog-keys = Choisir un fichier de clés DESFire
encode-virtual-reader = Lecteur virtuel (formation)
encode-put-blank = Poser une carte vierge
encode-random-uid = UID aléatoire
encode-remove-card = Retirer la carte
encode-reader-card = carte présente
encode-reader = Lecteur
encode-choose-reader = Choisir un lecteur
encode-no-reader = Aucun lecteur avec une carte. Posez la carte sur un lecteur, ou activez le lecteur virtuel dans Réglages → Encodage.
encode-start = Encoder
encode-retry = Réessayer
encode-close = Fermer
encode-title = Encoder la carte { $card } — { $holder }
encode-running = Encodage en cours… gardez la carte immobile sur le lecteur.
encode-success = Carte encodée. État : { $state }.
encode-updated = Carte mise à jour (elle était déjà encodée). État : { $state }.
encode-done = Carte { $card } encodée.
encode-action = Encoder…
encode-update-action = Mettre à jour la puce…
encode-batch = Encoder le lot
encode-batch-title = Encoder le lot : { $done } carte(s) encodée(s) sur { $total }
encode-batch-close = Retour à la liste
encode-scan-placeholder = Scannez le QR code de la carte (ou saisissez-le, puis Entrée)
encode-next-card = Carte suivante du lot
encode-scan-unknown = Aucune carte ne correspond à « { $text } ». Scannez à nouveau le QR code imprimé sur la carte, ou prenez la carte suivante.
encode-result-ok = { $state }, CSN { $csn }
encode-settings-title = Encodage
encode-settings-loading = Lecture du profil et du trousseau…
encode-profile = Profil d’encodage
encode-profile-file = Fichier de profil : { $path }
encode-profile-built-in = Profil intégré (disposition ESUP par défaut)
encode-choose-profile = Choisir un fichier de profil…
encode-use-built-in = Utiliser le profil intégré
encode-profile-chosen = Profil « { $name } » vérifié et enregistré ({ $path }).
encode-profile-built-in-chosen = Le profil intégré est de nouveau utilisé.
encode-keys = Clés
encode-keys-help = Les clés ne sont conservées que dans le trousseau du système. Elles sont affichées par type, version et valeur de contrôle (KCV), jamais par leur valeur.
encode-key-line = { $place } · { $name } · { $kind } version { $version } · { $state }
encode-key-kcv = KCV { $kcv }
encode-key-missing = absente
encode-key-wrong-length = longueur incorrecte ({ $got } octets)
encode-key-diversified = diversifiée
encode-import-keys = Importer un fichier de clés…
encode-type-key = Saisir une clé :
encode-key-name = Nom de la clé
encode-key-value = Valeur hexadécimale
encode-save-key = Enregistrer la clé
encode-key-choose-name = Choisissez d’abord le nom de la clé.
encode-key-empty = Saisissez d’abord la valeur hexadécimale de la clé.
encode-keys-saved = { $count ->
    [one] 1 clé enregistrée dans le trousseau : { $names }.
   *[other] { $count } clés enregistrées dans le trousseau : { $names }.
}
encode-keys-unreadable = Impossible de lire le fichier de clés { $path } : { $message }. Vérifiez le chemin et les droits du fichier.
encode-options = Options
encode-auto-enable = Activer la carte dès l’encodage (ENCODÉE → ACTIVÉE)
encode-virtual-reader-option = Proposer le lecteur virtuel avec une carte logicielle (formation)

# --- integrations (pure) ---
err-tariff-json = La réponse du CROUS contenant les règles tarifaires est illisible ({ $message }). Les règles précédentes sont conservées ; réessayez plus tard et, si cela persiste, vérifiez l’adresse de l’API CROUS dans les paramètres.
err-tariff-api-rule = La règle tarifaire { $index } envoyée par le CROUS est inutilisable : champ { $field } : { $problem }. Les règles précédentes sont conservées ; signalez-le au CROUS si cela persiste.
err-tariff-xml = Le fichier tarifaire ESIST n’est pas un XML lisible ({ $message }). Vérifiez que vous avez choisi le bon fichier et qu’il est complet.
err-tariff-root = Ce fichier n’est pas un fichier tarifaire ESIST : son élément racine est « { $root } » au lieu de « esist ». Choisissez un fichier ESIST*.xml.
err-tariff-no-rules = Le fichier ESIST ne contient pas de section tarifaire (EmployeurStatutIndiceSocieteTarif). Choisissez un fichier ESIST complet.
err-tariff-row = Fichier ESIST, section { $section }, ligne { $row }, champ { $field } : { $problem }. Corrigez le fichier et importez-le de nouveau ; aucune règle n’a été modifiée.
tariff-problem-missing = la valeur est absente
tariff-problem-not-number = « { $value } » n’est pas un nombre entier
tariff-problem-not-text = { $value } n’est pas un texte
tariff-problem-not-object = la règle n’est pas un objet JSON
tariff-problem-unknown-employer = le code employeur « { $code } » ne figure pas dans la section RneEmployeur
err-patch-ids-header = Le fichier d’identifiants doit commencer par la ligne d’en-tête oldId;eppnNewId;mail (séparée par des points-virgules ou des virgules). Ajoutez cette ligne et chargez de nouveau le fichier.
err-patch-ids-lines = { $count ->
    [one] 1 ligne du fichier d’identifiants est incorrecte ; rien n’a été importé. Corrigez-la et chargez de nouveau le fichier :
   *[other] { $count } lignes du fichier d’identifiants sont incorrectes ; rien n’a été importé. Corrigez-les et chargez de nouveau le fichier :
}
patch-ids-line = ligne { $line } : { $problem }
patch-ids-line-field = ligne { $line }, colonne { $field } : { $problem }
patch-ids-problem-columns = { $found } colonnes au lieu de 3 (oldId;eppnNewId;mail)
patch-ids-problem-empty = la valeur est vide
patch-ids-problem-email = ce n’est pas une adresse électronique
patch-ids-problem-same = le nouvel identifiant est identique à l’ancien
patch-ids-problem-dup-old = cet ancien identifiant figure déjà ligne { $first }
patch-ids-problem-dup-new = ce nouvel identifiant figure déjà ligne { $first }
err-template-no-colon = Modèles d’écriture LDAP, ligne { $line } : « attribut: modèle » attendu. Corrigez la ligne.
err-template-attribute = Modèles d’écriture LDAP, ligne { $line } : « { $attribute } » n’est pas un nom d’attribut LDAP (lettres, chiffres et tirets, commençant par une lettre). Corrigez la ligne.
err-template-empty = Modèles d’écriture LDAP, ligne { $line } : le modèle de { $attribute } est vide. Indiquez une valeur comme {"{"}ISO15693{"}"}%csn%, ou supprimez la ligne.

# --- integrations (run time) ---
remote-error = { $operation } : { $code } { $message } — { $next }
remote-next-offline = le service est injoignable ; la file garde le travail et réessaie quand il revient.
remote-next-retry = la file réessaiera d'elle-même plus tard.
remote-next-human = un gestionnaire doit intervenir (écran File d'attente) : corrigez les données ou les réglages, puis « Réessayer ».
remote-next-recorded = le service a refusé sans bloquer ; le refus est enregistré, rien n'est renvoyé tant que la personne ne change pas.
tariff-line-rule = CROUS : société { $company }, tarif { $rate } (règle { $status }, source { $source }, priorité { $priority })
tariff-line-default = CROUS : société { $company }, tarif { $rate } (valeurs par défaut : aucune règle ne s'applique)
cli-queue-bad-status = État « { $value } » inconnu. États : { $statuses }.
cli-queue-bad-date = « { $value } » n'est pas une date : écrivez AAAA-MM-JJ.
cli-queue-retried = { $count } ligne(s) seront réessayées maintenant.
cli-queue-purged = { $count } ligne(s) terminée(s) supprimée(s).
cli-queue-exported = { $count } ligne(s) écrite(s) dans { $path }.
cli-queue-export-failed = Impossible d'écrire { $path } : { $message }
cli-queue-queued = { $count } personne(s) mise(s) en file pour une vérification auprès des services.
cli-queue-no-service = Aucun service n'est activé : réglez crous.enabled, escr.enabled ou writeback.enabled (guichet config set …) et enregistrez les identifiants (guichet secret set …).
cli-queue-status-line = { $service } : en attente { $pending }, en cours { $in_progress }, faits { $done }, à réessayer { $retrying }, à traiter { $human }, refusés { $gave_up }
cli-queue-drained = { $runs } passage(s) : { $done } fait(s), { $retrying } à réessayer, { $human } à traiter par un gestionnaire, { $gave_up } refusé(s).
cli-queue-offline = { $service } est injoignable : son travail attend dans la file.
cli-crous-no-person = Aucune personne « { $key } » (donnez le numéro ou l'eppn).
cli-crous-bad-source = Source de règles tarifaires « { $value } » : écrivez NUMERO_CROUS/RNE ou NUMERO_CROUS/RNE/PRIORITÉ dans crous.rule_sources.
cli-crous-no-sources = Aucune source de règles tarifaires : guichet config set crous.rule_sources NUMERO_CROUS/RNE
cli-crous-rules-refreshed = CROUS { $crous } / { $rne } : { $count } règle(s) (une réponse vide conserve les règles précédentes).
cli-crous-rules-some-failed = Certaines sources n'ont pas pu être mises à jour ; leurs règles précédentes sont conservées.
cli-crous-rules-imported = { $count } règle(s) tarifaire(s) importée(s).
cli-crous-no-remote = Le CROUS n'a aucun ayant droit sous les identifiants de cette personne.
cli-crous-bad-option = « { $value } » : écrivez on ou off.
cli-crous-option-set = Option CROUS { $state }.
cli-crous-reopened = Le compte CROUS est réouvert ; la personne est remise en file pour être renvoyée.
cli-crous-read-failed = Impossible de lire { $path } : { $message }
cli-crous-patch-what = Donnez un fichier CSV (oldId;eppnNewId;mail), --generate-ine, ou --retry LOT.
cli-crous-batch = Lot { $batch } : { $count } ligne(s), { $failed } en échec.
cli-crous-batch-failed = { $count } ligne(s) en échec ; relancez-les avec : guichet crous patch-ids --retry "{ $batch }" --run
