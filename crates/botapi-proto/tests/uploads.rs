//! Files anywhere in a generated method's parameters are uploaded: directly as a file part,
//! nested (in `InputMedia*`, `InputPaidMedia`, `InputSticker`, `InputStoryContent`,
//! `InputProfilePhoto`, rich message blocks) as `attach://fileN` plus a part `fileN`; a
//! `file_id` or URL alone stays JSON.

use botapi_proto::form::{self, FormPart};
use botapi_proto::methods::{
    CreateNewStickerSet, EditMessageMedia, PostStory, SendDocument, SendMediaGroup, SendPaidMedia,
    SendPhoto, SendRichMessage, SetBusinessAccountProfilePhoto,
};
use botapi_proto::types::{
    InputMediaPhoto, InputMediaVideo, InputPaidMediaPhoto, InputProfilePhotoStatic, InputRichBlock,
    InputRichBlockPhoto, InputRichMessage, InputSticker, InputStoryContentPhoto, StickerFormat,
};
use botapi_proto::{Client, InputFile, Method, Request, Token};
use serde_json::{Value, json};

fn client() -> Client {
    Client::new(Token::new("4242:uploadSECRET").unwrap())
}

fn parts_of(request: &Request) -> Vec<FormPart> {
    let content_type = request.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        content_type.starts_with("multipart/form-data"),
        "{content_type}"
    );
    form::parse(&content_type, &request.body().to_vec().unwrap()).unwrap()
}

fn part<'p>(parts: &'p [FormPart], name: &str) -> &'p FormPart {
    parts
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no part {name}"))
}

fn json_part(parts: &[FormPart], name: &str) -> Value {
    serde_json::from_str(part(parts, name).text().unwrap()).unwrap()
}

fn encode<M: Method>(method: &M) -> Request {
    let mut uploads = Vec::new();
    method.uploads(&mut uploads);
    assert!(
        !uploads.is_empty(),
        "{} lists no uploads",
        method.method_name()
    );
    client().encode(method).unwrap()
}

#[test]
fn a_direct_file_is_a_file_part() {
    let send = SendPhoto::new(-100, InputFile::bytes("cat.jpg", &b"JPEG"[..])).caption("cat");
    let parts = parts_of(&encode(&send));
    let photo = part(&parts, "photo");
    assert_eq!(photo.file_name.as_deref(), Some("cat.jpg"));
    assert_eq!(photo.data, b"JPEG");
    assert_eq!(part(&parts, "chat_id").text(), Some("-100"));
    assert_eq!(part(&parts, "caption").text(), Some("cat"));
}

#[test]
fn a_file_id_alone_stays_json() {
    let send = SendPhoto::new(-100, InputFile::file_id("AgAD"));
    let mut uploads = Vec::new();
    send.uploads(&mut uploads);
    assert!(uploads.is_empty());
    let request = client().encode(&send).unwrap();
    assert_eq!(request.headers()["content-type"], "application/json");
    let body: Value = serde_json::from_slice(&request.body().to_vec().unwrap()).unwrap();
    assert_eq!(body, json!({"chat_id": -100, "photo": "AgAD"}));
}

#[test]
fn media_groups_attach_each_upload() {
    let group = SendMediaGroup::new(
        42,
        vec![
            InputMediaPhoto::new(InputFile::bytes("a.jpg", &b"A"[..])).into(),
            InputMediaPhoto::new(InputFile::file_id("known")).into(),
            InputMediaPhoto::new(InputFile::bytes("b.jpg", &b"B"[..]))
                .caption("b")
                .into(),
        ],
    );
    let parts = parts_of(&encode(&group));
    assert_eq!(
        json_part(&parts, "media"),
        json!([
            {"type": "photo", "media": "attach://file0"},
            {"type": "photo", "media": "known"},
            {"type": "photo", "media": "attach://file1", "caption": "b"},
        ])
    );
    assert_eq!(part(&parts, "file0").data, b"A");
    assert_eq!(part(&parts, "file1").data, b"B");
}

#[test]
fn edited_media_uploads_the_file_and_its_thumbnail() {
    let video = InputMediaVideo::new(InputFile::bytes("v.mp4", &b"VIDEO"[..]))
        .thumbnail(InputFile::bytes("t.jpg", &b"THUMB"[..]));
    let parts = parts_of(&encode(&EditMessageMedia::new(1, 2, video)));
    let media = json_part(&parts, "media");
    assert_eq!(media["type"], "video");
    let name = |v: &Value| {
        v.as_str()
            .unwrap()
            .strip_prefix("attach://")
            .unwrap()
            .to_owned()
    };
    assert_eq!(part(&parts, &name(&media["media"])).data, b"VIDEO");
    assert_eq!(part(&parts, &name(&media["thumbnail"])).data, b"THUMB");
}

#[test]
fn paid_media_stories_profile_photos_and_stickers_upload() {
    let paid = SendPaidMedia::new(
        1,
        5,
        vec![InputPaidMediaPhoto::new(InputFile::bytes("p.jpg", &b"P"[..])).into()],
    );
    let parts = parts_of(&encode(&paid));
    assert_eq!(json_part(&parts, "media")[0]["media"], "attach://file0");
    assert_eq!(part(&parts, "file0").data, b"P");

    let story = PostStory::new(
        "biz",
        InputStoryContentPhoto::new(InputFile::bytes("s.jpg", &b"S"[..])),
        86400,
    );
    let parts = parts_of(&encode(&story));
    assert_eq!(
        json_part(&parts, "content"),
        json!({"type": "photo", "photo": "attach://file0"})
    );
    assert_eq!(part(&parts, "file0").data, b"S");

    let photo = SetBusinessAccountProfilePhoto::new(
        "biz",
        InputProfilePhotoStatic::new(InputFile::bytes("me.jpg", &b"ME"[..])),
    );
    let parts = parts_of(&encode(&photo));
    assert_eq!(json_part(&parts, "photo")["type"], "static");
    assert_eq!(part(&parts, "file0").data, b"ME");

    let stickers = CreateNewStickerSet::new(
        7,
        "set_by_bot",
        "Set",
        vec![InputSticker::new(
            InputFile::bytes("s.webp", &b"WEBP"[..]),
            StickerFormat::Static,
            vec!["😀".into()],
        )],
    );
    let parts = parts_of(&encode(&stickers));
    assert_eq!(
        json_part(&parts, "stickers"),
        json!([{"sticker": "attach://file0", "format": "static", "emoji_list": ["😀"]}])
    );
    assert_eq!(part(&parts, "file0").data, b"WEBP");
}

#[test]
fn uploads_deep_in_a_rich_message_are_found() {
    let block = InputRichBlockPhoto::new(InputMediaPhoto::new(InputFile::bytes(
        "deep.jpg",
        &b"DEEP"[..],
    )));
    let message = InputRichMessage::new().blocks(vec![InputRichBlock::from(block)]);
    let parts = parts_of(&encode(&SendRichMessage::new(1, message)));
    let rich = json_part(&parts, "rich_message");
    assert_eq!(
        rich["blocks"][0],
        json!({"type": "photo", "photo": {"type": "photo", "media": "attach://file0"}})
    );
    assert_eq!(part(&parts, "file0").data, b"DEEP");
}

#[test]
fn files_on_disk_are_streamed_by_the_transport() {
    let send = SendPhoto::new(1, InputFile::path("/srv/photos/big.jpg"));
    let request = client().encode(&send).unwrap();
    assert!(request.body().needs_streaming());
    assert_eq!(request.body().to_vec(), None);
}

#[test]
fn readers_are_carried_to_the_transport_in_their_slot() {
    let reader = std::io::Cursor::new(b"READER".to_vec());
    let send = SendDocument::new(1, InputFile::reader("r.bin", reader, Some(6)));
    let request = client().encode(&send).unwrap();
    assert!(request.body().needs_streaming());
    let readers: Vec<_> = request
        .body()
        .chunks()
        .iter()
        .filter_map(|c| match c {
            botapi_proto::Chunk::Reader { file_name, slot } => {
                Some((file_name.clone(), slot.len()))
            }
            _ => None,
        })
        .collect();
    assert_eq!(readers, [("r.bin".to_owned(), Some(6))]);
    assert!(format!("{request:?}").contains("Reader { file_name: \"r.bin\", len: Some(6) }"));
}

#[test]
fn local_server_files_are_file_references() {
    let local = InputFile::local("/var/lib/telegram-bot-api/big.mp4").unwrap();
    let request = client().encode(&SendDocument::new(1, local)).unwrap();
    let body = request.body().to_vec().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(json["document"], "file:///var/lib/telegram-bot-api/big.mp4");
    assert_eq!(
        InputFile::local("relative/x.mp4"),
        Err(botapi_proto::LocalPathError::NotAbsolute)
    );
    assert_eq!(
        InputFile::local("/a\nb"),
        Err(botapi_proto::LocalPathError::ControlCharacter)
    );
    let read: InputFile = serde_json::from_str("\"file:///srv/a.mp4\"").unwrap();
    assert_eq!(read, InputFile::local("/srv/a.mp4").unwrap());
}
