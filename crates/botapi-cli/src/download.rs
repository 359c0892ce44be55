//! `download FILE_ID [--output PATH] [--max-size BYTES]`: getFile, then the file fetched (or
//! copied from a local server's disk) through a temporary file beside the output.

use std::path::{Path, PathBuf};

use botapi_proto::download::DownloadError;
use botapi_proto::methods::GetFile;
use serde_json::json;

use crate::failure::Failure;
use crate::output::Printer;
use crate::transport::Connection;

/// Runs the command. A refused getFile exits 3; a failed download exits 4 and leaves
/// nothing at the output path.
pub(crate) fn run(
    transport: &Connection,
    file_id: &str,
    output: Option<&Path>,
    max_size: u64,
    printer: &Printer,
) -> Result<(), Failure> {
    let file = transport.send(&GetFile::new(file_id))?;
    let plan = transport
        .proto()
        .download(&file, max_size)
        .map_err(download_failed)?;
    // The default name is the file_path's last component, which holds no separator and is
    // never `..`: the output stays in the current directory whatever the server says.
    let output = match output {
        Some(path) => path.to_owned(),
        None => PathBuf::from(plan.file_name().unwrap_or(file_id)),
    };
    let size = transport
        .download_to_path(&file, &output, max_size)
        .map_err(download_failed)?;
    if printer.json() {
        printer.json_doc(&json!({
            "file_id": file.file_id,
            "file_path": plan.file_path(),
            "size": size,
            "output": output.display().to_string(),
        }));
    } else {
        printer.out(&format!("{} ({size} bytes)", output.display()));
    }
    Ok(())
}

/// A download failure: exit 4, with a word for scripts.
fn download_failed(e: DownloadError) -> Failure {
    let kind = match &e {
        DownloadError::NoFilePath => "no_file_path",
        DownloadError::FilePath { .. } => "file_path",
        DownloadError::BadSize(_) | DownloadError::SizeMismatch { .. } => "size_mismatch",
        DownloadError::Status { status } if status.as_u16() == 404 => "not_found",
        DownloadError::Status { .. } => "status",
        DownloadError::TooLarge { .. } => "too_large",
        DownloadError::Transport(t) => t.kind().as_str(),
        DownloadError::Output { .. } => "output",
        _ => "other",
    };
    Failure::Transport {
        kind,
        message: e.to_string(),
    }
}
