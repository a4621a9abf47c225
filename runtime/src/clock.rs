//! The coarse clock idle expiry reads: ticks of [`TICK`] since the process
//! first asked, in one atomic that writers load (no system call, no shared
//! write per update). A ticker thread advances it while any family with
//! `expire_after` lives, and stops when the last one is dropped: no thread
//! outlives the families that need it. A sweep reads the real time and
//! advances the clock too, so a sweep is never behind it.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use crate::prom::lock;

/// The clock's resolution: a series written within a tick of its expiry may
/// live one tick longer.
pub(crate) const TICK: Duration = Duration::from_millis(100);

/// Ticks since [`epoch`]; wraps after 13 years, compared with wrapping
/// arithmetic.
static NOW: AtomicU32 = AtomicU32::new(0);

/// How many [`ClockUser`]s live, and whether a ticker runs.
static USERS: Mutex<Users> = Mutex::new(Users {
    count: 0,
    ticking: false,
});

struct Users {
    count: usize,
    ticking: bool,
}

/// Ticks [`advance`] added: tests move the clock past an expiry instead of
/// sleeping, so no outcome depends on how fast the machine runs. Zero in a
/// program that never calls it.
static SKIPPED: AtomicU32 = AtomicU32::new(0);

fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

/// The current tick, as last advanced (at most a tick behind while a
/// [`ClockUser`] lives).
#[inline]
pub(crate) fn now() -> u32 {
    NOW.load(Ordering::Relaxed)
}

/// Reads the real time, advances the clock to it and returns the clock.
pub(crate) fn refresh() -> u32 {
    let ticks = ticks(epoch().elapsed()).wrapping_add(SKIPPED.load(Ordering::Relaxed));
    NOW.fetch_max(ticks, Ordering::Relaxed).max(ticks)
}

/// Moves the clock forward by `by` (rounded up to whole ticks), for the
/// whole process: every series then looks that much older.
pub(crate) fn advance(by: Duration) {
    SKIPPED.fetch_add(ticks(by), Ordering::Relaxed);
    refresh();
}

/// Whether a series stamped at `stamp` is idle at tick `now` after
/// `after` ticks: strictly older (a writer's clock may lag a sweep's
/// refresh by a tick, and a series it writes must not look idle), its age
/// the wrapping difference read as signed (a stamp a racing writer took
/// after the refresh is young, not four billion ticks old).
pub(crate) fn idle(now: u32, stamp: u32, after: u32) -> bool {
    #[allow(clippy::cast_possible_wrap)]
    let (age, after) = (now.wrapping_sub(stamp) as i32, after as i32);
    age > after
}

/// `duration` in ticks, rounded up (at least one; at most `i32::MAX`, six
/// years, as ages are compared signed).
pub(crate) fn ticks(duration: Duration) -> u32 {
    let ticks = duration.as_nanos().div_ceil(TICK.as_nanos()).max(1);
    u32::try_from(ticks).map_or(i32::MAX as u32, |t| t.min(i32::MAX as u32))
}

/// Keeps the clock ticking while it lives.
#[derive(Debug)]
pub(crate) struct ClockUser(());

impl ClockUser {
    /// Starts the ticker if none runs. Without a thread (the system refuses
    /// one), the clock advances at each sweep only: series then expire up
    /// to one scrape interval late, never early.
    pub(crate) fn new() -> Self {
        refresh();
        let mut users = lock(&USERS);
        users.count += 1;
        if !users.ticking {
            let spawned = std::thread::Builder::new()
                .name("metric-group-clock".into())
                .spawn(tick);
            users.ticking = spawned.is_ok();
        }
        ClockUser(())
    }
}

impl Drop for ClockUser {
    fn drop(&mut self) {
        lock(&USERS).count -= 1;
    }
}

/// The ticker: advances the clock every tick until no user is left.
fn tick() {
    loop {
        std::thread::sleep(TICK);
        {
            let mut users = lock(&USERS);
            if users.count == 0 {
                users.ticking = false;
                return;
            }
        }
        refresh();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_ticks_while_used_and_its_thread_ends_after() {
        let user = ClockUser::new();
        let start = now();
        // No refresh here: only the ticker can move the clock. The bound is
        // a hang guard, not a timing expectation.
        let guard = Instant::now() + Duration::from_secs(60);
        while now().wrapping_sub(start) < 2 {
            assert!(
                Instant::now() < guard,
                "the ticker never advanced the clock"
            );
            std::thread::sleep(TICK);
        }
        drop(user);
        // The ticker notices within a tick or two.
        let mut stopped = false;
        for _ in 0..50 {
            std::thread::sleep(TICK);
            let users = lock(&USERS);
            if users.count == 0 && !users.ticking {
                stopped = true;
                break;
            }
            if users.count > 0 {
                break; // another test holds a user meanwhile
            }
        }
        assert!(stopped || lock(&USERS).count > 0);
    }

    #[test]
    fn durations_round_up_to_whole_ticks() {
        assert_eq!(ticks(Duration::from_millis(1)), 1);
        assert_eq!(ticks(Duration::from_millis(100)), 1);
        assert_eq!(ticks(Duration::from_millis(101)), 2);
        assert_eq!(ticks(Duration::from_secs(90)), 900);
        assert_eq!(ticks(Duration::MAX), i32::MAX as u32);
    }
}
