//! Where things sit inside a card, in canvas units from the card's top-left
//! corner. Painting and the in-place rename field both read these, so the
//! text field lands exactly over the name it edits.

use crate::model::Rect;

/// Left edge of the kind icon.
pub const ICON_LEFT: f32 = 16.0;
/// Top edge of the kind icon.
pub const ICON_TOP: f32 = 12.0;
/// Left edge of the name and kind lines (right of the icon).
pub const TEXT_LEFT: f32 = 50.0;
/// Room kept free right of the text.
pub const TEXT_RIGHT_PAD: f32 = 10.0;
/// Top of the name line.
pub const NAME_TOP: f32 = 10.0;
/// Top of the kind line.
pub const KIND_TOP: f32 = 30.0;
/// Distance of the property chips' top edge from the card's bottom edge.
pub const CHIPS_FROM_BOTTOM: f32 = 22.0;
/// Height of a property chip.
pub const CHIP_HEIGHT: f32 = 16.0;
/// Horizontal padding inside a chip.
pub const CHIP_PAD: f32 = 5.0;
/// Space between chips.
pub const CHIP_GAP: f32 = 4.0;
/// Room kept free right of the last chip.
pub const CHIPS_RIGHT_PAD: f32 = 8.0;

/// The rectangle (canvas units) of a card's name line.
pub fn name_rect(card: Rect) -> Rect {
    Rect::new(
        card.x + TEXT_LEFT,
        card.y + NAME_TOP,
        (card.w - TEXT_LEFT - TEXT_RIGHT_PAD).max(1.0),
        KIND_TOP - NAME_TOP,
    )
}
