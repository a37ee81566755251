using Framework.Tensors;

namespace Framework.Serialization;

/// <summary>The result of restoring a checkpoint: what matched, inspectable without exceptions, plus TensorFlow's assertions.</summary>
/// <remarks>
/// Restoring is lazy where objects do not exist yet: a layer built later or an optimizer slot created on the first update
/// receives its saved value when it is created, so <see cref="Report"/> can change after the restore returned.
/// </remarks>
/// <example>
/// <code>
/// var status = checkpoint.Restore("runs/ckpt-3");
/// status.AssertExistingObjectsMatched();
/// Console.WriteLine(status.Report);
/// </code>
/// </example>
public sealed class CheckpointLoadStatus
{
    private readonly CheckpointRestorer _restorer;

    internal CheckpointLoadStatus(CheckpointRestorer restorer, bool assigned)
    {
        _restorer = restorer;
        IsAssigned = assigned;
    }

    /// <summary>The checkpoint prefix that was restored.</summary>
    public string Path => _restorer.Path;

    /// <summary>Whether matched values have been assigned (false only for a status from <see cref="Checkpoint.MatchObject"/> before <see cref="AssignMatched"/>).</summary>
    public bool IsAssigned { get; private set; }

    /// <summary>Whether <see cref="ExpectPartial"/> was called.</summary>
    public bool IsPartialExpected { get; private set; }

    /// <summary>A snapshot of what matched so far.</summary>
    public CheckpointMatchReport Report => _restorer.Report();

    /// <summary>Assigns the matched values and starts deferred restoration; does nothing if already assigned.</summary>
    public CheckpointLoadStatus AssignMatched()
    {
        if (!IsAssigned)
        {
            _restorer.Assign();
            IsAssigned = true;
        }
        return this;
    }

    /// <summary>Checks that every saved value was consumed and every live variable restored.</summary>
    /// <exception cref="InvalidOperationException">Something is unmatched; the message lists it.</exception>
    public CheckpointLoadStatus AssertConsumed()
    {
        var report = Report;
        if (!report.IsComplete)
            throw new InvalidOperationException($"Checkpoint '{Path}' was not fully consumed: {report}.");
        return this;
    }

    /// <summary>Checks that every live variable that exists now received a value (unused saved values are allowed).</summary>
    /// <exception cref="InvalidOperationException">A live variable has no saved value, or a matched value has another shape or dtype.</exception>
    public CheckpointLoadStatus AssertExistingObjectsMatched()
    {
        var report = Report;
        if (report.Missing.Count > 0 || report.Mismatches.Count > 0)
            throw new InvalidOperationException($"Checkpoint '{Path}' does not restore every existing object: {report}.");
        return this;
    }

    /// <summary>Checks that at least one saved value was matched to a live variable.</summary>
    /// <exception cref="InvalidOperationException">Nothing matched (the checkpoint probably belongs to other objects).</exception>
    public CheckpointLoadStatus AssertNontrivialMatch()
    {
        var report = Report;
        if (report.Matched.Count == 0)
            throw new InvalidOperationException($"Checkpoint '{Path}' matched no value of the objects it was restored into: {report}.");
        return this;
    }

    /// <summary>Declares that a partial restore is intended (TensorFlow's <c>expect_partial</c>); sets <see cref="IsPartialExpected"/>.</summary>
    /// <remarks>This library never warns about unmatched values on its own, so this only records the intent for callers
    /// that log reports; the assertions still check what they check.</remarks>
    public CheckpointLoadStatus ExpectPartial()
    {
        IsPartialExpected = true;
        return this;
    }

    /// <summary>Finds the saved node bound to <paramref name="liveObject"/>, follows the saved child names in <paramref name="childPath"/>, and returns that node's value key.</summary>
    /// <remarks>For compatibility mappings between layouts (e.g. Keras's newer optimizer variables list); returns null when any step is absent.</remarks>
    public string? SavedValueKey(Trackable liveObject, params string[] childPath)
    {
        ArgumentNullException.ThrowIfNull(liveObject);
        ArgumentNullException.ThrowIfNull(childPath);
        int id = _restorer.NodeOf(liveObject);
        foreach (string name in childPath) id = _restorer.SavedChild(id, name);
        return _restorer.ValueKey(id);
    }

    /// <summary>Declares that the saved values under <paramref name="liveObject"/>'s saved child <paramref name="childName"/> will be
    /// consumed later (for example a model's <c>optimizer</c> before <c>Compile</c>): the report lists them as deferred, not unexpected.</summary>
    /// <returns>How many saved values were declared deferred.</returns>
    public int DeferUnder(Trackable liveObject, string childName)
    {
        ArgumentNullException.ThrowIfNull(liveObject);
        ArgumentNullException.ThrowIfNull(childName);
        return _restorer.Defer(_restorer.SavedChild(_restorer.NodeOf(liveObject), childName));
    }

    /// <summary>Whether the saved node bound to <paramref name="liveObject"/> lists slot variables (an optimizer with state).</summary>
    public bool HasSavedSlots(Trackable liveObject) => _restorer.HasSlots(_restorer.NodeOf(liveObject));

    /// <summary>Matches the saved value <paramref name="key"/> to <paramref name="variable"/>, for compatibility mappings; assigned with the rest (or now, if already assigned).</summary>
    /// <returns>False when the key is not a restorable saved value, the variable was already restored, or shapes or dtypes differ (reported as a mismatch).</returns>
    public bool MatchSavedValue(string key, Variable variable)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(variable);
        return _restorer.MatchExternally(key, variable);
    }
}
