//! [`RemoteKeySet`]: an identity provider's JWKS (Auth0, Keycloak, Cognito and
//! Entra ID publish one), kept fresh in the background.
//!
//! - Fetched with hyper's client (`https://` with the `remote-jwks-https`
//!   feature), first by the app's first request with a token (or by
//!   [`RemoteKeySet::fetch_now`] at start-up).
//! - Cached for the response's `Cache-Control: max-age` (else
//!   [`default_max_age`](RemoteKeySet::default_max_age)), and fetched again in the
//!   background at 80% of that age, so requests never wait for the network.
//! - A token naming an unknown `kid` (the provider rotated) makes its request wait
//!   for one fetch, at most once per [`min_refetch_interval`](RemoteKeySet::min_refetch_interval):
//!   forged `kid`s cannot turn into a fetch storm.
//! - A failed fetch keeps the last good set and logs a warning; before any
//!   success every token is refused with 503 (fail closed).

use super::fetch_client::{FetchClient, Roots, check_scheme};
use super::{KeySource, Refetch};
use crate::keys::KeySet;
use crate::{JWTManager, JwtError};
use http_body_util::{BodyExt, Limited};
use hyper::Uri;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, RwLock, Weak};
use std::time::{Duration, Instant};

/// Largest JWKS document read (providers' are a few KiB).
const MAX_DOCUMENT_BYTES: usize = 1 << 20;

/// An identity provider's key set at a URL, fetched and refreshed by phial.
#[derive(Clone)]
pub struct RemoteKeySet {
    shared: Arc<Shared>,
}

struct Shared {
    uri: Uri,
    roots: Roots,
    /// Built on the first fetch, inside the runtime, from the final options.
    client: OnceLock<FetchClient>,
    options: Options,
    /// The last good set; `None` until a fetch succeeds.
    current: RwLock<Option<Arc<KeySet>>>,
    /// When the background refresher fetches next.
    refresh_at: Mutex<Option<Instant>>,
    /// When an unknown `kid` last caused a fetch.
    last_miss_fetch: Mutex<Option<Instant>>,
    /// When a request last caused a fetch while no set was ever fetched.
    last_first_attempt: Mutex<Option<Instant>>,
    refresher_started: AtomicBool,
}

#[derive(Clone, Copy)]
struct Options {
    default_max_age: Duration,
    min_refetch_interval: Duration,
    timeout: Duration,
    retry_after_failure: Duration,
}

impl RemoteKeySet {
    /// The key set published at `url`: `http://`, or `https://` with the
    /// `remote-jwks-https` feature.
    pub fn new(url: &str) -> Result<RemoteKeySet, JwtError> {
        let uri: Uri = url.parse().map_err(|_| JwtError::Setup(format!("the JWKS URL {url:?} is not a URL")))?;
        check_scheme(&uri)?;
        let options = Options {
            default_max_age: Duration::from_secs(300),
            min_refetch_interval: Duration::from_secs(30),
            timeout: Duration::from_secs(5),
            retry_after_failure: Duration::from_secs(10),
        };
        Ok(RemoteKeySet { shared: Arc::new(Shared::new(uri, Roots::default(), options, None)) })
    }

    fn rebuilt(self, change: impl FnOnce(&mut Options, &mut Roots)) -> RemoteKeySet {
        let shared = &self.shared;
        let (mut options, mut roots) = (shared.options, shared.roots.clone());
        change(&mut options, &mut roots);
        RemoteKeySet {
            shared: Arc::new(Shared::new(shared.uri.clone(), roots, options, read(&shared.current).clone())),
        }
    }

    fn with_options(self, change: impl FnOnce(&mut Options)) -> RemoteKeySet {
        self.rebuilt(|options, _| change(options))
    }

    /// Also trusts the certificates of `pem` (an internal CA) for `https://` URLs,
    /// besides Mozilla's roots. A certificate that cannot be read is an error at
    /// the first fetch.
    #[cfg(feature = "remote-jwks-https")]
    pub fn with_root_certificate(self, pem: &str) -> RemoteKeySet {
        self.rebuilt(|_, roots| roots.pem.push(pem.to_owned()))
    }

    /// How long a set is kept when the response has no `Cache-Control: max-age`
    /// (default 300 s).
    pub fn default_max_age(self, age: Duration) -> RemoteKeySet {
        self.with_options(|options| options.default_max_age = age)
    }

    /// The least time between two fetches caused by unknown `kid`s (default 30 s).
    pub fn min_refetch_interval(self, interval: Duration) -> RemoteKeySet {
        self.with_options(|options| options.min_refetch_interval = interval)
    }

    /// How long one fetch may take (default 5 s).
    pub fn fetch_timeout(self, timeout: Duration) -> RemoteKeySet {
        self.with_options(|options| options.timeout = timeout)
    }

    /// How soon a failed background fetch is tried again (default 10 s).
    pub fn retry_after_failure(self, delay: Duration) -> RemoteKeySet {
        self.with_options(|options| options.retry_after_failure = delay)
    }

    /// Fetches the set now, keeping it on success; the app may await this at
    /// start-up to fail early when the provider is unreachable.
    pub async fn fetch_now(&self) -> Result<(), JwtError> {
        self.shared.fetch().await
    }

    /// The set fetched last, if any fetch has succeeded.
    pub fn current_set(&self) -> Option<Arc<KeySet>> {
        read(&self.shared.current).clone()
    }
}

impl std::fmt::Debug for RemoteKeySet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kids: Option<Vec<String>> = self.current_set().map(|set| set.kids().map(str::to_owned).collect());
        f.debug_struct("RemoteKeySet").field("uri", &self.shared.uri).field("kids", &kids).finish_non_exhaustive()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn read(lock: &RwLock<Option<Arc<KeySet>>>) -> std::sync::RwLockReadGuard<'_, Option<Arc<KeySet>>> {
    lock.read().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Shared {
    fn new(uri: Uri, roots: Roots, options: Options, current: Option<Arc<KeySet>>) -> Shared {
        Shared {
            uri,
            roots,
            client: OnceLock::new(),
            options,
            current: RwLock::new(current),
            refresh_at: Mutex::new(None),
            last_miss_fetch: Mutex::new(None),
            last_first_attempt: Mutex::new(None),
            refresher_started: AtomicBool::new(false),
        }
    }

    /// One fetch. On success the set replaces the current one and the next
    /// background refresh is due at 80% of its age; on failure the current set
    /// stays and the refresh is tried again after `retry_after_failure`.
    async fn fetch(self: &Arc<Self>) -> Result<(), JwtError> {
        let fetched = match tokio::time::timeout(self.options.timeout, self.download()).await {
            Ok(result) => result,
            Err(_) => Err(JwtError::KeysUnavailable(format!("fetching {} timed out", self.uri))),
        };
        let now = Instant::now();
        match fetched {
            Ok((set, max_age)) => {
                let kids: Vec<&str> = set.kids().collect();
                tracing::info!(target: "phial_jwt", uri = %self.uri, ?kids, "JWKS fetched");
                *self.current.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(Arc::new(set));
                *lock(&self.refresh_at) = Some(now + max_age.mul_f64(0.8).max(Duration::from_secs(1)));
                self.start_refresher();
                Ok(())
            }
            Err(err) => {
                *lock(&self.refresh_at) = Some(now + self.options.retry_after_failure);
                Err(err)
            }
        }
    }

    /// Starts the background refresher once, after the first good fetch.
    fn start_refresher(self: &Arc<Self>) {
        if self.refresher_started.swap(true, Ordering::AcqRel) {
            return;
        }
        match tokio::runtime::Handle::try_current() {
            Ok(handle) => drop(handle.spawn(refresh_loop(Arc::downgrade(self)))),
            Err(_) => self.refresher_started.store(false, Ordering::Release),
        }
    }

    /// Whether a request may fetch now: at most once per `interval` as `last` tracks.
    fn may_fetch(last: &Mutex<Option<Instant>>, interval: Duration) -> bool {
        let now = Instant::now();
        let mut last = lock(last);
        if last.is_some_and(|at| now.duration_since(at) < interval) {
            return false;
        }
        *last = Some(now);
        true
    }

    async fn download(&self) -> Result<(KeySet, Duration), JwtError> {
        let unavailable = |why: String| JwtError::KeysUnavailable(format!("{}: {why}", self.uri));
        let client = match self.client.get() {
            Some(client) => client,
            None => {
                let client = FetchClient::new(&self.roots).map_err(|err| unavailable(err.to_string()))?;
                self.client.get_or_init(|| client)
            }
        };
        let response = client.get(self.uri.clone()).await.map_err(|err| unavailable(format!("{err:?}")))?;
        if !response.status().is_success() {
            return Err(unavailable(format!("answered {}", response.status())));
        }
        let max_age = max_age(response.headers()).unwrap_or(self.options.default_max_age);
        let body = Limited::new(response.into_body(), MAX_DOCUMENT_BYTES)
            .collect()
            .await
            .map_err(|err| unavailable(format!("reading the body: {err}")))?
            .to_bytes();
        let document: serde_json::Value =
            serde_json::from_slice(&body).map_err(|err| unavailable(format!("not JSON: {err}")))?;
        let set = KeySet::from_jwks(&document).map_err(|err| unavailable(err.to_string()))?;
        Ok((set, max_age))
    }
}

/// `Cache-Control: max-age=N` (`no-store` / `no-cache`: zero), bounded to
/// between 1 s and a day.
fn max_age(headers: &hyper::HeaderMap) -> Option<Duration> {
    let value = headers.get(hyper::header::CACHE_CONTROL)?.to_str().ok()?;
    let mut seconds = None;
    for directive in value.split(',').map(str::trim) {
        if directive.eq_ignore_ascii_case("no-store") || directive.eq_ignore_ascii_case("no-cache") {
            seconds = Some(0);
        } else if let Some(number) = directive.strip_prefix("max-age=") {
            seconds = seconds.or(number.trim_matches('"').parse::<u64>().ok());
        }
    }
    seconds.map(|seconds| Duration::from_secs(seconds.clamp(1, 86_400)))
}

/// Keeps the set fresh: waits until the next refresh is due, fetches, again;
/// ends when the set is dropped.
async fn refresh_loop(shared: Weak<Shared>) {
    loop {
        let Some(strong) = shared.upgrade() else { return };
        let due = *lock(&strong.refresh_at);
        drop(strong);
        if let Some(due) = due {
            tokio::time::sleep_until(due.into()).await;
        }
        let Some(strong) = shared.upgrade() else { return };
        // A fetch caused by a request may have moved the refresh later meanwhile.
        let still_due = lock(&strong.refresh_at).is_none_or(|at| at <= Instant::now());
        if still_due {
            if let Err(err) = strong.fetch().await {
                tracing::warn!(target: "phial_jwt", "JWKS refresh failed, keeping the last good set: {err}");
            }
        }
    }
}

impl KeySource for RemoteKeySet {
    fn current(&self) -> Arc<KeySet> {
        read(&self.shared.current).clone().unwrap_or_default()
    }

    fn unavailable(&self) -> Option<JwtError> {
        read(&self.shared.current)
            .is_none()
            .then(|| JwtError::KeysUnavailable(format!("the key set at {} was never fetched", self.shared.uri)))
    }

    /// A fetch for a request: while no set was ever fetched, at most once per
    /// `retry_after_failure`; for an unknown `kid`, once per `min_refetch_interval`.
    fn refetch_after_miss(&self) -> Option<Refetch> {
        let shared = &self.shared;
        let allowed = if read(&shared.current).is_none() {
            Shared::may_fetch(&shared.last_first_attempt, shared.options.retry_after_failure)
        } else {
            Shared::may_fetch(&shared.last_miss_fetch, shared.options.min_refetch_interval)
        };
        if !allowed {
            return None;
        }
        let shared = shared.clone();
        Some(Box::pin(async move {
            match shared.fetch().await {
                Ok(()) => true,
                Err(err) => {
                    tracing::warn!(target: "phial_jwt", "JWKS fetch for a request failed: {err}");
                    false
                }
            }
        }))
    }
}

impl JWTManager {
    /// Verifies tokens with the keys an identity provider publishes at a JWKS URL
    /// (see [`RemoteKeySet`]). Combine with `JWT_ALGORITHM` (the provider's, often
    /// `RS256`), `JWT_DECODE_ISSUER` and `JWT_DECODE_AUDIENCE`. The set has no
    /// signing key: this app verifies, the provider issues.
    pub fn use_remote_key_set(&self, set: RemoteKeySet) -> &JWTManager {
        let source: Arc<dyn KeySource> = Arc::new(set);
        self.register("use_remote_key_set", |s| s.callbacks.key_set = Some(source))
    }
}
