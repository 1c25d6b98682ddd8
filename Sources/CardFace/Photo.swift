import CCardGraphics
import Foundation

/// The holder's photo decoded into a cairo image surface, JPEG through libturbojpeg, PNG through cairo.
/// A JPEG keeps its original bytes attached (cairo's MIME data), so the PDF embeds it unchanged.
final class Photo {
    let surface: OpaquePointer
    let width: Double
    let height: Double

    /// Larger photos are refused before anything is decoded: a registry photo is a few hundred pixels.
    static let maximumBytes = 4 << 20
    static let maximumSide = 4000

    init(_ data: Data) throws(CardFaceError) {
        let bytes = [UInt8](data)
        guard bytes.count <= Self.maximumBytes else {
            throw .unreadablePhoto(problem: "it has \(bytes.count) bytes, more than the \(Self.maximumBytes >> 20) MiB allowed")
        }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) {
            surface = try Self.decodeJPEG(bytes)
        } else if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            surface = try Self.decodePNG(bytes)
        } else {
            let start = bytes.prefix(4).map { String($0, radix: 16, uppercase: true) }.joined(separator: " ")
            throw .unreadablePhoto(problem: bytes.isEmpty ? "it is empty" : "it is neither a JPEG nor a PNG image (it starts with \(start))")
        }
        width = Double(cairo_image_surface_get_width(surface))
        height = Double(cairo_image_surface_get_height(surface))
    }

    deinit { cairo_surface_destroy(surface) }

    private static func checkSize(_ width: Int, _ height: Int) throws(CardFaceError) {
        guard (1...maximumSide).contains(width), (1...maximumSide).contains(height) else {
            throw .unreadablePhoto(problem: "it is \(width) × \(height) pixels, allowed 1 to \(maximumSide) on each side")
        }
    }

    private static func decodeJPEG(_ bytes: [UInt8]) throws(CardFaceError) -> OpaquePointer {
        guard let decoder = tjInitDecompress() else {
            throw .renderingFailed(step: "starting the JPEG decoder", reason: "libturbojpeg could not allocate it")
        }
        defer { tjDestroy(decoder) }
        func problem() -> CardFaceError { .unreadablePhoto(problem: "the JPEG data is damaged (\(String(cString: tjGetErrorStr2(decoder))))") }
        var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colourspace: Int32 = 0
        guard tjDecompressHeader3(decoder, bytes, UInt(bytes.count), &width, &height, &subsampling, &colourspace) == 0 else { throw problem() }
        guard width > 0, height > 0 else { throw .unreadablePhoto(problem: "the JPEG data is damaged (it ends before the image's size)") }
        try checkSize(Int(width), Int(height))
        let surface = try imageSurface(width: width, height: height)
        // Cairo's RGB24 is one native-endian 32-bit word per pixel, xRGB: on little-endian machines B, G, R, x.
        let status = tjDecompress2(decoder, bytes, UInt(bytes.count), cairo_image_surface_get_data(surface), width,
                                   cairo_image_surface_get_stride(surface), height, Int32(TJPF_BGRX.rawValue), 0)
        // -1 with TJERR_WARNING is a recoverable oddity (e.g. extra bytes after the image): the pixels are there.
        guard status == 0 || tjGetErrorCode(decoder) == Int32(TJERR_WARNING.rawValue) else {
            cairo_surface_destroy(surface)
            throw problem()
        }
        cairo_surface_mark_dirty(surface)
        let original = malloc(bytes.count)!
        original.copyMemory(from: bytes, byteCount: bytes.count)
        cairo_surface_set_mime_data(surface, CAIRO_MIME_TYPE_JPEG, original.assumingMemoryBound(to: UInt8.self), UInt(bytes.count), free, original)
        return surface
    }

    private static func decodePNG(_ bytes: [UInt8]) throws(CardFaceError) -> OpaquePointer {
        // IHDR is always first: width and height at bytes 16-23, checked before cairo allocates anything.
        guard bytes.count >= 24 else { throw .unreadablePhoto(problem: "the PNG data is cut short") }
        func word(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        try checkSize(word(16), word(20))
        let source = ByteSource(bytes)
        let surface = withExtendedLifetime(source) {
            cairo_image_surface_create_from_png_stream({ closure, data, length in
                Unmanaged<ByteSource>.fromOpaque(closure!).takeUnretainedValue().read(into: data!, count: Int(length))
                    ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_READ_ERROR
            }, Unmanaged.passUnretained(source).toOpaque())!
        }
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            cairo_surface_destroy(surface)
            throw .unreadablePhoto(problem: "the PNG data is damaged (\(String(cString: cairo_status_to_string(status))))")
        }
        return surface
    }

    private static func imageSurface(width: Int32, height: Int32) throws(CardFaceError) -> OpaquePointer {
        let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height)!
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            cairo_surface_destroy(surface)
            throw .renderingFailed(step: "allocating the photo", reason: String(cString: cairo_status_to_string(status)))
        }
        return surface
    }
}

/// Bytes handed to cairo's PNG reader piece by piece.
private final class ByteSource {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func read(into destination: UnsafeMutablePointer<UInt8>, count: Int) -> Bool {
        guard count <= bytes.count - offset else { return false }
        bytes.withUnsafeBufferPointer { destination.update(from: $0.baseAddress! + offset, count: count) }
        offset += count
        return true
    }
}
