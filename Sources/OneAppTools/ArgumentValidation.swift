import Configuration
import JSON

/// A tool argument after validation, in the shape the request builder needs.
enum ArgumentValue: Sendable, Equatable {
    case integer(Int)
    case string(String)
    case integers([Int])
    case strings([String])

    var integer: Int? {
        if case .integer(let value) = self { return value }
        return nil
    }

    var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }
}

/// Arguments that passed validation, by parameter name.
typealias ValidatedArguments = [String: ArgumentValue]

/// Every reason a tool's arguments were refused, one sentence each.
struct InvalidArguments: Error, Equatable {
    var problems: [String]
}

extension ToolSpec {
    /// Checks `arguments` against this tool's parameters and reports every problem, not just
    /// the first. `null` for an optional parameter counts as not given: models often send it.
    func validate(_ arguments: JSONObject) -> Result<ValidatedArguments, InvalidArguments> {
        var problems: [String] = []
        var values = ValidatedArguments()
        let names = parameters.map(\.name)
        for key in arguments.keys where !names.contains(key) {
            let expected = names.isEmpty ? "it takes no arguments" : "expected: \(names.joined(separator: ", "))"
            problems.append("\"\(key)\" is not a parameter of \(name) (\(expected))")
        }
        for parameter in parameters {
            guard let value = arguments[parameter.name], value != .null else {
                if parameter.isRequired {
                    problems.append("\"\(parameter.name)\" is required (\(parameter.kind.rule))")
                }
                continue
            }
            switch parameter.kind.check(value, name: parameter.name) {
            case .success(let checked): values[parameter.name] = checked
            case .failure(let refusal): problems += refusal.problems
            }
        }
        return problems.isEmpty ? .success(values) : .failure(InvalidArguments(problems: problems))
    }
}

extension ParameterKind {
    func check(_ value: JSONValue, name: String) -> Result<ArgumentValue, InvalidArguments> {
        let refused = InvalidArguments(problems: ["\"\(name)\" must be \(rule) (got \(value.shortRendering))"])
        switch self {
        case .integer(let minimum, let maximum):
            guard let int = Self.integer(value, minimum: minimum, maximum: maximum) else { return .failure(refused) }
            return .success(.integer(int))
        case .string:
            guard let text = value.stringValue else { return .failure(refused) }
            return .success(.string(text))
        case .date:
            guard let text = value.stringValue, CalendarDate(text) != nil else { return .failure(refused) }
            return .success(.string(text))
        case .uri:
            guard let text = value.stringValue, AbsoluteHTTPURL(text) != nil else { return .failure(refused) }
            return .success(.string(text))
        case .integerArray(let minItems, let itemMinimum):
            return Self.items(of: value, as: .integer(minimum: itemMinimum), minItems: minItems, name: name, refused)
                .map { .integers($0.compactMap(\.integer)) }
        case .stringArray(let minItems):
            return Self.items(of: value, as: .string, minItems: minItems, name: name, refused)
                .map { .strings($0.compactMap(\.string)) }
        }
    }

    /// JSON has one number type: `3.0` is the integer 3, `3.5` is not an integer at all.
    private static func integer(_ value: JSONValue, minimum: Int?, maximum: Int?) -> Int? {
        guard let int = value.intValue else { return nil }
        if let minimum, int < minimum { return nil }
        if let maximum, int > maximum { return nil }
        return int
    }

    /// Checks the array shape, then each item as `kind`, naming bad items by index (`"areas_id[2]"`).
    private static func items(
        of value: JSONValue, as kind: ParameterKind, minItems: Int, name: String, _ refused: InvalidArguments
    ) -> Result<[ArgumentValue], InvalidArguments> {
        guard let items = value.arrayValue, items.count >= minItems else { return .failure(refused) }
        var elements: [ArgumentValue] = []
        var problems: [String] = []
        for (index, item) in items.enumerated() {
            switch kind.check(item, name: "\(name)[\(index)]") {
            case .success(let element): elements.append(element)
            case .failure(let refusal): problems += refusal.problems
            }
        }
        return problems.isEmpty ? .success(elements) : .failure(InvalidArguments(problems: problems))
    }
}

extension JSONValue {
    /// The value as compact JSON, cut to 60 characters: enough to recognise it in a message.
    var shortRendering: String {
        let text = serializedString()
        return text.count <= 60 ? text : String(text.prefix(57)) + "…"
    }
}

/// A `YYYY-MM-DD` date that exists in the proleptic Gregorian calendar (years 0001–9999).
struct CalendarDate: Equatable {
    var year: Int
    var month: Int
    var day: Int

    init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            year >= 1, (1...12).contains(month), day >= 1, day <= Self.days(inMonth: month, year: year)
        else { return nil }
        (self.year, self.month, self.day) = (year, month, day)
    }

    static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
