//! A saved view's time window (`time_from`, `time_to` partial dates) as the timeline's
//! [`TimeWindow`], and back: what the canvas and the exported pictures hide for a view.

use super::timeline::{TimeWindow, date_of_day, last_day};
use crate::model::{PartialDate, SavedView};

/// A day beyond any real date, for a window with no end.
const FAR_FUTURE_DAY: i64 = 10_000_000;

/// The window a view shows, or `None` for all time.
pub fn window_of(view: &SavedView) -> Option<TimeWindow> {
    match (&view.time_from, &view.time_to) {
        (None, None) => None,
        (None, Some(to)) => Some(TimeWindow::as_of(last_day(to))),
        (Some(from), None) => Some(TimeWindow::between(from.days_since_epoch(), FAR_FUTURE_DAY)),
        (Some(from), Some(to)) => Some(TimeWindow::between(from.days_since_epoch(), last_day(to))),
    }
}

/// The dates to save in a view for `window` (`time_from` is `None` for an "as of" window).
pub fn dates_of(window: Option<TimeWindow>) -> (Option<PartialDate>, Option<PartialDate>) {
    let Some(w) = window else {
        return (None, None);
    };
    let from = (!w.is_as_of()).then(|| date_of_day(w.span.start_day));
    let to = (w.span.end_day < FAR_FUTURE_DAY).then(|| date_of_day(w.span.end_day));
    (from, to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_survive_a_round_trip_through_a_view() {
        for window in [
            None,
            Some(TimeWindow::as_of(20_000)),
            Some(TimeWindow::between(19_000, 20_000)),
        ] {
            let (time_from, time_to) = dates_of(window);
            let view = SavedView {
                time_from,
                time_to,
                ..SavedView::default()
            };
            assert_eq!(window_of(&view), window);
        }
    }
}
