//! The emulated cloud's bots: who they are, whether they are logged out, and their webhook.

use std::time::{Duration, Instant};

use botapi_proto::Token;
use botapi_proto::types::User;

use crate::updates::UpdateQueue;

/// A registered bot and its state.
#[derive(Debug)]
pub(crate) struct Bot {
    token: Token,
    pub(crate) user: User,
    pub(crate) webhook: Option<Webhook>,
    /// When `logOut` was called, if the lockout may still be running.
    pub(crate) logged_out_at: Option<Instant>,
    /// Updates waiting for `getUpdates`.
    pub(crate) updates: UpdateQueue,
    /// The `message_id` of the next message the bot sends.
    next_message_id: i64,
}

impl Bot {
    pub(crate) fn new(token: Token, user: User) -> Self {
        Bot {
            token,
            user,
            webhook: None,
            logged_out_at: None,
            updates: UpdateQueue::default(),
            next_message_id: 1,
        }
    }

    /// The bot's token.
    pub(crate) fn token(&self) -> &Token {
        &self.token
    }

    /// The id of a message the bot sends now: 1, 2, 3, …
    pub(crate) fn new_message_id(&mut self) -> i64 {
        let id = self.next_message_id;
        self.next_message_id = id.saturating_add(1);
        id
    }
}

/// A bot's webhook, as setWebhook left it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Webhook {
    pub(crate) url: String,
    pub(crate) has_custom_certificate: bool,
    pub(crate) max_connections: i64,
    pub(crate) allowed_updates: Option<Vec<String>>,
    pub(crate) ip_address: Option<String>,
    /// Kept as the real server keeps it; it never appears in getWebhookInfo.
    pub(crate) secret_token: Option<String>,
}

/// Whether a token may call methods now.
pub(crate) enum Access<'a> {
    /// No bot has this token.
    Unknown,
    /// The bot logged out and its lockout has not run out.
    LockedOut,
    /// The bot may call methods.
    Ready(&'a mut Bot),
}

/// Every registered bot.
#[derive(Debug)]
pub(crate) struct Bots {
    bots: Vec<Bot>,
    lockout: Duration,
}

impl Bots {
    /// Registers `bots`; a later entry with the same token replaces an earlier one.
    pub(crate) fn new(bots: Vec<(Token, User)>, lockout: Duration) -> Self {
        let mut registered: Vec<Bot> = Vec::with_capacity(bots.len());
        for (token, user) in bots {
            registered.retain(|b| b.token != token);
            registered.push(Bot::new(token, user));
        }
        Bots {
            bots: registered,
            lockout,
        }
    }

    /// Finds the bot whose whole token is `token` and says whether it may call methods at
    /// `now`. A lockout that has run out is forgotten.
    pub(crate) fn access(&mut self, token: &str, now: Instant) -> Access<'_> {
        let lockout = self.lockout;
        let Some(bot) = self
            .bots
            .iter_mut()
            .find(|b| b.token.expose_secret() == token)
        else {
            return Access::Unknown;
        };
        if let Some(since) = bot.logged_out_at {
            if now.saturating_duration_since(since) < lockout {
                return Access::LockedOut;
            }
            bot.logged_out_at = None;
        }
        Access::Ready(bot)
    }

    /// The first registered bot: the default one for [`Emulator`](crate::Emulator) methods.
    /// Every bot, whatever its lockout.
    pub(crate) fn iter_mut(&mut self) -> impl Iterator<Item = &mut Bot> {
        self.bots.iter_mut()
    }

    pub(crate) fn first_mut(&mut self) -> Option<&mut Bot> {
        self.bots.first_mut()
    }

    /// The first registered bot whose token starts with `bot_id`.
    pub(crate) fn by_id_mut(&mut self, bot_id: i64) -> Option<&mut Bot> {
        self.bots.iter_mut().find(|b| b.token.bot_id() == bot_id)
    }

    /// The tokens, in registration order.
    pub(crate) fn tokens(&self) -> impl Iterator<Item = &Token> {
        self.bots.iter().map(|b| &b.token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(s: &str) -> Token {
        s.parse().unwrap()
    }

    #[test]
    fn lockout_runs_out() {
        let mut bots = Bots::new(
            vec![(token("1:abc"), User::new(1, true, "One"))],
            Duration::from_secs(10),
        );
        let start = Instant::now();
        let Access::Ready(bot) = bots.access("1:abc", start) else {
            panic!("bot should be ready");
        };
        bot.logged_out_at = Some(start);
        assert!(matches!(
            bots.access("1:abc", start + Duration::from_secs(9)),
            Access::LockedOut
        ));
        assert!(matches!(
            bots.access("1:abc", start + Duration::from_secs(10)),
            Access::Ready(_)
        ));
        assert!(matches!(bots.access("1:abd", start), Access::Unknown));
    }

    #[test]
    fn later_registration_of_a_token_replaces_the_earlier() {
        let bots = Bots::new(
            vec![
                (token("1:abc"), User::new(1, true, "One")),
                (token("2:abc"), User::new(2, true, "Two")),
                (token("1:abc"), User::new(1, true, "Uno")),
            ],
            Duration::ZERO,
        );
        assert_eq!(bots.bots.len(), 2);
        assert_eq!(bots.bots[1].user.first_name, "Uno");
        assert_eq!(bots.tokens().count(), 2);
    }
}
