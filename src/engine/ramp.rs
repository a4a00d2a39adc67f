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
}
