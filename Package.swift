// swift-tools-version: 6.0
import PackageDescription

// The target graph is one-way (README "Design"); only Posix touches the C shim and Glibc's
// socket calls, and the pure targets (HTTP1, JSON, Codecs) import nothing but the stdlib.
//
//   CSystem ─▶ Posix ─▶ EventLoop ─▶ Supervision ─────────────┐
//   HTTP1 ───▶ EventLoop, MCP, Sandbox, Supervision           │
//   JSON, Codecs ─▶ Configuration ─▶ Supervision, OneAppTools  ├─▶ oneapp-mcp
//   JSON, Codecs ─▶ MCP ─▶ OneAppTools ─▶ WorkerRuntime ───────┤
//   JSON, HTTP1 ─▶ Sandbox ────────────────────────────────────┘
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "oneapp-mcp",
    products: [
        .executable(name: "oneapp-mcp", targets: ["oneapp-mcp"]),
        // For the fuzz package (scripts/fuzz), which depends on this one by path; not API.
        .library(name: "HTTP1", targets: ["HTTP1"]),
        .library(name: "JSON", targets: ["JSON"]),
        .library(name: "MCP", targets: ["MCP"]),
    ],
    targets: [
        .target(name: "CSystem"),
        .target(name: "Posix", dependencies: ["CSystem"], swiftSettings: strict),
        .target(name: "HTTP1", swiftSettings: strict),
        // libm: Double rounding in a target that imports no Foundation.
        .target(name: "JSON", swiftSettings: strict, linkerSettings: [.linkedLibrary("m")]),
        .target(name: "Codecs", swiftSettings: strict),
        .target(name: "EventLoop", dependencies: ["Posix", "HTTP1"], swiftSettings: strict),
        .target(name: "Configuration", dependencies: ["JSON", "Codecs", "Posix"], swiftSettings: strict),
        .target(name: "MCP", dependencies: ["JSON", "HTTP1", "Codecs"], swiftSettings: strict),
        .target(name: "OneAppTools", dependencies: ["MCP", "JSON", "Configuration"], swiftSettings: strict),
        .target(name: "Sandbox", dependencies: ["JSON", "HTTP1"], swiftSettings: strict),
        .target(
            name: "WorkerRuntime",
            dependencies: ["EventLoop", "Posix", "HTTP1", "JSON", "MCP", "OneAppTools", "Configuration"],
            swiftSettings: strict),
        .target(
            name: "Supervision", dependencies: ["Configuration", "EventLoop", "Posix", "HTTP1", "JSON"],
            swiftSettings: strict),
        .executableTarget(
            name: "oneapp-mcp",
            dependencies: ["Supervision", "WorkerRuntime", "Sandbox", "EventLoop", "Posix", "JSON", "Configuration"],
            swiftSettings: strict),

        .testTarget(name: "HTTP1Tests", dependencies: ["HTTP1"], swiftSettings: strict),
        .testTarget(name: "JSONTests", dependencies: ["JSON"], swiftSettings: strict),
        .testTarget(name: "CodecsTests", dependencies: ["Codecs"], swiftSettings: strict),
        .testTarget(name: "PosixTests", dependencies: ["Posix"], swiftSettings: strict),
        .testTarget(name: "EventLoopTests", dependencies: ["EventLoop", "Posix", "HTTP1"], swiftSettings: strict),
        .testTarget(name: "ConfigurationTests", dependencies: ["Configuration", "JSON"], swiftSettings: strict),
        .testTarget(name: "MCPTests", dependencies: ["MCP", "JSON", "HTTP1"], swiftSettings: strict),
        .testTarget(name: "OneAppToolsTests", dependencies: ["OneAppTools", "MCP", "JSON", "Configuration", "Sandbox", "HTTP1", "EventLoop", "WorkerRuntime"], swiftSettings: strict),
        .testTarget(name: "SandboxTests", dependencies: ["Sandbox", "JSON", "HTTP1"], swiftSettings: strict),
        .testTarget(name: "SupervisionTests", dependencies: ["Supervision", "Configuration", "Posix", "HTTP1", "JSON"], swiftSettings: strict),
        .testTarget(name: "BlackBoxTests", dependencies: ["JSON", "HTTP1", "Sandbox", "Posix"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
