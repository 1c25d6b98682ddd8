/// ISO/IEC 7810 ID-1, the size of bank and identity cards. Everything on the card is laid out in
/// millimetres from the top-left corner; PDF pages and PNG images are this size.
public enum CardGeometry {
    public static let widthMM = 85.60
    public static let heightMM = 53.98
    /// The resolution of the PNG renderings: that of common card printers.
    public static let dpi = 300

    static let pointsPerMM = 72 / 25.4

    /// Pixels across and down at `dpi` (1011 × 638 at 300 dpi).
    public static func pixels(dpi: Int) -> (width: Int, height: Int) {
        (Int((widthMM / 25.4 * Double(dpi)).rounded()), Int((heightMM / 25.4 * Double(dpi)).rounded()))
    }

    /// The rewritable area on the back, where the endorsement stamp goes (a card with a thermal
    /// rewritable strip has it here; the printer erases and rewrites only this box).
    static let rewritableArea = Box(x: 4, y: 29, width: 77.6, height: 21.5)
}

/// A rectangle in millimetres.
struct Box: Sendable, Hashable {
    var x, y, width, height: Double

    func inset(_ d: Double) -> Box { Box(x: x + d, y: y + d, width: width - 2 * d, height: height - 2 * d) }
}
