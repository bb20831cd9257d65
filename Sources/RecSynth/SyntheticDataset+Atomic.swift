#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The three RecBole atomic files of a dataset, as UTF-8 text.
public struct AtomicFiles: Sendable, Equatable {
    public var inter: String
    public var item: String
    public var user: String

    public static let interHeader = "user_id:token\titem_id:token\trating:float\ttimestamp:float\tsession_id:token"
    public static let itemHeader = "item_id:token\ttitle:token_seq\trelease_year:token\tclass:token_seq\tdescription:token_seq"
    public static let userHeader = "user_id:token\tage:token\tgender:token\tcountry:token"

    /// The files in writing order with their name suffixes.
    public var named: [(suffix: String, contents: String)] {
        [("inter", inter), ("item", item), ("user", user)]
    }
}

extension SyntheticDataset {
    /// Renders the RecBole atomic files: tab-separated, one typed header line, `\n` line ends.
    ///
    /// `token_seq` fields are space-separated tokens (categories have no spaces); no field holds a
    /// tab, a newline or any other control character.
    public func atomicFiles() -> AtomicFiles {
        var inter = AtomicFiles.interHeader + "\n"
        inter.reserveCapacity(interactions.count * 32)
        for r in interactions {
            inter += "\(r.user + 1)\t\(r.item + 1)\t\(r.rating)\t\(r.timestamp)\t\(r.session + 1)\n"
        }
        var item = AtomicFiles.itemHeader + "\n"
        for (i, it) in items.enumerated() {
            item += "\(i + 1)\t\(it.title)\t\(it.year)\t\(it.categories.joined(separator: " "))\t\(it.description)\n"
        }
        var user = AtomicFiles.userHeader + "\n"
        for (u, us) in users.enumerated() {
            user += "\(u + 1)\t\(us.age)\t\(us.gender)\t\(us.country)\n"
        }
        return AtomicFiles(inter: inter, item: item, user: user)
    }

    /// Writes `<name>.inter`, `<name>.item` and `<name>.user` into `directory`, creating it if needed.
    ///
    /// Refuses a directory that already has files in it unless `force` is set; with `force`, only the
    /// three files are replaced. Returns the paths written.
    @discardableResult
    public func write(to directory: String, name: String, force: Bool) throws(SynthError) -> [String] {
        try Self.prepare(directory: directory, force: force)
        var paths: [String] = []
        for (suffix, contents) in atomicFiles().named {
            let path = directory + "/" + name + "." + suffix
            try Self.writeFile(path, contents)
            paths.append(path)
        }
        return paths
    }

    static func prepare(directory: String, force: Bool) throws(SynthError) {
        var info = stat()
        if stat(directory, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFDIR else { throw .outputNotDirectory(path: directory) }
            if !force && !isEmptyDirectory(directory) { throw .outputNotEmpty(path: directory) }
        } else if mkdir(directory, 0o755) != 0 {
            throw .writeFailed(path: directory, reason: String(cString: strerror(errno)))
        }
    }

    static func isEmptyDirectory(_ path: String) -> Bool {
        guard let dir = opendir(path) else { return false }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { return false }
        }
        return true
    }

    static func writeFile(_ path: String, _ contents: String) throws(SynthError) {
        guard let file = fopen(path, "wb") else {
            throw .writeFailed(path: path, reason: String(cString: strerror(errno)))
        }
        var text = contents
        let written = text.withUTF8 { fwrite($0.baseAddress, 1, $0.count, file) }
        let closed = fclose(file)
        if written != contents.utf8.count || closed != 0 {
            throw .writeFailed(path: path, reason: String(cString: strerror(errno)))
        }
    }
}
