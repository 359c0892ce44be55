//! The server: accepting connections (plain or TLS), serving each on its own task under
//! timeouts, and stopping cleanly.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use botapi_proto::webhook::ListenerRules;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, ToSocketAddrs};
use tokio::sync::{oneshot, watch};
use tokio::task::{JoinHandle, JoinSet};
use tokio_rustls::TlsAcceptor;

use crate::handler::Handler;
use crate::service::WebhookService;
use crate::tls::{TlsError, tls_config_from_pem};

/// How long a client may take, so that a stalled one holds only its own connection, and
/// only for a while.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Timeouts {
    /// To finish the TLS handshake, and to send a request's headers (default 10 s).
    pub header: Duration,
    /// To send a request's body once its headers are in (default 10 s).
    pub body: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            header: Duration::from_secs(10),
            body: Duration::from_secs(10),
        }
    }
}

impl Timeouts {
    /// Both timeouts set to `timeout`.
    pub fn all(timeout: Duration) -> Self {
        Timeouts {
            header: timeout,
            body: timeout,
        }
    }
}

/// A bound webhook listener, ready to serve: plain HTTP, or HTTPS once given a
/// certificate.
///
/// Each connection is served on its own task (HTTP/1.1, or HTTP/2 when the client asks), so
/// one slow client never delays another. Stopping (the `stop` future of
/// [`Listener::serve`], or [`Running::stop`]) stops accepting, lets requests in flight get
/// their answer, and closes idle connections.
pub struct Listener {
    tcp: TcpListener,
    tls: Option<TlsAcceptor>,
    rules: ListenerRules,
    timeouts: Timeouts,
}

impl std::fmt::Debug for Listener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Listener")
            .field("url", &self.url())
            .field("rules", &self.rules)
            .field("timeouts", &self.timeouts)
            .finish()
    }
}

impl Listener {
    /// Binds `addr` (port 0 picks a free port) and judges requests by `rules`.
    pub async fn bind(addr: impl ToSocketAddrs, rules: ListenerRules) -> io::Result<Self> {
        Ok(Listener::from_tcp(TcpListener::bind(addr).await?, rules))
    }

    /// Serves on a socket bound elsewhere (handed over by a service manager, say).
    pub fn from_tcp(tcp: TcpListener, rules: ListenerRules) -> Self {
        Listener {
            tcp,
            tls: None,
            rules,
            timeouts: Timeouts::default(),
        }
    }

    /// Serves HTTPS with `config` (see [`tls_config_from_pem`]).
    #[must_use]
    pub fn tls(mut self, config: Arc<rustls::ServerConfig>) -> Self {
        self.tls = Some(TlsAcceptor::from(config));
        self
    }

    /// Serves HTTPS with the PEM certificate chain and private key in these files.
    pub fn tls_pem_files(self, cert: &Path, key: &Path) -> Result<Self, TlsError> {
        let read = |path: &Path, what: fn(String) -> TlsError| {
            std::fs::read(path).map_err(|e| what(format!("cannot read {}: {e}", path.display())))
        };
        let config = tls_config_from_pem(
            &read(cert, TlsError::Certificate)?,
            &read(key, TlsError::Key)?,
        )?;
        Ok(self.tls(config))
    }

    /// Sets the timeouts.
    #[must_use]
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> SocketAddr {
        // A bound listener always has its address; a failure here would be the OS's.
        self.tcp
            .local_addr()
            .unwrap_or_else(|_| SocketAddr::from(([0, 0, 0, 0], 0)))
    }

    /// `http://ADDR` or `https://ADDR`.
    pub fn url(&self) -> String {
        let scheme = if self.tls.is_some() { "https" } else { "http" };
        format!("{scheme}://{}", self.local_addr())
    }

    /// Serves until `stop` completes, handing each accepted update to `handler`, then
    /// waits for the requests in flight (each bounded by the timeouts and the handler).
    pub async fn serve<H: Handler>(self, handler: H, stop: impl Future<Output = ()>) {
        let service = WebhookService::with_body_timeout(self.rules, handler, self.timeouts.body);
        let mut builder = auto::Builder::new(TokioExecutor::new());
        builder
            .http1()
            .timer(TokioTimer::new())
            .header_read_timeout(self.timeouts.header);
        builder.http2().timer(TokioTimer::new());
        let builder = Arc::new(builder);
        let (stopping, stop_seen) = watch::channel(false);
        let mut connections = JoinSet::new();
        tokio::pin!(stop);
        loop {
            let accepted = tokio::select! {
                () = &mut stop => break,
                Some(_) = connections.join_next(), if !connections.is_empty() => continue,
                accepted = self.tcp.accept() => accepted,
            };
            let Ok((stream, _)) = accepted else {
                // Out of file descriptors or a connection reset before it was taken: wait a
                // moment rather than spin, and go on.
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            };
            let _ = stream.set_nodelay(true);
            let (builder, service, stop_seen) =
                (Arc::clone(&builder), service.clone(), stop_seen.clone());
            let tls = self.tls.clone();
            let handshake = self.timeouts.header;
            connections.spawn(async move {
                match tls {
                    None => serve_connection(&builder, stream, service, stop_seen).await,
                    Some(acceptor) => {
                        if let Ok(Ok(stream)) =
                            tokio::time::timeout(handshake, acceptor.accept(stream)).await
                        {
                            serve_connection(&builder, stream, service, stop_seen).await;
                        }
                    }
                }
            });
        }
        let _ = stopping.send(true);
        while connections.join_next().await.is_some() {}
    }

    /// Serves on a task of the current tokio runtime until [`Running::stop`] (or until the
    /// [`Running`] is dropped).
    pub fn spawn<H: Handler>(self, handler: H) -> Running {
        let (local_addr, url) = (self.local_addr(), self.url());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(self.serve(handler, async move {
            let _ = stopped.await;
        }));
        Running {
            local_addr,
            url,
            stop,
            task,
        }
    }
}

/// Serves one connection until it ends, or until the listener stops (then in-flight
/// requests finish and the connection closes).
async fn serve_connection<IO, H>(
    builder: &auto::Builder<TokioExecutor>,
    io: IO,
    service: WebhookService<H>,
    mut stop: watch::Receiver<bool>,
) where
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    H: Handler,
{
    let connection = builder.serve_connection(TokioIo::new(io), service);
    tokio::pin!(connection);
    tokio::select! {
        _ = connection.as_mut() => return,
        _ = stop.wait_for(|stopping| *stopping) => {}
    }
    connection.as_mut().graceful_shutdown();
    // A connection fails only for its own client (gone, bad HTTP, a timeout).
    let _ = connection.await;
}

/// A listener serving on a task; see [`Listener::spawn`].
#[derive(Debug)]
pub struct Running {
    local_addr: SocketAddr,
    url: String,
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

impl Running {
    /// The address it listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// `http://ADDR` or `https://ADDR`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Stops accepting, lets the requests in flight finish, and returns once all
    /// connections are closed.
    pub async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.task.await;
    }
}
