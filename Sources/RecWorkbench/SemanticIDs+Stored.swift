import RecCatalog
import RecModels

extension SemanticIDs {
    /// Semantic IDs read from the catalog (the disambiguation codes are recomputed and equal the stored ones).
    public init(_ stored: StoredSemanticIDs) {
        self.init(codebooks: stored.codebooks, codes: stored.codes)
    }

    /// The form the catalog stores.
    public var stored: StoredSemanticIDs {
        StoredSemanticIDs(codebooks: codebooks, codes: codes, disambiguation: disambiguation)
    }
}
