//! The canvas area a saved view shows: its frame, a 16:9 rectangle around the view's camera
//! (a slide). The camera's zoom is the zoom at which the frame fills a 1600×900 screen; on any
//! other screen the frame is scaled to cover it, so a view captured on a screen comes back
//! exactly on a screen of the same size, and fills a 16:9 projector edge to edge.

use super::case::Camera;

/// A rectangle in canvas coordinates.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FrameRect {
    pub min_x: f32,
    pub min_y: f32,
    pub max_x: f32,
    pub max_y: f32,
}

impl FrameRect {
    pub fn width(&self) -> f32 {
        self.max_x - self.min_x
    }

    pub fn height(&self) -> f32 {
        self.max_y - self.min_y
    }

    pub fn contains(&self, x: f32, y: f32) -> bool {
        (self.min_x..=self.max_x).contains(&x) && (self.min_y..=self.max_y).contains(&y)
    }
}

impl Camera {
    /// Width of the reference screen a view's zoom is stated for, in points.
    pub const FRAME_WIDTH: f32 = 1600.0;
    /// Height of the reference screen (16:9 with the width).
    pub const FRAME_HEIGHT: f32 = 900.0;

    /// The canvas area this camera shows on the 16:9 reference screen.
    pub fn frame(&self) -> FrameRect {
        let zoom = if self.zoom.is_finite() && self.zoom > 0.0 {
            self.zoom
        } else {
            1.0
        };
        let (w, h) = (Self::FRAME_WIDTH / zoom, Self::FRAME_HEIGHT / zoom);
        FrameRect {
            min_x: self.center.x - w / 2.0,
            min_y: self.center.y - h / 2.0,
            max_x: self.center.x + w / 2.0,
            max_y: self.center.y + h / 2.0,
        }
    }

    /// The camera whose frame is the smallest 16:9 area holding `visible` (what a screen
    /// shows now), centred on it.
    pub fn containing(visible: FrameRect) -> Self {
        let zoom = (Self::FRAME_WIDTH / visible.width().max(1e-3))
            .min(Self::FRAME_HEIGHT / visible.height().max(1e-3));
        Self {
            center: super::CanvasPoint {
                x: f32::midpoint(visible.min_x, visible.max_x),
                y: f32::midpoint(visible.min_y, visible.max_y),
            },
            zoom,
        }
    }

    /// The zoom that shows this camera's frame on a screen of `width` × `height` points,
    /// covering the screen (the inverse of [`Camera::containing`] on the same screen).
    pub fn zoom_for_screen(&self, width: f32, height: f32) -> f32 {
        self.zoom * (width / Self::FRAME_WIDTH).max(height / Self::FRAME_HEIGHT)
    }

    /// The zoom that shows all of this camera's frame in an area of `width` × `height` points
    /// (presentations: nothing of the slide is cut off, whatever the screen's shape).
    pub fn zoom_to_contain(&self, width: f32, height: f32) -> f32 {
        self.zoom * (width / Self::FRAME_WIDTH).min(height / Self::FRAME_HEIGHT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CanvasPoint;

    #[test]
    fn a_captured_view_comes_back_exactly_on_the_same_screen() {
        for (w, h) in [(1000.0_f32, 800.0_f32), (1920.0, 1000.0), (600.0, 900.0)] {
            let zoom = 0.7;
            let center = CanvasPoint { x: 120.0, y: -40.0 };
            let visible = FrameRect {
                min_x: center.x - w / zoom / 2.0,
                min_y: center.y - h / zoom / 2.0,
                max_x: center.x + w / zoom / 2.0,
                max_y: center.y + h / zoom / 2.0,
            };
            let cam = Camera::containing(visible);
            assert!((cam.zoom_for_screen(w, h) - zoom).abs() < 1e-4);
            let f = cam.frame();
            assert!(f.width() >= visible.width() - 1e-2 && f.height() >= visible.height() - 1e-2);
            assert!((f.width() / f.height() - 16.0 / 9.0).abs() < 1e-3);
        }
    }
}
