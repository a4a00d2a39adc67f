//! Daily counts drawn over stretches of days: the horizon cut at period boundaries, each stretch
//! with one sampler (a certain rate carried in fixed point, an exact inversion table, or a
//! Poisson or negative-binomial sampler), shared by daily use and threats' launches.

use crate::sampling::{poisson_count, IntTable, StreamRng, MAX_COUNT_MEAN};
use crate::scenario::Demand;
use crate::units::{Day, Fixed};
use rand_distr::{Distribution, Gamma, Poisson};

/// How one item's demand is drawn over one stretch of days.
#[derive(Debug, Clone)]
pub(super) enum DemandDraw {
    None,
    /// A certain daily use, in fixed point (fractions carried exactly).
    Fixed(Fixed),
    /// A Poisson or negative-binomial day at a fixed mean, by exact inversion of its table.
    Table(IntTable),
    Poisson(Poisson<f64>),
    NegBinomial(Gamma<f64>),
}

/// Whether a stretch's sampler may be an exact inversion table (built once per scenario) or
/// must be built cheaply (for laws drawn once per future).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tables {
    Build,
    Skip,
}

/// One stretch of days with one way of drawing demand.
#[derive(Debug, Clone)]
pub(super) struct DemandStretch {
    /// First day of the stretch.
    pub from: u32,
    pub draw: DemandDraw,
}

/// The stretches of a count drawn each day (use, or a threat's launches): the horizon cut at
/// every period boundary and at the ends of `window` (first and last day); no draw outside it.
pub(super) fn stretches(
    demand: Demand,
    periods: &[(Day, Day, f64)],
    horizon: u32,
    window: (u32, u32),
    tables: Tables,
) -> Vec<DemandStretch> {
    // Cut the horizon at every period boundary; each stretch has one multiplier.
    let mut cuts: Vec<u32> = vec![0, window.0, window.1.saturating_add(1)];
    for &(from, to, _) in periods {
        cuts.push(from.0);
        cuts.push(to.0.saturating_add(1));
    }
    cuts.sort_unstable();
    cuts.dedup();
    cuts.into_iter()
        .filter(|&d| d <= horizon)
        .map(|d| {
            if d < window.0 || d > window.1 {
                return DemandStretch {
                    from: d,
                    draw: DemandDraw::None,
                };
            }
            let mults: Vec<f64> = periods
                .iter()
                .filter(|(f, t, _)| f.0 <= d && d <= t.0)
                .map(|p| p.2)
                .collect();
            DemandStretch {
                from: d,
                draw: demand_draw(demand, &mults, tables),
            }
        })
        .collect()
}

/// The sampler of one stretch of demand, `mults` being the multipliers of the periods that
/// cover it. A certain daily use is converted to fixed point and multiplied by each multiplier
/// in turn, rounding each product to the nearest billionth (ties to even). A random daily mean
/// is the product of the mean and the multipliers, at most [`MAX_COUNT_MEAN`].
pub(super) fn demand_draw(d: Demand, mults: &[f64], tables: Tables) -> DemandDraw {
    let build = tables == Tables::Build;
    let mean = |m: f64| (m * mults.iter().product::<f64>()).min(MAX_COUNT_MEAN);
    match d {
        Demand::Fixed(v) => DemandDraw::Fixed(
            mults
                .iter()
                .fold(Fixed::from_f64(v), |r, &m| r.times(Fixed::from_f64(m))),
        ),
        Demand::Poisson { mean: m } => {
            let m = mean(m);
            if let Some(t) = IntTable::poisson(m).filter(|_| build) {
                DemandDraw::Table(t)
            } else if m > 0.0 {
                DemandDraw::Poisson(Poisson::new(m).expect(
                    "invariant: a Poisson mean in (0, MAX_COUNT_MEAN] is accepted by the sampler",
                ))
            } else {
                DemandDraw::None
            }
        }
        Demand::NegBinomial { mean: m, shape } => {
            let m = mean(m);
            if let Some(t) = IntTable::negative_binomial(m, shape).filter(|_| build) {
                DemandDraw::Table(t)
            } else if m > 0.0 && shape > 0.0 && shape.is_finite() {
                DemandDraw::NegBinomial(Gamma::new(shape, m / shape).expect(
                    "invariant: validation gives a negative binomial a finite shape > 0 and mean > 0",
                ))
            } else {
                DemandDraw::None
            }
        }
    }
}

/// One day's count from a stretch's sampler (None where nothing is drawn); a certain daily rate
/// adds to `carry` and gives its whole units.
#[inline(always)]
pub(super) fn draw_count(draw: &DemandDraw, carry: &mut Fixed, rng: &mut StreamRng) -> Option<u64> {
    Some(match draw {
        DemandDraw::None => return None,
        DemandDraw::Fixed(v) => {
            *carry = carry.plus(*v);
            let w = carry.whole();
            *carry = carry.fraction();
            w
        }
        DemandDraw::Table(t) => t.sample(rng),
        DemandDraw::Poisson(p) => p.sample(rng) as u64,
        DemandDraw::NegBinomial(g) => poisson_count(g.sample(rng), rng) as u64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipliers_apply_in_fixed_point() {
        let DemandDraw::Fixed(r) = demand_draw(Demand::Fixed(0.1), &[1.5, 2.0], Tables::Build)
        else {
            panic!("a certain use stays certain")
        };
        assert_eq!(r, Fixed::from_f64(0.3));
        let DemandDraw::Fixed(r) = demand_draw(Demand::Fixed(1.0 / 3.0), &[0.5], Tables::Build)
        else {
            panic!("a certain use stays certain")
        };
        // 0.333333333 × 0.5 = 0.1666666665, a tie rounded to the even 0.166666666.
        assert_eq!(r, Fixed(166_666_666));
        assert!(matches!(
            demand_draw(Demand::Poisson { mean: 1e7 }, &[1000.0; 5], Tables::Build),
            DemandDraw::Poisson(_)
        ));
    }
}
