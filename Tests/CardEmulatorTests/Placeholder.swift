import Testing
@testable import CardEmulator
