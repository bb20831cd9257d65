import RecModels
import RecWorkbench

/// A recommendation source that can also feed the simulator: its split's inputs and population runs,
/// exactly as `recscope simulate` makes them.
public protocol SimulationSource: RecommendationSource {
    /// The simulator's inputs over the split (items as topics, each user's history and future). Slow the
    /// first time: call from a background queue.
    func simulationInputs() throws -> SimulationInputs
    /// The models, for the simulator's base model and population runs.
    var models: SplitModels { get }
}
