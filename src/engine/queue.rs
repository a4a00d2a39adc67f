//! The event queue: a calendar queue over whole days, ordered by (day, phase, sequence).
//!
//! Every event happens on a whole day and, within the day, in a fixed phase (payments before
//! orders before production before deliveries before consumption before the daily report). Events
//! with the same day and phase come out in the order they were scheduled (their sequence), so ties
//! are deterministic. Because days are bounded by the horizon, one bucket per (day, phase) gives
//! O(1) push and pop; buckets keep their allocations between runs.

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

/// A calendar queue for days 0..=horizon.
#[derive(Debug)]
pub struct EventQueue {
    buckets: Vec<Vec<Event>>,
    slot: usize,
    next: usize,
    len: usize,
}

impl EventQueue {
    /// An empty queue for days 0..=horizon.
    #[must_use]
    pub fn new(horizon: u32) -> EventQueue {
        EventQueue { buckets: vec![Vec::new(); (horizon as usize + 1) * Phase::COUNT], slot: 0, next: 0, len: 0 }
    }

    /// Empties the queue, keeping its memory, and rewinds the clock to day 0.
    pub fn reset(&mut self) {
        let from = self.slot.min(self.buckets.len());
        for b in &mut self.buckets[from..] {
            b.clear();
        }
        self.slot = 0;
        self.next = 0;
        self.len = 0;
    }

    /// The last day the queue can hold.
    #[must_use]
    pub fn horizon(&self) -> Day {
        Day((self.buckets.len() / Phase::COUNT) as u32 - 1)
    }

    /// Schedules `event` at `day` in its phase. Returns false (and schedules nothing) when the
    /// day is past the horizon: the caller accounts for what never happens.
    ///
    /// # Panics
    /// In debug builds, when the time is earlier than the event being processed (a model bug).
    pub fn schedule(&mut self, day: Day, event: Event) -> bool {
        let slot = day.index() * Phase::COUNT + event.phase() as usize;
        if slot >= self.buckets.len() {
            return false;
        }
        debug_assert!(slot >= self.slot, "event scheduled in the past: {event:?} at {day}");
        self.buckets[slot.max(self.slot)].push(event);
        self.len += 1;
        true
    }

    /// The next event in (day, phase, sequence) order.
    pub fn pop(&mut self) -> Option<(EventTime, Event)> {
        while self.slot < self.buckets.len() {
            let bucket = &mut self.buckets[self.slot];
            if self.next < bucket.len() {
                let ev = bucket[self.next];
                self.next += 1;
                self.len -= 1;
                let day = Day((self.slot / Phase::COUNT) as u32);
                return Some((EventTime { day, phase: ev.phase() }, ev));
            }
            bucket.clear();
            self.slot += 1;
            self.next = 0;
        }
        None
    }

    /// Events waiting.
    #[must_use]
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when no event is waiting.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}
