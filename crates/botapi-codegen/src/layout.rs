//! Which generated items go into which file: one file per section of the reference, split
//! every [`hand::ITEMS_PER_FILE`] items so that no file grows too large to read.

use crate::hand;
use crate::model::Model;

/// The items of one output file.
pub(crate) struct Chunk {
    /// The file name without `.rs`.
    pub(crate) file: String,
    /// The anchor of the reference's section the items come from.
    pub(crate) section: String,
    pub(crate) names: Vec<String>,
}

/// The files of the types; `InputFile` is written by hand in the core, so it has none.
pub(crate) fn type_files(model: &Model) -> Vec<Chunk> {
    let mut out = Vec::new();
    for section in &model.sections {
        let types = section
            .types
            .iter()
            .filter(|name| *name != "InputFile")
            .cloned()
            .collect();
        push_chunks(&mut out, &section.anchor, types);
    }
    out
}

/// The files of the methods.
pub(crate) fn method_files(model: &Model) -> Vec<Chunk> {
    let mut out = Vec::new();
    for section in &model.sections {
        push_chunks(&mut out, &section.anchor, section.methods.clone());
    }
    out
}

/// Splits a section's `names` into as few files as the limit allows, of even size.
fn push_chunks(out: &mut Vec<Chunk>, section: &str, names: Vec<String>) {
    if names.is_empty() {
        return;
    }
    let base = section.replace('-', "_");
    let parts = names.len().div_ceil(hand::ITEMS_PER_FILE);
    let per = names.len().div_ceil(parts);
    for (n, part) in names.chunks(per).enumerate() {
        let file = if parts == 1 {
            base.clone()
        } else {
            format!("{base}_{}", n + 1)
        };
        out.push(Chunk {
            file,
            section: section.to_owned(),
            names: part.to_vec(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_section_is_split_evenly() {
        let names: Vec<String> = (0..hand::ITEMS_PER_FILE * 2 + 1)
            .map(|n| n.to_string())
            .collect();
        let mut out = Vec::new();
        push_chunks(&mut out, "available-types", names);
        let files: Vec<(&str, usize)> = out
            .iter()
            .map(|c| (c.file.as_str(), c.names.len()))
            .collect();
        let per = (hand::ITEMS_PER_FILE * 2 + 1).div_ceil(3);
        assert_eq!(
            files,
            [
                ("available_types_1", per),
                ("available_types_2", per),
                ("available_types_3", hand::ITEMS_PER_FILE * 2 + 1 - 2 * per)
            ]
        );
        let mut one = Vec::new();
        push_chunks(&mut one, "stickers", vec!["a".into()]);
        assert_eq!(one[0].file, "stickers");
        push_chunks(&mut one, "empty", Vec::new());
        assert_eq!(one.len(), 1);
    }
}
