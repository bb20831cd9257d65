/// Each importer's per-file parser, reachable from bytes: the fuzzer's and the corpus tests' entry point.
///
/// `parse` runs exactly the code `recscope import` runs on a file of that kind (the same `SourceFile`
/// checks, the same reader and the same row rules), minus the catalog write. Parsers that import runs
/// with a companion file (`.item` closing the set of items) run here in their open form.
public enum SourceParser: String, CaseIterable, Sendable {
    case recboleInter = "recbole-inter"
    case recboleItem = "recbole-item"
    case recboleUser = "recbole-user"
    case movieLensData = "ml-u.data"
    case movieLensItem = "ml-u.item"
    case movieLensUser = "ml-u.user"
    case movieLensRatings = "ml-ratings.csv"
    case movieLensMovies = "ml-movies.csv"
    case csvInteractions = "csv-inter"
    case csvItems = "csv-items"

    /// What one parse read.
    public struct Summary: Sendable, Equatable {
        public var users: Int
        public var items: Int
        public var interactions: Int
    }

    /// The file name the parser's errors name (and that picks the CSV delimiter).
    public var fileName: String {
        switch self {
        case .recboleInter: "fuzz.inter"
        case .recboleItem: "fuzz.item"
        case .recboleUser: "fuzz.user"
        case .movieLensData: "u.data"
        case .movieLensItem: "u.item"
        case .movieLensUser: "u.user"
        case .movieLensRatings: "ratings.csv"
        case .movieLensMovies: "movies.csv"
        case .csvInteractions: "interactions.csv"
        case .csvItems: "items.csv"
        }
    }

    /// Parses `bytes` as this kind of file; throws the same `ImportError` an import would.
    public func parse(_ bytes: [UInt8]) throws(ImportError) -> Summary {
        try SourceFile.checkNotBlank(bytes, path: fileName)
        let file = SourceFile(path: fileName, bytes: bytes)
        var batch = ImportBatch(format: rawValue)
        switch self {
        case .recboleInter:
            try RecBoleImporter.readInteractions(file, into: &batch, closedUsers: false, closedItems: false)
        case .recboleItem: try RecBoleImporter.readItems(file, into: &batch)
        case .recboleUser: try RecBoleImporter.readUsers(file, into: &batch)
        case .movieLensData: try MovieLensImporter.readData100k(file, closedUsers: false, closedItems: false, into: &batch)
        case .movieLensItem: try MovieLensImporter.readItems100k(file, genres: MovieLensImporter.defaultGenres, into: &batch)
        case .movieLensUser: try MovieLensImporter.readUsers100k(file, into: &batch)
        case .movieLensRatings: try MovieLensImporter.readRatings(file, closedItems: false, into: &batch)
        case .movieLensMovies: try MovieLensImporter.readMovies(file, into: &batch)
        case .csvInteractions: try CSVImporter.readInteractions(file, mapping: CSVMapping(), into: &batch)
        case .csvItems: try CSVImporter.readItems(file, delimiter: 44, into: &batch)
        }
        return Summary(users: batch.users.count, items: batch.items.count, interactions: batch.interactionCount)
    }
}
