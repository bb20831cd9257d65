import Foundation

/// Imports MovieLens data: the 100k layout (`u.data`, `u.item`, optional `u.user`, `u.genre`) or the
/// ml-latest / ml-25m layout (`ratings.csv`, `movies.csv`).
///
/// `u.item` is ISO-8859-1 and is decoded as such. A title's trailing "(YYYY)" becomes the year (and is
/// removed from the title) when it agrees with the release date, or when there is no release date.
enum MovieLensImporter {
    static let defaultGenres = ["unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime",
                                "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery",
                                "Romance", "Sci-Fi", "Thriller", "War", "Western"]

    static func read(paths: [String]) throws(ImportError) -> ImportBatch {
        var files: [String: String] = [:]
        for path in paths {
            if FileSystem.isDirectory(path) {
                for name in FileSystem.list(path) { files[name] = path + "/" + name }
            } else {
                let name = path.split(separator: "/").last.map(String.init) ?? path
                files[name] = path
            }
        }
        if let data = files["u.data"] {
            return try read100k(data: data, item: files["u.item"], user: files["u.user"], genre: files["u.genre"])
        }
        if let ratings = files["ratings.csv"] {
            return try readLatest(ratings: ratings, movies: files["movies.csv"])
        }
        throw ImportError(file: paths.joined(separator: " "),
                          "no MovieLens ratings found (expected u.data [+ u.item, u.user] or ratings.csv [+ movies.csv])")
    }

    // MARK: ml-100k

    static func read100k(data: String, item: String?, user: String?, genre: String?) throws(ImportError) -> ImportBatch {
        var batch = ImportBatch(format: "movielens-100k")
        var genres = defaultGenres
        if let genre {
            let file = try SourceFile(path: genre)
            batch.sources.append(file.record)
            genres = try readGenres(file)
        }
        if let user {
            let file = try SourceFile(path: user)
            batch.sources.append(file.record)
            try readUsers100k(file, into: &batch)
        }
        if let item {
            let file = try SourceFile(path: item)
            batch.sources.append(file.record)
            try readItems100k(file, genres: genres, into: &batch)
        }
        let file = try SourceFile(path: data)
        batch.sources.append(file.record)
        try readData100k(file, closedUsers: user != nil, closedItems: item != nil, into: &batch)
        return batch
    }

    /// `u.genre`: `name|index` lines; the names in index order.
    static func readGenres(_ file: SourceFile) throws(ImportError) -> [String] {
        var parsed: [(Int, String)] = []
        try DelimitedReader.forEachRecord(in: file, delimiter: 124, quoting: false, encoding: .latin1) { (record: inout Record) throws(ImportError) in
            guard record.count == 2, let index = Int(try record.string(1, column: "index")) else {
                throw record.error("expected 'name|index'")
            }
            parsed.append((index, try record.string(0, column: "name")))
        }
        return parsed.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// `u.user`: `id|age|gender|occupation|zip`, Latin-1.
    static func readUsers100k(_ file: SourceFile, into batch: inout ImportBatch) throws(ImportError) {
        var firstLine: [Int32: Int] = [:]
        try DelimitedReader.forEachRecord(in: file, delimiter: 124, quoting: false, encoding: .latin1) { (record: inout Record) throws(ImportError) in
            guard record.count == 5 else { throw record.error("expected 5 '|'-separated fields (id|age|gender|occupation|zip), found \(record.count)") }
            let f = record.fields[0]
            if f.start == f.end { throw record.error("empty user id") }
            let (u, isNew) = batch.users.intern(record.buffer, f.start, f.end)
            if !isNew { throw record.error("duplicate user id '\(batch.users.string(u, latin1: true))' (first on line \(firstLine[u] ?? 0))") }
            firstLine[u] = record.line
            guard let age = Int(try record.string(1, column: "age")) else {
                throw record.error("column 'age' expected a whole number, found '\(try record.string(1, column: "age"))'")
            }
            batch.userAttributes[u] = JSONText.object([
                ("age", .number(Double(age))),
                ("gender", .string(try record.string(2, column: "gender"))),
                ("occupation", .string(try record.string(3, column: "occupation"))),
                ("zip_code", .string(try record.string(4, column: "zip"))),
            ])
        }
    }

    /// `u.item`: `id|title|release date|video release date|URL|` then one 0/1 flag per genre, Latin-1.
    static func readItems100k(_ file: SourceFile, genres: [String], into batch: inout ImportBatch) throws(ImportError) {
        var firstLine: [Int32: Int] = [:]
        let expected = 5 + genres.count
        try DelimitedReader.forEachRecord(in: file, delimiter: 124, quoting: false, encoding: .latin1) { (record: inout Record) throws(ImportError) in
            guard record.count == expected else {
                throw record.error("expected \(expected) '|'-separated fields (id|title|release date|video release date|URL|\(genres.count) genre flags), found \(record.count)")
            }
            let f = record.fields[0]
            if f.start == f.end { throw record.error("empty movie id") }
            let (i, isNew) = batch.items.intern(record.buffer, f.start, f.end)
            if !isNew { throw record.error("duplicate movie id '\(batch.items.string(i, latin1: true))' (first on line \(firstLine[i] ?? 0))") }
            firstLine[i] = record.line
            let release = try record.string(2, column: "release date")
            let releaseYear = release.split(separator: "-").last.flatMap { Int($0) }
            var info = splitTitle(try record.string(1, column: "title"), releaseYear: releaseYear, requireAgreement: true)
            if info.year == nil { info.year = releaseYear }
            for g in 0..<genres.count {
                let flag = try record.string(5 + g, column: genres[g])
                if flag == "1" { info.categories.append(genres[g]) }
                else if flag != "0" { throw record.error("genre flag '\(genres[g])' expected 0 or 1, found '\(flag)'") }
            }
            var pairs: [(String, JSONValue)] = []
            if !release.isEmpty { pairs.append(("release_date", .string(release))) }
            let video = try record.string(3, column: "video release date")
            if !video.isEmpty { pairs.append(("video_release_date", .string(video))) }
            let url = try record.string(4, column: "URL")
            if !url.isEmpty { pairs.append(("url", .string(url))) }
            info.attributes = JSONText.object(pairs)
            batch.itemInfo[i] = info
        }
    }

    /// `u.data`: `user<TAB>item<TAB>rating<TAB>timestamp`; ids are Latin-1 bytes. `plainRows: false` reads
    /// every row through the general record reader (the reference).
    static func readData100k(_ file: SourceFile, closedUsers: Bool, closedItems: Bool, into batch: inout ImportBatch,
                             splitAbove: Int = 4 << 20, plainRows: Bool = true) throws(ImportError) {
        batch.latin1Tokens = true
        let bytes = file.bytes
        let bom = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
        let rules = RowRules(fieldCount: 4, user: 0, item: 1, time: 3, value: 2, optionalValue: false,
                             utf8Tokens: false, plainRows: plainRows) {
            (record: Record, part: inout InteractionPart, users: TokenInterner?, items: TokenInterner?) throws(ImportError) in
            guard record.count == 4 else {
                throw record.error("expected 4 tab-separated fields (user, item, rating, timestamp), found \(record.count)")
            }
            try appendInteraction(&part, record, closedUsers: users, closedItems: items, latin1: true,
                                  itemFile: "u.item", userFile: "u.user")
        }
        try RecBoleImporter.readRows(file, bom..<bytes.count, firstLine: 1, rules, into: &batch,
                                     closedUsers: closedUsers, closedItems: closedItems, splitAbove: splitAbove)
    }

    /// Removes a trailing "(YYYY)" from a title and takes it as the year. With `requireAgreement`
    /// (ml-100k, which has a release date column) only when the release date has the same year.
    static func splitTitle(_ raw: String, releaseYear: Int?, requireAgreement: Bool = false) -> ItemInfo {
        var info = ItemInfo()
        let title = trimmed(raw[...])
        info.title = title
        guard title.hasSuffix(")"), let open = title.lastIndex(of: "(") else { return info }
        let inner = title[title.index(after: open)..<title.index(before: title.endIndex)]
        guard inner.count == 4, let year = Int(inner) else { return info }
        if requireAgreement && releaseYear != year { return info }
        info.title = trimmed(title[..<open])
        info.year = year
        return info
    }

    /// `text.trimmingCharacters(in: .whitespaces)`, without Foundation when what is left starts and ends
    /// with printable ASCII (then only spaces and tabs can have been trimmed).
    static func trimmed(_ text: Substring) -> String {
        let scalars = text.unicodeScalars
        var start = scalars.startIndex, end = scalars.endIndex
        while start < end && (scalars[start] == " " || scalars[start] == "\t") { start = scalars.index(after: start) }
        while start < end {
            let last = scalars[scalars.index(before: end)]
            if last != " " && last != "\t" { break }
            end = scalars.index(before: end)
        }
        if start == end { return "" }
        let first = scalars[start].value, last = scalars[scalars.index(before: end)].value
        guard first > 0x20 && first < 0x7F && last > 0x20 && last < 0x7F else {
            return String(text).trimmingCharacters(in: .whitespaces)
        }
        return String(scalars[start..<end])
    }

    /// Checks a `user, item, rating, timestamp` record and appends it to `part`: the MovieLens row rules.
    /// Ids come from `closedUsers`/`closedItems` when given (an unknown one is an error), else are interned.
    static func appendInteraction(_ part: inout InteractionPart, _ record: Record, closedUsers: TokenInterner?,
                                  closedItems: TokenInterner?, latin1: Bool,
                                  itemFile: String, userFile: String) throws(ImportError) {
        let uf = record.fields[0], itf = record.fields[1]
        if uf.start == uf.end { throw record.error("empty user id") }
        if itf.start == itf.end { throw record.error("empty item id") }
        func text(_ f: FieldRange) -> String {
            let bytes = UnsafeBufferPointer(rebasing: record.buffer[f.start..<f.end])
            if !latin1 { return String(decoding: bytes, as: UTF8.self) }
            var scalars = String.UnicodeScalarView()
            for b in bytes { scalars.append(Unicode.Scalar(b)) }
            return String(scalars)
        }
        let known = closedUsers.map { $0.lookup(record.buffer, uf.start, uf.end) }
        if let known, known == nil { throw record.error("user '\(text(uf))' is not in \(userFile)") }
        let knownItem = closedItems.map { $0.lookup(record.buffer, itf.start, itf.end) }
        if let knownItem, knownItem == nil { throw record.error("movie '\(text(itf))' is not in \(itemFile)") }
        var (u, newUser) = (Int32(-1), false), (i, newItem) = (Int32(-1), false)
        if let known { u = known! } else { (u, newUser) = part.users.intern(record.buffer, uf.start, uf.end) }
        if let knownItem { i = knownItem! } else { (i, newItem) = part.items.intern(record.buffer, itf.start, itf.end) }
        if newUser && !latin1 && !part.users.isValidUTF8(u) { throw record.error("user id is not valid UTF-8") }
        if newItem && !latin1 && !part.items.isValidUTF8(i) { throw record.error("item id is not valid UTF-8") }
        let rating = try record.double(2, column: "rating")
        let ts = try record.double(3, column: "timestamp")
        part.user.append(u)
        part.item.append(i)
        part.time.append(ts)
        part.value.append(rating)
        part.line.append(Int32(truncatingIfNeeded: record.line))
    }

    // MARK: ml-latest / ml-25m

    static func readLatest(ratings: String, movies: String?) throws(ImportError) -> ImportBatch {
        var batch = ImportBatch(format: "movielens-csv")
        if let movies {
            let file = try SourceFile(path: movies)
            batch.sources.append(file.record)
            try readMovies(file, into: &batch)
        }
        let file = try SourceFile(path: ratings)
        batch.sources.append(file.record)
        try readRatings(file, closedItems: movies != nil, into: &batch)
        return batch
    }

    /// `movies.csv`: the header `movieId,title,genres`, then quoted CSV rows.
    static func readMovies(_ file: SourceFile, into batch: inout ImportBatch) throws(ImportError) {
        var isHeader = true
        var firstLine: [Int32: Int] = [:]
        try DelimitedReader.forEachRecord(in: file, delimiter: 44, quoting: true) { (record: inout Record) throws(ImportError) in
            if isHeader {
                let names = try (0..<record.count).map { (i: Int) throws(ImportError) in try record.string(i, column: "header") }
                guard names == ["movieId", "title", "genres"] else {
                    throw record.error("expected the header 'movieId,title,genres', found '\(names.joined(separator: ","))'")
                }
                isHeader = false
                return
            }
            guard record.count == 3 else { throw record.error("expected 3 comma-separated fields (movieId,title,genres), found \(record.count)") }
            let f = record.fields[0]
            if f.start == f.end { throw record.error("empty movieId") }
            let (i, isNew) = batch.items.intern(record.buffer, f.start, f.end)
            if !isNew { throw record.error("duplicate movieId '\(batch.items.string(i))' (first on line \(firstLine[i] ?? 0))") }
            if !batch.items.isValidUTF8(i) { throw record.error("movieId is not valid UTF-8") }
            firstLine[i] = record.line
            var info = splitTitle(try record.string(1, column: "title"), releaseYear: nil)
            let genres = try record.string(2, column: "genres")
            if genres != "(no genres listed)" && !genres.isEmpty {
                info.categories = genres.split(separator: "|").map(String.init)
            }
            batch.itemInfo[i] = info
        }
    }

    /// `ratings.csv`: the header `userId,movieId,rating,timestamp`, then one rating per row (quoted CSV).
    /// `plainRows: false` reads every row through the general record reader (the reference).
    static func readRatings(_ file: SourceFile, closedItems: Bool, into batch: inout ImportBatch,
                            splitAbove: Int = 4 << 20, plainRows: Bool = true) throws(ImportError) {
        let (bodyStart, bodyLine) = try DelimitedReader.readRecords(in: file, delimiter: 44, quoting: true, limit: 1) {
            (record: inout Record) throws(ImportError) in
            let names = try (0..<record.count).map { (i: Int) throws(ImportError) in try record.string(i, column: "header") }
            guard names == ["userId", "movieId", "rating", "timestamp"] else {
                throw record.error("expected the header 'userId,movieId,rating,timestamp', found '\(names.joined(separator: ","))'")
            }
        }
        let rules = RowRules(delimiter: 44, quoting: true, fieldCount: 4, user: 0, item: 1, time: 3, value: 2,
                             optionalValue: false, plainRows: plainRows) {
            (record: Record, part: inout InteractionPart, users: TokenInterner?, items: TokenInterner?) throws(ImportError) in
            guard record.count == 4 else {
                throw record.error("expected 4 comma-separated fields (userId,movieId,rating,timestamp), found \(record.count)")
            }
            try appendInteraction(&part, record, closedUsers: users, closedItems: items, latin1: false,
                                  itemFile: "movies.csv", userFile: "")
        }
        try RecBoleImporter.readRows(file, bodyStart..<file.bytes.count, firstLine: bodyLine, rules, into: &batch,
                                     closedUsers: false, closedItems: closedItems, splitAbove: splitAbove)
        if batch.interactionCount == 0 { throw ImportError(file: file.path, "has a header but no ratings") }
    }
}
