//! Answers for the decode benchmark, generated here: a `getUpdates` batch of 100 updates
//! in the mix a busy group bot sees (messages with entities, photos, replies and forwards,
//! callback queries, reactions, inline queries, member changes, channel posts), written
//! the way the Bot API server writes it (every non-ASCII character as a `\u` escape) and
//! as plain UTF-8, plus errors and `getMe`. A fixed seed makes every run read the same
//! bytes; `BENCH_SEED` picks another draw of the same mix.

use serde_json::{Value, json};

/// A small deterministic generator (xorshift64*), enough to vary the payloads.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    pub(crate) fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// `n` characters of the URL-safe base64 alphabet, as in file ids.
    pub(crate) fn id_text(&mut self, n: usize) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        (0..n)
            .map(|_| ALPHABET[self.below(64) as usize] as char)
            .collect()
    }
}

const FIRST_NAMES: &[&str] = &[
    "Анна", "Mark", "Dmitry", "Léa", "李", "Ömer", "Sofia", "Ivan",
];
const LAST_NAMES: &[&str] = &["Petrova", "Müller", "Smith", "Kovalenko", "García"];
const TEXTS: &[&str] = &[
    "Привет! Как дела? 😊",
    "Deploy finished in 3m 12s ✅ see https://ci.example.com/build/1234",
    "/start@example_bot",
    "Погода в Москве: +12°C, облачно. Ветер 5 м/с.\nЗавтра: +9°C 🌧",
    "Can someone review PR #4521? @alice @bob",
    "ok",
    "Спасибо большое за помощь, всё заработало 🙏🔥",
    "Meeting moved to 15:30 (UTC+3). Agenda: release 2.4, bugs, hiring.",
    "日本語のテキストも送れます 🎌",
    "Reminder: the server will restart at 02:00. Save your work!",
];
const EMOJI: &[&str] = &["👍", "❤", "🔥", "🎉", "😁", "🤔", "👏"];

pub(crate) struct Generator {
    rng: Rng,
    next_update: i64,
    next_message: i64,
}

impl Generator {
    pub(crate) fn new(seed: u64) -> Self {
        Generator {
            rng: Rng::new(seed),
            next_update: 871_234_567,
            next_message: 50_000,
        }
    }

    fn user(&mut self) -> Value {
        let mut user = json!({
            "id": 5_000_000_000_i64 + self.rng.below(3_000_000_000) as i64,
            "is_bot": false,
            "first_name": self.rng.pick(FIRST_NAMES),
        });
        if self.rng.chance(60) {
            user["last_name"] = json!(self.rng.pick(LAST_NAMES));
        }
        if self.rng.chance(70) {
            user["username"] = json!(format!("user_{}", self.rng.id_text(8)));
        }
        user["language_code"] = json!(self.rng.pick(&["ru", "en", "de", "uk"]));
        if self.rng.chance(20) {
            user["is_premium"] = json!(true);
        }
        user
    }

    fn group(&mut self) -> Value {
        json!({
            "id": -1_002_233_445_566_i64,
            "title": "Команда разработки 🚀",
            "username": "dev_team_chat",
            "is_forum": false,
            "type": "supergroup",
        })
    }

    fn private_chat(&mut self, user: &Value) -> Value {
        let mut chat =
            json!({"id": user["id"], "first_name": user["first_name"], "type": "private"});
        if let Some(name) = user.get("username") {
            chat["username"] = name.clone();
        }
        chat
    }

    fn channel(&mut self) -> Value {
        json!({"id": -1_001_987_654_321_i64, "title": "Новости проекта", "username": "project_news", "type": "channel"})
    }

    fn entities(&mut self, text: &str) -> Value {
        let length = text.encode_utf16().count() as i64;
        let mut out = vec![json!({"offset": 0, "length": length.min(5), "type": "bold"})];
        if let Some(at) = text.find("https://") {
            let offset = text[..at].encode_utf16().count() as i64;
            let len = text[at..].split(' ').next().unwrap().encode_utf16().count() as i64;
            out.push(json!({"offset": offset, "length": len, "type": "url"}));
        }
        if text.starts_with('/') {
            out[0] = json!({"offset": 0, "length": length, "type": "bot_command"});
        }
        if let Some(at) = text.find('@') {
            let offset = text[..at].encode_utf16().count() as i64;
            out.push(json!({"offset": offset, "length": 6, "type": "mention"}));
        }
        Value::Array(out)
    }

    fn photo(&mut self) -> Value {
        let unique = self.rng.id_text(16);
        let sizes: Vec<Value> = [(90, 67), (320, 240), (1280, 960)]
            .iter()
            .map(|&(w, h)| {
                json!({
                    "file_id": format!("AgACAgIAAxkBAAI{}", self.rng.id_text(64)),
                    "file_unique_id": format!("AQAD{unique}{w}"),
                    "file_size": w * h / 5,
                    "width": w,
                    "height": h,
                })
            })
            .collect();
        Value::Array(sizes)
    }

    fn message(&mut self, chat: Value, from: Option<Value>, depth: usize) -> Value {
        self.next_message += 1;
        let mut message = json!({"message_id": self.next_message});
        if let Some(from) = from {
            message["from"] = from;
        }
        message["chat"] = chat.clone();
        message["date"] = json!(1_791_234_567 + self.next_message);
        if self.rng.chance(25) {
            message["photo"] = self.photo();
            let caption = *self.rng.pick(TEXTS);
            message["caption"] = json!(caption);
            message["caption_entities"] = self.entities(caption);
        } else {
            let text = *self.rng.pick(TEXTS);
            message["text"] = json!(text);
            if self.rng.chance(70) {
                message["entities"] = self.entities(text);
            }
            if text.contains("https://") {
                message["link_preview_options"] = json!({"is_disabled": true});
            }
        }
        if depth == 0 && self.rng.chance(20) {
            let from = self.user();
            message["reply_to_message"] = self.message(chat.clone(), Some(from), 1);
        }
        if depth == 0 && self.rng.chance(15) {
            message["forward_origin"] = if self.rng.chance(50) {
                json!({"type": "user", "date": 1_791_000_000, "sender_user": self.user()})
            } else {
                json!({"type": "channel", "date": 1_791_000_001, "chat": self.channel(), "message_id": 77})
            };
        }
        if self.rng.chance(15) {
            message["reply_markup"] = json!({"inline_keyboard": [[
                {"text": "✅ Approve", "callback_data": format!("approve:{}", self.next_message)},
                {"text": "Logs", "url": "https://ci.example.com/build/1234/logs"}
            ]]});
        }
        message
    }

    fn update(&mut self, kind: &str) -> Value {
        self.next_update += 1;
        let body = match kind {
            "message" | "edited_message" => {
                let from = self.user();
                let chat = if self.rng.chance(50) {
                    self.private_chat(&from)
                } else {
                    self.group()
                };
                let mut message = self.message(chat, Some(from), 0);
                if kind == "edited_message" {
                    message["edit_date"] = json!(1_791_239_999);
                }
                message
            }
            "channel_post" | "edited_channel_post" => {
                let chat = self.channel();
                let mut post = self.message(chat.clone(), None, 1);
                post["sender_chat"] = chat;
                post
            }
            "callback_query" => {
                let from = self.user();
                let chat = self.group();
                let bot = json!({"id": 7_012_345_678_i64, "is_bot": true, "first_name": "Example Bot", "username": "example_bot"});
                let message = if self.rng.chance(85) {
                    self.message(chat, Some(bot), 1)
                } else {
                    json!({"chat": chat, "message_id": 12, "date": 0})
                };
                json!({
                    "id": format!("{}", 4_382_000_000_000_000_000_u64 + self.rng.below(1_000_000_000)),
                    "from": from, "message": message,
                    "chat_instance": format!("-{}", self.rng.below(9_000_000_000_000_000_000)),
                    "data": format!("approve:{}", self.rng.below(10_000)),
                })
            }
            "message_reaction" => {
                let user = self.user();
                let chat = self.group();
                let mut new = vec![json!({"type": "emoji", "emoji": self.rng.pick(EMOJI)})];
                if self.rng.chance(30) {
                    new.push(
                        json!({"type": "custom_emoji", "custom_emoji_id": "5368324170671202286"}),
                    );
                }
                json!({"chat": chat, "message_id": self.rng.below(50_000), "user": user,
                       "date": 1_791_234_600, "old_reaction": [], "new_reaction": new})
            }
            "inline_query" => json!({
                "id": format!("{}", 9_000_000_000_000_000_u64 + self.rng.below(1_000_000)),
                "from": self.user(), "query": *self.rng.pick(TEXTS), "offset": "",
                "chat_type": *self.rng.pick(&["sender", "private", "supergroup"]),
            }),
            "my_chat_member" => {
                let from = self.user();
                let chat = self.private_chat(&from);
                let bot = json!({"id": 7_012_345_678_i64, "is_bot": true, "first_name": "Example Bot", "username": "example_bot"});
                let new = if self.rng.chance(50) {
                    json!({"user": bot, "status": "kicked", "until_date": 0})
                } else {
                    json!({"user": bot, "status": "administrator", "can_be_edited": false,
                           "is_anonymous": false, "can_manage_chat": true, "can_delete_messages": true,
                           "can_manage_video_chats": true, "can_restrict_members": true,
                           "can_promote_members": false, "can_change_info": true, "can_invite_users": true,
                           "can_post_stories": false, "can_edit_stories": false, "can_delete_stories": false,
                           "can_pin_messages": true, "can_manage_topics": false})
                };
                json!({"chat": chat, "from": from, "date": 1_791_234_700,
                       "old_chat_member": {"user": bot, "status": "member"}, "new_chat_member": new})
            }
            other => unreachable!("{other}"),
        };
        json!({"update_id": self.next_update, kind: body})
    }

    /// 100 updates in a busy group bot's mix, shuffled.
    pub(crate) fn get_updates(&mut self) -> Value {
        let mix = [
            ("message", 44),
            ("callback_query", 12),
            ("message_reaction", 10),
            ("inline_query", 10),
            ("channel_post", 8),
            ("edited_message", 8),
            ("my_chat_member", 6),
            ("edited_channel_post", 2),
        ];
        let mut kinds: Vec<&str> = mix
            .iter()
            .flat_map(|&(kind, n)| std::iter::repeat_n(kind, n))
            .collect();
        for i in (1..kinds.len()).rev() {
            kinds.swap(i, self.rng.below(i as u64 + 1) as usize);
        }
        let updates: Vec<Value> = kinds.iter().map(|kind| self.update(kind)).collect();
        json!({"ok": true, "result": updates})
    }
}

/// JSON text with every non-ASCII character written as `\uXXXX` (surrogate pairs above the
/// BMP), as the Bot API server writes it. Non-ASCII only occurs inside strings.
pub(crate) fn escape_non_ascii(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

pub(crate) const GET_ME: &str = r#"{"ok":true,"result":{"id":7012345678,"is_bot":true,"first_name":"Example Bot","username":"example_bot","can_join_groups":true,"can_read_all_group_messages":false,"supports_inline_queries":true,"can_connect_to_business":false,"has_main_web_app":false}}"#;
pub(crate) const TOO_MANY_REQUESTS: &str = r#"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 35","parameters":{"retry_after":35}}"#;
/// The same error with its fields in another order: read by the full decoder, not by the
/// matcher for the server's own layout.
pub(crate) const TOO_MANY_REQUESTS_REORDERED: &str = r#"{"description":"Too Many Requests: retry after 35","error_code":429,"ok":false,"parameters":{"retry_after":35}}"#;
pub(crate) const MIGRATED: &str = r#"{"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded to a supergroup chat","parameters":{"migrate_to_chat_id":-1001234567890123}}"#;
