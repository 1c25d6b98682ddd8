import CCardGraphics

/// An sRGB colour, components 0...1.
struct Colour {
    var red, green, blue: Double

    static let ink = Colour(red: 0.08, green: 0.08, blue: 0.10)
    static let label = Colour(red: 0.28, green: 0.36, blue: 0.50)
    static let band = Colour(red: 0.88, green: 0.93, blue: 0.98)
    static let seal = Colour(red: 0.70, green: 0.10, blue: 0.10)
    static let frame = Colour(red: 0.62, green: 0.66, blue: 0.72)
}

/// How a text is set: family, weight, size in points, and how far it may shrink to fit its box.
struct TextStyle {
    var family = FontFamily.sans
    var bold = false
    var size: Double
    /// Shrink in 0.25 pt steps down to this size before giving up; `nil`: the size is fixed.
    var minimumSize: Double?
    /// Wrap within the box's width (addresses, authority names); otherwise one line.
    var wraps = false
    var colour = Colour.ink
}

/// A cairo context whose user units are millimetres from the card's top-left corner, with a pango
/// context set so that a point is a typographic point (1/72 in) at any output resolution. Hinting is off
/// and glyph positions are not rounded, so the PDF and the PNG of a page lay out identically.
final class Canvas {
    let cairo: OpaquePointer
    private let pango: OpaquePointer

    /// `cairo` must already be scaled to millimetres.
    init(_ cairo: OpaquePointer) throws(CardFaceError) {
        try FontFamily.requireInstalled()
        self.cairo = cairo
        pango = pango_cairo_create_context(cairo)
        pango_cairo_context_set_resolution(pango, 25.4)   // user units per inch
        let options = cairo_font_options_create()
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY)
        pango_cairo_context_set_font_options(pango, options)
        cairo_font_options_destroy(options)
        pango_context_set_round_glyph_positions(pango, 0)
        pango_context_set_language(pango, pango_language_from_string("zh-cn"))
    }

    deinit { g_object_unref(UnsafeMutableRawPointer(pango)) }

    /// Sets `string` with its top-left corner at the box's, shrinking it (within the style's limit) until
    /// it fits the box. `field` names the value in the error when it cannot fit.
    func text(_ string: String, in box: Box, _ style: TextStyle, field: String) throws(CardFaceError) {
        let layout = pango_layout_new(pango)!
        defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
        pango_layout_set_text(layout, string, -1)
        if style.wraps {
            pango_layout_set_width(layout, Int32(box.width * Double(PANGO_SCALE)))
            pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
        }
        var size = style.size
        let smallest = style.minimumSize ?? style.size
        while true {
            setFont(layout, style, size: size)
            var logical = PangoRectangle()
            pango_layout_get_extents(layout, nil, &logical)
            let scale = Double(PANGO_SCALE)
            if Double(logical.width) / scale <= box.width + 0.01, Double(logical.height) / scale <= box.height + 0.01 { break }
            guard size - 0.25 >= smallest - 0.001 else { throw .doesNotFit(field: field, text: string) }
            size -= 0.25
        }
        setSource(style.colour)
        cairo_move_to(cairo, box.x, box.y)
        pango_cairo_show_layout(cairo, layout)
    }

    /// A field's caption: the Chinese word over its English one, in the label colour.
    func label(_ chinese: String, _ english: String, x: Double, y: Double, width: Double = 12) throws(CardFaceError) {
        try text(chinese, in: Box(x: x, y: y, width: width, height: 3.0), TextStyle(size: 5.5, colour: .label), field: "label")
        try text(english, in: Box(x: x, y: y + 2.3, width: width, height: 2.1), TextStyle(size: 3.8, colour: .label), field: "label")
    }

    func fill(_ box: Box, _ colour: Colour) {
        setSource(colour)
        cairo_rectangle(cairo, box.x, box.y, box.width, box.height)
        cairo_fill(cairo)
    }

    func stroke(_ box: Box, _ colour: Colour, lineWidth: Double) {
        setSource(colour)
        cairo_set_line_width(cairo, lineWidth)
        cairo_rectangle(cairo, box.x, box.y, box.width, box.height)
        cairo_stroke(cairo)
    }

    /// The photo scaled to cover the box, centred, the overflow cut off.
    func photo(_ photo: Photo, covering box: Box) {
        cairo_save(cairo)
        cairo_rectangle(cairo, box.x, box.y, box.width, box.height)
        cairo_clip(cairo)
        let scale = max(box.width / photo.width, box.height / photo.height)
        cairo_translate(cairo, box.x + (box.width - photo.width * scale) / 2, box.y + (box.height - photo.height * scale) / 2)
        cairo_scale(cairo, scale, scale)
        cairo_set_source_surface(cairo, photo.surface, 0, 0)
        cairo_pattern_set_filter(cairo_get_source(cairo), CAIRO_FILTER_GOOD)
        cairo_paint(cairo)
        cairo_restore(cairo)
    }

    /// A QR code filling the square `box`, quiet zone of 4 modules included. Drawn as a one-pixel-per-module
    /// image scaled without smoothing: crisp in the PNG, and one image in the PDF, which no later PostScript
    /// or raster step can split into rectangles with hairline seams. Module edges fall on whole pixels at
    /// the card printer's 300 dpi.
    func qrCode(_ matrix: QRMatrix, in box: Box) throws(CardFaceError) {
        let pixelsPerMM = Double(CardGeometry.dpi) / 25.4
        let modules = matrix.size + 8
        let module = (box.width * pixelsPerMM / Double(modules)).rounded(.down) / pixelsPerMM
        let x0 = ((box.x + (box.width - module * Double(modules)) / 2 + 4 * module) * pixelsPerMM).rounded() / pixelsPerMM
        let y0 = ((box.y + (box.height - module * Double(modules)) / 2 + 4 * module) * pixelsPerMM).rounded() / pixelsPerMM
        let image = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(matrix.size), Int32(matrix.size))!
        defer { cairo_surface_destroy(image) }
        guard cairo_surface_status(image) == CAIRO_STATUS_SUCCESS else {
            throw .renderingFailed(step: "drawing the QR code", reason: String(cString: cairo_status_to_string(cairo_surface_status(image))))
        }
        cairo_surface_flush(image)
        let stride = Int(cairo_image_surface_get_stride(image)) / 4
        let pixels = UnsafeMutableRawPointer(cairo_image_surface_get_data(image)!).assumingMemoryBound(to: UInt32.self)
        for row in 0..<matrix.size {
            for column in 0..<matrix.size { pixels[row * stride + column] = matrix.isDark(row: row, column: column) ? 0x14_1419 : 0xFF_FFFF }
        }
        cairo_surface_mark_dirty(image)
        cairo_save(cairo)
        cairo_translate(cairo, x0, y0)
        cairo_scale(cairo, module, module)
        cairo_set_source_surface(cairo, image, 0, 0)
        cairo_pattern_set_filter(cairo_get_source(cairo), CAIRO_FILTER_NEAREST)
        cairo_rectangle(cairo, 0, 0, Double(matrix.size), Double(matrix.size))
        cairo_fill(cairo)
        cairo_restore(cairo)
    }

    private func setSource(_ colour: Colour) {
        cairo_set_source_rgb(cairo, colour.red, colour.green, colour.blue)
    }

    private func setFont(_ layout: OpaquePointer, _ style: TextStyle, size: Double) {
        let font = pango_font_description_new()
        defer { pango_font_description_free(font) }
        pango_font_description_set_family(font, style.family.rawValue)
        pango_font_description_set_weight(font, style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL)
        pango_font_description_set_size(font, Int32(size * Double(PANGO_SCALE)))
        pango_layout_set_font_description(layout, font)
    }
}
