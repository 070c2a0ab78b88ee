import Foundation

/// The memory limit of the container the process runs in, from its cgroup (v2 `memory.max`,
/// else v1 `memory.limit_in_bytes`); nil when there is none ("max", or no cgroup file).
enum ContainerMemoryLimit {
    static func current(cgroupRoot: String = "/sys/fs/cgroup") -> Int? {
        for file in ["\(cgroupRoot)/memory.max", "\(cgroupRoot)/memory/memory.limit_in_bytes"] {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { continue }
            // cgroup v1 says "no limit" with a huge number (the page-rounded Int64 maximum).
            guard let bytes = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)), bytes < 1 << 50 else { return nil }
            return bytes
        }
        return nil
    }
}
