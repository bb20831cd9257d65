import ExplorerApp
import RecModels
import RecWorkbench

/// The behaviour every `RecommendationSource` (and `SimulationSource`) must have, as a check any test can run
/// on any implementation: the catalog-backed source and the in-memory one run the same checks.
public enum RecommendationSourceContract {
    /// The broken promises found, as readable sentences; empty when the source keeps them all. Prepares
    /// `models`, then checks the lists, histories, metrics and similar items of `users`.
    public static func violations(of source: any RecommendationSource, models: [ModelKind], users: [String],
                                  k: Int = 10) throws -> [String] {
        var problems: [String] = []
        func check(_ ok: Bool, _ message: @autoclosure () -> String) { if !ok { problems.append(message()) } }
        check(Set(models).isSubset(of: source.modelKinds), "the source does not list every model asked for: \(source.modelKinds)")
        for model in models {
            let info = try source.prepare(model: model) { _ in }
            check(info.model == model, "prepare(\(model)) answered for \(info.model)")
            check(try source.prepare(model: model) { _ in } == info, "preparing \(model) twice gave two answers")
        }
        var perUser: [Int] = []
        for model in models {
            let metrics = try source.metrics(model: model, k: k)
            check(metrics.model == model, "metrics(\(model)) answered for \(metrics.model)")
            for key in ["recall@\(k)", "ndcg@\(k)", "mrr@\(k)"] {
                guard let mean = metrics.values[key], let values = metrics.perUser[key] else {
                    problems.append("metrics(\(model)) has no \(key)")
                    continue
                }
                check((0...1).contains(mean), "\(model) \(key) = \(mean), outside 0…1")
                let average = values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
                check(abs(average - mean) < 1e-9, "\(model) \(key): the mean of the per-user values is \(average), the mean shown \(mean)")
                perUser.append(values.count)
            }
        }
        check(Set(perUser).count <= 1, "models were evaluated on different numbers of users: \(Set(perUser).sorted())")
        for user in users {
            let history = try source.history(user: user, recent: 1_000_000)
            check(history.user == user, "history(\(user)) answered for \(history.user)")
            check(history.recent.count == history.trainCount, "history(\(user)) lists \(history.recent.count) of \(history.trainCount) training items")
            check(history.recent.allSatisfy { $0.role == .train } && history.heldOut.allSatisfy { $0.role != .train },
                  "history(\(user)) mixes up training and held-out roles")
            let seen = Set(history.recent.map(\.id) + history.heldOut.filter { $0.role == .valid }.map(\.id))
            for model in models {
                let list = try source.recommend(user: user, model: model, k: k, excludeSeen: true)
                check(list.items.count <= k, "\(model) gave user \(user) \(list.items.count) items for k = \(k)")
                check(list.items.allSatisfy { !seen.contains($0.id) }, "\(model) recommends user \(user) an item seen before the test rows")
                check(Set(list.items.map(\.id)).count == list.items.count, "\(model) lists an item twice for user \(user)")
                check(zip(list.items, list.items.dropFirst()).allSatisfy { $0.score >= $1.score },
                      "\(model)'s list for user \(user) is not by score")
                check(list.seconds >= 0, "\(model) took negative time")
                let again = try source.recommend(user: user, model: model, k: k, excludeSeen: true)
                check(again.items == list.items, "\(model) is not deterministic for user \(user)")
                let more = try source.recommend(user: user, model: model, k: k + 5, excludeSeen: true)
                check(Array(more.items.prefix(list.items.count)).map(\.id) == list.items.map(\.id),
                      "\(model)'s top \(k + 5) for user \(user) does not start with its top \(k)")
                if let item = list.items.first?.id {
                    let similar = try source.similarItems(item: item, model: model, k: 5)
                    check(similar.count <= 5 && !similar.contains { $0.id == item },
                          "\(model)'s items like \(item) include the item itself or ignore k")
                }
            }
        }
        do {
            _ = try source.recommend(user: "\u{1B}no such user", model: models[0], k: k, excludeSeen: true)
            problems.append("recommend for an unknown user did not fail")
        } catch {}
        return problems
    }

    /// The simulation promises: the inputs cover every item and every user with history, and a population
    /// run through the source equals the workbench's own run of the same request.
    public static func violations(of source: any SimulationSource, model: ModelKind) throws -> [String] {
        var problems: [String] = []
        func check(_ ok: Bool, _ message: @autoclosure () -> String) { if !ok { problems.append(message()) } }
        _ = try source.prepare(model: model) { _ in }
        let inputs = try source.simulationInputs()
        let data = try source.models.data()
        check(inputs.catalog.itemCount == data.bench.log.itemCount,
              "the simulator sees \(inputs.catalog.itemCount) items, the catalog has \(data.bench.log.itemCount)")
        let withHistory = data.view.history.indices.filter { !data.view.history[$0].isEmpty }
        check(inputs.profiles.map { Int($0.user) } == withHistory, "the profiles are not the users with a training history, in index order")
        for profile in inputs.profiles.prefix(20) {
            check(inputs.profile(ofUser: profile.user) == profile, "profile(ofUser: \(profile.user)) does not find its profile")
            check(profile.name == data.bench.log.userIDs[Int(profile.user)], "profile \(profile.user) is named \(profile.name)")
        }
        let request = SimulationRequest(model: model, users: 12, turns: 4, seed: 3, agent: true, split: source.splitName)
        let run = try source.models.simulate(request, usersPerReport: 5) { _ in }
        let direct = try data.bench.simulate(request, inputs: inputs, model: try source.models.trained(model), threads: 1)
        check(run.transcript.map { $0.jsonLine(run: 0) } == direct.transcript.map { $0.jsonLine(run: 0) },
              "a population run through the source differs from the workbench's own run of the same request")
        return problems
    }
}
