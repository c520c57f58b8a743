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
