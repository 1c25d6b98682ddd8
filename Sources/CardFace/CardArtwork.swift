import CCardGraphics

/// Pages ready to print: the card's front and back, or an endorsement stamp alone. Each page is ID-1 size
/// (`CardGeometry`); `pdf()` gives all pages with the fonts embedded (what a CUPS queue is sent),
/// `png(page:)` one page as a 300 dpi image (what a screen shows, or a raster card printer takes).
public struct CardArtwork: Sendable {
    enum Page: Sendable {
        case front(CardFaceValues)
        case back(CardFaceValues)
        case stamp(EndorsementStamp)
    }

    let pages: [Page]
    /// The document's title in the PDF and, when printed, the CUPS job's name. Holds no personal data:
    /// job names are listed to every user of the print server.
    public let title: String

    public var pageCount: Int { pages.count }

    /// Front (page 1) and back (page 2), as a duplex card printer takes them. Every value, the photo and
    /// the QR code are checked here, so a card that passes is one that renders.
    public static func card(_ values: CardFaceValues) throws(CardFaceError) -> CardArtwork {
        try values.validate()
        _ = try Photo(values.photo)
        return CardArtwork(pages: [.front(values), .back(values)], title: "permit card face")
    }

    /// One page with only the stamp, at the rewritable area's place on the back.
    public static func stamp(_ stamp: EndorsementStamp) throws(CardFaceError) -> CardArtwork {
        try stamp.validate()
        return CardArtwork(pages: [.stamp(stamp)], title: "permit endorsement stamp")
    }

    /// Every page as one PDF, fonts subset and embedded, the photo's JPEG embedded as it is.
    public func pdf() throws(CardFaceError) -> [UInt8] {
        let sink = ByteSink()
        let points = (CardGeometry.widthMM * CardGeometry.pointsPerMM, CardGeometry.heightMM * CardGeometry.pointsPerMM)
        let surface = cairo_pdf_surface_create_for_stream({ closure, data, length in
            Unmanaged<ByteSink>.fromOpaque(closure!).takeUnretainedValue().bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
            return CAIRO_STATUS_SUCCESS
        }, Unmanaged.passUnretained(sink).toOpaque(), points.0, points.1)!
        defer { cairo_surface_destroy(surface) }
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "PermitStation")
        try withExtendedLifetime(sink) { () throws(CardFaceError) in
            try draw(pages, on: surface, scale: CardGeometry.pointsPerMM, step: "writing the PDF")
            cairo_surface_finish(surface)
            try check(cairo_surface_status(surface), "writing the PDF")
        }
        return sink.bytes
    }

    /// One page as a PNG at `dpi` (300 by default: 1011 × 638 pixels), white background, with its
    /// resolution recorded in a pHYs chunk.
    public func png(page: Int = 0, dpi: Int = CardGeometry.dpi) throws(CardFaceError) -> [UInt8] {
        guard pages.indices.contains(page) else { throw .noSuchPage(page, count: pages.count) }
        let size = CardGeometry.pixels(dpi: dpi)
        let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(size.width), Int32(size.height))!
        defer { cairo_surface_destroy(surface) }
        try check(cairo_surface_status(surface), "allocating the image")
        try draw([pages[page]], on: surface, scale: Double(dpi) / 25.4, step: "drawing the image", background: true)
        let sink = ByteSink()
        let status = withExtendedLifetime(sink) {
            cairo_surface_write_to_png_stream(surface, { closure, data, length in
                Unmanaged<ByteSink>.fromOpaque(closure!).takeUnretainedValue().bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
                return CAIRO_STATUS_SUCCESS
            }, Unmanaged.passUnretained(sink).toOpaque())
        }
        try check(status, "writing the PNG")
        return PNGResolution.inserting(dpi: dpi, into: sink.bytes)
    }

    private func draw(_ pages: [Page], on surface: OpaquePointer, scale: Double, step: String, background: Bool = false) throws(CardFaceError) {
        let cairo = cairo_create(surface)!
        defer { cairo_destroy(cairo) }
        if background {
            cairo_set_source_rgb(cairo, 1, 1, 1)
            cairo_paint(cairo)
        }
        cairo_scale(cairo, scale, scale)
        let canvas = try Canvas(cairo)
        for page in pages {
            switch page {
            case .front(let values): try values.drawFront(on: canvas, photo: try Photo(values.photo))
            case .back(let values): try values.drawBack(on: canvas)
            case .stamp(let stamp): try stamp.draw(on: canvas)
            }
            cairo_show_page(cairo)
        }
        try check(cairo_status(cairo), step)
    }

    private func check(_ status: cairo_status_t, _ step: String) throws(CardFaceError) {
        guard status == CAIRO_STATUS_SUCCESS else {
            throw .renderingFailed(step: step, reason: String(cString: cairo_status_to_string(status)))
        }
    }
}

/// Bytes cairo writes piece by piece.
private final class ByteSink {
    var bytes: [UInt8] = []
}

/// cairo writes PNGs without a resolution; a pHYs chunk after IHDR tells viewers and printers it is 300 dpi.
enum PNGResolution {
    static func inserting(dpi: Int, into png: [UInt8]) -> [UInt8] {
        let ihdrEnd = 8 + 4 + 4 + 13 + 4   // signature, IHDR length, type, data, CRC
        let pixelsPerMetre = UInt32((Double(dpi) / 0.0254).rounded())
        var body = Array("pHYs".utf8)
        for _ in 0..<2 { body += withUnsafeBytes(of: pixelsPerMetre.bigEndian, Array.init) }
        body.append(1)   // unit: metre
        let crc = UInt32(body.withUnsafeBufferPointer { crc32(0, $0.baseAddress, UInt32($0.count)) })
        let chunk = withUnsafeBytes(of: UInt32(9).bigEndian, Array.init) + body + withUnsafeBytes(of: crc.bigEndian, Array.init)
        return Array(png[..<ihdrEnd]) + chunk + Array(png[ihdrEnd...])
    }
}
