// swift-tools-version: 6.1
// PermitStation: station software for rewritable IC residence-permit cards (居住证).
// One target per layer; see README.md ("Where things live").
import PackageDescription

let package = Package(
    name: "PermitStation",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "permit", targets: ["permit"]),
        .executable(name: "permit-card", targets: ["permit-card"]),
        .executable(name: "permitd", targets: ["permitd"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", exact: "2.0.1"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "4.5.2"),
        .package(url: "https://github.com/apple/swift-certificates", exact: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", exact: "1.7.4"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", exact: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system", exact: "1.8.1"),
        // The station daemon: service lifecycle, logs, metrics, and its local API generated from an OpenAPI document.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", exact: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/apple/swift-openapi-generator", exact: "1.14.3"),
        .package(url: "https://github.com/apple/swift-openapi-runtime", exact: "1.13.4"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird", exact: "2.1.0"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-http-types", exact: "1.8.0"),
        // The kiosk's and the field verifier's server-rendered screens (logic-less templates, no build-time download).
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
    ],
    targets: [
        // PC/SC: libpcsclite from Debian's libpcsclite-dev.
        .systemLibrary(name: "CPCSCLite", pkgConfig: "libpcsclite", providers: [.apt(["libpcsclite-dev"])]),
        // ISO/IEC 7816-4 value types shared by host, card and secure messaging: APDUs, status words, hex.
        .target(name: "ISO7816"),
        // The PC/SC driver layer: contexts, reader events, connections, APDUs, trace. Knows no permits.
        .target(name: "SmartCard", dependencies: ["CPCSCLite", "ISO7816"]),
        // A private pcscd with vpcd slots, for tests, benchmarks and the demo.
        .target(name: "PCSCSandbox", dependencies: ["SmartCard"]),
        // The reference card: vpcd link, ISO/IEC 7816-4 file system, fault injection.
        .target(name: "CardEmulator", dependencies: ["ISO7816"]),
        // The reference card inside the test's own process, behind the same APDU rules and trace as a
        // PC/SC connection, with its fault plan: the fast seam under the card application's tests.
        .target(name: "InProcessCard", dependencies: ["CardEmulator", "SmartCard"]),
        .executableTarget(name: "permit-card", dependencies: [
            "CardEmulator", "PermitApplet", "CardProfiles", "CardSecurity", "KeyCustody",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // The words card, rules and registry share, each defined once: dates and the station calendar,
        // citizen ID, key roles, crypto suite, permit status, endorsement class, cancellation and replacement reasons.
        .target(name: "PermitVocabulary"),
        // Region rules: pure functions of history, policy and date.
        .target(name: "Lifecycle", dependencies: ["PermitVocabulary"]),
        // One validation of holder and application data for the card, the registry and the API: IDs, dates, region codes, text.
        .target(name: "ApplicationData", dependencies: ["PermitVocabulary"]),
        // Card profiles: the declarative description of each region's card and rules.
        .target(name: "CardProfiles", dependencies: ["PermitVocabulary", "Lifecycle"]),
        // The station's SQLite registry.
        .target(name: "Registry", dependencies: [
            "PermitVocabulary", "ApplicationData", "Lifecycle",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // The card application's cryptography: key diversification, terminal and chip authentication,
        // secure messaging, signatures and certificates. Pure: no PC/SC, no files, no database.
        .target(name: "CardSecurity", dependencies: [
            "ISO7816", "PermitVocabulary",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "SwiftASN1", package: "swift-asn1"),
        ]),
        // The PKCS#11 C API from Debian's libp11-kit-dev; token modules (SoftHSM2, an HSM's, a SAM's) are loaded at run time.
        .systemLibrary(name: "CPKCS11", pkgConfig: "p11-kit-1", providers: [.apt(["libp11-kit-dev"])]),
        // PKCS#11 in Swift: modules, tokens, sessions, objects, signing inside the token. Knows no permits.
        .target(name: "PKCS11", dependencies: ["CPKCS11"]),
        // Where a station's keys live: its token (master keys that diversify inside it, signing keys that sign
        // inside it), what each place's token holds, and setting a token up (docs/CARD-SECURITY.md §11).
        .target(name: "KeyCustody", dependencies: [
            "PKCS11", "CardSecurity", .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // libcrypto from Debian's libssl-dev (OpenSSL 3): SM2, SM3 and SM4 for the national suite.
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        // The national suite's primitives (SM2 / SM3 / SM4) as value types over libcrypto (docs/NATIONAL-CRYPTO.md).
        .target(name: "NationalCrypto", dependencies: ["COpenSSL", "ISO7816"]),
        // APDU round trips through this layer and its peers (C, pyscard, opensc-tool), at a card's latency and with many readers: docs/BENCHMARKS.md.
        .executableTarget(name: "pcsc-bench", dependencies: [
            "SmartCard", "PCSCSandbox", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // The host side of the permit card application: typed operations over any `APDUConnection` (a PC/SC
        // connection, or the in-process card in tests); no PC/SC, no SQLite.
        .target(name: "PermitCard", dependencies: ["ISO7816", "PermitVocabulary", "ApplicationData", "CardSecurity", "CardProfiles", "Lifecycle"]),
        // The card operations of CARD-SPEC §10 as scenarios, and their APDU budget: what PermitCard sends,
        // counted against the reference card in process (tests hold it to CARD-SPEC §11; card-bench times it).
        .target(name: "CardBudget", dependencies: [
            "PermitCard", "PermitApplet", "InProcessCard", "CardEmulator", "PermitVocabulary", "CardProfiles", "CardSecurity", "Lifecycle", "SmartCard",
        ]),
        // Card operations benchmark: APDUs, bytes and time per operation through the real stack (docs/BENCHMARKS.md).
        .executableTarget(name: "card-bench", dependencies: [
            "CardBudget", "PermitCard", "PermitApplet", "PCSCSandbox", "CardEmulator", "CardProfiles", "SmartCard",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // A deterministic random generator for fuzz tests and generated benchmark data.
        .target(name: "SeededRandom"),
        // Child programs run by tests (this package's executables, Debian's tools, Python): time limits, output
        // collected; on swift-subprocess (with swift-system: about 30 s of CPU in a clean debug build).
        .target(name: "TestPrograms", dependencies: [
            .product(name: "Subprocess", package: "swift-subprocess"), .product(name: "SystemPackage", package: "swift-system"),
        ]),
        // cairo + pango (PDF, PNG, CJK text through fontconfig), libqrencode, libturbojpeg and zlib, from Debian.
        .systemLibrary(name: "CCardGraphics", pkgConfig: "pangocairo", providers: [
            .apt(["libpango1.0-dev", "libcairo2-dev", "libqrencode-dev", "libturbojpeg0-dev", "zlib1g-dev"]),
        ]),
        // The card's printed faces and the endorsement stamp, rendered as PDF and 300 dpi PNG (docs/PRINTING.md).
        // Plain values in, bytes out: no CUPS, no SQLite, no PC/SC.
        .target(name: "CardFace", dependencies: ["CCardGraphics", "PermitVocabulary"]),
        // libcups from Debian's libcups2-dev.
        .systemLibrary(name: "CCUPS", providers: [.apt(["libcups2-dev"])]),
        // Sends a PDF to a CUPS queue and follows the job to its end: a typed receipt or a typed failure.
        .target(name: "CardPrinter", dependencies: ["CCUPS"]),
        // A private cupsd (own mount namespace, own socket) with cups-pdf queues, for tests.
        .target(name: "PrintSandbox"),
        // Card face rendering time against pdftoppm (docs/BENCHMARKS.md, "Card face").
        .executableTarget(name: "card-face-bench", dependencies: ["CardFace"]),
        // The officer CLI.
        .executableTarget(name: "permit", dependencies: [
            "SmartCard", "PCSCSandbox", "PermitVocabulary", "Lifecycle", "CardProfiles", "Registry", "CardSecurity", "PermitCard", "KeyCustody",
            "Station", "StationAPIModel", "StationClient",
            "CardFace", "CardPrinter",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
        ]),

        // The station's parts below HTTP: configuration, clock, reader watch, events, daily sweep, and the card acts
        // (accept, issue, endorse, address, status, replace, verify, reconcile) through the intent journal.
        .target(name: "Station", dependencies: [
            "SmartCard", "Registry", "PermitVocabulary", "Lifecycle", "CardProfiles", "CardSecurity", "PermitCard", "ApplicationData", "ISO7816", "KeyCustody",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Yams", package: "Yams"),
        ]),
        // The local API's types, generated from StationAPIModel/openapi.yaml (the one document of the API).
        .target(name: "StationAPIModel", dependencies: [
            .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
        ], plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]),
        // The local API served over HTTP (Hummingbird): roles, problem+json, events, metrics. No station logic.
        .target(name: "StationAPI", dependencies: [
            "Station", "StationAPIModel", "Registry", "ISO7816", "PermitVocabulary",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
            .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
        ], plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]),
        // The officer CLI's client of the local API (over the daemon's Unix socket), generated from the same document.
        .target(name: "StationClient", dependencies: [
            "StationAPIModel",
            .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
        ], plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]),
        // The kiosk's workflow as explicit states, and its words in Chinese and English: pure, no HTTP, no card I/O.
        .target(name: "Kiosk", dependencies: ["PermitVocabulary", "Lifecycle", "CardProfiles", "PermitCard", "CardPrinter"]),
        // The screens people touch, served by permitd: the kiosk (loopback, to the kiosk's own browser) and the
        // field verifier's verdict; HTML rendered on the server from mustache templates, pushed by Server-Sent Events.
        .target(name: "StationScreens", dependencies: [
            "Kiosk", "Station", "PermitCard", "PermitVocabulary", "Lifecycle", "CardProfiles",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
        ]),
        // Idle CPU of permitd watching 16 readers, against pcscd in the same run (docs/BENCHMARKS.md).
        .executableTarget(name: "station-bench", dependencies: ["PCSCSandbox", "CardEmulator"]),
        // The station daemon.
        .executableTarget(name: "permitd", dependencies: [
            "Station", "StationAPI", "Registry", "SmartCard", "PermitVocabulary",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
        ]),

        // Registry benchmark: generated registry, lookups, one day's sweep (docs/BENCHMARKS.md).
        .executableTarget(name: "registry-bench", dependencies: [
            "Registry", "PermitVocabulary", "Lifecycle", "CardProfiles", "SeededRandom", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // The residence-permit card application inside the reference emulator (docs/CARD-SPEC.md).
        .target(name: "PermitApplet", dependencies: ["CardEmulator", "PermitVocabulary", "CardSecurity", "CardProfiles"]),
        .testTarget(name: "PermitCardTests", dependencies: [
            "PermitCard", "ApplicationData", "CardBudget", "PermitApplet", "PCSCSandbox", "CardEmulator", "InProcessCard", "SmartCard", "CardSecurity", "CardProfiles", "Lifecycle", "TestPrograms",
        ]),
        .testTarget(name: "PermitAppletTests", dependencies: [
            "PermitApplet", "CardEmulator", "CardSecurity", "CardProfiles", "SmartCard", "PCSCSandbox", "SeededRandom", "TestPrograms",
        ]),
        .testTarget(name: "ISO7816Tests", dependencies: ["ISO7816"]),
        .testTarget(name: "PermitVocabularyTests", dependencies: ["PermitVocabulary"]),
        .testTarget(name: "TestProgramsTests", dependencies: ["TestPrograms"]),
        .testTarget(name: "ApplicationDataTests", dependencies: ["ApplicationData", "PermitVocabulary"]),
        .testTarget(name: "SmartCardTests", dependencies: ["SmartCard", "PCSCSandbox", "CardEmulator"]),
        .testTarget(name: "PCSCSandboxTests", dependencies: ["PCSCSandbox", "SmartCard", "CardEmulator"]),
        // Code not written here (vicc, opensc-tool, pyscard) and the permit CLI against the private pcscd.
        .testTarget(name: "InteropTests", dependencies: ["SmartCard", "PCSCSandbox", "CardEmulator", "TestPrograms"]),
        .testTarget(name: "CardEmulatorTests", dependencies: ["CardEmulator", "InProcessCard", "SmartCard", "PCSCSandbox", "SeededRandom", "TestPrograms"]),
        // A second reading of docs/RULES.md for the property tests, sharing no code with Lifecycle.
        .target(name: "RulesOracle", path: "Tests/RulesOracle"),
        .testTarget(name: "LifecycleTests", dependencies: [
            "Lifecycle", "CardProfiles", "RulesOracle",
            .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "CardProfilesTests", dependencies: ["CardProfiles", "PermitVocabulary", "SeededRandom"], exclude: ["Fixtures"]),
        // PKCS#11 and key custody through SoftHSM2 in a private token directory.
        .testTarget(name: "KeyCustodyTests", dependencies: [
            "KeyCustody", "PKCS11", "CardSecurity", "CardProfiles", "PermitCard", "PermitApplet", "CardEmulator", "PCSCSandbox",
            "SmartCard", "TestPrograms",
        ]),
        .testTarget(name: "CardSecurityTests", dependencies: ["CardSecurity", "ISO7816", "SeededRandom", "TestPrograms"], exclude: ["reference_vectors.py"]),
        // Standard vectors, and gmssl (pure Python, PyPI, installed by scripts/setup) as the independent peer.
        .testTarget(name: "NationalCryptoTests", dependencies: ["NationalCrypto", "ISO7816", "TestPrograms"], exclude: ["gmssl_peer.py"]),
        // permitd as a process on a private pcscd, called over its real socket; schemathesis against the document.
        .testTarget(name: "StationTests", dependencies: [
            "Station", "StationAPIModel", "StationClient", "Registry", "PermitVocabulary", "Lifecycle", "PCSCSandbox", "CardEmulator", "SmartCard", "TestPrograms",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Yams", package: "Yams"),
        ]),
        // The station's acts, intent journal and reconciliation in process: reference cards through the transport
        // seam (InProcessCard), a real SQLite registry file.
        .testTarget(name: "StationActsTests", dependencies: [
            "Station", "Registry", "PermitCard", "PermitApplet", "CardEmulator", "InProcessCard", "CardSecurity", "CardProfiles",
            "ISO7816", "SmartCard", "TestPrograms", .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // A sample card and the committed reference images, shared by the two printing test targets.
        .target(name: "CardFaceFixtures", dependencies: ["CardFace", "CCardGraphics"], path: "Tests/CardFaceFixtures",
                exclude: ["References", "sample-face.json", "sample-stamp.json", "photo.jpg", "photo.png", "photo.ps"]),
        .testTarget(name: "CardFaceTests", dependencies: ["CardFace", "CardFaceFixtures", "TestPrograms"]),
        // Through a private cupsd and its cups-pdf queue: the PDF the queue wrote, read back with poppler.
        .testTarget(name: "CardPrinterTests", dependencies: [
            "CardPrinter", "PrintSandbox", "CardFace", "CardFaceFixtures", "TestPrograms",
        ]),
        // The kiosk flow and its screens in process, over the reference card in this process.
        .testTarget(name: "KioskTests", dependencies: [
            "Kiosk", "StationScreens", "PermitCard", "PermitApplet", "CardEmulator", "InProcessCard", "CardProfiles", "CardSecurity",
            "CardPrinter", "Lifecycle", "PermitVocabulary", "SmartCard", "Station",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "RegistryTests", dependencies: [
            "Registry", "ApplicationData", "Lifecycle", "CardProfiles", "TestPrograms", "RulesOracle",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
    ]
)
