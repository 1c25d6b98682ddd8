import CPKCS11
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A PKCS#11 module (the library of an HSM, a SAM reader or SoftHSM2) loaded into this process with
/// `dlopen` and initialised for use from several threads. A module is loaded and initialised once per
/// process and path, and stays loaded: PKCS#11 allows one `C_Initialize` per process.
public final class PKCS11Module: @unchecked Sendable {
    public let path: String
    /// Set once by `load`; the module's functions are thread-safe (`CKF_OS_LOCKING_OK`).
    let functions: UnsafeMutablePointer<CK_FUNCTION_LIST>

    private static let loaded = Mutex<[String: PKCS11Module]>([:])
    /// Held while a free slot is chosen and initialised, so two set-ups never pick the same slot.
    private let initialising = Mutex(())

    private init(path: String, functions: UnsafeMutablePointer<CK_FUNCTION_LIST>) {
        self.path = path
        self.functions = functions
    }

    /// The module at `path`, loaded and initialised on first use. SoftHSM2 reads `SOFTHSM2_CONF` here,
    /// so set it before the first call.
    public static func load(_ path: String) throws(PKCS11Error) -> PKCS11Module {
        try loaded.withLock { (modules: inout [String: PKCS11Module]) throws(PKCS11Error) -> PKCS11Module in
            if let module = modules[path] { return module }
            guard let library = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
                throw .moduleNotLoadable(path: path, reason: dlerror().map { String(cString: $0) } ?? "unknown reason")
            }
            guard let symbol = dlsym(library, "C_GetFunctionList") else {
                dlclose(library)
                throw .notAModule(path: path)
            }
            let getFunctionList = unsafeBitCast(symbol, to: CK_C_GetFunctionList.self)
            var list: UnsafeMutablePointer<CK_FUNCTION_LIST>?
            let listed = getFunctionList(&list)
            guard listed == CKR_OK, let list else { throw .failed(function: "C_GetFunctionList", returnValue: UInt(listed)) }
            var arguments = CK_C_INITIALIZE_ARGS()
            arguments.flags = CK_FLAGS(CKF_OS_LOCKING_OK)
            let initialised = withUnsafeMutablePointer(to: &arguments) { list.pointee.C_Initialize!(UnsafeMutableRawPointer($0)) }
            guard initialised == CKR_OK || initialised == CKR_CRYPTOKI_ALREADY_INITIALIZED else {
                throw .failed(function: "C_Initialize", returnValue: UInt(initialised))
            }
            let module = PKCS11Module(path: path, functions: list)
            modules[path] = module
            return module
        }
    }

    /// Throws unless `value` is `CKR_OK`.
    func check(_ value: CK_RV, _ function: String) throws(PKCS11Error) {
        guard value == CKR_OK else { throw .failed(function: function, returnValue: UInt(value)) }
    }

    /// The slots that hold a token, with what each token says of itself.
    public func tokens() throws(PKCS11Error) -> [TokenInfo] {
        var count: CK_ULONG = 0
        try check(functions.pointee.C_GetSlotList!(CK_BBOOL(CK_TRUE), nil, &count), "C_GetSlotList")
        var slots = [CK_SLOT_ID](repeating: 0, count: Int(count))
        try check(functions.pointee.C_GetSlotList!(CK_BBOOL(CK_TRUE), &slots, &count), "C_GetSlotList")
        var tokens: [TokenInfo] = []
        for slot in slots.prefix(Int(count)) {
            var info = CK_TOKEN_INFO()
            try check(functions.pointee.C_GetTokenInfo!(slot, &info), "C_GetTokenInfo")
            tokens.append(TokenInfo(slot: slot, info: info))
        }
        return tokens
    }

    /// The initialised token labelled `label`.
    public func token(labelled label: String) throws(PKCS11Error) -> TokenInfo {
        guard let token = try tokens().first(where: { $0.isInitialised && $0.label == label }) else {
            throw .tokenNotFound(label: label, module: path)
        }
        return token
    }

    /// Initialises the token in the first free slot with `label`, the security officer's PIN and then
    /// the user's PIN; returns the token as the module now lists it (SoftHSM2 renumbers its slot).
    public func initialiseToken(label: String, securityOfficerPIN: TokenPIN, userPIN: TokenPIN) throws(PKCS11Error) -> TokenInfo {
        let padded = Array(label.utf8)
        guard !padded.isEmpty, padded.count <= 32 else { throw .invalidArgument("A token label must have 1 to 32 bytes, not \(padded.count)") }
        let token = try initialising.withLock { (_: inout Void) throws(PKCS11Error) -> TokenInfo in
            guard let free = try tokens().first(where: { !$0.isInitialised }) else { throw .noFreeSlot(module: path) }
            var labelBytes = padded + [UInt8](repeating: 0x20, count: 32 - padded.count)
            var soPIN = securityOfficerPIN.bytes
            try check(functions.pointee.C_InitToken!(free.slot, &soPIN, CK_ULONG(soPIN.count), &labelBytes), "C_InitToken")
            return try self.token(labelled: label)
        }
        let session = try openSession(token, readWrite: true)
        try session.login(.securityOfficer, pin: securityOfficerPIN)
        try session.initialiseUserPIN(userPIN)
        try session.logout()
        return token
    }

    /// A session with `token`; read-write to create objects.
    public func openSession(_ token: TokenInfo, readWrite: Bool = false) throws(PKCS11Error) -> PKCS11Session {
        var handle: CK_SESSION_HANDLE = 0
        let flags = CK_FLAGS(CKF_SERIAL_SESSION) | (readWrite ? CK_FLAGS(CKF_RW_SESSION) : 0)
        try check(functions.pointee.C_OpenSession!(token.slot, flags, nil, nil, &handle), "C_OpenSession")
        return PKCS11Session(module: self, handle: handle)
    }
}

/// A slot's token as the module describes it.
public struct TokenInfo: Sendable, Hashable {
    public let slot: UInt
    /// The label, without its padding.
    public let label: String
    public let manufacturer: String
    public let model: String
    public let serialNumber: String
    public let isInitialised: Bool

    init(slot: CK_SLOT_ID, info: CK_TOKEN_INFO) {
        self.slot = UInt(slot)
        func text<T>(_ field: T) -> String {
            withUnsafeBytes(of: field) { String(decoding: $0, as: UTF8.self) }.trimmingTrailingSpaces
        }
        label = text(info.label)
        manufacturer = text(info.manufacturerID)
        model = text(info.model)
        serialNumber = text(info.serialNumber)
        isInitialised = info.flags & CK_FLAGS(CKF_TOKEN_INITIALIZED) != 0
    }
}

extension String {
    fileprivate var trimmingTrailingSpaces: String {
        var text = Substring(self)
        while let last = text.last, last == " " || last == "\0" { text = text.dropLast() }
        return String(text)
    }
}
