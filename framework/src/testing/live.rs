//! `LiveServer`: the app served on an ephemeral loopback port, for tests over a
//! real socket.

use std::net::SocketAddr;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::{App, Error};

/// An app served on `127.0.0.1:<ephemeral port>` in a background task. Stopped
/// gracefully by [`stop`](LiveServer::stop), or when dropped.
#[derive(Debug)]
pub struct LiveServer {
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<Result<(), Error>>>,
}

impl LiveServer {
    /// Starts serving `app`. Errors when the app cannot start or no port is free.
    pub async fn start(app: App) -> Result<LiveServer, Error> {
        let handle = app.finalize()?;
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let (shutdown, signal) = oneshot::channel::<()>();
        let task = tokio::spawn(crate::server::serve(handle, listener, async move {
            let _ = signal.await;
        }));
        Ok(LiveServer { addr, shutdown: Some(shutdown), task: Some(task) })
    }

    /// The address served.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port><path>`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Stops accepting, lets in-flight requests finish, and waits for the server.
    pub async fn stop(mut self) -> Result<(), Error> {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        match self.task.take() {
            Some(task) => task.await.map_err(|err| Error::Io(std::io::Error::other(err)))?,
            None => Ok(()),
        }
    }
}

impl Drop for LiveServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}
