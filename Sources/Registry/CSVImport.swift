import Foundation
import GRDB
import Lifecycle

/// A row an import did not take, and why (the rest of the file is kept).
public struct RejectedRow: Error, Sendable, Hashable, CustomStringConvertible {
    public let line: Int
    /// The column at fault, when one is.
    public let field: String?
    public let problem: String
    public var description: String { "line \(line)" + (field.map { ", \($0)" } ?? "") + ": \(problem)" }
}

public struct ImportReport: Sendable, Hashable {
    public var rows = 0
    public var applications = 0
    public var permits = 0
    public var rejected: [RejectedRow] = []
}

/// Applications from CSV. Columns, by header name (any order): `id_number`, `name`, `accepted_on`,
/// `grounds` (job | home | study), `documents`, `address`, and optionally `issued_on` with `card_serial`
/// for applications already issued (both empty for pending ones), `residence_registered_on` (needed for a
/// pending application unless `talent_exception` is `yes`), `talent_exception` (yes | no) and `workplace`.
/// Dates are YYYY-MM-DD.
public enum ApplicationCSV {
    public static let required = ["id_number", "name", "accepted_on", "grounds", "documents", "address"]
    public static let optional = ["issued_on", "card_serial", "residence_registered_on", "talent_exception", "workplace"]

    struct Row {
        let line: Int
        let application: NewApplication
        let issue: (on: CalendarDate, serial: String)?
    }

    /// Checks the header; returns the column index of each known name.
    static func columns(of header: CSV.Record) throws(RegistryError) -> [String: Int] {
        var index: [String: Int] = [:]
        for (i, raw) in header.fields.enumerated() {
            let name = raw.trimmingCharacters(in: .whitespaces)
            guard required.contains(name) || optional.contains(name) else {
                throw .invalid(field: "header", value: name, problem: "is not a known column (known: \((required + optional).joined(separator: ", ")))")
            }
            guard index[name] == nil else { throw .invalid(field: "header", value: name, problem: "appears twice") }
            index[name] = i
        }
        let missing = required.filter { index[$0] == nil }
        guard missing.isEmpty else {
            throw .invalid(field: "header", value: header.fields.joined(separator: ","), problem: "lacks the column(s) \(missing.joined(separator: ", "))")
        }
        if (index["issued_on"] == nil) != (index["card_serial"] == nil) {
            throw .invalid(field: "header", value: header.fields.joined(separator: ","), problem: "must have both issued_on and card_serial, or neither")
        }
        return index
    }

    /// One data record to a row, or the first problem found in it.
    static func row(_ record: CSV.Record, columns: [String: Int], profile: String) -> Result<Row, RejectedRow> {
        func value(_ name: String) -> String {
            guard let i = columns[name], i < record.fields.count else { return "" }
            return record.fields[i].trimmingCharacters(in: .whitespaces)
        }
        func reject(_ field: String?, _ problem: String) -> Result<Row, RejectedRow> {
            .failure(RejectedRow(line: record.line, field: field, problem: problem))
        }
        let width = columns.values.max()! + 1
        if record.fields.count != width {
            return reject(nil, "has \(record.fields.count) fields, the header has \(width)")
        }
        for name in required where value(name).isEmpty { return reject(name, "is empty") }
        let idNumber = value("id_number").uppercased()
        guard let accepted = CalendarDate(iso: value("accepted_on")) else {
            return reject("accepted_on", "\"\(value("accepted_on"))\" is not a date YYYY-MM-DD")
        }
        guard let grounds = EligibilityGrounds(rawValue: value("grounds")) else {
            return reject("grounds", "\"\(value("grounds"))\" is not one of job, home, study")
        }
        var registered: CalendarDate?
        if !value("residence_registered_on").isEmpty {
            guard let date = CalendarDate(iso: value("residence_registered_on")) else {
                return reject("residence_registered_on", "\"\(value("residence_registered_on"))\" is not a date YYYY-MM-DD")
            }
            registered = date
        }
        let talent: Bool
        switch value("talent_exception").lowercased() {
        case "", "no": talent = false
        case "yes": talent = true
        default: return reject("talent_exception", "\"\(value("talent_exception"))\" is not yes or no")
        }
        var issue: (CalendarDate, String)?
        let issuedText = value("issued_on"), serial = value("card_serial")
        if !issuedText.isEmpty || !serial.isEmpty {
            guard let issued = CalendarDate(iso: issuedText) else {
                return reject("issued_on", issuedText.isEmpty ? "is empty but card_serial is given" : "\"\(issuedText)\" is not a date YYYY-MM-DD")
            }
            guard !serial.isEmpty else { return reject("card_serial", "is empty but issued_on is given") }
            issue = (issued, serial)
        }
        return .success(Row(line: record.line, application: NewApplication(
            idNumber: idNumber, name: value("name"), profile: profile, acceptedOn: accepted, grounds: grounds,
            documents: value("documents"), address: value("address"), residenceRegisteredOn: registered, talentException: talent,
            workplace: value("workplace").isEmpty ? nil : value("workplace")), issue: issue))
    }
}

extension Registry {
    /// Imports applications (and already-issued permits) from CSV text, `batchSize` rows per transaction.
    /// Each row is all-or-nothing (a savepoint): a bad row is reported and the rest kept.
    /// - Parameter progress: called after each batch with (rows done, rows in the file).
    public func importApplications(csv text: String, profile: String, actor: String, batchSize: Int = 500,
                                   progress: (Int, Int) -> Void = { _, _ in }) throws(RegistryError) -> ImportReport {
        _ = try policy(for: profile)
        let records: [CSV.Record]
        do {
            records = try CSV.parse(text)
        } catch {
            throw .invalid(field: "file", value: "", problem: error.description)
        }
        guard let header = records.first else { throw .invalid(field: "file", value: "", problem: "is empty; the first line must be the header") }
        let columns = try ApplicationCSV.columns(of: header)
        var report = ImportReport()
        let data = records.dropFirst()
        report.rows = data.count
        var done = 0
        progress(0, data.count)
        for batch in stride(from: data.startIndex, to: data.endIndex, by: batchSize).map({ data[$0..<min($0 + batchSize, data.endIndex)] }) {
            let outcome = try write(actor: actor) { db, context -> ImportReport in
                var part = ImportReport()
                for record in batch {
                    switch ApplicationCSV.row(record, columns: columns, profile: profile) {
                    case .failure(let rejected): part.rejected.append(rejected)
                    case .success(let row):
                        if let rejected = try self.importRow(row, db: db, context: context) {
                            part.rejected.append(rejected)
                        } else {
                            part.applications += 1
                            if row.issue != nil { part.permits += 1 }
                        }
                    }
                }
                return part
            }
            report.applications += outcome.applications
            report.permits += outcome.permits
            report.rejected += outcome.rejected
            done += batch.count
            progress(done, data.count)
        }
        return report
    }

    /// One row in its own savepoint; a registry refusal or a constraint rolls back just this row.
    private func importRow(_ row: ApplicationCSV.Row, db: Database, context: WriteContext) throws -> RejectedRow? {
        if let existing = try Int64.fetchOne(db.cachedStatement(sql: """
            SELECT a.id FROM applications a JOIN holders h ON h.id = a.holder_id
            WHERE h.id_number = ? AND a.accepted_on = ? AND a.profile = ?
            """), arguments: [row.application.idNumber, row.application.acceptedOn, row.application.profile]) {
            return RejectedRow(line: row.line, field: nil,
                               problem: "already in the registry as application \(existing) (same ID number, profile and acceptance date); skipped")
        }
        var rejected: RejectedRow?
        try db.inSavepoint {
            do {
                // A permit issued before the registry kept registration dates is imported without one.
                let application = try accept(row.application, requireRegistration: row.issue == nil, db: db, context: context)
                if let issue = row.issue {
                    _ = try self.issue(application: application.id!, on: issue.on, cardSerial: issue.serial, db: db, context: context)
                }
                return .commit
            } catch let error as RegistryError {
                if case .invalid(let field, _, _) = error {
                    rejected = RejectedRow(line: row.line, field: field, problem: error.description)
                } else if case .application(let problem) = error {
                    rejected = RejectedRow(line: row.line, field: problem.field, problem: problem.description)
                } else {
                    rejected = RejectedRow(line: row.line, field: nil, problem: error.description)
                }
                return .rollback
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                rejected = RejectedRow(line: row.line, field: nil, problem: error.message ?? error.description)
                return .rollback
            }
        }
        return rejected
    }
}
