//! Grouper names (`esco:Etablissements:LYCEE_X_0290009C:2NDE:Eleves_2NDE1`) as a tree of `:` stems.
//! The Groups screen builds the tree once per load (on the worker thread) and only lists the nodes of
//! expanded stems; the person panel indents a person's few groups the same way.

use std::collections::{HashMap, HashSet};

use crate::domain::names;
use crate::store::group_tree::GroupCount;

/// Index of a node in [`GroupTree::nodes`].
pub type NodeId = u32;

/// A group at a node of the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leaf {
    pub id: i64,
    pub name: String,
    pub display_name: String,
    pub members: u64,
}

/// A stem, a group, or both (a group whose name is also the stem of other groups).
#[derive(Debug, Clone)]
pub struct Node {
    /// The last segment of the name.
    pub label: String,
    pub parent: Option<NodeId>,
    pub depth: u16,
    pub group: Option<Leaf>,
    /// Stems first, then groups, each by label.
    pub children: Vec<NodeId>,
    /// Groups in the subtree below this node (this node's own group excluded).
    pub groups_below: u32,
    /// Folded full name and display name, for the filter.
    folded: String,
}

/// The whole tree; built once per load.
#[derive(Debug, Clone, Default)]
pub struct GroupTree {
    pub nodes: Vec<Node>,
    pub roots: Vec<NodeId>,
    by_group: HashMap<i64, NodeId>,
}

impl GroupTree {
    pub fn build(groups: Vec<GroupCount>) -> GroupTree {
        let mut tree = GroupTree::default();
        let mut index: HashMap<(Option<NodeId>, String), NodeId> = HashMap::new();
        for g in groups {
            let mut parent: Option<NodeId> = None;
            let segments: Vec<&str> = g.name.split(':').collect();
            for (depth, seg) in segments.iter().enumerate() {
                let key = (parent, (*seg).to_string());
                let id = match index.get(&key) {
                    Some(id) => *id,
                    None => {
                        let id = tree.nodes.len() as NodeId;
                        tree.nodes.push(Node {
                            label: (*seg).to_string(),
                            parent,
                            depth: depth as u16,
                            group: None,
                            children: Vec::new(),
                            groups_below: 0,
                            folded: String::new(),
                        });
                        match parent {
                            Some(p) => tree.nodes[p as usize].children.push(id),
                            None => tree.roots.push(id),
                        }
                        index.insert(key, id);
                        id
                    }
                };
                parent = Some(id);
            }
            if let Some(id) = parent {
                let node = &mut tree.nodes[id as usize];
                node.folded = names::fold(&format!("{} {}", g.name, g.display_name));
                tree.by_group.insert(g.id, id);
                node.group = Some(Leaf {
                    id: g.id,
                    name: g.name,
                    display_name: g.display_name,
                    members: g.members,
                });
            }
        }
        // Children are created after their parent: one backward pass sums the subtrees.
        for i in (0..tree.nodes.len()).rev() {
            let below = tree.nodes[i].groups_below + u32::from(tree.nodes[i].group.is_some());
            if let Some(p) = tree.nodes[i].parent {
                tree.nodes[p as usize].groups_below += below;
            }
        }
        let order = |nodes: &[Node], ids: &mut Vec<NodeId>| {
            ids.sort_by_cached_key(|id| {
                let n = &nodes[*id as usize];
                (n.children.is_empty(), n.label.to_lowercase())
            });
        };
        let mut roots = std::mem::take(&mut tree.roots);
        order(&tree.nodes, &mut roots);
        tree.roots = roots;
        for i in 0..tree.nodes.len() {
            let mut children = std::mem::take(&mut tree.nodes[i].children);
            order(&tree.nodes, &mut children);
            tree.nodes[i].children = children;
        }
        tree
    }

    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    pub fn group_count(&self) -> usize {
        self.by_group.len()
    }

    /// The node of a group.
    pub fn of_group(&self, group_id: i64) -> Option<NodeId> {
        self.by_group.get(&group_id).copied()
    }

    /// The full `:` path of a node.
    pub fn path(&self, id: NodeId) -> String {
        let mut parts = vec![self.node(id).label.as_str()];
        let mut cur = self.node(id).parent;
        while let Some(p) = cur {
            parts.push(self.node(p).label.as_str());
            cur = self.node(p).parent;
        }
        parts.reverse();
        parts.join(":")
    }

    /// The nodes above `id`, nearest last.
    pub fn ancestors(&self, id: NodeId) -> Vec<NodeId> {
        let mut out = Vec::new();
        let mut cur = self.node(id).parent;
        while let Some(p) = cur {
            out.push(p);
            cur = self.node(p).parent;
        }
        out.reverse();
        out
    }

    /// The rows shown: roots, and the children of every expanded node, depth first.
    pub fn visible(&self, expanded: &HashSet<NodeId>) -> Vec<NodeId> {
        let mut out = Vec::new();
        let mut stack: Vec<NodeId> = self.roots.iter().rev().copied().collect();
        while let Some(id) = stack.pop() {
            out.push(id);
            if expanded.contains(&id) {
                stack.extend(self.node(id).children.iter().rev().copied());
            }
        }
        out
    }

    /// The stems opened at first display: level by level while the list stays under `budget` rows,
    /// so a small tree shows whole and a large one its top levels.
    pub fn initial_expansion(&self, budget: usize) -> HashSet<NodeId> {
        let mut expanded = HashSet::new();
        let mut shown = self.roots.len();
        let mut level: Vec<NodeId> = self.roots.clone();
        loop {
            let stems: Vec<NodeId> = level
                .iter()
                .copied()
                .filter(|id| !self.node(*id).children.is_empty())
                .collect();
            let added: usize = stems.iter().map(|id| self.node(*id).children.len()).sum();
            if stems.is_empty() || shown + added > budget {
                break;
            }
            shown += added;
            expanded.extend(stems.iter().copied());
            level = stems
                .iter()
                .flat_map(|id| self.node(*id).children.iter().copied())
                .collect();
        }
        // A single chain of stems (`esco` → `Etablissements` → …) opens down to its first fork.
        let mut cur = (self.roots.len() == 1).then(|| self.roots[0]);
        while let Some(id) = cur {
            let n = self.node(id);
            if n.children.is_empty() {
                break;
            }
            expanded.insert(id);
            cur = (n.children.len() == 1).then(|| n.children[0]);
        }
        expanded
    }

    /// Groups whose name or display name contains every word of `query` (accents and case ignored),
    /// in tree order.
    pub fn search(&self, query: &str) -> Vec<NodeId> {
        let folded = names::fold(query);
        let words: Vec<&str> = folded.split_whitespace().collect();
        if words.is_empty() {
            return Vec::new();
        }
        let mut out = Vec::new();
        let mut stack: Vec<NodeId> = self.roots.iter().rev().copied().collect();
        while let Some(id) = stack.pop() {
            let n = self.node(id);
            if n.group.is_some() && words.iter().all(|w| n.folded.contains(w)) {
                out.push(id);
            }
            stack.extend(n.children.iter().rev().copied());
        }
        out
    }
}

/// One line of a person's groups in the person panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// A stem, at an indentation depth.
    Stem { depth: usize, label: String },
    /// A group: its index in the input.
    Group { depth: usize, index: usize },
}

/// A person's groups (`names` in any order) as indented lines: each stem once, then its groups.
pub fn indent(names: &[&str]) -> Vec<Line> {
    let mut order: Vec<(Vec<&str>, usize)> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.split(':').collect(), i))
        .collect();
    order.sort();
    let mut open: Vec<&str> = Vec::new();
    let mut lines = Vec::new();
    for (segments, index) in order {
        let stems = &segments[..segments.len().saturating_sub(1)];
        let common = open
            .iter()
            .zip(stems.iter())
            .take_while(|(a, b)| a == b)
            .count();
        for (depth, label) in stems.iter().enumerate().skip(common) {
            lines.push(Line::Stem {
                depth,
                label: (*label).to_string(),
            });
        }
        lines.push(Line::Group {
            depth: stems.len(),
            index,
        });
        open = segments;
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(id: i64, name: &str, members: u64) -> GroupCount {
        GroupCount {
            id,
            name: name.into(),
            display_name: format!("Display {id}"),
            kind: "group".into(),
            members,
        }
    }

    fn sample() -> GroupTree {
        GroupTree::build(vec![
            g(1, "esco:Etab:LYCEE:2NDE:Eleves_2NDE1", 30),
            g(2, "esco:Etab:LYCEE:2NDE:Eleves_2NDE2", 28),
            g(3, "esco:Etab:LYCEE:Eleves", 58),
            g(4, "esco:Etab:LYCEE", 70),
            g(5, "plain", 2),
        ])
    }

    #[test]
    fn builds_stems_once_with_counts_below() {
        let t = sample();
        assert_eq!(t.group_count(), 5);
        assert_eq!(t.roots.len(), 2);
        let esco = t.roots[0];
        assert_eq!(t.node(esco).label, "esco", "stems before plain groups");
        assert_eq!(t.node(esco).groups_below, 4);
        let lycee = t.of_group(4).unwrap();
        assert_eq!(t.path(lycee), "esco:Etab:LYCEE");
        assert_eq!(
            t.node(lycee).groups_below,
            3,
            "the group itself is not below"
        );
        let kids: Vec<&str> = t
            .node(lycee)
            .children
            .iter()
            .map(|c| t.node(*c).label.as_str())
            .collect();
        assert_eq!(kids, ["2NDE", "Eleves"]);
        assert_eq!(t.ancestors(t.of_group(1).unwrap()).len(), 4);
    }

    #[test]
    fn visible_follows_expansion() {
        let t = sample();
        assert_eq!(t.visible(&HashSet::new()).len(), 2);
        let open = t.initial_expansion(40);
        let rows = t.visible(&open);
        assert_eq!(rows.len(), t.nodes.len(), "a small tree opens whole");
        let one_root = GroupTree::build(vec![
            g(1, "esco:Etab:LYCEE:2NDE:Eleves_2NDE1", 30),
            g(3, "esco:Etab:LYCEE:Eleves", 58),
            g(4, "esco:Etab:LYCEE", 70),
        ]);
        let t = one_root;
        let rows = t.visible(&t.initial_expansion(1));
        // The single chain esco → Etab → LYCEE opens to its first fork whatever the budget.
        assert!(rows.contains(&t.of_group(4).unwrap()));
        assert!(!rows.contains(&t.of_group(1).unwrap()));
    }

    #[test]
    fn search_ignores_case_and_accents() {
        let t = sample();
        let hits = t.search("élèves 2nde2");
        assert_eq!(hits, vec![t.of_group(2).unwrap()]);
        assert!(t.search("  ").is_empty());
        assert_eq!(t.search("display 5"), vec![t.of_group(5).unwrap()]);
    }

    #[test]
    fn indent_lists_each_stem_once() {
        let names = ["u:etu:SCI:L1", "plain", "u:etu:SCI", "u:etu:DRT:L2"];
        let lines = indent(&names);
        let text: Vec<String> = lines
            .iter()
            .map(|l| match l {
                Line::Stem { depth, label } => format!("{depth}:{label}"),
                Line::Group { depth, index } => format!("{depth}:#{}", names[*index]),
            })
            .collect();
        assert_eq!(
            text,
            [
                "0:#plain",
                "0:u",
                "1:etu",
                "2:DRT",
                "3:#u:etu:DRT:L2",
                "2:#u:etu:SCI",
                "3:#u:etu:SCI:L1"
            ]
        );
    }

    #[test]
    fn large_trees_build_and_list_quickly() {
        // 24,000 groups as in a large ENT: 200 schools × 120 groups.
        let mut groups = Vec::new();
        for school in 0..200 {
            for g in 0..120 {
                let id = (school * 120 + g) as i64;
                groups.push(GroupCount {
                    id,
                    name: format!("esco:Etablissements:LYCEE_{school}:{}:Eleves_{g}", g % 4),
                    display_name: format!("Élèves {g}"),
                    kind: "class".into(),
                    members: 30,
                });
            }
        }
        let started = std::time::Instant::now();
        let tree = GroupTree::build(groups);
        let open = tree.initial_expansion(40);
        let rows = tree.visible(&open);
        let hits = tree.search("lycee_17 eleves_3");
        let elapsed = started.elapsed();
        assert_eq!(tree.group_count(), 24_000);
        assert!(
            rows.len() <= 250,
            "only the top levels open: {}",
            rows.len()
        );
        assert!(!hits.is_empty());
        // Generous bound for an unoptimised build on a loaded CI machine.
        assert!(elapsed.as_secs_f64() < 2.0, "{elapsed:?}");
    }
}
