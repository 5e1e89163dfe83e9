extension Expression.IndexItem {
    /// `[i]` rather than a range or a set.
    var isSingle: Bool {
        if case .single = self { return true }
        return false
    }
}
