// swift-tools-version: 6.0
import PackageDescription

// The target graph is one-way (see README "Design"):
//
//   CSystem ─▶ Posix ─▶ EventLoop ─────────────────────────────┐
//   HTTP1 ─────────────▶ EventLoop, MCP, Sandbox                │
//   JSON ─▶ MCP ─▶ OneAppTools ─▶ WorkerRuntime ◀──────────────┘
//   JSON ─▶ Sandbox                      │
//                                        ▼
//                                   oneapp-mcp (the one executable)
//
// Only Posix (and EventLoop through it) touches the C shim; HTTP1 and JSON are pure.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "oneapp-mcp",
    products: [
        .executable(name: "oneapp-mcp", targets: ["oneapp-mcp"])
    ],
    targets: [
        .target(name: "CSystem"),
        .target(name: "Posix", dependencies: ["CSystem"], swiftSettings: strict),
        .target(name: "HTTP1", swiftSettings: strict),
        // libm: Double rounding in a target that imports no Foundation.
        .target(name: "JSON", swiftSettings: strict, linkerSettings: [.linkedLibrary("m")]),
        .target(name: "EventLoop", dependencies: ["Posix", "HTTP1"], swiftSettings: strict),
        .target(name: "MCP", dependencies: ["JSON", "HTTP1"], swiftSettings: strict),
        .target(name: "OneAppTools", dependencies: ["MCP", "JSON"], swiftSettings: strict),
        .target(name: "Sandbox", dependencies: ["JSON", "HTTP1"], swiftSettings: strict),
        .target(
            name: "WorkerRuntime",
            dependencies: ["EventLoop", "Posix", "HTTP1", "JSON", "MCP", "OneAppTools"],
            swiftSettings: strict),
        .executableTarget(
            name: "oneapp-mcp",
            dependencies: ["WorkerRuntime", "Sandbox", "EventLoop", "Posix", "JSON"],
            swiftSettings: strict),

        .testTarget(name: "HTTP1Tests", dependencies: ["HTTP1"], swiftSettings: strict),
        .testTarget(name: "JSONTests", dependencies: ["JSON"], swiftSettings: strict),
        .testTarget(name: "PosixTests", dependencies: ["Posix"], swiftSettings: strict),
        .testTarget(name: "EventLoopTests", dependencies: ["EventLoop", "Posix", "HTTP1"], swiftSettings: strict),
        .testTarget(name: "MCPTests", dependencies: ["MCP", "JSON", "HTTP1"], swiftSettings: strict),
        .testTarget(name: "OneAppToolsTests", dependencies: ["OneAppTools", "MCP", "JSON"], swiftSettings: strict),
        .testTarget(name: "SandboxTests", dependencies: ["Sandbox", "JSON", "HTTP1"], swiftSettings: strict),
        .testTarget(name: "BlackBoxTests", dependencies: ["JSON"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
