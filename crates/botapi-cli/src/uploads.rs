//! `call … --file NAME=PATH`: files uploaded as parameters, streamed from disk by the
//! adapter. Each file is checked before anything is sent.

use std::path::PathBuf;

use botapi_proto::{Call, InputFile, Method, Upload};
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use serde_json::{Map, Value};

use crate::commands::check_params;
use crate::failure::Failure;
use crate::transport::Connection;

/// Checks that every file can be opened and read, and makes each an upload streamed from
/// its path. A missing or unreadable file is a usage error: nothing is sent.
pub(crate) fn open_all(files: &[(String, PathBuf)]) -> Result<Vec<(String, InputFile)>, Failure> {
    files
        .iter()
        .map(|(name, path)| {
            let unreadable =
                |why: String| Failure::Usage(format!("--file {name}={}: {why}", path.display()));
            let meta = std::fs::metadata(path).map_err(|e| unreadable(e.to_string()))?;
            if !meta.is_file() {
                return Err(unreadable("not a regular file".to_owned()));
            }
            std::fs::File::open(path).map_err(|e| unreadable(e.to_string()))?;
            Ok((name.clone(), InputFile::path(path)))
        })
        .collect()
}

/// Calls `name` with `params` and the files as further parameters. The parameters are
/// checked against the method's type first (each file standing in as a file reference),
/// then sent with the files as a multipart body; the result is printed as it came.
pub(crate) fn call_with_files(
    transport: &Connection,
    name: &str,
    params: Map<String, Value>,
    files: Vec<(String, InputFile)>,
) -> Result<Value, Failure> {
    let mut checked = params.clone();
    for (file, _) in &files {
        if checked.contains_key(file) {
            return Err(Failure::Usage(format!(
                "{file} is given both in --params and as --file"
            )));
        }
        checked.insert(file.clone(), Value::String(format!("attach://{file}")));
    }
    check_params(name, &Value::Object(checked))?;
    let call = WithFiles {
        name: Call::new(name).method_name().to_owned(),
        params,
        files,
    };
    transport.send(&call)
}

/// A method by name whose parameters include uploads.
struct WithFiles {
    name: String,
    params: Map<String, Value>,
    files: Vec<(String, InputFile)>,
}

impl Serialize for WithFiles {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.params.len() + self.files.len()))?;
        for (key, value) in &self.params {
            map.serialize_entry(key, value)?;
        }
        for (key, file) in &self.files {
            map.serialize_entry(key, file)?;
        }
        map.end()
    }
}

impl Method for WithFiles {
    type Response = Value;

    fn method_name(&self) -> &str {
        &self.name
    }

    fn uploads<'a>(&'a self, out: &mut Vec<&'a Upload>) {
        out.extend(self.files.iter().filter_map(|(_, file)| file.as_upload()));
    }
}
