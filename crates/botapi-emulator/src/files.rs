//! Files the bots uploaded (or a test stored): what `getFile` answers for them and what
//! `/file/bot<token>/<file_path>` serves. In local mode, like a local Bot API server started
//! with `--local`, each file is also written to a directory on disk and `getFile` answers its
//! absolute path, which is not served over HTTP; `file://` inputs are accepted.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use bytes::Bytes;
use serde_json::{Value, json};

use crate::params::Params;

/// One stored file.
#[derive(Debug)]
struct Stored {
    owner: i64,
    unique_id: String,
    /// The relative `file_path` it is served under.
    file_path: String,
    data: Bytes,
    /// Where it is on disk, in local mode.
    on_disk: Option<PathBuf>,
}

/// Every stored file, by `file_id`.
#[derive(Debug, Default)]
pub(crate) struct Files {
    next: u64,
    by_id: HashMap<String, Stored>,
    by_path: HashMap<String, String>,
    /// The directory files are written to in local mode.
    local_dir: Option<PathBuf>,
}

impl Files {
    /// Files kept in memory and served over HTTP, or (with `local_dir`) written there and
    /// answered as absolute paths.
    pub(crate) fn new(local_dir: Option<PathBuf>) -> Self {
        Files {
            local_dir,
            ..Files::default()
        }
    }

    /// Whether the emulator behaves as a local Bot API server.
    pub(crate) fn is_local(&self) -> bool {
        self.local_dir.is_some()
    }

    /// Stores `data` for bot `owner`, named after `file_name`, and returns its `file_id`. In
    /// local mode a file that cannot be written is kept in memory only.
    pub(crate) fn store(&mut self, owner: i64, file_name: Option<&str>, data: Bytes) -> String {
        self.next += 1;
        let n = self.next;
        let file_id = format!("BQACAgEmulator{n:06}");
        let extension = file_name
            .and_then(|name| Path::new(name).extension())
            .and_then(|e| e.to_str())
            .filter(|e| e.bytes().all(|b| b.is_ascii_alphanumeric()))
            .map_or(String::new(), |e| format!(".{e}"));
        let file_path = format!("documents/file_{n}{extension}");
        let on_disk = self.local_dir.as_ref().and_then(|dir| {
            let path = dir.join(format!("{owner}_file_{n}{extension}"));
            std::fs::write(&path, &data).ok().map(|()| path)
        });
        self.by_path.insert(file_path.clone(), file_id.clone());
        self.by_id.insert(
            file_id.clone(),
            Stored {
                owner,
                unique_id: format!("AgADemu{n}"),
                file_path,
                data,
                on_disk,
            },
        );
        file_id
    }

    /// Stores every file part of a call.
    pub(crate) fn store_uploads(&mut self, owner: i64, params: &Params) -> Vec<String> {
        params
            .files
            .iter()
            .map(|f| self.store(owner, f.file_name.as_deref(), Bytes::from(f.data.clone())))
            .collect()
    }

    /// The `File` object `getFile` answers for `file_id`, if bot `owner` has it.
    pub(crate) fn get_file(&self, owner: i64, file_id: &str) -> Option<Value> {
        let stored = self.by_id.get(file_id).filter(|s| s.owner == owner)?;
        let file_path = match &stored.on_disk {
            Some(path) => path.display().to_string(),
            None => stored.file_path.clone(),
        };
        Some(json!({
            "file_id": file_id,
            "file_unique_id": stored.unique_id,
            "file_size": stored.data.len(),
            "file_path": file_path,
        }))
    }

    /// The bytes served at `file_path` for bot `owner` (never in local mode, as the local
    /// server serves none).
    pub(crate) fn download(&self, owner: i64, file_path: &str) -> Option<Bytes> {
        if self.is_local() {
            return None;
        }
        let stored = self.by_id.get(self.by_path.get(file_path)?)?;
        (stored.owner == owner).then(|| stored.data.clone())
    }
}

/// The refusal of a `file://` parameter: the cloud takes none, a local server only files
/// that exist.
pub(crate) fn check_local_references(params: &Params, local: bool) -> Result<(), String> {
    for value in params.fields.values() {
        let Some(path) = value.as_str().and_then(|s| s.strip_prefix("file://")) else {
            continue;
        };
        if !local {
            return Err("Bad Request: wrong remote file identifier specified".to_owned());
        }
        if !Path::new(path).is_absolute() || !Path::new(path).is_file() {
            return Err("Bad Request: file not found".to_owned());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_answered_and_served_per_bot() {
        let mut files = Files::new(None);
        let id = files.store(7, Some("cat.JPG"), Bytes::from_static(b"meow"));
        let file = files.get_file(7, &id).unwrap();
        assert_eq!(file["file_size"], 4);
        assert_eq!(file["file_path"], "documents/file_1.JPG");
        assert_eq!(
            files.download(7, "documents/file_1.JPG").unwrap(),
            &b"meow"[..]
        );
        assert!(files.get_file(8, &id).is_none(), "another bot's file");
        assert!(files.download(8, "documents/file_1.JPG").is_none());
        assert!(files.get_file(7, "nope").is_none());
        let odd = files.store(7, Some("x.../../a"), Bytes::new());
        assert_eq!(
            files.get_file(7, &odd).unwrap()["file_path"],
            "documents/file_2"
        );
    }

    #[test]
    fn local_mode_writes_to_disk_and_serves_nothing() {
        let dir =
            std::env::temp_dir().join(format!("botapi-emulator-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut files = Files::new(Some(dir.clone()));
        let id = files.store(7, Some("a.bin"), Bytes::from_static(b"abc"));
        let path = files.get_file(7, &id).unwrap()["file_path"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(Path::new(&path).is_absolute());
        assert_eq!(std::fs::read(&path).unwrap(), b"abc");
        assert!(files.download(7, "documents/file_1.bin").is_none());
        let mut params = Params::default();
        params
            .fields
            .insert("document".into(), json!(format!("file://{path}")));
        assert_eq!(check_local_references(&params, true), Ok(()));
        assert!(check_local_references(&params, false).is_err());
        params
            .fields
            .insert("document".into(), json!("file:///no/such/file"));
        assert!(check_local_references(&params, true).is_err());
        let _ = std::fs::remove_dir_all(dir);
    }
}
