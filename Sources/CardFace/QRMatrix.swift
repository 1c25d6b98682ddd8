import CCardGraphics

/// A QR code's modules from libqrencode: `size` × `size` dark or light squares, without the quiet zone.
struct QRMatrix {
    let size: Int
    private let dark: [Bool]

    /// Error correction level M (15 %): a scratched card still scans.
    init(_ text: String) throws(CardFaceError) {
        guard let code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else {
            throw .renderingFailed(step: "encoding the QR code", reason: "libqrencode refused \(text.utf8.count) bytes")
        }
        defer { QRcode_free(code) }
        size = Int(code.pointee.width)
        // Bit 0 of each byte is the module's colour (1 = dark); the other bits are libqrencode's bookkeeping.
        dark = UnsafeBufferPointer(start: code.pointee.data, count: size * size).map { $0 & 1 == 1 }
    }

    func isDark(row: Int, column: Int) -> Bool { dark[row * size + column] }
}
