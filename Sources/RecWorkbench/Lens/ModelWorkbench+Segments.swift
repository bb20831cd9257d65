import RecCore
import RecEval

extension ModelWorkbench {
    /// The evaluated users of `heldOut` grouped along `axis`: by their training rows in `split` (activity,
    /// regularity) or by the training popularity of their held-out items (popularity).
    public func segments(_ axis: SegmentAxis, split: Split, heldOut: HeldOut, train: InteractionMatrix) -> UserSegments {
        switch axis {
        case .activity: UserSegments.activity(train: train, heldOut: heldOut)
        case .popularity: UserSegments.popularity(counts: train.itemCounts(), heldOut: heldOut)
        case .regularity: UserSegments.regularity(users: log.users, timestamps: log.timestamps, roles: split.roles, heldOut: heldOut)
        }
    }
}
