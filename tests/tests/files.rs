//! Files through both adapters against the emulator: downloads from a server that serves
//! them and from a local server's disk, every way one can fail (with nothing left behind),
//! and uploads from readers.

use std::path::PathBuf;

use botapi_proto::download::{DownloadError, FilePathError};
use botapi_proto::methods::{GetFile, SendDocument};
use botapi_proto::types::File;
use botapi_proto::{InputFile, TransportErrorKind};
use botapi_tests::{Adapter, Emulator, Fault, conformance};

conformance!(
    downloads_from_a_server_that_serves_files,
    downloads_from_a_local_server_disk,
    every_failed_download_leaves_nothing,
    escaping_file_paths_are_refused_before_sending,
    reader_uploads_arrive_whole,
);

const TOKEN_SECRET: &str = "SENTINELfilessecret";

fn emulator(local: bool) -> Emulator {
    let token = format!("4242:{TOKEN_SECRET}").parse().unwrap();
    let bot = botapi_emulator::default_bot();
    Emulator::builder()
        .bot(token, bot)
        .local_mode(local)
        .start()
        .unwrap()
}

/// A directory of its own for each test, removed at the end.
struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let dir = std::env::temp_dir().join(format!("botapi-files-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Dir(dir)
    }

    fn entries(&self) -> Vec<String> {
        let mut names: Vec<_> = std::fs::read_dir(&self.0)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn data(n: usize) -> Vec<u8> {
    (0..n).map(|i| (i * 31 % 251) as u8).collect()
}

fn get_file<A: Adapter>(client: &A, file_id: &str) -> File {
    client.send(&GetFile::new(file_id)).unwrap()
}

fn downloads_from_a_server_that_serves_files<A: Adapter>() {
    let emulator = emulator(false);
    let client = A::for_emulator(&emulator);
    let content = data(300_000);
    let file = get_file(&client, &emulator.store_file("report.pdf", content.clone()));
    assert_eq!(file.file_path.as_deref(), Some("documents/file_1.pdf"));
    assert_eq!(file.file_size, Some(300_000));
    assert!(client.download(&file, 1 << 20).unwrap() == content);
    let dir = Dir::new(&format!("{}-remote", A::NAME));
    let target = dir.0.join("report.pdf");
    assert_eq!(
        client.download_to_path(&file, &target, 1 << 20).unwrap(),
        300_000
    );
    assert!(std::fs::read(&target).unwrap() == content);
    assert_eq!(dir.entries(), ["report.pdf"], "no temporary file left");
    let request = emulator.requests().pop().unwrap();
    assert_eq!(
        (request.method.as_str(), request.http_method.as_str()),
        ("download", "GET")
    );
}

fn downloads_from_a_local_server_disk<A: Adapter>() {
    let emulator = emulator(true);
    let client = A::for_emulator(&emulator);
    let content = data(70_000);
    let file = get_file(&client, &emulator.store_file("clip.mp4", content.clone()));
    let path = PathBuf::from(file.file_path.as_deref().unwrap());
    assert!(
        path.is_absolute() && path.starts_with(emulator.local_dir().unwrap()),
        "{path:?}"
    );
    emulator.clear_requests();
    assert!(client.download(&file, 1 << 20).unwrap() == content);
    assert!(
        emulator.requests().is_empty(),
        "copied from disk, not fetched"
    );
    let dir = Dir::new(&format!("{}-local", A::NAME));
    let target = dir.0.join("clip.mp4");
    assert_eq!(
        client.download_to_path(&file, &target, 1 << 20).unwrap(),
        70_000
    );
    assert!(std::fs::read(&target).unwrap() == content);
    // A path that is gone is a file error, and leaves nothing.
    std::fs::remove_file(&path).unwrap();
    let e = client
        .download_to_path(&file, &dir.0.join("gone.mp4"), 1 << 20)
        .unwrap_err();
    assert!(
        matches!(&e, DownloadError::Transport(t) if t.kind() == TransportErrorKind::File),
        "{e}"
    );
    assert_eq!(dir.entries(), ["clip.mp4"]);
    // file:// inputs name a local file: taken when it exists.
    let sent = client.send(&SendDocument::new(1, InputFile::local(&target).unwrap()));
    assert!(sent.is_ok(), "{:?}", sent.err());
    let missing = client.send(&SendDocument::new(
        1,
        InputFile::local("/no/such.bin").unwrap(),
    ));
    assert_eq!(missing.unwrap_err().api().error_code, Some(400));
}

fn every_failed_download_leaves_nothing<A: Adapter>() {
    let emulator = emulator(false);
    let client = A::for_emulator(&emulator);
    let file = get_file(&client, &emulator.store_file("a.bin", data(10_000)));
    let dir = Dir::new(&format!("{}-failures", A::NAME));
    let target = dir.0.join("a.bin");
    let check = |e: DownloadError, what: &str| {
        let text = format!("{e} {e:?}");
        assert!(!text.contains(TOKEN_SECRET), "{what}: {text}");
        assert!(dir.entries().is_empty(), "{what} left {:?}", dir.entries());
        e
    };

    let mut unknown = file.clone();
    unknown.file_path = Some("documents/none.bin".into());
    let e = check(
        client
            .download_to_path(&unknown, &target, 1 << 20)
            .unwrap_err(),
        "404",
    );
    assert!(
        matches!(e, DownloadError::Status { status } if status == 404),
        "{e}"
    );

    emulator.inject("download", Fault::BrokenOff, 1);
    let e = check(
        client
            .download_to_path(&file, &target, 1 << 20)
            .unwrap_err(),
        "cut off",
    );
    assert!(
        matches!(
            &e,
            DownloadError::Transport(_) | DownloadError::SizeMismatch { .. }
        ),
        "{e}"
    );

    emulator.inject("download", Fault::Truncated, 1);
    let e = check(
        client
            .download_to_path(&file, &target, 1 << 20)
            .unwrap_err(),
        "short",
    );
    assert!(
        matches!(
            e,
            DownloadError::SizeMismatch {
                expected: 10_000,
                ..
            }
        ),
        "{e}"
    );

    let longer = Fault::Respond {
        status: 200,
        content_type: "application/octet-stream".into(),
        body: data(20_000),
    };
    emulator.inject("download", longer, 1);
    let e = check(
        client
            .download_to_path(&file, &target, 1 << 20)
            .unwrap_err(),
        "long",
    );
    assert!(
        matches!(
            e,
            DownloadError::SizeMismatch {
                expected: 10_000,
                ..
            }
        ),
        "{e}"
    );

    let e = check(
        client.download_to_path(&file, &target, 9_999).unwrap_err(),
        "too large",
    );
    assert_eq!(e, DownloadError::TooLarge { limit: 9_999 });

    let mut unannounced = file.clone();
    unannounced.file_size = None;
    let e = check(
        client
            .download_to_path(&unannounced, &target, 4_096)
            .unwrap_err(),
        "limit",
    );
    assert_eq!(e, DownloadError::TooLarge { limit: 4_096 });

    emulator.inject("download", Fault::DropConnection, 1);
    let e = check(
        client
            .download_to_path(&file, &target, 1 << 20)
            .unwrap_err(),
        "dropped",
    );
    assert!(matches!(e, DownloadError::Transport(_)), "{e}");

    // A complete file already there is replaced only by a complete one.
    std::fs::write(&target, b"old").unwrap();
    emulator.inject("download", Fault::Truncated, 1);
    assert!(client.download_to_path(&file, &target, 1 << 20).is_err());
    assert_eq!(std::fs::read(&target).unwrap(), b"old");
    assert_eq!(
        client.download_to_path(&file, &target, 1 << 20).unwrap(),
        10_000
    );
    assert_eq!(dir.entries(), ["a.bin"]);
}

fn escaping_file_paths_are_refused_before_sending<A: Adapter>() {
    let emulator = emulator(false);
    let client = A::for_emulator(&emulator);
    let mut file = File::new("x", "y");
    for (path, reason) in [
        ("../../etc/passwd", FilePathError::ParentSegment),
        ("documents/\u{7}bell", FilePathError::ControlCharacter),
        ("", FilePathError::Empty),
    ] {
        file.file_path = Some(path.into());
        emulator.clear_requests();
        match client.download(&file, 1 << 20) {
            Err(DownloadError::FilePath { reason: r, .. }) => assert_eq!(r, reason, "{path:?}"),
            other => panic!("{path:?}: {other:?}"),
        }
        assert!(emulator.requests().is_empty(), "nothing sent for {path:?}");
    }
    // The cloud never answers an absolute path: one claiming to be from it is refused.
    let cloud = A::build(
        botapi_proto::Client::new(format!("1:{TOKEN_SECRET}").parse().unwrap()),
        botapi_tests::Settings::new(),
    );
    file.file_path = Some("/etc/passwd".into());
    let e = cloud.download(&file, 1 << 20).unwrap_err();
    assert!(
        matches!(
            e,
            DownloadError::FilePath {
                reason: FilePathError::AbsoluteFromCloud,
                ..
            }
        ),
        "{e}"
    );
}

fn reader_uploads_arrive_whole<A: Adapter>() {
    let emulator = emulator(false);
    let client = A::for_emulator(&emulator);
    let content = data(200_000);
    for len in [Some(200_000), None] {
        emulator.clear_requests();
        let upload = A::reader_upload("stream.bin", content.clone(), len);
        client.send(&SendDocument::new(1, upload)).unwrap();
        let request = emulator.requests().pop().unwrap();
        let sent = request.file("document").expect("the file part");
        assert!(
            sent.data == content,
            "{len:?}: {} bytes arrived",
            sent.data.len()
        );
        let chunked = request
            .header("transfer-encoding")
            .is_some_and(|v| v.contains("chunked"));
        assert_eq!(
            request.header("content-length").is_some(),
            len.is_some(),
            "{len:?}"
        );
        assert_eq!(chunked, len.is_none(), "{len:?}");
    }
    // A reader that is shorter than it said fails the call as a file error, before the
    // server can have run it.
    let short = A::reader_upload("short.bin", data(10), Some(11));
    let e = client.send(&SendDocument::new(1, short)).unwrap_err();
    let t = e.transport();
    assert_eq!(t.kind, TransportErrorKind::File, "{}", e.display);
    // The same request twice: the reader is gone the second time.
    let once = SendDocument::new(1, A::reader_upload("once.bin", data(5), Some(5)));
    client.send(&once).unwrap();
    let again = client.send(&once).unwrap_err();
    assert!(again.display.contains("already sent"), "{}", again.display);
}
