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
//! Events that happen every day (production, consumption, the daily report) are registered once
//! as *daily* events: the queue yields them at the start of their phase on each day, before the
//! events scheduled into that phase, without a push and pop per day.

use super::event::{Event, Phase};
use crate::units::Day;

/// When an event happens: the day, then the phase within the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct EventTime {
    /// The day.
    pub day: Day,
    /// The phase within the day.
    pub phase: Phase,
}

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
    /// Daily events by phase, with their first day.
    daily: [Option<(Event, u32)>; Phase::COUNT],
    /// The day being processed.
    day: usize,
    /// Whether today's events have been gathered (the day has begun).
    started: bool,
    /// Next index in `today`.
    next: usize,
    /// Next phase whose daily event has not been considered today.
    daily_phase: usize,
    /// Phase of the last event yielded today.
    phase: usize,
    len: usize,
}

impl EventQueue {
    /// An empty queue for days 0..=horizon.
    #[must_use]
    pub fn new(horizon: u32) -> EventQueue {
        let days = horizon as usize + 1;
        EventQueue {
            inline: vec![Event::ReportTick; days * INLINE],
            used: vec![0; days],
            overflow: vec![Vec::new(); days],
            today: Vec::new(),
            daily: [None; Phase::COUNT],
            day: 0,
            started: false,
            next: 0,
            daily_phase: 0,
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
        self.daily = [None; Phase::COUNT];
        self.day = 0;
        self.started = false;
        self.next = 0;
        self.daily_phase = 0;
        self.phase = 0;
        self.len = 0;
    }

    /// Registers `event` to happen every day from `first` to the horizon, first in its phase.
    /// At most one daily event per phase.
    pub fn schedule_daily(&mut self, first: Day, event: Event) {
        self.daily[event.phase() as usize] = Some((event, first.0));
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

    /// The next event in (day, phase, sequence) order.
    #[inline]
    pub fn pop(&mut self) -> Option<(EventTime, Event)> {
        loop {
            if self.day >= self.used.len() {
                return None;
            }
            if !self.started {
                let d = self.day;
                self.today.clear();
                self.today.extend_from_slice(
                    &self.inline[d * INLINE..d * INLINE + self.used[d] as usize],
                );
                self.today.append(&mut self.overflow[d]);
                sort_by_phase(&mut self.today);
                self.started = true;
                self.next = 0;
                self.daily_phase = 0;
                self.phase = 0;
            }
            let waiting = self
                .today
                .get(self.next)
                .map_or(Phase::COUNT, |e| e.phase() as usize);
            while self.daily_phase < Phase::COUNT && self.daily_phase <= waiting {
                let p = self.daily_phase;
                self.daily_phase += 1;
                if let Some((ev, first)) = self.daily[p] {
                    if self.day as u32 >= first {
                        self.phase = p;
                        return Some((
                            EventTime {
                                day: Day(self.day as u32),
                                phase: ev.phase(),
                            },
                            ev,
                        ));
                    }
                }
            }
            if let Some(&ev) = self.today.get(self.next) {
                self.next += 1;
                self.len -= 1;
                self.phase = ev.phase() as usize;
                return Some((
                    EventTime {
                        day: Day(self.day as u32),
                        phase: ev.phase(),
                    },
                    ev,
                ));
            }
            self.day += 1;
            self.started = false;
        }
    }

    /// Events waiting (daily events not counted).
    #[must_use]
    #[cfg(any(test, feature = "internals"))]
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when no event is waiting (daily events not counted).
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
            let got: Vec<(Day, Event)> = std::iter::from_fn(|| q.pop()).map(|(t, e)| (t.day, e)).collect();
            let want: Vec<(Day, Event)> = expected.iter().map(|x| (x.0, x.3)).collect();
            prop_assert_eq!(got, want);
            prop_assert!(q.is_empty());
        }
    }

    #[test]
    fn daily_events_come_first_in_their_phase_every_day() {
        let mut q = EventQueue::new(3);
        q.schedule(Day(2), Event::ShipmentArrived { line: 7, units: 5 });
        q.schedule(Day(2), Event::DailyConsumption);
        q.schedule_daily(Day(1), Event::DailyProduction);
        q.schedule_daily(Day(0), Event::ReportTick);
        let got: Vec<(u32, Event)> = std::iter::from_fn(|| q.pop())
            .map(|(t, e)| (t.day.0, e))
            .collect();
        use Event::*;
        assert_eq!(
            got,
            vec![
                (0, ReportTick),
                (1, DailyProduction),
                (1, ReportTick),
                (2, DailyProduction),
                (2, ShipmentArrived { line: 7, units: 5 }),
                (2, DailyConsumption),
                (2, ReportTick),
                (3, DailyProduction),
                (3, ReportTick),
            ]
        );
    }

    #[test]
    fn reset_reuses_the_queue() {
        let mut q = EventQueue::new(5);
        q.schedule(Day(4), Event::OrderPlaced { channel: 1 });
        q.schedule(Day(1), Event::OrderPlaced { channel: 2 });
        assert_eq!(q.pop().map(|(t, _)| t.day), Some(Day(1)));
        q.reset();
        assert!(q.is_empty());
        assert_eq!(q.pop(), None);
        assert!(!q.schedule(Day(6), Event::OrderPlaced { channel: 3 }));
    }
}
