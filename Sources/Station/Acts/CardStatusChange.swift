import PermitCard

/// The card's status change (EF.STATUS, module PermitCard), named apart from the registry's history row of
/// the same name (`Registry.StatusChange`) in files that see both.
typealias CardStatusChange = StatusChange
