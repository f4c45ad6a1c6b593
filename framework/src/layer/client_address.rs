//! The client's address on its way through the app's tower layers.
//!
//! Without layers the server hands the address to dispatch itself. Through layers
//! it travels as a request extension (a `SocketAddr`): it then follows the request
//! wherever a layer sends it (to another task, as tower's `Buffer` does; with a
//! body a layer replaced), and layers can read or change it (`ProxyFix`, the
//! per-address rate limit).
//!
//! An extension map costs three allocations (the map, its table, the boxed value)
//! and as many frees, about 700 instructions per request, as much as a tower layer
//! like tower-http's `CorsLayer` costs in the rest of phial. So each thread keeps
//! one spare map that holds only an address: a request takes it (or makes one), and
//! the app gives it back once it has read the address, if nothing else was added
//! to it. A busy thread then allocates no map at all.

use http::Extensions;
use std::cell::Cell;
use std::net::SocketAddr;

thread_local! {
    /// This thread's spare map, holding a `SocketAddr` and nothing else.
    static SPARE: Cell<Option<Extensions>> = const { Cell::new(None) };
}

/// Extensions holding `client` and nothing else, for a request from that client.
pub(crate) fn extensions_with(client: SocketAddr) -> Extensions {
    if let Some(mut extensions) = SPARE.with(Cell::take) {
        if let Some(address) = extensions.get_mut::<SocketAddr>() {
            *address = client;
            return extensions;
        }
    }
    let mut extensions = Extensions::new();
    extensions.insert(client);
    extensions
}

/// Adds `client` to `extensions` unless they hold an address already (one
/// `ProxyFix` put there, say).
pub(crate) fn add_client(extensions: &mut Extensions, client: SocketAddr) {
    if extensions.is_empty() {
        *extensions = extensions_with(client);
    } else if extensions.get::<SocketAddr>().is_none() {
        extensions.insert(client);
    }
}

/// The client's address in `extensions`, if it has one; their map is kept as this
/// thread's spare when the address was all it held.
pub(crate) fn take_client(extensions: &mut Extensions) -> Option<SocketAddr> {
    let client = extensions.get::<SocketAddr>().copied();
    if client.is_some() && extensions.len() == 1 {
        let only_the_address = std::mem::take(extensions);
        SPARE.with(|spare| spare.set(Some(only_the_address)));
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address(port: u16) -> SocketAddr {
        SocketAddr::from(([192, 0, 2, 7], port))
    }

    #[test]
    fn a_recycled_map_carries_the_new_clients_address() {
        let mut first = extensions_with(address(1000));
        assert_eq!(take_client(&mut first), Some(address(1000)));
        assert!(first.is_empty(), "the map went back to the thread's spare");
        let mut second = extensions_with(address(2000));
        assert_eq!(second.len(), 1);
        assert_eq!(take_client(&mut second), Some(address(2000)));
    }

    #[test]
    fn a_map_a_layer_added_to_stays_with_the_request() {
        #[derive(Clone, Debug, PartialEq)]
        struct RequestId(u32);
        let mut extensions = extensions_with(address(3000));
        extensions.insert(RequestId(9));
        assert_eq!(take_client(&mut extensions), Some(address(3000)));
        assert_eq!(extensions.get::<RequestId>(), Some(&RequestId(9)));
        assert_eq!(extensions.get::<SocketAddr>(), Some(&address(3000)));
    }

    #[test]
    fn an_address_already_there_is_kept() {
        let mut extensions = extensions_with(address(4000));
        add_client(&mut extensions, address(5000));
        assert_eq!(take_client(&mut extensions), Some(address(4000)));
        let mut empty = Extensions::new();
        add_client(&mut empty, address(6000));
        assert_eq!(take_client(&mut empty), Some(address(6000)));
    }

    #[test]
    fn without_an_address_there_is_none() {
        assert_eq!(take_client(&mut Extensions::new()), None);
    }
}
