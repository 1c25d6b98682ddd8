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

    func pixel(_ x: Int, _ y: Int) -> UInt32 { pixels[y * width + x] }

    /// How `self` differs from `reference`, tolerant to antialiasing: a pixel counts as different only
    /// when no pixel within one pixel of it in the other image is within `tolerance` (0-255, per channel).
    /// Images may differ in size by a few pixels (a page rounded to whole points): the common part is compared.
    public func difference(from reference: RasterImage, tolerance: Int = 64) -> Difference {
        let width = min(self.width, reference.width), height = min(self.height, reference.height)
        func close(_ a: UInt32, _ b: UInt32) -> Bool {
            stride(from: 0, to: 24, by: 8).allSatisfy { abs(Int((a >> UInt32($0)) & 0xFF) - Int((b >> UInt32($0)) & 0xFF)) <= tolerance }
        }
        func matchesNearby(_ value: UInt32, in image: RasterImage, _ x: Int, _ y: Int) -> Bool {
            for dy in -1...1 {
                for dx in -1...1 {
                    let nx = x + dx, ny = y + dy
                    if nx >= 0, ny >= 0, nx < width, ny < height, close(value, image.pixel(nx, ny)) { return true }
                }
            }
            return false
        }
        var differing = 0
        var first: (Int, Int)?
        for y in 0..<height {
            for x in 0..<width {
                let mine = pixel(x, y), theirs = reference.pixel(x, y)
                if close(mine, theirs) { continue }
                if !matchesNearby(mine, in: reference, x, y) || !matchesNearby(theirs, in: self, x, y) {
                    differing += 1
                    if first == nil { first = (x, y) }
                }
            }
        }
        return Difference(differingPixels: differing, comparedPixels: width * height,
                          sizes: ((self.width, self.height), (reference.width, reference.height)), firstDifference: first)
    }

    public struct Difference: CustomStringConvertible, Sendable {
        public let differingPixels: Int
        public let comparedPixels: Int
        public let sizes: ((Int, Int), (Int, Int))
        public let firstDifference: (Int, Int)?

        public var fraction: Double { Double(differingPixels) / Double(max(comparedPixels, 1)) }

        /// Sizes within `pixels` of each other and at most `fraction` of the pixels different.
        public func isWithin(fraction limit: Double = 0.001, sizeSlack pixels: Int = 4) -> Bool {
            abs(sizes.0.0 - sizes.1.0) <= pixels && abs(sizes.0.1 - sizes.1.1) <= pixels && fraction <= limit
        }

        public var description: String {
            "\(differingPixels) of \(comparedPixels) pixels differ (\(String(format: "%.3f", fraction * 100)) %), sizes \(sizes.0) and \(sizes.1)"
                + (firstDifference.map { ", first at \($0)" } ?? "")
        }
    }
}
