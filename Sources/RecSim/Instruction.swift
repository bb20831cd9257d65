import RecCore

/// What a reflective instruction asks for, in structured form.
public enum Intent: Sendable, Equatable, Hashable {
    /// Fewer items of this topic.
    case avoid(topic: Int32)
    /// More items of this topic.
    case more(topic: Int32)
    /// Items like this one.
    case moreLike(item: Int32)
    /// Away from this topic, toward topics close to it.
    case differentButRelated(topic: Int32)
    case newer
    case lessPopular
    case moreVariety

    /// The intent's kind as one word (`avoid`, `more`, `more_like`, ...), for storage and reports.
    public var kind: String {
        switch self {
        case .avoid: "avoid"
        case .more: "more"
        case .moreLike: "more_like"
        case .differentButRelated: "different_but_related"
        case .newer: "newer"
        case .lessPopular: "less_popular"
        case .moreVariety: "more_variety"
        }
    }

    /// The intent in a few words, with topic and title names: `avoid Drama`, `more like Star Wars (1977)`.
    public func label(_ catalog: SimulationCatalog) -> String {
        switch self {
        case .avoid(let t): "avoid \(catalog.topicNames[Int(t)])"
        case .more(let t): "more \(catalog.topicNames[Int(t)])"
        case .moreLike(let i): "more like \(catalog.titles[Int(i)])"
        case .differentButRelated(let t): "different but related to \(catalog.topicNames[Int(t)])"
        case .newer: "newer"
        case .lessPopular: "less popular"
        case .moreVariety: "more variety"
        }
    }
}

/// A reflective instruction: the sentence the user writes, the intent behind it, and the state that caused it.
public struct Instruction: Sendable, Equatable {
    public let intent: Intent
    public let text: String
    /// What in the user's state led to it, e.g. `satiation of Drama 2.31 ≥ 1.50 with 6/10 Drama items shown`.
    public let cause: String

    public init(intent: Intent, text: String, cause: String) {
        self.intent = intent
        self.text = text
        self.cause = cause
    }
}

/// The sentences users write, several per intent; `{topic}` and `{title}` are filled from the catalog.
public enum InstructionTemplates {
    public static let avoid = [
        "There are too many {topic} recommendations; please show less {topic}.",
        "I'm tired of {topic}. Less {topic}, please.",
        "Enough {topic} for now: no more {topic}.",
        "Please stop showing me {topic}.",
    ]
    public static let differentButRelated = [
        "There are too many {topic} recommendations; I want something different but related.",
        "I've had my fill of {topic}; show me something different but related.",
        "Too much {topic} lately. Different but related, please.",
    ]
    public static let more = [
        "I'd like more {topic}.",
        "Show me more {topic}, please.",
        "Where is the {topic}? More {topic}!",
    ]
    public static let moreLike = [
        "More like {title}, please.",
        "I want something like {title}.",
        "Show me titles similar to {title}.",
    ]
    public static let newer = [
        "These all feel old; something newer, please.",
        "Show me more recent titles.",
        "Anything newer?",
    ]
    public static let lessPopular = [
        "Everything here is so mainstream; less popular picks, please.",
        "Show me some hidden gems.",
        "Fewer blockbusters, please: less popular titles.",
    ]
    public static let moreVariety = [
        "It's all the same; surprise me.",
        "Mix it up a little: more variety.",
        "I want more variety.",
    ]

    /// The templates of one intent's kind.
    public static func templates(for intent: Intent) -> [String] {
        switch intent {
        case .avoid: avoid
        case .more: more
        case .moreLike: moreLike
        case .differentButRelated: differentButRelated
        case .newer: newer
        case .lessPopular: lessPopular
        case .moreVariety: moreVariety
        }
    }

    /// The sentence of template `index` for `intent`, naming its topic or title.
    public static func sentence(_ intent: Intent, template index: Int, catalog: SimulationCatalog) -> String {
        let all = templates(for: intent)
        var text = all[index % all.count]
        switch intent {
        case .avoid(let t), .more(let t), .differentButRelated(let t):
            text = text.replacing("{topic}", with: catalog.topicNames[Int(t)])
        case .moreLike(let i):
            text = text.replacing("{title}", with: catalog.titles[Int(i)])
        case .newer, .lessPopular, .moreVariety:
            break
        }
        return text
    }
}
