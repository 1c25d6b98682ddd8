import CardFace
import Testing

/// What `pdftotext` must find in the printed sample card: every field as the card prints it. Whitespace
/// is ignored, since a wrapped address comes back as two lines.
public enum PrintedFields {
    public static func expectSampleCard(in text: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let face = try CardFaceFixtures.face()
        let flat = text.filter { !$0.isWhitespace }
        let fields = ["居住证", face.name, face.latinName ?? "", "男", "1990年5月17日", face.address, face.permitNumber,
                      face.issuingAuthority, face.cardSerial, "2026.03.01-2027.03.01", face.stamp.station, "2026年3月1日"]
        for field in fields {
            let wanted = field.filter { !$0.isWhitespace }
            #expect(flat.contains(wanted), "pdftotext did not find \(field) in:\n\(text)", sourceLocation: sourceLocation)
        }
    }
}
