
/// Which statistic an aggregate was made for (it decides what `summa decrypt` prints): a sum, a mean, or all of
/// count, sum, mean, variance and standard deviation.
public enum AggregateKind: String, Sendable, CaseIterable {
    case sum, mean, stats
}
