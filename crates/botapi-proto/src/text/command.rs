//! Bot commands: `/command@botname arguments` at the start of a message.
//!
//! In a group, a command may name the bot it is for (`/start@my_bot`), and every bot in
//! the group may see it; a bot must answer only commands that name it or no bot.
//! Usernames are compared without regard to ASCII case, as Telegram compares them.

use crate::types::{Message, MessageEntity, MessageEntityType};

use super::formatted::FormattedRef;
use super::utf16::Cursor;

/// A bot command read from the start of a text: `/name`, an optional `@bot` and the
/// arguments after it.
///
/// ```
/// use botapi_proto::text::Command;
///
/// let command = Command::parse("/remind@Alarm_Bot 10m tea").expect("a command");
/// assert_eq!(command.name(), "remind");
/// assert_eq!(command.bot(), Some("Alarm_Bot"));
/// assert_eq!(command.args(), "10m tea");
/// assert!(command.is_for("alarm_bot"));
/// assert!(command.is_for("@ALARM_BOT"));
/// assert!(!command.is_for("other_bot"));
///
/// // Only a command addressed to us, or to no bot, is ours to answer.
/// assert!(Command::parse_for("/start@other_bot", "alarm_bot").is_none());
/// assert!(Command::parse_for("/help", "alarm_bot").is_some());
/// assert!(Command::parse("hello /start").is_none());
///
/// // /start with a deep-link payload (t.me/alarm_bot?start=ref-42).
/// let start = Command::parse("/start ref-42").expect("a command");
/// assert_eq!(start.start_payload(), Some("ref-42"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Command<'a> {
    name: &'a str,
    bot: Option<&'a str>,
    args: &'a str,
}

/// The longest command name Telegram recognises as a command.
const MAX_NAME: usize = 64;
/// The shortest and longest bot username after a command's `@`.
const BOT_NAME: (usize, usize) = (3, 32);
/// The longest deep-link payload.
const MAX_PAYLOAD: usize = 64;

impl<'a> Command<'a> {
    /// The command at the very start of `text`, recognised as Telegram recognises one: a
    /// `/`, 1 to 64 of `A-Z a-z 0-9 _`, optionally `@` and a bot username of 3 to 32 such
    /// characters, then the end of the text or a character that is neither a letter nor a
    /// digit nor `_`, `/`, `<`, `>`. `None` when the text does not start with a command.
    pub fn parse(text: &'a str) -> Option<Self> {
        let rest = text.strip_prefix('/')?;
        let name_len = word_len(rest);
        if name_len == 0 || name_len > MAX_NAME {
            return None;
        }
        let (name, mut rest) = rest.split_at(name_len);
        let mut bot = None;
        if let Some(after_at) = rest.strip_prefix('@') {
            let bot_len = word_len(after_at);
            if !(BOT_NAME.0..=BOT_NAME.1).contains(&bot_len) {
                return None;
            }
            bot = Some(&after_at[..bot_len]);
            rest = &after_at[bot_len..];
        }
        if rest
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | '/' | '<' | '>'))
        {
            return None;
        }
        Some(Command {
            name,
            bot,
            args: rest.trim(),
        })
    }

    /// [`parse`](Command::parse), keeping only a command this bot should answer: one that
    /// names `bot_username` (with or without its `@`, in any case) or no bot at all.
    pub fn parse_for(text: &'a str, bot_username: &str) -> Option<Self> {
        Command::parse(text).filter(|c| c.is_for(bot_username))
    }

    /// The command a message starts with: from its text, or its caption when it has no
    /// text, as marked by a `bot_command` entity at offset 0. A text that merely starts
    /// with `/` is not a command unless Telegram marked it so.
    pub fn from_message(message: &'a Message) -> Option<Self> {
        FormattedRef::message(message)?.command()
    }

    /// [`from_message`](Command::from_message), keeping only a command this bot should
    /// answer (see [`parse_for`](Command::parse_for)).
    pub fn from_message_for(message: &'a Message, bot_username: &str) -> Option<Self> {
        Command::from_message(message).filter(|c| c.is_for(bot_username))
    }

    /// The command that `text` starts with according to its `entities`: the `bot_command`
    /// entity at offset 0 gives its extent. Entities with bad ranges are ignored.
    pub fn from_entities(text: &'a str, entities: &[MessageEntity]) -> Option<Self> {
        let entity = entities
            .iter()
            .find(|e| e.r#type == MessageEntityType::BotCommand && e.offset == 0)?;
        let range = Cursor::new(text).range(entity.offset, entity.length).ok()?;
        let command = Command::parse(&text[..range.end])?;
        Some(Command {
            args: text[range.end..].trim(),
            ..command
        })
    }

    /// The command's name, without the `/`, as typed.
    pub fn name(&self) -> &'a str {
        self.name
    }

    /// The bot the command names after `@`, as typed, if any.
    pub fn bot(&self) -> Option<&'a str> {
        self.bot
    }

    /// The text after the command, without white space at either end; empty when none.
    pub fn args(&self) -> &'a str {
        self.args
    }

    /// Whether the command is `name` (without the `/`), compared without regard to ASCII
    /// case.
    pub fn is(&self, name: &str) -> bool {
        self.name
            .eq_ignore_ascii_case(name.strip_prefix('/').unwrap_or(name))
    }

    /// Whether a bot called `bot_username` should answer: the command names it (with or
    /// without the `@`, in any case) or names no bot.
    pub fn is_for(&self, bot_username: &str) -> bool {
        let me = bot_username.strip_prefix('@').unwrap_or(bot_username);
        self.bot.is_none_or(|bot| bot.eq_ignore_ascii_case(me))
    }

    /// The deep-link payload of a `/start` command (what followed `?start=` in a
    /// `t.me/<bot>?start=…` link): the arguments, when the command is `start` and they are
    /// 1 to 64 of `A-Z a-z 0-9 _ -`, the characters such a payload may hold. `None` for any
    /// other command, a bare `/start`, or arguments a deep link cannot carry (typed by hand).
    pub fn start_payload(&self) -> Option<&'a str> {
        let args = self.args;
        let valid = !args.is_empty()
            && args.len() <= MAX_PAYLOAD
            && args
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        (self.is("start") && valid).then_some(args)
    }
}

/// The length of the run of `A-Z a-z 0-9 _` at the start of `s`.
fn word_len(s: &str) -> usize {
    s.bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Option<(&str, Option<&str>, &str)> {
        Command::parse(text).map(|c| (c.name(), c.bot(), c.args()))
    }

    #[test]
    fn commands_are_recognised_as_telegram_recognises_them() {
        assert_eq!(parsed("/start"), Some(("start", None, "")));
        assert_eq!(parsed("/a_1 x"), Some(("a_1", None, "x")));
        assert_eq!(parsed("/start@my_bot"), Some(("start", Some("my_bot"), "")));
        assert_eq!(
            parsed("/help@MyBot  \n more  "),
            Some(("help", Some("MyBot"), "more"))
        );
        assert_eq!(parsed("/help-me"), Some(("help", None, "-me")));
        assert_eq!(parsed("/x,y"), Some(("x", None, ",y")));
        assert_eq!(
            parsed(&format!("/{}", "a".repeat(64))).map(|c| c.0.len()),
            Some(64)
        );
        for not_a_command in [
            "",
            "/",
            "start",
            " /start",
            "x /start",
            "/ start",
            "/starté",
            "/start/x",
            "/start<",
            "/start@ab",
            "/start@",
            "//start",
        ] {
            assert_eq!(parsed(not_a_command), None, "{not_a_command:?}");
        }
        assert_eq!(parsed("/s@bot_"), Some(("s", Some("bot_"), "")));
        assert!(parsed(&format!("/s@{}", "b".repeat(32))).is_some());
        assert_eq!(parsed(&format!("/s@{}", "b".repeat(33))), None);
        assert_eq!(parsed(&format!("/{}", "a".repeat(65))), None);
    }

    #[test]
    fn other_bots_commands_are_refused() {
        let mine = "Alarm_Bot";
        assert!(Command::parse_for("/start", mine).is_some());
        assert!(Command::parse_for("/start@alarm_bot", mine).is_some());
        assert!(Command::parse_for("/start@ALARM_BOT go", "@alarm_bot").is_some());
        assert!(Command::parse_for("/start@alarm_bot2", mine).is_none());
        assert!(Command::parse_for("/start@other_bot", mine).is_none());
    }

    #[test]
    fn start_payloads() {
        fn payload(text: &str) -> Option<&str> {
            Command::parse(text).and_then(|c| c.start_payload())
        }
        assert_eq!(payload("/start abc-DEF_123"), Some("abc-DEF_123"));
        assert_eq!(payload("/START x"), Some("x"));
        assert_eq!(payload("/start@my_bot ref"), Some("ref"));
        assert_eq!(payload("/start"), None);
        assert_eq!(payload("/start two words"), None);
        assert_eq!(payload("/start ключ"), None);
        assert_eq!(payload(&format!("/start {}", "a".repeat(65))), None);
        assert_eq!(payload("/help abc"), None);
    }

    #[test]
    fn entities_mark_the_command() {
        let entity =
            |offset, length| MessageEntity::new(MessageEntityType::BotCommand, offset, length);
        let text = "/start@my_bot payload";
        let found = |entities: &[MessageEntity]| {
            Command::from_entities(text, entities).map(|c| (c.name(), c.bot(), c.args()))
        };
        assert_eq!(
            found(&[entity(0, 13)]),
            Some(("start", Some("my_bot"), "payload"))
        );
        assert_eq!(found(&[]), None);
        assert_eq!(found(&[entity(1, 5)]), None);
        assert_eq!(found(&[entity(0, 99)]), None);
        assert_eq!(found(&[entity(0, -1)]), None);
        // Telegram's entity is what counts: here it ends before "@my_bot".
        assert_eq!(
            found(&[entity(0, 6)]),
            Some(("start", None, "@my_bot payload"))
        );
    }
}
