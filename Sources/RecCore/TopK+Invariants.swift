extension TopK {
    #if RECSCOPE_INTERNAL_CHECKS
    /// Traps unless the heap holds at most `k` keys of non-negative items, each parent ranks after (is no
    /// larger than) its children, and `gate` is −∞ until the heap is full, then the root's score (+∞ for k = 0).
    /// - Complexity: O(k); compiled only with `RECSCOPE_INTERNAL_CHECKS` (debug builds).
    @usableFromInline @inline(never)
    func _checkInvariants() {
        precondition(keys.count <= k, "TopK keeps \(keys.count) pairs, more than k = \(k)")
        for i in keys.indices {
            precondition(TopK.item(keys[i]) >= 0, "TopK holds a negative item \(TopK.item(keys[i]))")
            precondition(!TopK.score(keys[i]).isNaN && TopK.score(keys[i]) > -.infinity, "TopK holds a NaN or −∞ score")
            if i > 0 { precondition(keys[(i &- 1) >> 1] <= keys[i], "TopK heap order broken at \(i)") }
        }
        if k == 0 {
            precondition(_gate == .infinity, "TopK(k: 0) must refuse everything")
        } else if keys.count < k {
            precondition(_gate == -.infinity, "TopK's gate is \(_gate) before the heap is full")
        } else {
            precondition(_gate == TopK.score(keys[0]), "TopK's gate \(_gate) is not the worst kept score")
        }
    }
    #else
    @inlinable @inline(__always)
    func _checkInvariants() {}
    #endif
}
