extension [Duration] {
    /// The middle value (the mean of the middle two for an even count). Not called on an empty array.
    var median: Duration {
        let sorted = self.sorted()
        let middle = sorted.count / 2
        return sorted.count.isMultiple(of: 2) ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[middle]
    }
}

extension Duration {
    var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) * 1e-18
    }
}

extension [String: Int] {
    /// The `count` most frequent outcomes, ties broken by key so output is stable.
    func mostFrequent(_ count: Int) -> [String: Int] {
        let top = sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(count)
        return Dictionary(uniqueKeysWithValues: top.map { ($0.key, $0.value) })
    }
}

extension [Double] {
    /// The middle value (the mean of the middle two for an even count). Not called on an empty array.
    var median: Double {
        let sorted = self.sorted()
        let middle = sorted.count / 2
        return sorted.count.isMultiple(of: 2) ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[middle]
    }
}
