using Framework.Serialization;
using Framework.Tensors;

namespace Framework.Training.Persistence;

/// <summary>The values read from a Keras file, paired with the variables they belong to, checked before any is assigned.</summary>
/// <remarks>
/// A Keras file is checked completely first, from its metadata: every value is paired with its variable (or reported missing,
/// unexpected or mismatching) by shape and dtype, before any array is read. <see cref="Apply"/> then reads every matched value
/// into a new tensor and assigns only once all reads succeeded. A strict load that finds any difference throws before reading,
/// and a read that fails (a corrupt file) throws before assigning, so a model is never half-loaded. Keys are the HDF5 dataset
/// paths (<c>layers/dense/vars/0</c>). Memory: the new tensors (one copy of the file's values) exist together at the peak,
/// beside the model's own variables; nothing else of that size is allocated.
/// </remarks>
internal sealed class WeightAssignments : IDisposable
{
    private readonly string _path;
    private readonly List<(Variable Target, SavedValue Value)> _matched = [];
    private readonly List<CheckpointValue> _missing = [];
    private readonly List<CheckpointValue> _unexpected = [];
    private readonly List<CheckpointValueMismatch> _mismatches = [];
    private readonly List<Action> _afterAssign = [];

    private readonly bool _intoNewModel;

    /// <summary>Collects the values of the file at <paramref name="path"/>.</summary>
    /// <param name="path">The file, for messages.</param>
    /// <param name="intoNewModel">Whether the variables belong to a model the loader created and drops if the load fails
    /// (<see cref="Model.Load"/>): then each value is read straight into its variable, since no previous state must survive.</param>
    public WeightAssignments(string path, bool intoNewModel = false)
    {
        _path = path;
        _intoNewModel = intoNewModel;
    }

    /// <summary>Pairs the value saved under <paramref name="key"/> with <paramref name="target"/>; a different shape or dtype is a mismatch.</summary>
    /// <remarks>Takes ownership of <paramref name="value"/>.</remarks>
    public void Match(string key, Variable target, Tensor value) => Match(target, new SavedValue(key, value));

    /// <summary>Pairs <paramref name="value"/> (not read yet) with <paramref name="target"/>; a different shape or dtype is a mismatch.</summary>
    public void Match(Variable target, SavedValue value)
    {
        if (value.Shape == target.Shape && value.DType == target.Value.DType)
        {
            _matched.Add((target, value));
            return;
        }
        _mismatches.Add(new CheckpointValueMismatch(value.Key, target.Name, value.Shape, value.DType.Name(), target.Shape, target.Value.DType.Name()));
    }

    /// <summary>Records that <paramref name="target"/> has no value in the file (expected under <paramref name="key"/>).</summary>
    public void Missing(string key, Variable target) =>
        _missing.Add(new CheckpointValue(key, target.Name, target.Shape, target.Value.DType.Name()));

    /// <summary>Records a saved value that no variable of the model takes.</summary>
    public void Unexpected(string key, Shape shape, DType dtype) =>
        _unexpected.Add(new CheckpointValue(key, null, shape, dtype.Name()));

    /// <summary>Runs <paramref name="action"/> after the values are assigned (e.g. setting the learning rate the file holds).</summary>
    public void AfterAssign(Action action) => _afterAssign.Add(action);

    /// <summary>What matched and what did not, so far.</summary>
    public CheckpointMatchReport Report => new(_path,
        [.. _matched.Select(m => new CheckpointValue(m.Value.Key, m.Target.Name, m.Value.Shape, m.Value.DType.Name()))],
        _missing, _unexpected, _mismatches, [], 0);

    /// <summary>Assigns every matched value; with <paramref name="strict"/>, throws and assigns nothing unless everything matched.</summary>
    /// <param name="strict">Whether any missing, unexpected or mismatching value refuses the whole load.</param>
    /// <param name="target">What the values are loaded into, for the exception's message.</param>
    /// <exception cref="CheckpointMismatchException">Strict, and the file does not match; nothing was read or assigned.</exception>
    /// <exception cref="InvalidDataException">A value cannot be read (the file is corrupt); nothing was assigned.</exception>
    public CheckpointMatchReport Apply(bool strict, string target = "the model")
    {
        var report = Report;
        if (strict && !report.IsComplete) throw new CheckpointMismatchException(report, target);
        if (_intoNewModel)
        {
            foreach (var (variable, value) in _matched) value.ReadInto(variable);
            foreach (var action in _afterAssign) action();
            return report;
        }
        var values = new List<Tensor?>(_matched.Count);
        try
        {
            // Every read before the first assignment: a read that fails leaves the model as it was.
            foreach (var (_, value) in _matched) values.Add(value.Read());
            using (Autograd.NoGrad())
            {
                for (int i = 0; i < values.Count; i++)
                {
                    var (variable, value) = (_matched[i].Target, values[i]!);
                    // The new tensor becomes the variable's value (no copy); across devices its elements are copied.
                    if (value.Device == variable.Device && value.IsLeaf)
                    {
                        variable.TakeOver(value);
                        values[i] = null;
                    }
                    else SavedValue.AssignAcrossDevices(variable, value);
                }
            }
        }
        finally
        {
            foreach (var value in values) value?.Dispose();
        }
        foreach (var action in _afterAssign) action();
        return report;
    }

    /// <summary>Forgets the pairs (values read by <see cref="Apply"/> are released there).</summary>
    public void Dispose() => _matched.Clear();
}
