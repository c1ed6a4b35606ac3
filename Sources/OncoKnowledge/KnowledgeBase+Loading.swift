import Foundation
import Yams

/// Why a knowledge directory could not be loaded. The message names the file and the
/// place inside it, so an editor can go straight to the line to fix.
public enum KnowledgeLoadError: Error, Sendable, CustomStringConvertible {
    case unreadableDirectory(path: String, reason: String)
    case unreadableFile(file: String, reason: String)
    case invalidYAML(file: String, reason: String)
    case invalidContent(file: String, path: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadableDirectory(path, reason):
            "cannot read knowledge directory \(path): \(reason)"
        case let .unreadableFile(file, reason):
            "\(file): cannot read the file: \(reason)"
        case let .invalidYAML(file, reason):
            "\(file): not valid YAML: \(reason)"
        case let .invalidContent(file, path, reason):
            "\(file): at \(path.isEmpty ? "top level" : path): \(reason)"
        }
    }
}

extension KnowledgeBase {
    /// Reads every `*.yaml` / `*.yml` file under `directory` (recursively, in path order)
    /// and merges their sections. Fields a file has but the model does not know are
    /// reported in `loadIssues` as warnings (usually typos); wrong types or missing
    /// required fields stop the load with a `KnowledgeLoadError`.
    public static func load(directory: URL) throws -> KnowledgeBase {
        let files = try yamlFiles(in: directory)
        var content = KnowledgeContent()
        var origins: [ItemKind: [String]] = [:]
        var issues: [KnowledgeIssue] = []
        for url in files {
            let relative = relativePath(of: url, in: directory)
            let text: String
            do { text = try String(contentsOf: url, encoding: .utf8) } catch {
                throw KnowledgeLoadError.unreadableFile(file: relative, reason: error.localizedDescription)
            }
            let part = try decodeFile(text, named: relative)
            if let node = try? Yams.compose(yaml: text) {
                issues += UnknownFieldCheck.issues(node: node, value: part, file: relative)
            }
            for (kind, count) in part.counts { origins[kind, default: []] += Array(repeating: relative, count: count) }
            content.append(part)
        }
        return KnowledgeBase(content: content, files: origins, loadIssues: issues)
    }

    /// Decodes one file's text; errors carry `file` and the path of the failing value.
    static func decodeFile(_ text: String, named file: String) throws -> KnowledgeContent {
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return KnowledgeContent() }
        do {
            return try YAMLDecoder().decode(KnowledgeContent.self, from: text)
        } catch let error as DecodingError {
            let (path, reason) = describe(error)
            throw KnowledgeLoadError.invalidContent(file: file, path: path, reason: reason)
        } catch let error as YamlError {
            throw KnowledgeLoadError.invalidYAML(file: file, reason: "\(error)")
        }
    }

    private static func yamlFiles(in directory: URL) throws -> [URL] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw KnowledgeLoadError.unreadableDirectory(path: directory.path, reason: "no such directory")
        }
        guard let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else {
            throw KnowledgeLoadError.unreadableDirectory(path: directory.path, reason: "cannot list its files")
        }
        var urls: [URL] = []
        for case let url as URL in enumerator where ["yaml", "yml"].contains(url.pathExtension.lowercased()) {
            urls.append(url)
        }
        return urls.sorted { $0.path < $1.path }
    }

    private static func relativePath(of url: URL, in directory: URL) -> String {
        let base = directory.standardizedFileURL.resolvingSymlinksInPath().path
        let full = url.standardizedFileURL.resolvingSymlinksInPath().path
        return full.hasPrefix(base + "/") ? String(full.dropFirst(base.count + 1)) : url.lastPathComponent
    }

    /// `products[2].indications[0].region` and a sentence saying what was wrong.
    static func describe(_ error: DecodingError) -> (path: String, reason: String) {
        func render(_ path: [any CodingKey]) -> String {
            path.reduce(into: "") { out, key in
                if let i = key.intValue { out += "[\(i)]" } else { out += out.isEmpty ? key.stringValue : ".\(key.stringValue)" }
            }
        }
        switch error {
        case let .keyNotFound(key, context):
            return (render(context.codingPath), "required field '\(key.stringValue)' is missing")
        case let .typeMismatch(type, context):
            return (render(context.codingPath), "expected \(type): \(context.debugDescription)")
        case let .valueNotFound(type, context):
            return (render(context.codingPath), "a value of type \(type) is required")
        case let .dataCorrupted(context):
            return (render(context.codingPath), context.debugDescription)
        @unknown default:
            return ("", "\(error)")
        }
    }
}

extension KnowledgeContent {
    var counts: [(ItemKind, Int)] {
        [(.source, sources.count), (.cancer, cancers.count), (.biomarker, biomarkers.count),
         (.drugClass, drugClasses.count), (.drug, drugs.count), (.regimen, regimens.count),
         (.approach, approaches.count), (.product, products.count), (.safety, safety.count),
         (.journey, journey.count), (.landscape, landscapes.count), (.glossary, glossary.count),
         (.faq, faq.count)]
    }
}

/// Finds mapping keys in a YAML file that the decoded value has no property for — the
/// decoder silently ignores them, so a misspelt `minPriorLine` would otherwise vanish.
/// Walks the YAML tree alongside a `Mirror` of the decoded value.
enum UnknownFieldCheck {
    static func issues(node: Node, value: Any, file: String) -> [KnowledgeIssue] {
        var found: [KnowledgeIssue] = []
        walk(node, value, path: "", file: file, into: &found)
        return found
    }

    private static func walk(_ node: Node, _ value: Any, path: String, file: String, into found: inout [KnowledgeIssue]) {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional {
            if let child = mirror.children.first { walk(node, child.value, path: path, file: file, into: &found) }
            return
        }
        switch node {
        case let .mapping(mapping):
            guard mirror.displayStyle == .struct else { return }
            var properties: [String: Any] = [:]
            for child in mirror.children {
                guard let label = child.label else { continue }
                let name = label.hasPrefix("_") ? String(label.dropFirst()) : label
                // Unwrap `ListDefault`, whose single stored property is `wrappedValue`.
                let inner = Mirror(reflecting: child.value)
                properties[name] = label.hasPrefix("_") ? (inner.children.first?.value ?? child.value) : child.value
            }
            for (keyNode, valueNode) in mapping {
                guard let key = keyNode.string else { continue }
                let childPath = path.isEmpty ? key : "\(path).\(key)"
                if let property = properties[key] {
                    walk(valueNode, property, path: childPath, file: file, into: &found)
                } else {
                    found.append(KnowledgeIssue(
                        severity: .warning, file: file, itemID: nil,
                        message: "unknown field '\(key)' at \(childPath) is ignored (misspelt?)"))
                }
            }
        case let .sequence(sequence):
            guard mirror.displayStyle == .collection else { return }
            for (i, (itemNode, item)) in zip(sequence, mirror.children.map(\.value)).enumerated() {
                walk(itemNode, item, path: "\(path)[\(i)]", file: file, into: &found)
            }
        default:
            return
        }
    }
}
