import Testing
import RecCore
@testable import RecModels

/// The registry: one model type per kind, and what each kind needs, reads and says in help texts.
@Suite struct ModelRegistryTests {
    @Test(arguments: ModelKind.allCases)
    func eachKindIsImplementedByATypeOfThatKind(_ kind: ModelKind) throws {
        #expect(kind.registration.model.kind == kind)
        let model = try kind.train(clusteredMatrix(), params: contractParams[kind]!, context: TrainingContext(sequences: shuffledSequences(clusteredMatrix())))
        #expect(model.kind == kind && type(of: model) == kind.registration.model)
        #expect(!kind.summary.isEmpty && kind.summary.count < 70, "\(kind.summary)")
    }

    @Test func needsSayWhatEachModelReadsBeyondTheMatrix() {
        #expect(ModelKind.pop.needs == .recentWindow)
        #expect(ModelKind.sid.needs == [.sequences, .semanticIDs])
        #expect(ModelKind.rank.needs == [.sequences, .validation, .itemCategories, .semanticIDs])
        for kind in [ModelKind.itemknn, .als, .bpr, .ease] { #expect(kind.needs.isEmpty, "\(kind)") }
        // Exactly the kinds ModelWorkbench builds sequences, valid rows and categories for today.
        #expect(ModelKind.allCases.filter { !$0.needs.isDisjoint(with: [.sequences, .validation, .itemCategories]) }
                == [.sid, .rank, .sasrec, .bert4rec, .sidgen])
    }

    @Test func semanticIDSpacesAreReadOnlyByModelsThatNeedThem() throws {
        #expect(try ModelKind.sid.semanticIDSpaces(["space": "content"]) == ["content"])
        #expect(try ModelKind.rank.semanticIDSpaces(["sid.space": "aligned"]) == ["aligned"])
        #expect(try ModelKind.rank.semanticIDSpaces([:]).isEmpty)
        // Other models never parse the parameters here, so a bad value is not an error yet.
        #expect(try ModelKind.als.semanticIDSpaces(["factors": "many"]).isEmpty)
        #expect(throws: ModelError.self) { try ModelKind.sid.semanticIDSpaces(["factors": "many"]) }
    }

    @Test func helpTextsListEveryKindInOrder() {
        #expect(ModelKind.names == "pop, itemknn, als, bpr, ease, sid, rank, sasrec, bert4rec, sidgen")
        #expect(Set(ModelKind.allCases.map(\.summary)).count == ModelKind.allCases.count)
    }
}
