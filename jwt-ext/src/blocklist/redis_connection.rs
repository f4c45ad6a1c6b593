//! The three ways a [`RedisBlocklist`](super::RedisBlocklist) reaches Redis: one
//! server (a connection manager that reconnects), a Sentinel-managed primary
//! (re-resolved through the Sentinels after a failover), or a Redis Cluster
//! (redis-rs' cluster client, which follows slot moves).

use redis::aio::{ConnectionLike, ConnectionManager, MultiplexedConnection};
use redis::cluster_async::ClusterConnection;
use redis::sentinel::SentinelClient;
use redis::{AsyncConnectionConfig, Cmd, ErrorKind, Pipeline, RedisFuture, RedisResult, ServerErrorKind, Value};
use std::sync::Arc;
use std::time::Duration;

/// A connection to whichever Redis deployment the store uses; cheap to clone.
#[derive(Clone)]
pub(super) enum RedisConnection {
    Standalone(ConnectionManager),
    Sentinel(SentinelConnection),
    Cluster(ClusterConnection),
}

impl RedisConnection {
    /// Whether keys of different slots must go in different commands.
    pub(super) fn is_cluster(&self) -> bool {
        matches!(self, RedisConnection::Cluster(_))
    }
}

impl ConnectionLike for RedisConnection {
    fn req_packed_command<'a>(&'a mut self, cmd: &'a Cmd) -> RedisFuture<'a, Value> {
        match self {
            RedisConnection::Standalone(connection) => connection.req_packed_command(cmd),
            RedisConnection::Sentinel(connection) => connection.req_packed_command(cmd),
            RedisConnection::Cluster(connection) => connection.req_packed_command(cmd),
        }
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        cmd: &'a Pipeline,
        offset: usize,
        count: usize,
    ) -> RedisFuture<'a, Vec<Value>> {
        match self {
            RedisConnection::Standalone(connection) => connection.req_packed_commands(cmd, offset, count),
            RedisConnection::Sentinel(connection) => connection.req_packed_commands(cmd, offset, count),
            RedisConnection::Cluster(connection) => connection.req_packed_commands(cmd, offset, count),
        }
    }

    fn get_db(&self) -> i64 {
        match self {
            RedisConnection::Standalone(connection) => connection.get_db(),
            RedisConnection::Sentinel(_) => 0,
            RedisConnection::Cluster(connection) => connection.get_db(),
        }
    }
}

/// The primary a set of Sentinels names, connected lazily and forgotten after a
/// connection error or a `READONLY` answer (an old primary demoted by a
/// failover), so that the next command asks the Sentinels again.
#[derive(Clone)]
pub(super) struct SentinelConnection {
    state: Arc<tokio::sync::Mutex<SentinelState>>,
}

struct SentinelState {
    sentinels: SentinelClient,
    primary: Option<MultiplexedConnection>,
}

impl SentinelConnection {
    pub(super) fn new(sentinels: SentinelClient) -> SentinelConnection {
        SentinelConnection { state: Arc::new(tokio::sync::Mutex::new(SentinelState { sentinels, primary: None })) }
    }

    /// The current primary's connection, resolved through the Sentinels if needed.
    pub(super) async fn primary(&self) -> RedisResult<MultiplexedConnection> {
        let mut state = self.state.lock().await;
        if let Some(primary) = &state.primary {
            return Ok(primary.clone());
        }
        let client = state.sentinels.async_get_client().await?;
        let config = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(1)))
            .set_response_timeout(Some(Duration::from_millis(500)));
        let primary = client.get_multiplexed_async_connection_with_config(&config).await?;
        state.primary = Some(primary.clone());
        Ok(primary)
    }

    /// After `error`, forgets the primary if it may have moved.
    async fn after(&self, error: &redis::RedisError) {
        let moved = error.is_io_error()
            || error.is_connection_dropped()
            || error.is_connection_refusal()
            || error.is_timeout()
            || matches!(error.kind(), ErrorKind::Server(ServerErrorKind::ReadOnly));
        if moved {
            self.state.lock().await.primary = None;
        }
    }

    fn req_packed_command<'a>(&'a mut self, cmd: &'a Cmd) -> RedisFuture<'a, Value> {
        Box::pin(async move {
            let mut primary = self.primary().await?;
            let answer = primary.req_packed_command(cmd).await;
            if let Err(error) = &answer {
                self.after(error).await;
            }
            answer
        })
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        cmd: &'a Pipeline,
        offset: usize,
        count: usize,
    ) -> RedisFuture<'a, Vec<Value>> {
        Box::pin(async move {
            let mut primary = self.primary().await?;
            let answer = primary.req_packed_commands(cmd, offset, count).await;
            if let Err(error) = &answer {
                self.after(error).await;
            }
            answer
        })
    }
}
