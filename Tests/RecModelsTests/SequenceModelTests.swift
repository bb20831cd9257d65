import RecCore
import Synchronization
import Testing
@testable import RecModels

/// SASRec and BERT4Rec trained end to end on data with a planted order.
@Suite struct SequenceModelTests {
    static let items = 24

    /// Each user walks a cycle of `items` items from their own start: item s, s+1, …, s+7 (mod items) in
    /// training, s+8 as the validation item. Every item is equally popular and every pair of neighbours
    /// co-occurs as often in either order, so only the order says which neighbour comes next.
    static func cycle(users: Int = 96) -> (train: InteractionMatrix, context: TrainingContext, next: [Int32]) {
        var u: [Int32] = [], i: [Int32] = [], start = [0], sequence: [Int32] = []
        var validUsers: [Int32] = [], validItems: [Int32] = [], next: [Int32] = []
        for user in 0..<users {
            let s = user % items
            for t in 0..<8 {
                u.append(Int32(user)); i.append(Int32((s + t) % items)); sequence.append(Int32((s + t) % items))
            }
            start.append(sequence.count)
            validUsers.append(Int32(user)); validItems.append(Int32((s + 8) % items))
            next.append(Int32((s + 8) % items))
        }
        let train = InteractionMatrix(userCount: users, itemCount: items, users: u, items: i)
        let context = TrainingContext(sequences: UserSequences(start: start, items: sequence, timestamps: sequence.indices.map(Double.init)),
                                      validation: InteractionMatrix(userCount: users, itemCount: items, users: validUsers, items: validItems))
        return (train, context, next)
    }

    static let params = ["dim": "16", "heads": "2", "layers": "1", "max_len": "8", "dropout": "0", "lr": "0.01",
                         "epochs": "40", "batch": "16", "patience": "5", "threads": "2"]

    @Test(arguments: [ModelKind.sasrec, .bert4rec])
    func theModelLearnsWhichNeighbourComesNext(_ kind: ModelKind) throws {
        let (train, context, next) = Self.cycle()
        var params = Self.params
        if kind == .bert4rec { params["mask_prob"] = "0.2" }  // the default 0.4 hides too much of an 8-item window
        let model = try kind.train(train, params: params, context: context)
        var hits = 0
        for u in 0..<train.userCount {
            let top = model.recommend(user: u, k: 1, exclude: ExclusionSet(unsorted: Array(train.items(ofUser: u))))
            if top.first?.item == next[u] { hits += 1 }
        }
        // Without order, the two unseen neighbours of a user's window tie: about half the users.
        #expect(Double(hits) / Double(train.userCount) > 0.9, "\(kind): \(hits) of \(train.userCount) next items first")
    }

    @Test func oneAndTwoThreadsTrainTheSameModelBitForBit() throws {
        let (train, context, _) = Self.cycle(users: 40)
        var params = Self.params
        params["epochs"] = "4"
        params["dropout"] = "0.2"
        for kind in [ModelKind.sasrec, .bert4rec] {
            params["threads"] = "1"
            let one = try kind.train(train, params: params, context: context)
            params["threads"] = "2"
            let two = try kind.train(train, params: params, context: context)
            #expect(one.artifact() == two.artifact(), "\(kind)")
        }
    }

    @Test func trainingStopsEarlyAndKeepsTheBestEpoch() throws {
        let (train, context, _) = Self.cycle(users: 48)
        var params = Self.params
        params["epochs"] = "200"
        params["patience"] = "3"
        let events = Mutex<[TrainingEvent]>([])
        let trained = try ModelKind.sasrec.train(train, params: params, context: context) { e in events.withLock { $0.append(e) } }
        let model = try #require(trained as? SASRec)
        let log = events.withLock { $0 }
        let best = log.max { ($0.validation ?? -1, -$0.epoch) < ($1.validation ?? -1, -$1.epoch) }!
        #expect(log.count < 200, "stopped early")
        #expect(log.last!.isLast && log.last!.epoch == best.epoch + 3)
        #expect(log.dropLast().allSatisfy { !$0.isLast && $0.epochSeconds != nil })
        #expect(model.bestEpoch == best.epoch && model.validationNDCG == best.validation)
    }

    @Test func withoutValidRowsTrainingStopsOnEachUsersLastItem() throws {
        let (train, context, next) = Self.cycle(users: 48)
        var params = Self.params
        params["epochs"] = "200"
        params["patience"] = "3"
        let events = Mutex<[TrainingEvent]>([])
        let model = try ModelKind.sasrec.train(train, params: params, context: TrainingContext(sequences: context.sequences)) { e in
            events.withLock { $0.append(e) }
        }
        let log = events.withLock { $0 }
        #expect(log.count < 200 && log.allSatisfy { $0.validation != nil }, "\(log.count) epochs")
        // Served from the whole history: the item after each user's last one comes first.
        let hits = (0..<train.userCount).filter { u in
            model.recommend(user: u, k: 1, exclude: ExclusionSet(unsorted: Array(train.items(ofUser: u)))).first?.item == next[u]
        }.count
        #expect(Double(hits) / Double(train.userCount) > 0.8, "\(hits) of \(train.userCount)")
    }
}
