//! Log lines gathered in memory and written by a background thread, in batches.
//!
//! A line is appended to a shared buffer under a mutex: no allocation, no channel,
//! no thread woken for it. The thread `phial-log` wakes when the first line of a
//! batch arrives, lets the batch grow for [`BATCH_WINDOW`], takes it (leaving an
//! empty buffer) and writes it to standard output with one call. Under load that
//! is one wake-up and one write every few milliseconds, whatever the number of
//! requests; tracing-appender's non-blocking writer, used before, allocated and
//! sent every line through a channel and woke its thread for it (about 600
//! instructions a line more, measured with `LOG=1 bash bench/instructions.sh`).
//!
//! Nothing is dropped: when [`MAX_PENDING`] bytes wait, writers wait for the
//! thread to take them (a stalled terminal slows the server rather than losing
//! lines, as tracing-appender's `lossy(false)` did). Dropping the [`Flusher`] (in
//! the `LogGuard`) writes what is left and stops the thread; a line logged after
//! that is written to standard output directly.

use std::io::{self, Write};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

/// How long the thread lets a batch grow after its first line.
const BATCH_WINDOW: Duration = Duration::from_millis(10);
/// How many bytes may wait before writers wait for the thread.
const MAX_PENDING: usize = 1 << 20;
/// A buffer's first capacity. Each then keeps what its batches needed, up to
/// `MAX_PENDING`: under a steady load the two buffers trade places without ever
/// growing again (growing one past 128 KiB, in the request path, took a copy and a
/// fresh mapping's page faults every batch).
const INITIAL_CAPACITY: usize = 64 * 1024;

/// A handle on the shared buffer: tracing-subscriber's `MakeWriter` (whose
/// writer, `&BatchedWriter`, is `io::Write`); cloning it shares the buffer.
#[derive(Clone)]
pub(crate) struct BatchedWriter {
    shared: Arc<Shared>,
}

struct Shared {
    state: Mutex<State>,
    /// Signalled when the first line of a batch arrives, and on close.
    arrived: Condvar,
    /// Signalled when the thread took a batch.
    taken: Condvar,
}

struct State {
    pending: Vec<u8>,
    closed: bool,
}

/// Stops the thread when dropped, after it wrote every line.
pub(crate) struct Flusher {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl BatchedWriter {
    /// Starts the thread writing to `output`.
    pub(crate) fn start(output: Box<dyn Write + Send>) -> io::Result<(BatchedWriter, Flusher)> {
        let shared = Arc::new(Shared {
            state: Mutex::new(State { pending: Vec::with_capacity(INITIAL_CAPACITY), closed: false }),
            arrived: Condvar::new(),
            taken: Condvar::new(),
        });
        let for_thread = Arc::clone(&shared);
        let thread =
            std::thread::Builder::new().name("phial-log".into()).spawn(move || write_batches(&for_thread, output))?;
        let flusher = Flusher { shared: Arc::clone(&shared), thread: Some(thread) };
        Ok((BatchedWriter { shared }, flusher))
    }

    /// Adds `bytes` (whole lines) to the batch.
    pub(crate) fn append(&self, bytes: &[u8]) {
        self.append_with(|batch| batch.extend_from_slice(bytes));
    }

    /// Lets `write` add whole lines to the batch itself (no copy in between).
    pub(crate) fn append_with(&self, write: impl FnOnce(&mut Vec<u8>)) {
        let mut state = lock(&self.shared.state);
        while state.pending.len() >= MAX_PENDING && !state.closed {
            state = self.shared.taken.wait(state).unwrap_or_else(PoisonError::into_inner);
        }
        if state.closed {
            drop(state);
            let mut late = Vec::new();
            write(&mut late);
            let _ = io::stdout().write_all(&late);
            return;
        }
        let first = state.pending.is_empty();
        write(&mut state.pending);
        drop(state);
        if first {
            self.shared.arrived.notify_one();
        }
    }
}

/// A lock that a panic elsewhere does not make unusable (the buffer stays valid).
fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The thread: waits for a batch, lets it grow, takes it, writes it; until closed
/// and empty.
fn write_batches(shared: &Shared, mut output: Box<dyn Write + Send>) {
    let mut batch = Vec::with_capacity(INITIAL_CAPACITY);
    loop {
        let closed = {
            let mut state = lock(&shared.state);
            while state.pending.is_empty() && !state.closed {
                state = shared.arrived.wait(state).unwrap_or_else(PoisonError::into_inner);
            }
            state.closed
        };
        if !closed {
            std::thread::sleep(BATCH_WINDOW);
        }
        let closed = {
            let mut state = lock(&shared.state);
            std::mem::swap(&mut state.pending, &mut batch);
            state.closed
        };
        shared.taken.notify_all();
        // Nowhere to report a failed write to standard output; the next batch tries again.
        let _ = output.write_all(&batch).and_then(|()| output.flush());
        batch.clear();
        batch.shrink_to(MAX_PENDING);
        if closed && lock(&shared.state).pending.is_empty() {
            return;
        }
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for BatchedWriter {
    type Writer = &'a BatchedWriter;

    fn make_writer(&'a self) -> Self::Writer {
        self
    }
}

impl Write for &BatchedWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.append(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for Flusher {
    fn drop(&mut self) {
        lock(&self.shared.state).closed = true;
        self.shared.arrived.notify_all();
        self.shared.taken.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex as StdMutex;

    #[derive(Clone, Default)]
    struct Collected(Arc<StdMutex<(Vec<u8>, usize)>>);

    impl Write for Collected {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            let mut collected = self.0.lock().unwrap();
            collected.0.extend_from_slice(bytes);
            collected.1 += 1;
            Ok(bytes.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn every_line_is_written_in_order_by_few_writes_and_flushed_on_drop() {
        let output = Collected::default();
        let (writer, flusher) = BatchedWriter::start(Box::new(output.clone())).unwrap();
        let threads: Vec<_> = (0..4)
            .map(|thread| {
                let writer = writer.clone();
                std::thread::spawn(move || {
                    for line in 0..2500 {
                        writer.append(format!("{thread} {line}\n").as_bytes());
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        drop(flusher);
        let (bytes, writes) = output.0.lock().unwrap().clone();
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(text.lines().count(), 10_000, "nothing lost");
        for thread in 0..4 {
            let numbers: Vec<usize> = text
                .lines()
                .filter_map(|line| line.split_once(' '))
                .filter(|(from, _)| *from == thread.to_string())
                .map(|(_, n)| n.parse().unwrap())
                .collect();
            assert_eq!(numbers, (0..2500).collect::<Vec<_>>(), "each thread's lines in order");
        }
        assert!(writes < 1000, "batched: {writes} writes for 10 000 lines");
        // After the flusher is gone, a line still goes somewhere (standard output).
        writer.append(b"");
    }

    #[test]
    fn a_full_buffer_makes_writers_wait_instead_of_dropping() {
        let output = Collected::default();
        let (writer, flusher) = BatchedWriter::start(Box::new(output.clone())).unwrap();
        let line = vec![b'x'; 4095].into_iter().chain([b'\n']).collect::<Vec<u8>>();
        // Three times MAX_PENDING in one go from one thread.
        for _ in 0..(3 * MAX_PENDING / line.len()) {
            writer.append(&line);
        }
        drop(flusher);
        assert_eq!(output.0.lock().unwrap().0.len(), 3 * MAX_PENDING);
    }
}
