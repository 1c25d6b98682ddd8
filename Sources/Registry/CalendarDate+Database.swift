import GRDB
import Lifecycle

/// Dates are stored as day numbers (see `RegistrySchema`).
extension CalendarDate: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { dayNumber.databaseValue }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> CalendarDate? {
        Int.fromDatabaseValue(dbValue).map(CalendarDate.init(dayNumber:))
    }
}

extension PermitStatus: DatabaseValueConvertible {}
extension CancellationReason: DatabaseValueConvertible {}
extension EndorsementClass: DatabaseValueConvertible {}
extension ReplacementReason: DatabaseValueConvertible {}
