//! The wall clock an exemplar's timestamp is read from: on Linux the
//! kernel's coarse real-time clock (`CLOCK_REALTIME_COARSE`, its resolution
//! the scheduler tick, a few milliseconds), elsewhere `SystemTime::now`.
//!
//! Why `unsafe`: `SystemTime::now` reads the precise clock, which took
//! about ten times as long as the coarse one here, most of what an exemplar
//! adds to an observe (BENCHMARKS.md, "Exemplars"); std offers no coarse
//! clock, and the one call to `libc` (already in the build, through
//! `parking_lot`) is all it takes. Exemplar timestamps are written to the
//! millisecond and mark when a trace was seen, for which the tick is
//! enough. Checked: the tests below run under Miri (`.ci/run`).

/// A wall-clock reading: seconds and nanoseconds since the Unix epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct WallTime {
    secs: i64,
    nanos: u32,
}

impl WallTime {
    /// The epoch itself: what a slot holds before its first exemplar.
    pub(crate) const EPOCH: WallTime = WallTime { secs: 0, nanos: 0 };

    /// Now, by the coarse clock.
    #[cfg(target_os = "linux")]
    #[inline]
    pub(crate) fn now() -> WallTime {
        let mut now = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `now` is a valid, writable `timespec` for the call, and
        // `clock_gettime` writes nothing else; `CLOCK_REALTIME_COARSE`
        // exists on every Linux Rust supports (since 2.6.32). On failure
        // (-1, `now` untouched) the epoch stands, as for a clock before it.
        let _ = unsafe { libc::clock_gettime(libc::CLOCK_REALTIME_COARSE, &raw mut now) };
        WallTime {
            // `time_t`: 64 bits on 64-bit Linux, 32 on some 32-bit targets.
            #[allow(clippy::useless_conversion)]
            secs: i64::from(now.tv_sec),
            // The kernel gives 0..1e9.
            nanos: u32::try_from(now.tv_nsec).unwrap_or(0),
        }
    }

    /// Now, by `SystemTime` (no coarse clock known here).
    #[cfg(not(target_os = "linux"))]
    #[inline]
    pub(crate) fn now() -> WallTime {
        let since = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        WallTime {
            secs: i64::try_from(since.as_secs()).unwrap_or(i64::MAX),
            nanos: since.subsec_nanos(),
        }
    }

    /// Milliseconds since the epoch (negative before it).
    pub(crate) fn millis(self) -> i64 {
        self.secs
            .saturating_mul(1000)
            .saturating_add(i64::from(self.nanos / 1_000_000))
    }
}

#[cfg(test)]
mod tests {
    use super::WallTime;
    use std::time::{SystemTime, UNIX_EPOCH};

    #[test]
    fn the_coarse_clock_reads_the_wall_clock() {
        let precise = |time: SystemTime| {
            i64::try_from(time.duration_since(UNIX_EPOCH).unwrap().as_millis()).unwrap()
        };
        let before = precise(SystemTime::now());
        let now = WallTime::now();
        let after = precise(SystemTime::now());
        assert!(now != WallTime::EPOCH);
        assert!(now.nanos < 1_000_000_000);
        // Behind by at most the coarse clock's tick (generously: a second).
        assert!(now.millis() <= after, "{now:?} after {after}");
        assert!(now.millis() >= before - 1000, "{now:?} before {before}");
        assert_eq!(WallTime::EPOCH.millis(), 0);
    }
}
