//! Production ramps as the engine uses them: capacity points in fixed point, interpolated day by
//! day.

use crate::units::Fixed;

/// A point of a production ramp as the engine uses it.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct RampPoint {
    /// Day the point is reached (fractional after a drawn slip).
    pub day: f64,
    /// Capacity from that day, in fixed point.
    pub rate: Fixed,
}

/// Capacity on day `d`, interpolating the ramp within `segment`: between two points the
/// day's rate is the linear interpolation of the two points' fixed-point rates, rounded to the
/// nearest billionth (ties to even); on and after a point, exactly that point's rate.
#[inline]
pub(super) fn ramp_rate(ramp: &[RampPoint], segment: usize, d: f64) -> Fixed {
    let p0 = ramp[segment];
    match ramp.get(segment + 1) {
        Some(p1) if d > p0.day => {
            if d >= p1.day {
                p1.rate
            } else {
                let (r0, r1) = (p0.rate.0 as f64, p1.rate.0 as f64);
                Fixed::round_billionths(r0 + (r1 - r0) * ((d - p0.day) / (p1.day - p0.day)))
            }
        }
        _ => p0.rate,
    }
}

/// Writes the ramp of a future into `into`: the written points, every point after the first
/// late by `slip` days, kept in strictly increasing order of day (a negative slip must not
/// reorder points).
pub(super) fn slipped(written: &[RampPoint], slip: f64, into: &mut Vec<RampPoint>) {
    into.clear();
    into.extend(written.iter().enumerate().map(|(k, &p)| RampPoint {
        day: if k == 0 { p.day } else { p.day + slip },
        rate: p.rate,
    }));
    for k in 1..into.len() {
        if into[k].day <= into[k - 1].day {
            into[k].day = into[k - 1].day + 1e-9;
        }
    }
}

/// The segment in effect on day `d` once that day's milestones have passed: the last point
/// reached on or before `d` (the first point before it is reached).
pub(super) fn segment_on(ramp: &[RampPoint], d: f64) -> usize {
    ramp.iter()
        .take_while(|p| p.day <= d)
        .count()
        .saturating_sub(1)
}

/// The capacity of every day `0..=horizon` of a ramp that is the same in every future (its slip
/// is certain): exactly what [`ramp_rate`] gives on each day with the segment the milestones
/// reach, computed once instead of once a day in every future.
pub(super) fn daily_rates(ramp: &[RampPoint], horizon: u32) -> Box<[Fixed]> {
    (0..=horizon)
        .map(|day| {
            let d = f64::from(day);
            ramp_rate(ramp, segment_on(ramp, d), d)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pt(day: f64, rate: f64) -> RampPoint {
        RampPoint {
            day,
            rate: Fixed::from_f64(rate),
        }
    }

    #[test]
    fn ramp_interpolates_and_holds() {
        let ramp = [pt(0.0, 1.0), pt(10.0, 3.0)];
        assert_eq!(ramp_rate(&ramp, 0, 0.0), Fixed::from_f64(1.0));
        assert_eq!(ramp_rate(&ramp, 0, 5.0), Fixed::from_f64(2.0));
        assert_eq!(ramp_rate(&ramp, 0, 10.0), Fixed::from_f64(3.0));
        assert_eq!(ramp_rate(&ramp, 1, 10.0), Fixed::from_f64(3.0));
        assert_eq!(ramp_rate(&ramp, 1, 500.0), Fixed::from_f64(3.0));
        // 0 → 1 over 3 days: 1/3 and 2/3 of a unit, rounded to the nearest billionth.
        let thirds = [pt(0.0, 0.0), pt(3.0, 1.0)];
        assert_eq!(ramp_rate(&thirds, 0, 1.0), Fixed(333_333_333));
        assert_eq!(ramp_rate(&thirds, 0, 2.0), Fixed(666_666_667));
    }

    #[test]
    fn daily_rates_follow_the_milestones() {
        // 1 a day until day 2.5 (slipped by 0.5), then 3 a day from day 10.5: the milestone of a
        // fractional day is reached on the next whole day.
        let mut ramp = Vec::new();
        slipped(&[pt(0.0, 1.0), pt(2.0, 1.0), pt(10.0, 3.0)], 0.5, &mut ramp);
        let t = daily_rates(&ramp, 12);
        assert_eq!(t.len(), 13);
        assert_eq!(t[0], Fixed::from_f64(1.0));
        assert_eq!(t[2], Fixed::from_f64(1.0));
        // Day 6.5 is halfway from 2.5 to 10.5.
        assert_eq!(t[6], Fixed::round_billionths(1.875e9));
        assert_eq!(t[11], Fixed::from_f64(3.0));
        for (day, rate) in t.iter().enumerate() {
            let d = day as f64;
            assert_eq!(*rate, ramp_rate(&ramp, segment_on(&ramp, d), d));
        }
    }
}
