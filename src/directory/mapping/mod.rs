//! Directory presets as data: which attribute feeds which field of the mirror, and how its values are
//! parsed. Two presets: SupAnn (universities) and SDET (schools, "annuaire ENT"), adjustable per
//! installation with `[directory.mapping]` overrides in the settings file.
//! Facts: `reference/formats.md` §1 (SDET), §4 (SupAnn, eduPerson, SCHAC), §9 (Grouper), §10.

use std::collections::BTreeMap;

use super::entry::{Entry, into_dn_key};
use crate::domain::group::{GroupKind, GroupRecord, short_name};
use crate::domain::person::{IdKind, PersonRecord};
use crate::domain::structure::{StructureKind, StructureRecord};

mod sdet;
mod supann;
#[cfg(test)]
mod tests;
pub mod values;

use values::{Reader, Value};

/// Which preset an installation starts from.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum PresetName {
    #[default]
    Supann,
    Sdet,
}

impl PresetName {
    pub fn as_str(self) -> &'static str {
        match self {
            PresetName::Supann => "supann",
            PresetName::Sdet => "sdet",
        }
    }

    pub fn parse(s: &str) -> Option<PresetName> {
        match s.trim().to_ascii_lowercase().as_str() {
            "supann" => Some(PresetName::Supann),
            "sdet" => Some(PresetName::Sdet),
            _ => None,
        }
    }
}

/// Where a structure reference points: a DN (SDET `ENTPersonStructRattach`, the first part of
/// `ENTEleveClasses`) resolved by the sync against the structures it loaded, or a code (`supannCodeEntite`,
/// a UAI) that is a `StructureRecord::code` already.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum StructureRef {
    Dn(String),
    Code(String),
}

/// A class (or teaching group) a person belongs to, from `ENTEleveClasses` / `ENTAuxEnsClasses`
/// (`<structure>$<class>`, split on the last `$`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ClassRef {
    pub structure: StructureRef,
    pub class: String,
    /// `true` for a teacher's class (`ENTAuxEnsClasses`), `false` for a pupil's.
    pub teacher: bool,
}

/// A person entry, mapped.
#[derive(Debug, Clone, Default, PartialEq, Hash)]
pub struct MappedPerson {
    /// `dn` and `entry_uuid` are set from the entry; `source` is `ldap`; `structure_code` is set when the
    /// attribute holds a code, left `None` when it holds a DN (see `structure`).
    pub record: PersonRecord,
    /// The person's structure (affectation principale / rattachement).
    pub structure: Option<StructureRef>,
    /// `isMemberOf` values: full Grouper names (case-exact).
    pub member_of: Vec<String>,
    pub classes: Vec<ClassRef>,
    /// DNs of pupils this person is responsible for (`ENTAuxPersRelEleveEleve`).
    pub pupils: Vec<String>,
    /// `jpegPhoto`, when mapped and present.
    pub photo: Option<Vec<u8>>,
}

/// A structure entry, mapped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappedStructure {
    pub record: StructureRecord,
    pub dn: String,
    /// The parent as the entry names it: by DN (SDET `ENTEtablissementStructRattachAdmin`), which the
    /// sync resolves, or by code (`supannCodeEntiteParent`), which `record.parent_code` holds too.
    pub parent: Option<StructureRef>,
}

/// A group entry (`groupOfNames`, `groupOfUniqueNames`), mapped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappedGroup {
    pub record: GroupRecord,
    pub dn: String,
    /// `member` / `uniqueMember` DNs as comparison keys (`dn_key`), sorted and unique: persons or
    /// nested groups (the sync tells which).
    pub member_keys: Vec<String>,
}

/// Why an entry could not be mapped; the sync skips it and reports the reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MapError {
    #[error("{dn}: attribute {attr} is missing")]
    Missing { dn: String, attr: String },
    #[error("{dn}: {attr} = {value:?} is not {expected}")]
    BadValue {
        dn: String,
        attr: String,
        value: String,
        expected: &'static str,
    },
    #[error("unknown mapping field {0} in [directory.mapping]")]
    UnknownField(String),
}

/// Default search filters of a preset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filters {
    pub people: String,
    pub groups: String,
    pub structures: String,
}

/// The default group filter, the same for both presets (`formats.md` §9.2).
const GROUPS_FILTER: &str = "(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames))";

/// Expected shapes reported in `MapError::BadValue`.
const DATE: &str = "a date (dd/mm/yyyy, YYYYMMDD, YYYY-MM-DD or GeneralizedTime)";

/// How the values of one attribute become a field value. Each field has a natural parser; a preset row
/// may choose another one of the same shape (`Code` rather than `StructureRef`, `Text` rather than `Uai`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Parse {
    /// The first non-blank value, trimmed.
    Text,
    /// Every non-blank value, trimmed, case kept (`formats.md` §10 "Case sensitivity").
    Values,
    /// Every non-blank value, each `APP$id` (`ESCOPersonExternalIds`, §1.7).
    DollarPairs,
    /// The first non-blank value, through [`values::parse_date`].
    Date,
    /// The latest of all values, each through [`values::parse_date`] (multi-valued end dates).
    LatestDate,
    /// `supannEtablissement` (§4.3): the first `{UAI}code` value; an unlabelled value is taken as is.
    Uai,
    /// eduPerson affiliations by preference ([`values::affiliation`]).
    Affiliation,
    /// `ENTPersonProfils` by preference ([`values::profile`]).
    Profile,
    /// The first value, a structure code.
    Code,
    /// The first value, a DN or a code by its shape ([`values::structure_ref`]).
    StructureRef,
    /// Every `<structure>$<class>` value, split on the last `$` (§1.7).
    Classes,
    /// Every `uniqueMember` value without its optional `#'…'B` uid ([`values::uniquemember_dn`]).
    UniqueMembers,
    /// The first binary value.
    Binary,
}

/// What a field gives when none of its attributes has a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Absent {
    /// Nothing: the field stays empty.
    Skip,
    /// The entry cannot be mapped (`MapError::Missing`); such a field cannot be disabled.
    Missing,
    /// This value.
    Default(&'static str),
}

/// One line of a preset table: a field, the attributes read in order (the first one with a value wins;
/// empty = unmapped), the parser, and what to do when nothing is found.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Row<F> {
    field: F,
    attrs: Vec<String>,
    parse: Parse,
    absent: Absent,
}

fn row<F: Field>(field: F, attrs: &[&str]) -> Row<F> {
    Row {
        field,
        attrs: attrs.iter().map(|a| (*a).to_owned()).collect(),
        parse: field.parse(),
        absent: Absent::Skip,
    }
}

impl<F> Row<F> {
    fn parse(mut self, parse: Parse) -> Row<F> {
        self.parse = parse;
        self
    }

    fn required(mut self) -> Row<F> {
        self.absent = Absent::Missing;
        self
    }

    fn or_default(mut self, value: &'static str) -> Row<F> {
        self.absent = Absent::Default(value);
        self
    }
}

/// The fields of one kind of entry, as named in `[directory.mapping]` keys (`<PREFIX>.<name>`).
trait Field: Copy + Eq + 'static {
    const PREFIX: &'static str;
    const ALL: &'static [Self];
    fn name(self) -> &'static str;
    /// The natural parser of the field.
    fn parse(self) -> Parse;
}

macro_rules! fields {
    ($(#[$meta:meta])* $ty:ident, $prefix:literal { $($var:ident = $name:literal : $parse:ident,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        enum $ty {
            $($var,)*
        }

        impl Field for $ty {
            const PREFIX: &'static str = $prefix;
            const ALL: &'static [Self] = &[$($ty::$var,)*];

            fn name(self) -> &'static str {
                match self {
                    $($ty::$var => $name,)*
                }
            }

            fn parse(self) -> Parse {
                match self {
                    $($ty::$var => Parse::$parse,)*
                }
            }
        }
    };
}

fields! {
    /// Person fields. Both presets may map any of them; a preset table lists those it uses.
    PersonField, "person" {
        Uid = "uid": Text,
        Login = "login": Text,
        Eppn = "eppn": Text,
        Jointure = "jointure": Values,
        Surname = "surname": Text,
        GivenName = "given_name": Text,
        BirthName = "birth_name": Text,
        Civility = "civility": Text,
        Email = "email": Text,
        Affiliation = "affiliation": Affiliation,
        Profiles = "profiles": Profile,
        EtuId = "etu_id": Text,
        EmpId = "emp_id": Text,
        Ine = "ine": Text,
        Structure = "structure": StructureRef,
        Establishment = "establishment": Uai,
        BirthDate = "birth_date": Date,
        DueDate = "due_date": LatestDate,
        RefId = "ref_id": Values,
        AppIds = "app_ids": DollarPairs,
        Aliases = "aliases": Values,
        Classes = "classes": Classes,
        TeacherClasses = "teacher_classes": Classes,
        Pupils = "pupils": Values,
        MemberOf = "member_of": Values,
        Photo = "photo": Binary,
    }
}

fields! {
    /// Structure fields. `org_name` names an establishment known only by its UAI (SupAnn `supannOrg`).
    StructureField, "structure" {
        Code = "code": Text,
        Uai = "uai": Uai,
        Name = "name": Text,
        OrgName = "org_name": Text,
        Parent = "parent": StructureRef,
    }
}

fields! {
    /// Group fields.
    GroupField, "group" {
        Name = "name": Text,
        DisplayName = "display_name": Text,
        Members = "members": Values,
        UniqueMembers = "unique_members": UniqueMembers,
    }
}

/// The group table, the same for both presets (`formats.md` §9.2: `cn` = full Grouper name).
fn group_rows() -> Vec<Row<GroupField>> {
    vec![
        row(GroupField::Name, &["cn"]).required(),
        row(GroupField::DisplayName, &["description"]),
        row(GroupField::Members, &["member"]),
        row(GroupField::UniqueMembers, &["uniqueMember"]),
    ]
}

/// How a structure's kind is decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KindRule {
    /// SupAnn: an entry with a code is a component, one known only by its UAI the establishment.
    ByCode,
    /// SDET: entries of this object class are schools, other structures services.
    ByClass(&'static str),
}

/// A preset, possibly adjusted by the installation: for each kind of entry, which attributes feed
/// which field and how their values are parsed; plus the search filters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    name: PresetName,
    person: Vec<Row<PersonField>>,
    structure: Vec<Row<StructureField>>,
    group: Vec<Row<GroupField>>,
    filters: Filters,
    kinds: KindRule,
}

impl Mapping {
    pub fn preset(name: PresetName) -> Mapping {
        match name {
            PresetName::Supann => supann::preset(),
            PresetName::Sdet => sdet::preset(),
        }
    }

    pub fn name(&self) -> PresetName {
        self.name
    }

    /// Installation overrides from the settings file table `[directory.mapping]`: keys
    /// `person.<field>`, `structure.<field>`, `group.<field>` (case-insensitive; the names are those
    /// [`Mapping::describe`] shows), value = the attribute to read, or several separated by commas
    /// (read in order, the first with a value wins); `""` disables the field. The value replaces the
    /// field's whole attribute list; the value parser stays the preset's. A field the preset does not
    /// list may be added (e.g. `person.login` = `supannAliasLogin` on SupAnn). Unknown field, or
    /// disabling a required field (`person.surname`, `person.given_name`, SDET `person.profiles`,
    /// `group.name`) → `MapError::UnknownField`.
    pub fn with_overrides(
        mut self,
        overrides: &BTreeMap<String, String>,
    ) -> Result<Mapping, MapError> {
        for (key, value) in overrides {
            let attrs: Vec<String> = value
                .split(',')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_owned)
                .collect();
            match key.trim().to_ascii_lowercase().split_once('.') {
                Some(("person", f)) => override_row(&mut self.person, f, attrs, key)?,
                Some(("structure", f)) => override_row(&mut self.structure, f, attrs, key)?,
                Some(("group", f)) => override_row(&mut self.group, f, attrs, key)?,
                _ => return Err(MapError::UnknownField(key.clone())),
            }
        }
        Ok(self)
    }

    /// Attributes to request for persons: `entryUUID`, `objectClass`, then every mapped attribute.
    pub fn person_attrs(&self) -> Vec<String> {
        request(&self.person)
    }

    pub fn structure_attrs(&self) -> Vec<String> {
        request(&self.structure)
    }

    pub fn group_attrs(&self) -> Vec<String> {
        request(&self.group)
    }

    pub fn filters(&self) -> Filters {
        self.filters.clone()
    }

    /// `(key, attributes)` pairs in table order, e.g. `("person.affiliation",
    /// "eduPersonPrimaryAffiliation, eduPersonAffiliation")`; an unmapped field has `""`. The keys and
    /// values are those `[directory.mapping]` accepts.
    pub fn describe(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        describe_rows(&self.person, &mut out);
        describe_rows(&self.structure, &mut out);
        describe_rows(&self.group, &mut out);
        out
    }

    /// Maps a person entry. Structure: the `structure` field, else `establishment` (SupAnn
    /// `supannEtablissement` UAI); `record.structure_code` is set when it is a code.
    pub fn map_person(&self, e: &Entry) -> Result<MappedPerson, MapError> {
        use PersonField as P;
        let r = Reader {
            rows: &self.person,
            e,
        };
        let surname = r.required(P::Surname)?;
        let given_name = r.required(P::GivenName)?;
        let affiliation = r.get(&[P::Affiliation, P::Profiles])?;
        let mut identifiers = Vec::new();
        for (field, kind) in [
            (P::Jointure, IdKind::Jointure),
            (P::RefId, IdKind::RefId),
            (P::AppIds, IdKind::AppId),
            (P::Aliases, IdKind::Alias),
        ] {
            identifiers.extend(r.list(field)?.into_iter().map(|v| (kind, v)));
        }
        let structure = r.structure(&[P::Structure, P::Establishment])?;
        let mut classes = Vec::new();
        for (field, teacher) in [(P::Classes, false), (P::TeacherClasses, true)] {
            let found = r.get(&[field])?.and_then(Value::into_classes);
            classes.extend(
                found
                    .into_iter()
                    .flatten()
                    .map(|(structure, class)| ClassRef {
                        structure,
                        class,
                        teacher,
                    }),
            );
        }
        let record = PersonRecord {
            dn: Some(e.dn.to_string()),
            entry_uuid: entry_uuid(e),
            uid: r.text(P::Uid)?,
            eppn: r.text(P::Eppn)?,
            supann_etu_id: r.text(P::EtuId)?,
            supann_emp_id: r.text(P::EmpId)?,
            ine: r.text(P::Ine)?,
            ent_login: r.text(P::Login)?,
            surname,
            given_name,
            birth_name: r.text(P::BirthName)?,
            civility: r.text(P::Civility)?,
            birth_date: r.date(P::BirthDate)?,
            email: r.text(P::Email)?,
            affiliation: affiliation.and_then(Value::into_text).unwrap_or_default(),
            structure_code: match &structure {
                Some(StructureRef::Code(code)) => Some(code.clone()),
                _ => None,
            },
            due_date: r.date(P::DueDate)?,
            editable: true,
            identifiers,
            source: "ldap".to_owned(),
        };
        Ok(MappedPerson {
            record,
            structure,
            member_of: r.list(P::MemberOf)?,
            classes,
            pupils: r.list(P::Pupils)?,
            photo: r.get(&[P::Photo])?.and_then(Value::into_bin),
        })
    }

    /// Maps a structure entry: `code` (else the UAI, for an establishment known only by it), `uai`,
    /// kind by the preset's rule, `name` (an establishment known by its UAI tries `org_name` first;
    /// last resort the code), `parent`.
    pub fn map_structure(&self, e: &Entry) -> Result<MappedStructure, MapError> {
        use StructureField as S;
        let r = Reader {
            rows: &self.structure,
            e,
        };
        let uai = r.text(S::Uai)?;
        let (code, by_uai) = match (r.text(S::Code)?, &uai) {
            (Some(code), _) => (code, false),
            (None, Some(uai)) => (uai.clone(), true),
            (None, None) => return Err(missing(e, &r.attrs(&[S::Code, S::Uai]))),
        };
        let kind = match self.kinds {
            KindRule::ByCode if by_uai => StructureKind::University,
            KindRule::ByCode => StructureKind::Component,
            KindRule::ByClass(class) if e.has_class(class) => StructureKind::School,
            KindRule::ByClass(_) => StructureKind::Service,
        };
        let org_name = if by_uai { r.text(S::OrgName)? } else { None };
        let name = match org_name {
            Some(name) => name,
            None => r.text(S::Name)?.unwrap_or_else(|| code.clone()),
        };
        let parent = r.structure(&[S::Parent])?;
        let parent_code = match &parent {
            Some(StructureRef::Code(code)) => Some(code.clone()),
            _ => None,
        };
        Ok(MappedStructure {
            record: StructureRecord {
                code,
                uai,
                kind,
                name,
                parent_code,
            },
            dn: e.dn.to_string(),
            parent,
        })
    }

    /// Maps a group entry: `name` = the full Grouper name (case-exact), display name = `description`
    /// or the last stem, kind by [`group_kind`], members from `member` and `uniqueMember` (blank
    /// values dropped, duplicates by [`dn_key`](crate::directory::dn_key) dropped).
    pub fn map_group(&self, e: &Entry) -> Result<MappedGroup, MapError> {
        use GroupField as G;
        let r = Reader {
            rows: &self.group,
            e,
        };
        let name = r.required(G::Name)?;
        let display_name = r
            .text(G::DisplayName)?
            .unwrap_or_else(|| short_name(&name).to_owned());
        let mut member_keys: Vec<String> = r
            .list(G::Members)?
            .into_iter()
            .chain(r.list(G::UniqueMembers)?)
            .map(into_dn_key)
            .collect();
        member_keys.sort_unstable();
        member_keys.dedup();
        Ok(MappedGroup {
            record: GroupRecord {
                kind: group_kind(&name),
                name,
                display_name,
                source: "ldap".to_owned(),
            },
            dn: e.dn.to_string(),
            member_keys,
        })
    }
}

/// The kind of a group by its Grouper name (`formats.md` §9.1, RECIA layout): last stem `Eleves_<class>`
/// → class; `Eleves`, `Profs` or `Tous_…` → profile; anything else → group. Case-exact.
pub fn group_kind(name: &str) -> GroupKind {
    let last = short_name(name);
    if last.starts_with("Eleves_") {
        GroupKind::Class
    } else if last == "Eleves" || last == "Profs" || last.starts_with("Tous_") {
        GroupKind::Profile
    } else {
        GroupKind::Group
    }
}

fn override_row<F: Field>(
    rows: &mut Vec<Row<F>>,
    field: &str,
    attrs: Vec<String>,
    key: &str,
) -> Result<(), MapError> {
    let field = F::ALL
        .iter()
        .copied()
        .find(|f| f.name().eq_ignore_ascii_case(field.trim()))
        .ok_or_else(|| MapError::UnknownField(key.to_owned()))?;
    match rows.iter_mut().find(|r| r.field == field) {
        Some(r) if attrs.is_empty() && r.absent == Absent::Missing => Err(MapError::UnknownField(
            format!("{key} (required, cannot be disabled)"),
        )),
        Some(r) => {
            r.attrs = attrs;
            Ok(())
        }
        None => {
            rows.push(Row {
                attrs,
                ..row(field, &[])
            });
            Ok(())
        }
    }
}

fn request<F>(rows: &[Row<F>]) -> Vec<String> {
    let mut out = vec!["entryUUID".to_owned(), "objectClass".to_owned()];
    for attr in rows.iter().flat_map(|r| &r.attrs) {
        if !out.iter().any(|o| o.eq_ignore_ascii_case(attr)) {
            out.push(attr.clone());
        }
    }
    out
}

fn describe_rows<F: Field>(rows: &[Row<F>], out: &mut Vec<(String, String)>) {
    out.extend(rows.iter().map(|r| {
        (
            format!("{}.{}", F::PREFIX, r.field.name()),
            r.attrs.join(", "),
        )
    }));
}

fn entry_uuid(e: &Entry) -> Option<String> {
    e.first("entryUUID").map(str::to_ascii_lowercase)
}

fn missing(e: &Entry, attrs: &[String]) -> MapError {
    MapError::Missing {
        dn: e.dn.to_string(),
        attr: attrs.join(" or "),
    }
}
