//! Groups: every group of the mirror as a tree of Grouper stems with member counts, a filter, and the
//! members of the chosen group. The tree is built once per load on the worker thread; only the rows of
//! expanded stems are listed, and both lists are virtualised, so 24,000 groups stay fast.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use iced::widget::{Space, button, column, container, row, text, text_input};
use iced::{Alignment, Element, Length};

use crate::domain::card::PersonId;
use crate::fl;
use crate::gui::app::Effect;
use crate::gui::dir_jobs::DirJob;
use crate::gui::jobs::Job;
use crate::gui::stems::{GroupTree, NodeId};
use crate::gui::theme;
use crate::gui::widgets::text::muted;
use crate::gui::widgets::virtual_list;
use crate::store::persons::PersonRow;
use crate::ui_text;

pub const FILTER_ID: &str = "group-filter";
pub const TREE_ID: &str = "group-tree";
pub const MEMBERS_ID: &str = "group-members";
/// Height of a tree row.
const TREE_ROW: f32 = 34.0;
/// Rows opened at first display.
const FIRST_ROWS: usize = 40;
/// Indentation per stem level.
const INDENT: f32 = 18.0;

#[derive(Debug, Clone)]
pub enum Message {
    Filter(String),
    Toggle(NodeId),
    Select(NodeId),
    TreeScrolled(f32, f32),
    MembersScrolled(f32, f32),
    /// Opens the person on the Desk (handled by the window).
    OpenMember(PersonId),
}

/// The chosen group's members: ids in directory order, rows loaded by id for the visible window.
#[derive(Debug, Default)]
struct Members {
    group: i64,
    ids: Option<Arc<Vec<PersonId>>>,
    rows: HashMap<PersonId, PersonRow>,
    requested: HashSet<PersonId>,
    offset: f32,
    viewport: f32,
}

#[derive(Debug, Default)]
pub struct State {
    tree: Option<Arc<GroupTree>>,
    loading: bool,
    expanded: HashSet<NodeId>,
    /// The rows listed: the visible tree, or the filter's matches.
    rows: Vec<NodeId>,
    pub filter: String,
    offset: f32,
    viewport: f32,
    selected: Option<NodeId>,
    members: Option<Members>,
    /// A group asked for (from the person panel) before the tree was loaded.
    pending: Option<i64>,
    pub error: Option<String>,
}

impl State {
    pub fn new() -> State {
        State {
            // Until the first scroll event tells the real height: enough rows for a tall window.
            viewport: 1000.0,
            ..State::default()
        }
    }

    pub fn is_loaded(&self) -> bool {
        self.tree.is_some()
    }

    /// Entering the screen: the first time, load the tree.
    pub fn open(&mut self) -> Vec<Effect> {
        if self.tree.is_some() || self.loading {
            return Vec::new();
        }
        self.loading = true;
        vec![Effect::Job(Job::Dir(DirJob::Groups))]
    }

    /// After a sync: reload what was loaded (the tree and the chosen group's members).
    pub fn reload(&mut self) -> Vec<Effect> {
        if self.tree.is_none() {
            return Vec::new();
        }
        self.loading = true;
        let mut fx = vec![Effect::Job(Job::Dir(DirJob::Groups))];
        if let Some(m) = &mut self.members {
            m.rows.clear();
            m.requested.clear();
            fx.push(Effect::Job(Job::Dir(DirJob::Members(m.group))));
        }
        fx
    }

    /// Shows one group: expands its stems, selects it and lists its members.
    pub fn show_group(&mut self, group: i64) -> Vec<Effect> {
        let Some(node) = self.tree.as_ref().and_then(|t| t.of_group(group)) else {
            self.pending = Some(group);
            return self.open();
        };
        self.filter.clear();
        let tree = self.tree.clone().unwrap_or_default();
        self.expanded.extend(tree.ancestors(node));
        self.refresh_rows();
        let mut fx = self.select(node);
        if let Some(i) = self.rows.iter().position(|n| *n == node) {
            let y = (i as f32 * TREE_ROW - self.viewport / 2.0).max(0.0);
            self.offset = y;
            fx.push(Effect::ScrollTo { id: TREE_ID, y });
        }
        fx
    }

    pub fn on_tree(&mut self, tree: Arc<GroupTree>) -> Vec<Effect> {
        self.loading = false;
        self.error = None;
        self.expanded = match &self.tree {
            // A reload keeps the stems that were open, found again by path.
            Some(old) => {
                let open: HashSet<String> = self.expanded.iter().map(|n| old.path(*n)).collect();
                (0..tree.nodes.len() as NodeId)
                    .filter(|n| !tree.node(*n).children.is_empty() && open.contains(&tree.path(*n)))
                    .collect()
            }
            None => tree.initial_expansion(FIRST_ROWS),
        };
        self.selected = self.members.as_ref().and_then(|m| tree.of_group(m.group));
        self.tree = Some(tree);
        self.refresh_rows();
        match self.pending.take() {
            Some(g) => self.show_group(g),
            None => Vec::new(),
        }
    }

    pub fn on_members(&mut self, group: i64, ids: Arc<Vec<PersonId>>) -> Vec<Effect> {
        match &mut self.members {
            Some(m) if m.group == group => {
                m.ids = Some(ids);
                self.fetch_members()
            }
            _ => Vec::new(),
        }
    }

    pub fn on_member_rows(&mut self, rows: Vec<PersonRow>) {
        if let Some(m) = &mut self.members {
            for r in rows {
                m.requested.remove(&r.id);
                m.rows.insert(r.id, r);
            }
        }
    }

    pub fn on_failed(&mut self, message: String) {
        self.loading = false;
        self.error = Some(message);
    }

    fn refresh_rows(&mut self) {
        let Some(tree) = &self.tree else {
            self.rows.clear();
            return;
        };
        self.rows = if self.filter.trim().is_empty() {
            tree.visible(&self.expanded)
        } else {
            tree.search(&self.filter)
        };
    }

    fn select(&mut self, node: NodeId) -> Vec<Effect> {
        let Some(group) = self
            .tree
            .as_ref()
            .and_then(|t| t.node(node).group.as_ref().map(|g| g.id))
        else {
            return Vec::new();
        };
        self.selected = Some(node);
        self.members = Some(Members {
            group,
            viewport: 1000.0,
            ..Members::default()
        });
        vec![
            Effect::Job(Job::Dir(DirJob::Members(group))),
            Effect::ScrollTo {
                id: MEMBERS_ID,
                y: 0.0,
            },
        ]
    }

    fn fetch_members(&mut self) -> Vec<Effect> {
        let Some(m) = &mut self.members else {
            return Vec::new();
        };
        let Some(ids) = &m.ids else {
            return Vec::new();
        };
        let range = virtual_list::window(ids.len(), m.offset, m.viewport);
        let missing: Vec<PersonId> = ids[range]
            .iter()
            .copied()
            .filter(|id| !m.rows.contains_key(id) && !m.requested.contains(id))
            .collect();
        if missing.is_empty() {
            return Vec::new();
        }
        m.requested.extend(missing.iter().copied());
        vec![Effect::Job(Job::Dir(DirJob::MemberRows(missing)))]
    }

    pub fn update(&mut self, msg: Message) -> Vec<Effect> {
        match msg {
            Message::Filter(f) => {
                self.filter = f;
                self.offset = 0.0;
                self.refresh_rows();
                vec![Effect::ScrollTo {
                    id: TREE_ID,
                    y: 0.0,
                }]
            }
            Message::Toggle(node) => {
                if !self.expanded.remove(&node) {
                    self.expanded.insert(node);
                }
                self.refresh_rows();
                Vec::new()
            }
            Message::Select(node) => self.select(node),
            Message::TreeScrolled(offset, viewport) => {
                self.offset = offset;
                self.viewport = viewport;
                Vec::new()
            }
            Message::MembersScrolled(offset, viewport) => {
                if let Some(m) = &mut self.members {
                    m.offset = offset;
                    m.viewport = viewport;
                }
                self.fetch_members()
            }
            // The window opens the person on the Desk.
            Message::OpenMember(_) => Vec::new(),
        }
    }

    pub fn view(&self) -> Element<'_, Message> {
        let filter = text_input(&fl!("groups-filter-placeholder"), &self.filter)
            .id(FILTER_ID)
            .on_input(Message::Filter)
            .padding(10)
            .size(15);
        let summary = match (&self.tree, self.loading) {
            (None, _) => fl!("groups-loading"),
            (Some(_), _) if !self.filter.trim().is_empty() => {
                fl!("groups-matches", count = self.rows.len())
            }
            (Some(t), _) => fl!("groups-total", count = t.group_count()),
        };
        let mut left = column![filter, muted(summary)].spacing(8);
        if let Some(e) = &self.error {
            left = left.push(
                container(text(e.clone()).size(14))
                    .padding(10)
                    .width(Length::Fill)
                    .style(theme::error_banner),
            );
        }
        if let Some(tree) = &self.tree {
            let searching = !self.filter.trim().is_empty();
            left = left.push(virtual_list::view_with(
                TREE_ROW,
                TREE_ID,
                self.rows.len(),
                self.offset,
                self.viewport,
                |i| self.tree_row(tree, self.rows[i], searching),
                Message::TreeScrolled,
            ));
        }
        row![
            left.padding(12).width(Length::FillPortion(5)),
            container(self.members_view())
                .padding(12)
                .width(Length::FillPortion(4))
                .height(Length::Fill),
        ]
        .into()
    }

    fn tree_row<'a>(&'a self, tree: &'a GroupTree, id: NodeId, flat: bool) -> Element<'a, Message> {
        let node = tree.node(id);
        let depth = if flat { 0 } else { node.depth };
        let stem = !node.children.is_empty() && !flat;
        let toggle: Element<'a, Message> = if stem {
            button(
                text(if self.expanded.contains(&id) {
                    "↓"
                } else {
                    "→"
                })
                .size(14),
            )
            .on_press(Message::Toggle(id))
            .style(button::text)
            .padding([2, 6])
            .into()
        } else {
            Space::new().width(Length::Fixed(26.0)).into()
        };
        let mut line = row![
            Space::new().width(Length::Fixed(f32::from(depth) * INDENT)),
            toggle
        ]
        .spacing(4)
        .align_y(Alignment::Center);
        let (label, detail) = match &node.group {
            Some(g) => (
                g.display_name.clone(),
                if flat {
                    format!("{} · {}", fl!("groups-members", count = g.members), g.name)
                } else {
                    fl!("groups-members", count = g.members)
                },
            ),
            None => (
                node.label.clone(),
                fl!("groups-below", count = node.groups_below),
            ),
        };
        line = line.push(text(label).size(14).wrapping(text::Wrapping::None));
        line = line.push(muted(detail).size(12).wrapping(text::Wrapping::None));
        let press = if node.group.is_some() {
            Message::Select(id)
        } else {
            Message::Toggle(id)
        };
        button(container(line.clip(true)).center_y(Length::Fill))
            .on_press(press)
            .style(theme::list_row(self.selected == Some(id)))
            .width(Length::Fill)
            .height(Length::Fixed(TREE_ROW))
            .padding([0, 6])
            .into()
    }

    fn members_view(&self) -> Element<'_, Message> {
        let (Some(m), Some(tree), Some(node)) = (&self.members, &self.tree, self.selected) else {
            return container(muted(fl!("groups-pick")).size(15))
                .center(Length::Fill)
                .into();
        };
        let Some(group) = &tree.node(node).group else {
            return Space::new().into();
        };
        let head = column![
            text(group.display_name.clone()).size(22),
            muted(group.name.clone()).size(12),
            text(fl!("groups-members", count = group.members)).size(14),
        ]
        .spacing(4);
        let list: Element<'_, Message> = match &m.ids {
            None => muted(fl!("groups-loading-members")).size(14).into(),
            Some(ids) if ids.is_empty() => muted(fl!("groups-no-members")).size(14).into(),
            Some(ids) => virtual_list::view(
                MEMBERS_ID,
                ids.len(),
                m.offset,
                m.viewport,
                |i| member_row(m.rows.get(&ids[i]), ids[i]),
                Message::MembersScrolled,
            ),
        };
        column![head, list].spacing(12).into()
    }
}

fn member_row(row: Option<&PersonRow>, id: PersonId) -> Element<'_, Message> {
    let content: Element<'_, Message> = match row {
        Some(r) => {
            let sub = [
                Some(ui_text::affiliation(&r.affiliation)),
                r.structure.clone(),
                r.eppn.clone(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · ");
            column![
                text(r.display_name.clone())
                    .size(15)
                    .wrapping(text::Wrapping::None),
                text(sub).size(12).wrapping(text::Wrapping::None)
            ]
            .spacing(2)
            .clip(true)
            .into()
        }
        None => text("…").size(15).into(),
    };
    virtual_list::person_row(content, Message::OpenMember(id), false)
}
