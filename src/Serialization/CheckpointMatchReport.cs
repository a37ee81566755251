namespace Framework.Serialization;

/// <summary>What a restore matched, at the moment the report was taken: restored values, missing and unexpected ones, mismatches.</summary>
/// <remarks>Deferred restoration can consume more values later (when layers are built or optimizer slots created); take a new
/// report from <see cref="CheckpointLoadStatus.Report"/> to see the current state.</remarks>
public sealed class CheckpointMatchReport
{
    /// <summary>A report of a match made outside <see cref="Checkpoint"/>'s own restore (a loader of another file format
    /// that pairs saved values with variables itself), so every loader reports in one shape.</summary>
    /// <param name="path">The file or checkpoint prefix that was read.</param>
    /// <param name="matched">Saved values paired with live variables.</param>
    /// <param name="missing">Live variables without a saved value.</param>
    /// <param name="unexpected">Saved values nothing uses.</param>
    /// <param name="mismatches">Pairs whose shape or dtype differ.</param>
    /// <param name="conflicts">Descriptions of objects the saved data maps inconsistently.</param>
    /// <param name="pendingEdges">Saved dependencies still waiting for their objects to be created (deferred restoration).</param>
    public CheckpointMatchReport(
        string path,
        IReadOnlyList<CheckpointValue> matched,
        IReadOnlyList<CheckpointValue> missing,
        IReadOnlyList<CheckpointValue> unexpected,
        IReadOnlyList<CheckpointValueMismatch> mismatches,
        IReadOnlyList<string> conflicts,
        int pendingEdges)
    {
        Path = path;
        Matched = matched;
        Missing = missing;
        Unexpected = unexpected;
        Mismatches = mismatches;
        Conflicts = conflicts;
        PendingEdges = pendingEdges;
    }

    /// <summary>The checkpoint prefix.</summary>
    public string Path { get; }

    /// <summary>Saved values assigned (or about to be assigned) to live variables.</summary>
    public IReadOnlyList<CheckpointValue> Matched { get; }

    /// <summary>Live variables that received no value, with the key this framework would save them under.</summary>
    public IReadOnlyList<CheckpointValue> Missing { get; }

    /// <summary>Saved values that no live variable consumed (yet).</summary>
    public IReadOnlyList<CheckpointValue> Unexpected { get; }

    /// <summary>Saved values matched to a variable of another shape or dtype (not assigned).</summary>
    public IReadOnlyList<CheckpointValueMismatch> Mismatches { get; }

    /// <summary>Saved values declared as expected later (<see cref="CheckpointLoadStatus.DeferUnder"/>), still waiting for their objects.</summary>
    public IReadOnlyList<CheckpointValue> Deferred { get; internal init; } = [];

    /// <summary>Saved nodes that two different live objects claimed; the first binding was kept.</summary>
    public IReadOnlyList<string> Conflicts { get; }

    /// <summary>Saved edges waiting for a live object to create the child (deferred restoration).</summary>
    public int PendingEdges { get; }

    /// <summary>The keys of <see cref="Missing"/>.</summary>
    public IReadOnlyList<string> MissingKeys => [.. Missing.Select(v => v.Key)];

    /// <summary>The keys of <see cref="Unexpected"/>.</summary>
    public IReadOnlyList<string> UnexpectedKeys => [.. Unexpected.Select(v => v.Key)];

    /// <summary>Whether every saved value was consumed and every live variable restored, without mismatches.</summary>
    public bool IsComplete => Missing.Count == 0 && Unexpected.Count == 0 && Deferred.Count == 0 && Mismatches.Count == 0;

    /// <summary>A one-line summary: counts and the first few keys of each kind.</summary>
    public override string ToString() =>
        $"{Matched.Count} matched, {Count(Missing.Count, "missing")}{List(Missing)}, {Unexpected.Count} unexpected{List(Unexpected)}" +
        (Mismatches.Count > 0 ? $", {Mismatches.Count} with another shape or dtype{List(Mismatches)}" : "") +
        (Deferred.Count > 0 ? $", {Deferred.Count} deferred" : "");

    internal static string Count(int n, string what) => $"{n} {(n == 1 ? "key" : "keys")} {what}";

    /// <summary>Formats up to ten items in parentheses, then how many more there are.</summary>
    internal static string List<T>(IReadOnlyList<T> items)
    {
        if (items.Count == 0) return "";
        const int Shown = 10;
        string head = string.Join("; ", items.Take(Shown));
        return items.Count > Shown ? $" ({head}; and {items.Count - Shown} more)" : $" ({head})";
    }
}
