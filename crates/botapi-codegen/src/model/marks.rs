//! Which types users send, and which can carry an upload.

use super::*;

/// Types reachable from a method parameter are the ones users build: they get setters.
pub(super) fn mark_sent(model: &mut Model) {
    let mut queue: Vec<String> = model
        .methods
        .iter()
        .flat_map(|m| &m.params)
        .filter_map(|p| p.ty.named().map(str::to_owned))
        .collect();
    let mut seen = BTreeSet::new();
    while let Some(name) = queue.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        if let Some(s) = model.structs.get(&name) {
            queue.extend(
                s.fields
                    .iter()
                    .filter_map(|f| f.ty.named().map(str::to_owned)),
            );
        }
        if let Some(u) = model.unions.get(&name) {
            queue.extend(u.variants.iter().map(|v| v.member.clone()));
        }
    }
    for name in seen {
        if let Some(s) = model.structs.get_mut(&name) {
            s.sent = true;
        }
    }
}

/// A type can carry an upload when a field is a file or a type that can carry one.
pub(super) fn mark_uploads(model: &mut Model) {
    loop {
        let mut changed = false;
        let names: Vec<String> = model.structs.keys().cloned().collect();
        for name in names {
            let any = model.structs[&name]
                .fields
                .iter()
                .any(|f| model.ty_uploads(&f.ty));
            if any && !model.structs[&name].uploads {
                if let Some(s) = model.structs.get_mut(&name) {
                    s.uploads = true;
                }
                changed = true;
            }
        }
        let names: Vec<String> = model.unions.keys().cloned().collect();
        for name in names {
            let any = model.unions[&name]
                .variants
                .iter()
                .any(|v| model.uploads(&v.member));
            if any && !model.unions[&name].uploads {
                if let Some(u) = model.unions.get_mut(&name) {
                    u.uploads = true;
                }
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let mut methods = std::mem::take(&mut model.methods);
    for m in &mut methods {
        m.uploads = m.params.iter().any(|p| model.ty_uploads(&p.ty));
        for form in &mut m.forms {
            form.uploads = form.params.iter().any(|p| model.ty_uploads(&p.ty));
        }
    }
    model.methods = methods;
}
