//! The event queue: a calendar of whole days, ordered by (day, phase, sequence).
//!
//! Every event happens on a whole day and, within the day, in a fixed phase (payments before
//! orders before production before deliveries before consumption before the daily report). Events
//! with the same day and phase come out in the order they were scheduled, so ties are
//! deterministic. Each day has a few inline slots in one flat array (a push is one write into
//! a compact, cache-resident table), with a per-day overflow list for busy days; when a day
//! begins, its events are copied into a short buffer and stably sorted by phase, and events
//! scheduled for the current day are inserted into that buffer in order. Push and pop are O(1)
//! apart from that tiny sort, and all memory is kept between runs. (Measured on the benchmark
//! scenario: a binary heap was 2× slower; one `Vec` per day and phase, and an arena with a
//! linked list per day, spent most of their time on cache misses.)
//!
//! The queue holds only the events that happen on some days. What happens every day
//! (production, the calendar's arrivals, consumption, the daily report) is not queued: the
//! engine's day loop does it at the start of its phase, before the events scheduled into that
//! phase, by draining the day's events phase by phase ([`EventQueue::begin_day`],
//! [`EventQueue::next_before`]).

use super::event::{Event, Phase};
use crate::units::Day;

/// Events stored inline per day before a day overflows into its own list.
const INLINE: usize = 6;

/// The event queue of one run, for days 0..=horizon.
#[derive(Debug)]
pub struct EventQueue {
    /// `INLINE` slots per day: `inline[day * INLINE + k]`, the first `used[day]` of them in use.
    inline: Vec<Event>,
    used: Vec<u8>,
    /// Events of a day beyond its inline slots, in scheduling order.
    overflow: Vec<Vec<Event>>,
    /// Today's events, sorted by phase from `next` on.
    today: Vec<Event>,
    /// The day being processed.
    day: usize,
    /// Whether today's events have been gathered (the day has begun).
    started: bool,
    /// Next index in `today`.
    next: usize,
    /// The phase the day has reached (events of earlier phases can no longer be scheduled);
    /// read by the debug checks only.
    phase: usize,
    len: usize,
}

impl EventQueue {
    /// An empty queue for days 0..=horizon.
    #[must_use]
    pub fn new(horizon: u32) -> EventQueue {
        let days = horizon as usize + 1;
        EventQueue {
            inline: vec![Event::OrderPlaced { channel: 0 }; days * INLINE],
            used: vec![0; days],
            overflow: vec![Vec::new(); days],
            today: Vec::new(),
            day: 0,
            started: false,
            next: 0,
            phase: 0,
            len: 0,
        }
    }

    /// Empties the queue, keeping its memory, and rewinds the clock to day 0.
    pub fn reset(&mut self) {
        self.used.fill(0);
        for o in &mut self.overflow {
            o.clear();
        }
        self.today.clear();
        self.day = 0;
        self.started = false;
        self.next = 0;
        self.phase = 0;
        self.len = 0;
    }

    /// Days the queue covers (0 to the horizon).
    #[must_use]
    pub fn days(&self) -> usize {
        self.used.len()
    }

    /// Schedules `event` at `day` in its phase. Returns false (and schedules nothing) when the
    /// day is past the horizon: the caller accounts for what never happens.
    ///
    /// # Panics
    /// In debug builds, when the time is earlier than the event being processed (a model bug).
    #[inline(always)]
    pub fn schedule(&mut self, day: Day, event: Event) -> bool {
        // The common case, a later day with a free inline slot, without a call.
        let d = day.index();
        if d < self.used.len() && (d != self.day || !self.started) {
            let k = self.used[d] as usize;
            if k < INLINE {
                debug_assert!(
                    d > self.day || !self.started,
                    "event scheduled in the past: {event:?} at {day}"
                );
                self.inline[d * INLINE + k] = event;
                self.used[d] += 1;
                self.len += 1;
                return true;
            }
        }
        self.schedule_slow(day, event)
    }

    /// [`Self::schedule`] past the horizon, for today, or into a full day.
    #[inline(never)]
    fn schedule_slow(&mut self, day: Day, event: Event) -> bool {
        let d = day.index();
        if d >= self.used.len() {
            return false;
        }
        self.len += 1;
        if d == self.day && self.started {
            // Today, already sorted: insert after every waiting event of the same or an
            // earlier phase.
            let p = event.phase();
            debug_assert!(
                p as usize >= self.phase,
                "event scheduled in the past: {event:?} at {day}"
            );
            let at = self.next
                + self.today[self.next..]
                    .iter()
                    .take_while(|e| e.phase() <= p)
                    .count();
            self.today.insert(at, event);
        } else {
            debug_assert!(
                d > self.day || !self.started,
                "event scheduled in the past: {event:?} at {day}"
            );
            let k = self.used[d] as usize;
            if k < INLINE {
                self.inline[d * INLINE + k] = event;
                self.used[d] += 1;
            } else {
                self.overflow[d].push(event);
            }
        }
        true
    }

    /// Begins `day` (days are begun in increasing order, each once): its events, in (phase,
    /// sequence) order, are then drained by [`Self::next_before`].
    pub fn begin_day(&mut self, day: Day) {
        let d = day.index();
        debug_assert!(d < self.used.len() && (d > self.day || !self.started));
        self.day = d;
        self.started = true;
        self.next = 0;
        self.phase = 0;
        self.today.clear();
        // Most days have no event (a day's overflow is used only once its inline slots are
        // full), and copying and sorting nothing is a measurable share of a quiet day.
        let used = self.used[d] as usize;
        if used == 0 {
            return;
        }
        self.today
            .extend_from_slice(&self.inline[d * INLINE..d * INLINE + used]);
        self.today.append(&mut self.overflow[d]);
        sort_by_phase(&mut self.today);
    }

    /// Today's next event if its phase is before `limit` (`None`: every phase). Once there is
    /// none, the day has reached `limit`: what happens every day in that phase comes next,
    /// before the events scheduled into it.
    #[inline]
    pub fn next_before(&mut self, limit: Option<Phase>) -> Option<Event> {
        let limit = limit.map_or(Phase::COUNT, |p| p as usize);
        match self.today.get(self.next) {
            Some(&ev) if (ev.phase() as usize) < limit => {
                self.next += 1;
                self.len -= 1;
                self.phase = ev.phase() as usize;
                Some(ev)
            }
            _ => {
                // Only the debug checks of `schedule` read the phase reached.
                if cfg!(debug_assertions) {
                    self.phase = self.phase.max(limit.min(Phase::COUNT - 1));
                }
                None
            }
        }
    }

    /// Events waiting.
    #[must_use]
    #[cfg(any(test, feature = "internals"))]
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when no event is waiting.
    #[must_use]
    #[cfg(any(test, feature = "internals"))]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// Stable insertion sort by phase: buckets are short and nearly sorted.
fn sort_by_phase(b: &mut [Event]) {
    for i in 1..b.len() {
        let mut j = i;
        while j > 0 && b[j - 1].phase() > b[j].phase() {
            b.swap(j - 1, j);
            j -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ev(tag: u32, phase: u8) -> Event {
        match phase % 4 {
            0 => Event::InstallmentDue {
                source: tag,
                index: 0,
            },
            1 => Event::OrderPlaced { channel: tag },
            2 => Event::ShipmentArrived {
                line: tag,
                units: 1,
            },
            _ => Event::ContractStart {
                line: tag,
                channel: 0,
                units: 1,
            },
        }
    }

    /// Every event of every day, in the order the day loop meets them.
    fn drain(q: &mut EventQueue) -> Vec<(Day, Event)> {
        let mut got = Vec::new();
        for d in 0..q.days() {
            q.begin_day(Day(d as u32));
            while let Some(e) = q.next_before(None) {
                got.push((Day(d as u32), e));
            }
        }
        got
    }

    proptest! {
        /// The queue yields exactly a stable sort by (day, phase): ties keep scheduling order.
        #[test]
        fn pops_in_day_phase_sequence_order(items in proptest::collection::vec((0u32..30, 0u8..4), 0..200)) {
            let mut q = EventQueue::new(20);
            let mut expected = Vec::new();
            for (seq, &(day, p)) in items.iter().enumerate() {
                let e = ev(seq as u32, p);
                if q.schedule(Day(day), e) {
                    expected.push((Day(day), e.phase(), seq, e));
                } else {
                    prop_assert!(day > 20);
                }
            }
            expected.sort_by_key(|x| (x.0, x.1, x.2));
            let want: Vec<(Day, Event)> = expected.iter().map(|x| (x.0, x.3)).collect();
            prop_assert_eq!(drain(&mut q), want);
            prop_assert!(q.is_empty());
        }
    }

    #[test]
    fn a_day_is_drained_phase_by_phase() {
        use Event::*;
        let mut q = EventQueue::new(3);
        let arrival = |units| ShipmentArrived { line: 7, units };
        q.schedule(Day(2), arrival(5));
        q.schedule(Day(2), OrderPlaced { channel: 1 });
        q.schedule(
            Day(2),
            InstallmentDue {
                source: 0,
                index: 0,
            },
        );
        q.begin_day(Day(2));
        // Up to production: the payment, then the order.
        assert_eq!(
            q.next_before(Some(Phase::Production)),
            Some(InstallmentDue {
                source: 0,
                index: 0
            })
        );
        assert_eq!(
            q.next_before(Some(Phase::Production)),
            Some(OrderPlaced { channel: 1 })
        );
        assert_eq!(q.next_before(Some(Phase::Production)), None);
        // Scheduled during production, for today: after the arrival already waiting.
        assert!(q.schedule(Day(2), arrival(6)));
        assert_eq!(q.next_before(Some(Phase::Arrival)), None);
        assert_eq!(q.next_before(Some(Phase::Consumption)), Some(arrival(5)));
        assert_eq!(q.next_before(Some(Phase::Consumption)), Some(arrival(6)));
        assert_eq!(q.next_before(None), None);
        assert!(q.is_empty());
    }

    #[test]
    fn reset_reuses_the_queue() {
        let mut q = EventQueue::new(5);
        q.schedule(Day(4), Event::OrderPlaced { channel: 1 });
        q.schedule(Day(1), Event::OrderPlaced { channel: 2 });
        q.begin_day(Day(1));
        assert_eq!(q.next_before(None), Some(Event::OrderPlaced { channel: 2 }));
        q.reset();
        assert!(q.is_empty());
        assert_eq!(drain(&mut q), vec![]);
        assert!(!q.schedule(Day(6), Event::OrderPlaced { channel: 3 }));
    }
}
