//! Atmospheric CO₂ at Mauna Loa, Hawaii, March 1958 – December 2001: the weekly averages of the
//! Scripps record, shipped with the course (`support-crate/data/co2/`, source and licence in
//! `support-crate/data/README.md`), and the monthly means derived from them.
//!
//! A slow accelerating rise (about 55 ppm over the record), a yearly cycle of about 6 ppm
//! (plants of the northern hemisphere take CO₂ up in summer), and irregularities on top: the
//! data set of Rasmussen & Williams §5.4.3, where a sum of kernels models each of these parts.
//!
//! **Monthly means.** The mean of the weekly values whose date (the week's Saturday) falls in
//! the month; weeks with no value are skipped, and a month without any value is left out (5 of
//! the 526 months: June and October 1958, February–April 1964). A month is placed at its middle
//! in decimal years, $t = \text{year} + (\text{month} - \tfrac12)/12$.
//!
//! Used in notebooks/16-inference-kernels-and-gaussian-processes.ipynb.

/// The file: `date,co2` with the date as `YYYYMMDD` and an empty value for a week without data.
const CSV: &str = include_str!("../../data/co2/co2.csv");

/// One week of the record.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Week {
    /// The week's date (a Saturday) as `YYYYMMDD`.
    pub date: u32,
    /// The weekly average in ppm (parts per million by volume), `None` for a week without data.
    pub ppm: Option<f64>,
}

/// Every week of the file, in order, with or without a value.
///
/// # Examples
/// ```
/// let w = course::data::co2::weekly();
/// assert_eq!(w.len(), 2284);                                      // 29 March 1958 – 29 December 2001
/// assert_eq!(w.iter().filter(|w| w.ppm.is_some()).count(), 2225); // weeks with a value
/// assert_eq!((w[0].date, w[0].ppm), (19580329, Some(316.1)));
/// assert_eq!(w[6].ppm, None);                                     // 10 May 1958: no data
/// ```
pub fn weekly() -> Vec<Week> {
    let mut lines = CSV.lines();
    assert_eq!(lines.next(), Some("date,co2"), "co2.csv: the header must be date,co2");
    lines
        .enumerate()
        .map(|(i, line)| {
            let (date, value) = line.split_once(',').unwrap_or_else(|| panic!("co2.csv line {}: two fields expected, got {line:?}", i + 2));
            let date: u32 = date.parse().unwrap_or_else(|_| panic!("co2.csv line {}: {date:?} is not a YYYYMMDD date", i + 2));
            let ppm = (!value.is_empty()).then(|| value.parse().unwrap_or_else(|_| panic!("co2.csv line {}: {value:?} is not a number", i + 2)));
            Week { date, ppm }
        })
        .collect()
}

/// A time series: times in decimal years and CO₂ in ppm.
#[derive(Clone, Debug, PartialEq)]
pub struct Co2Series {
    /// The middle of each month, $\text{year} + (\text{month} - \tfrac12)/12$, increasing.
    pub time: Vec<f64>,
    /// The monthly mean in ppm.
    pub ppm: Vec<f64>,
}

/// The monthly means (see the module docs): 521 months from March 1958 to December 2001.
///
/// # Examples
/// ```
/// let co2 = course::data::co2::monthly();
/// assert_eq!(co2.len(), 521);
/// assert!((co2.time[0] - (1958.0 + 2.5 / 12.0)).abs() < 1e-12);  // March 1958
/// assert_eq!(co2.ppm[0], 316.1);                                  // its only week
/// assert!((co2.ppm[1] - 317.2).abs() < 1e-12);                    // April 1958: (317.3 + 317.6 + 317.5 + 316.4) / 4
/// assert!((co2.time[520] - (2001.0 + 11.5 / 12.0)).abs() < 1e-12); // December 2001
/// assert!((co2.ppm[520] - 371.02).abs() < 1e-12);
/// // The rise over the record: the mean of 2001 minus the mean of 1959 (both complete years).
/// let year_mean = |y: f64| { let v: Vec<f64> = co2.time.iter().zip(&co2.ppm).filter(|(t, _)| t.floor() == y).map(|(_, p)| *p).collect(); (v.len(), v.iter().sum::<f64>() / v.len() as f64) };
/// let ((n59, m59), (n01, m01)) = (year_mean(1959.0), year_mean(2001.0));
/// assert_eq!((n59, n01), (12, 12));
/// assert!((m59 - 316.0007).abs() < 1e-4 && (m01 - 370.8538).abs() < 1e-4);
/// ```
pub fn monthly() -> Co2Series {
    let mut series = Co2Series { time: Vec::new(), ppm: Vec::new() };
    let mut current: Option<(u32, f64, usize)> = None; // (YYYYMM, sum, count)
    let mut flush = |c: Option<(u32, f64, usize)>| {
        if let Some((ym, sum, count)) = c {
            series.time.push((ym / 100) as f64 + ((ym % 100) as f64 - 0.5) / 12.0);
            series.ppm.push(sum / count as f64);
        }
    };
    for w in weekly() {
        let Some(ppm) = w.ppm else { continue };
        let ym = w.date / 100;
        match current {
            Some((c, sum, count)) if c == ym => current = Some((c, sum + ppm, count + 1)),
            _ => {
                flush(current);
                current = Some((ym, ppm, 1));
            }
        }
    }
    flush(current);
    series
}

impl Co2Series {
    /// Number of months.
    pub fn len(&self) -> usize {
        self.time.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.time.is_empty()
    }

    /// The months before `year` (decimal) and the months from `year` on: a training part and a
    /// forecast part.
    ///
    /// # Examples
    /// ```
    /// let (train, test) = course::data::co2::monthly().split_at_year(1991.0);
    /// assert_eq!((train.len(), test.len()), (389, 132)); // 1958–1990, 1991–2001
    /// ```
    pub fn split_at_year(&self, year: f64) -> (Co2Series, Co2Series) {
        let k = self.time.partition_point(|&t| t < year);
        let part = |r: std::ops::Range<usize>| Co2Series { time: self.time[r.clone()].to_vec(), ppm: self.ppm[r].to_vec() };
        (part(0..k), part(k..self.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_are_seven_days_apart() {
        // An independent calendar: days since 1 March 0000 (Gregorian), for YYYYMMDD.
        fn day(d: u32) -> i64 {
            let (y, m, dd) = ((d / 10000) as i64, ((d / 100) % 100) as i64, (d % 100) as i64);
            let (y, m) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
            365 * y + y / 4 - y / 100 + y / 400 + (153 * m + 2) / 5 + dd
        }
        let w = weekly();
        assert!(w.windows(2).all(|p| day(p[1].date) - day(p[0].date) == 7));
        assert_eq!(w.last().unwrap().date, 20011229);
    }

    #[test]
    fn monthly_means_by_brute_force() {
        // Every month of the record: the mean of its weeks with a value, or absent.
        let (w, co2) = (weekly(), monthly());
        let mut k = 0;
        for y in 1958..=2001u32 {
            for m in 1..=12u32 {
                let v: Vec<f64> = w.iter().filter(|w| w.date / 100 == 100 * y + m).filter_map(|w| w.ppm).collect();
                if v.is_empty() {
                    continue;
                }
                assert!((co2.time[k] - (y as f64 + (m as f64 - 0.5) / 12.0)).abs() < 1e-12);
                assert!((co2.ppm[k] - v.iter().sum::<f64>() / v.len() as f64).abs() < 1e-12);
                k += 1;
            }
        }
        assert_eq!(k, co2.len());
        // The 5 months without data: (1958 Mar – 2001 Dec) has 526 months.
        assert_eq!(526 - co2.len(), 5);
    }
}
