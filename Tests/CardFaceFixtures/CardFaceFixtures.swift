import CardFace
import Foundation

/// The sample card of the printing tests (`sample-face.json`, `photo.jpg`) and the committed reference
/// images its pages are compared with (`References/`, docs/PRINTING.md says how to regenerate them).
public enum CardFaceFixtures {
    public static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    public static let faceFile = directory.appendingPathComponent("sample-face.json")
    public static let stampFile = directory.appendingPathComponent("sample-stamp.json")
    public static let photoJPEG = directory.appendingPathComponent("photo.jpg")
    public static let photoPNG = directory.appendingPathComponent("photo.png")

    /// The sample card with its JPEG photo.
    public static func face() throws -> CardFaceValues {
        var face = try JSONDecoder().decode(CardFaceValues.self, from: Data(contentsOf: faceFile))
        face.photo = try Data(contentsOf: photoJPEG)
        return face
    }

    public static func stamp() throws -> EndorsementStamp {
        try JSONDecoder().decode(EndorsementStamp.self, from: Data(contentsOf: stampFile))
    }

    /// `front.png`, `back.png`, `stamp.png`: what the sample's pages look like at 300 dpi.
    public static func reference(_ name: String) -> URL {
        directory.appendingPathComponent("References").appendingPathComponent("\(name).png")
    }

    /// Set to write the rendered pages over the references instead of comparing (then look at them).
    public static var updatingReferences: Bool { ProcessInfo.processInfo.environment["PERMIT_UPDATE_REFERENCES"] == "1" }
}
