import Foundation

/// The import's report of rejected rows: a CSV file `line,reason` with every rejected row (the
/// console and the command line show only the first ones), made when the first row is rejected.
struct RejectedRowsReport {
    let path: String?
    private var handle: FileHandle?

    init(path: String?) throws {
        self.path = path
        if let path, FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
    }

    mutating func write(_ lines: [UInt8]) throws {
        guard !lines.isEmpty, let path else { return }
        if handle == nil {
            guard FileManager.default.createFile(atPath: path, contents: Data("line,reason\n".utf8)),
                  let opened = FileHandle(forWritingAtPath: path)
            else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
            try opened.seekToEnd()
            handle = opened
        }
        try handle?.write(contentsOf: lines)
    }

    mutating func close() throws {
        try handle?.close()
        handle = nil
    }
}
