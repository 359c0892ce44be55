//! Boxes: which fields are boxed to break recursion (strongly connected types) or to keep
//! large, rarely set values out of line.

use super::*;

/// Boxes every struct field that leads back to its own struct without passing through an
/// array: those are the fields that would make the type infinitely large.
pub(super) fn box_cycles(model: &mut Model) {
    let mut nodes: Vec<String> = model.structs.keys().cloned().collect();
    nodes.extend(model.unions.keys().cloned());
    let index: BTreeMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    let mut edges = vec![Vec::new(); nodes.len()];
    for (i, name) in nodes.iter().enumerate() {
        if let Some(s) = model.structs.get(name) {
            for f in s.fields.iter().filter(|f| !f.ty.is_array()) {
                if let Some(target) = f.ty.named() {
                    edges[i].push(index[target]);
                }
            }
        } else if let Some(u) = model.unions.get(name) {
            for v in &u.variants {
                edges[i].push(index[v.member.as_str()]);
            }
        }
    }
    let component = tarjan(&edges);
    for s in model.structs.values_mut() {
        let own = component[index[s.name.as_str()]];
        for f in s.fields.iter_mut().filter(|f| !f.ty.is_array()) {
            if f.ty
                .named()
                .is_some_and(|target| component[index[target]] == own)
            {
                f.boxed = true;
            }
        }
    }
}

/// Boxes fields and variants whose types are large ([`hand::BOX_FIELD_ABOVE`],
/// [`hand::BOX_VARIANT_ABOVE`]); the kinds of `Update` count as variants.
pub(super) fn box_large(model: &mut Model) {
    let mut sizes = BTreeMap::new();
    let names: Vec<String> = model
        .structs
        .keys()
        .chain(model.unions.keys())
        .cloned()
        .collect();
    for name in &names {
        estimate(model, name, &mut sizes);
    }
    for s in model.structs.values_mut() {
        let limit = if s.name == hand::UPDATE {
            hand::BOX_VARIANT_ABOVE
        } else {
            hand::BOX_FIELD_ABOVE
        };
        let compact = hand::COMPACT_TYPES
            .iter()
            .find(|(name, _)| *name == s.name)
            .map(|(_, limit)| *limit);
        for f in s.fields.iter_mut().filter(|f| !f.ty.is_array()) {
            let keep = hand::KEEP_INLINE.contains(&(s.name.as_str(), f.name.as_str()));
            let limit = match compact {
                Some(compact) if !f.required && !keep => compact,
                _ => limit,
            };
            if f.ty.named().is_some_and(|target| sizes[target] > limit) {
                f.boxed = true;
            }
        }
    }
    for u in model.unions.values_mut() {
        for v in &mut u.variants {
            v.boxed = sizes[&v.member] > hand::BOX_VARIANT_ABOVE;
        }
    }
}

/// A rough size in bytes of a struct or union held inline, given the boxing rules: an
/// upper estimate that ignores niche optimizations.
pub(super) fn estimate(model: &Model, name: &str, sizes: &mut BTreeMap<String, usize>) -> usize {
    if let Some(size) = sizes.get(name) {
        return *size;
    }
    let size = if let Some(s) = model.structs.get(name) {
        let limit = if s.name == hand::UPDATE {
            hand::BOX_VARIANT_ABOVE
        } else {
            hand::BOX_FIELD_ABOVE
        };
        let mut total = 0;
        for f in &s.fields {
            let inner = match &f.ty {
                Ty::Named(target) if !f.boxed => {
                    let size = estimate(model, target, sizes);
                    if size > limit { 8 } else { size }
                }
                Ty::Named(_) => 8,
                Ty::Int | Ty::Float => 8,
                Ty::Bool => 1,
                Ty::Str | Ty::Array(_) | Ty::ChatId | Ty::Enum(_) => 24,
                Ty::File => 80,
            };
            // `Option` costs nothing where the type has a spare bit pattern (a pointer, a
            // `bool`), and a tag word otherwise.
            let niche = f.boxed
                || matches!(
                    f.ty,
                    Ty::Bool | Ty::Str | Ty::Array(_) | Ty::ChatId | Ty::Enum(_)
                )
                || inner == 8 && matches!(f.ty, Ty::Named(_));
            total += if f.required || niche {
                inner
            } else {
                inner + 8
            };
        }
        total.div_ceil(8) * 8
    } else if let Some(u) = model.unions.get(name) {
        let mut largest = 32; // `Unknown(serde_json::Value)`
        for v in &u.variants {
            let size = estimate(model, &v.member, sizes);
            largest = largest.max(if size > hand::BOX_VARIANT_ABOVE {
                8
            } else {
                size
            });
        }
        largest + 8
    } else {
        0
    };
    sizes.insert(name.to_owned(), size);
    size
}

/// Strongly connected components (Tarjan), as a component number per node.
pub(super) fn tarjan(edges: &[Vec<usize>]) -> Vec<usize> {
    struct State<'e> {
        edges: &'e [Vec<usize>],
        next: usize,
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        stack: Vec<usize>,
        on_stack: Vec<bool>,
        component: Vec<usize>,
        components: usize,
    }
    fn visit(s: &mut State<'_>, v: usize) {
        s.index[v] = Some(s.next);
        s.low[v] = s.next;
        s.next += 1;
        s.stack.push(v);
        s.on_stack[v] = true;
        for &w in &s.edges[v] {
            match s.index[w] {
                None => {
                    visit(s, w);
                    s.low[v] = s.low[v].min(s.low[w]);
                }
                Some(iw) if s.on_stack[w] => s.low[v] = s.low[v].min(iw),
                Some(_) => {}
            }
        }
        if Some(s.low[v]) == s.index[v] {
            while let Some(w) = s.stack.pop() {
                s.on_stack[w] = false;
                s.component[w] = s.components;
                if w == v {
                    break;
                }
            }
            s.components += 1;
        }
    }
    let n = edges.len();
    let mut s = State {
        edges,
        next: 0,
        index: vec![None; n],
        low: vec![0; n],
        stack: Vec::new(),
        on_stack: vec![false; n],
        component: vec![0; n],
        components: 0,
    };
    for v in 0..n {
        if s.index[v].is_none() {
            visit(&mut s, v);
        }
    }
    s.component
}
