// swift-tools-version: 5.4
import PackageDescription

// libFuzzer targets for the parsers and the MCP decoder; scripts/fuzz.sh builds and runs them:
//
//   swift build -c release --package-path scripts/fuzz --scratch-path .build-fuzz/fuzz \
//       -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library --product FuzzHTTPRequest
//
// A package of its own, so the main build never sees these executables (they have no `main`
// without libFuzzer) nor the sanitizer flags; it uses the main package by path, through the
// library products the main manifest declares for it.
//
// Tools version 5.4 on purpose: from 5.5 SwiftPM renames an executable's entry point to
// `<Module>_main` and links `main` to it, which leaves libFuzzer's own `main` unreachable
// (an undefined `FuzzHTTPRequest_main` at link time). The targets here use Swift 5 mode.
let package = Package(
    name: "oneapp-mcp-fuzz",
    dependencies: [.package(name: "oneapp-mcp", path: "../..")],
    targets: [
        .target(name: "FuzzSupport", dependencies: [.product(name: "HTTP1", package: "oneapp-mcp")]),
        .executableTarget(name: "FuzzHTTPRequest", dependencies: ["FuzzSupport", .product(name: "HTTP1", package: "oneapp-mcp")]),
        .executableTarget(name: "FuzzHTTPResponse", dependencies: ["FuzzSupport", .product(name: "HTTP1", package: "oneapp-mcp")]),
        .executableTarget(
            name: "FuzzMCP",
            dependencies: [
                "FuzzSupport", .product(name: "MCP", package: "oneapp-mcp"), .product(name: "JSON", package: "oneapp-mcp"),
                .product(name: "HTTP1", package: "oneapp-mcp"),
            ]),
    ]
)
