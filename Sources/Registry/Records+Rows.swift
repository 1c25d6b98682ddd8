import GRDB
import Lifecycle

// Hand-written row mapping for the records on the hot paths (the sweep, card and ID lookups):
// GRDB's Codable mapping converts every column name from snake_case on every row, which cost
// the sweep most of its time (docs/BENCHMARKS.md). The column names are the schema's.

extension Permit {
    public init(row: Row) throws {
        id = row["id"]
        applicationId = row["application_id"]
        holderId = row["holder_id"]
        profile = row["profile"]
        issuedOn = row["issued_on"]
        cycleStartOn = row["cycle_start_on"]
        renewals = row["renewals"]
        residenceSinceOn = row["residence_since_on"]
        expiryOn = row["expiry_on"]
        cancelledOn = row["cancelled_on"]
        cancelReason = row["cancel_reason"]
        status = row["status"]
        statusOn = row["status_on"]
        nextOn = row["next_on"]
        nextStatus = row["next_status"]
        address = row["address"]
        workplace = row["workplace"]
        lastEventOn = row["last_event_on"]
        lastChangeId = row["last_change_id"]
        pointsActive = row["points_active"]
        pointsValidUntil = row["points_valid_until"]
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["application_id"] = applicationId
        container["holder_id"] = holderId
        container["profile"] = profile
        container["issued_on"] = issuedOn
        container["cycle_start_on"] = cycleStartOn
        container["renewals"] = renewals
        container["residence_since_on"] = residenceSinceOn
        container["expiry_on"] = expiryOn
        container["cancelled_on"] = cancelledOn
        container["cancel_reason"] = cancelReason
        container["status"] = status
        container["status_on"] = statusOn
        container["next_on"] = nextOn
        container["next_status"] = nextStatus
        container["address"] = address
        container["workplace"] = workplace
        container["last_event_on"] = lastEventOn
        container["last_change_id"] = lastChangeId
        container["points_active"] = pointsActive
        container["points_valid_until"] = pointsValidUntil
    }
}

extension Card {
    public init(row: Row) throws {
        id = row["id"]
        permitId = row["permit_id"]
        serial = row["serial"]
        issuedOn = row["issued_on"]
        replacedOn = row["replaced_on"]
    }
}

extension Holder {
    public init(row: Row) throws {
        id = row["id"]
        idNumber = row["id_number"]
        name = row["name"]
    }
}

extension StatusChange {
    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["permit_id"] = permitId
        container["previous_id"] = previousId
        container["from_status"] = fromStatus
        container["to_status"] = toStatus
        container["reason"] = reason
        container["effective_on"] = effectiveOn
        container["actor"] = actor
        container["station"] = station
        container["transaction_id"] = transactionId
        container["recorded_at"] = recordedAt
    }
}
