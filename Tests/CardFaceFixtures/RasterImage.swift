import CCardGraphics
import Foundation

/// A decoded PNG (through cairo), for comparing what was rendered or printed with a reference image.
public struct RasterImage: Sendable {
    public let width: Int
    public let height: Int
    /// One xRGB word per pixel, row by row.
    let pixels: [UInt32]

    public init(png: [UInt8]) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("raster-\(UUID().uuidString).png")
        try Data(png).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        try self.init(file: path)
    }

    public init(file: URL) throws {
        let surface = cairo_image_surface_create_from_png(file.path)!
        defer { cairo_surface_destroy(surface) }
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: file.path])
        }
        cairo_surface_flush(surface)
        width = Int(cairo_image_surface_get_width(surface))
        height = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface)) / 4
        let data = UnsafeRawPointer(cairo_image_surface_get_data(surface)!).assumingMemoryBound(to: UInt32.self)
        var pixels = [UInt32](repeating: 0, count: width * height)
        for row in 0..<height {
            for column in 0..<width { pixels[row * width + column] = data[row * stride + column] | 0xFF00_0000 }
        }
        self.pixels = pixels
    }

    private init(width: Int, height: Int, pixels: [UInt32]) {
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    func pixel(_ x: Int, _ y: Int) -> UInt32 { pixels[y * width + x] }

    /// A landscape page that PostScript set on portrait paper (turned a quarter anticlockwise) turned
    /// back; a landscape image as it is.
    public func landscape() -> RasterImage {
        guard height > width else { return self }
        var turned = [UInt32](repeating: 0, count: pixels.count)
        for y in 0..<height {
            for x in 0..<width { turned[x * height + (height - 1 - y)] = pixel(x, y) }
        }
        return RasterImage(width: height, height: width, pixels: turned)
    }

    /// How `self` differs from `reference`, tolerant to antialiasing: a pixel counts as different only
    /// when no pixel within `radius` pixels of it in the other image is within `tolerance` (0-255, per
    /// channel). Images may differ in size, and their content be shifted, by up to `maxShift` pixels (a
    /// page rounded to whole points on its way through CUPS): the best-aligned common part is compared.
    public func difference(from reference: RasterImage, tolerance: Int = 64, radius: Int = 1, maxShift: Int = 3) -> Difference {
        // The shift is chosen on every 4th row and column (unshifted first: most comparisons stop there),
        // then the whole image is compared at that shift.
        var best = (dx: 0, dy: 0, count: differing(from: reference, dx: 0, dy: 0, tolerance: tolerance, radius: radius, step: 4).pixels.count)
        for dy in -maxShift...maxShift where best.count > 0 {
            for dx in -maxShift...maxShift where best.count > 0 {
                let count = differing(from: reference, dx: dx, dy: dy, tolerance: tolerance, radius: radius, step: 4).pixels.count
                if count < best.count { best = (dx, dy, count) }
            }
        }
        let (pixels, compared) = differing(from: reference, dx: best.dx, dy: best.dy, tolerance: tolerance, radius: radius, step: 1)
        return Difference(differing: pixels, comparedPixels: compared, shift: (best.dx, best.dy),
                          sizes: ((width, height), (reference.width, reference.height)))
    }

    /// The pixels (reference coordinates) where `self` at (x + dx, y + dy) differs from `reference` at (x, y).
    private func differing(from reference: RasterImage, dx: Int, dy: Int, tolerance: Int, radius: Int, step: Int) -> (pixels: [(Int, Int)], compared: Int) {
        let limit = UInt32(tolerance)
        func close(_ a: UInt32, _ b: UInt32) -> Bool {
            func apart(_ shift: UInt32) -> UInt32 {
                let x = (a >> shift) & 0xFF, y = (b >> shift) & 0xFF
                return x > y ? x - y : y - x
            }
            return apart(0) <= limit && apart(8) <= limit && apart(16) <= limit
        }
        func matchesNearby(_ value: UInt32, in image: RasterImage, _ x: Int, _ y: Int) -> Bool {
            for ny in max(y - radius, 0)...min(y + radius, image.height - 1) {
                for nx in max(x - radius, 0)...min(x + radius, image.width - 1) where close(value, image.pixel(nx, ny)) { return true }
            }
            return false
        }
        let xs = max(0, -dx)..<min(reference.width, width - dx), ys = max(0, -dy)..<min(reference.height, height - dy)
        var pixels: [(Int, Int)] = [], compared = 0
        for y in stride(from: ys.lowerBound, to: ys.upperBound, by: step) {
            for x in stride(from: xs.lowerBound, to: xs.upperBound, by: step) {
                compared += 1
                let mine = pixel(x + dx, y + dy), theirs = reference.pixel(x, y)
                if close(mine, theirs) { continue }
                if !matchesNearby(mine, in: reference, x, y) || !matchesNearby(theirs, in: self, x + dx, y + dy) { pixels.append((x, y)) }
            }
        }
        return (pixels, compared)
    }

    public struct Difference: CustomStringConvertible, Sendable {
        public let differingPixels: Int
        public let comparedPixels: Int
        /// How far the compared image's content sits from the reference's, in pixels.
        public let shift: (Int, Int)
        public let sizes: ((Int, Int), (Int, Int))
        /// The most differing pixels in one 24 × 24 tile (2 mm at 300 dpi): a missing or changed field
        /// makes a dense patch; antialiasing and hinting scatter thin edges.
        public let densestTile: Int
        public let firstDifference: (Int, Int)?

        init(differing: [(Int, Int)], comparedPixels: Int, shift: (Int, Int), sizes: ((Int, Int), (Int, Int))) {
            differingPixels = differing.count
            self.comparedPixels = comparedPixels
            self.shift = shift
            self.sizes = sizes
            var tiles: [Int: Int] = [:]
            for (x, y) in differing { tiles[(y / 24) << 16 | (x / 24), default: 0] += 1 }
            densestTile = tiles.values.max() ?? 0
            firstDifference = differing.first
        }

        public var fraction: Double { Double(differingPixels) / Double(max(comparedPixels, 1)) }

        /// Sizes within `sizeSlack` pixels of each other, at most `fraction` of the pixels different,
        /// and no 24 × 24 tile with more than `tilePixels` different.
        public func isWithin(fraction limit: Double = 0.001, tilePixels: Int = 100, sizeSlack: Int = 4) -> Bool {
            abs(sizes.0.0 - sizes.1.0) <= sizeSlack && abs(sizes.0.1 - sizes.1.1) <= sizeSlack && fraction <= limit && densestTile <= tilePixels
        }

        public var description: String {
            "\(differingPixels) of \(comparedPixels) pixels differ (\(String(format: "%.3f", fraction * 100)) %, at most \(densestTile) in a 24-pixel tile)"
                + " at shift \(shift), sizes \(sizes.0) and \(sizes.1)" + (firstDifference.map { ", first at \($0)" } ?? "")
        }
    }
}
