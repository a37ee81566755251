namespace Framework.Serialization;

/// <summary>A checkpoint does not match the objects it is loaded into: keys are missing, unexpected, or have other shapes.</summary>
/// <remarks>Nothing was assigned when this is thrown. <see cref="Report"/> carries everything, for callers that then load
/// partially (<c>strict: false</c>).</remarks>
public sealed class CheckpointMismatchException : Exception
{
    /// <summary>Creates the exception from a report; the message lists keys, variable names and shapes.</summary>
    /// <param name="report">The match report of the failed load.</param>
    /// <param name="target">What was loaded into, for the message (<c>the model</c>).</param>
    public CheckpointMismatchException(CheckpointMatchReport report, string target = "the model")
        : base(Format(report ?? throw new ArgumentNullException(nameof(report)), target))
    {
        Report = report;
    }

    /// <summary>The full match report.</summary>
    public CheckpointMatchReport Report { get; }

    /// <summary>Keys of live variables that the checkpoint has no value for.</summary>
    public IReadOnlyList<string> MissingKeys => Report.MissingKeys;

    /// <summary>Keys of saved values that nothing in the target consumed.</summary>
    public IReadOnlyList<string> UnexpectedKeys => Report.UnexpectedKeys;

    private static string Format(CheckpointMatchReport r, string target)
    {
        string text = $"Checkpoint '{r.Path}' does not match {target}: {CheckpointMatchReport.Count(r.Missing.Count, "missing")}{CheckpointMatchReport.List(r.Missing)}, " +
            $"{r.Unexpected.Count} unexpected{CheckpointMatchReport.List(r.Unexpected)}";
        if (r.Mismatches.Count > 0)
            text += $", {r.Mismatches.Count} with another shape or dtype{CheckpointMatchReport.List(r.Mismatches)}";
        return text + ". Pass strict: false to load what matches.";
    }
}
