//! Where the bot token comes from: a file named on the command line, or the environment.
//! Never an argument, which other users of the machine can read in the process list.

use std::fmt;
use std::path::{Path, PathBuf};

use botapi_proto::{Token, TokenError};

/// The environment variable that holds the token.
pub(crate) const TOKEN_ENV: &str = "TELEGRAM_BOT_TOKEN";

/// Why no usable token was found. The messages name where the token was looked for and
/// what is wrong with it, never the token itself.
#[derive(Debug)]
pub(crate) enum TokenSourceError {
    /// Neither `--token-file` nor the environment variable was given.
    Missing,
    /// The environment variable holds something other than Unicode text.
    EnvNotUnicode,
    /// The token file could not be read.
    Unreadable {
        path: PathBuf,
        error: std::io::Error,
    },
    /// The text found is not a bot token.
    Malformed { source: Source, error: TokenError },
}

/// Where a token was read from, for messages.
#[derive(Debug)]
pub(crate) enum Source {
    Env,
    File(PathBuf),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Env => write!(f, "{TOKEN_ENV}"),
            Source::File(path) => write!(f, "token file {}", path.display()),
        }
    }
}

impl fmt::Display for TokenSourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenSourceError::Missing => write!(
                f,
                "no bot token: set {TOKEN_ENV} or pass --token-file PATH \
                 (the token is never taken from an argument)"
            ),
            TokenSourceError::EnvNotUnicode => {
                write!(
                    f,
                    "{TOKEN_ENV} is not valid text, so it cannot be a bot token"
                )
            }
            TokenSourceError::Unreadable { path, error } => {
                write!(f, "cannot read token file {}: {error}", path.display())
            }
            // TokenError's message never repeats the token.
            TokenSourceError::Malformed { source, error } => write!(f, "{source}: {error}"),
        }
    }
}

/// Reads the token: `--token-file` when given (an explicit choice beats the environment),
/// otherwise `TELEGRAM_BOT_TOKEN`. `env` is the variable's value, passed in for tests.
pub(crate) fn load(
    token_file: Option<&Path>,
    env: Option<std::ffi::OsString>,
) -> Result<Token, TokenSourceError> {
    let (source, text) = match (token_file, env) {
        (Some(path), _) => {
            let text =
                std::fs::read_to_string(path).map_err(|error| TokenSourceError::Unreadable {
                    path: path.to_owned(),
                    error,
                })?;
            (Source::File(path.to_owned()), text)
        }
        (None, Some(value)) => {
            let text = value
                .into_string()
                .map_err(|_| TokenSourceError::EnvNotUnicode)?;
            (Source::Env, text)
        }
        (None, None) => return Err(TokenSourceError::Missing),
    };
    Token::new(strip_one_newline(&text))
        .map_err(|error| TokenSourceError::Malformed { source, error })
}

/// Drops one trailing line end (`\n` or `\r\n`), as editors and `echo` leave one; anything
/// else (spaces, a second newline) is kept, and the token check then refuses it.
fn strip_one_newline(text: &str) -> &str {
    text.strip_suffix("\r\n")
        .or_else(|| text.strip_suffix('\n'))
        .unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SENTINEL: &str = "777:SENTINELtokenSECRET";

    #[test]
    fn file_beats_environment_and_loses_one_newline() {
        let dir = std::env::temp_dir().join(format!("botapi-cli-token-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("token");
        std::fs::write(&path, format!("{SENTINEL}\r\n")).unwrap();
        let token = load(Some(&path), Some("1:other".into())).unwrap();
        assert_eq!(token.expose_secret(), SENTINEL);

        // Two newlines are one too many: refused, and the message does not echo the token.
        std::fs::write(&path, format!("{SENTINEL}\n\n")).unwrap();
        let err = load(Some(&path), None).unwrap_err();
        let shown = err.to_string();
        assert!(matches!(err, TokenSourceError::Malformed { .. }), "{shown}");
        assert!(shown.contains("white space"), "{shown}");
        assert!(!shown.contains("SENTINEL"), "{shown}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn environment_is_used_without_a_file() {
        let token = load(None, Some(format!("{SENTINEL}\n").into())).unwrap();
        assert_eq!(token.bot_id(), 777);
    }

    #[test]
    fn missing_unreadable_and_malformed_are_told_apart() {
        assert!(matches!(load(None, None), Err(TokenSourceError::Missing)));
        let nowhere = Path::new("/nonexistent/botapi/token");
        assert!(matches!(
            load(Some(nowhere), None),
            Err(TokenSourceError::Unreadable { .. })
        ));
        let err = load(None, Some("777:SENTINEL/secret".into())).unwrap_err();
        assert_eq!(
            err.to_string(),
            "TELEGRAM_BOT_TOKEN: invalid bot token: '/' at byte 12"
        );
    }
}
