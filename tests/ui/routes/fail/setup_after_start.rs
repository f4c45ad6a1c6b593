//! Setting an app up after it started is impossible: starting consumes the `App`
//! (Flask raises "The setup method 'route' can no longer be called" at run time).
use phial::prelude::*;

fn main() {
    let mut app = App::new("late");
    let client = app.test_client();
    app.route("/late", ["GET"], || async { "late" });
    drop(client);
}
