using System.Globalization;

namespace Framework.Training;

public sealed partial class ModelCheckpoint
{
    /// <inheritdoc/>
    /// <remarks>Only for batches that end with a save (the logs may name the monitored value).</remarks>
    public override bool WantsBatchLogs(int batch) => !SaveFrequency.IsPerEpoch && _batchesSinceSave + 1 >= SaveFrequency.Batches;

    /// <summary>The file name of the stable latest checkpoint written by <see cref="SaveLast"/>, in the template's directory.</summary>
    public const string LastName = "last";

    /// <summary>One save point: decides whether to write, writes, prunes to the k best, and writes <c>last</c>.</summary>
    private void SavePoint(int epoch, int? batch, Logs logs)
    {
        var model = RequireModel();
        // One save point's file operations run in order, in the background when SaveInBackground; the previous point's first.
        Flush();
        var io = new List<Action>();
        (Action<string> Write, IDisposable? Values)? capture = null;
        double? current = logs.TryGetValue(Monitor, out double value) ? value : null;
        bool write = true;
        if ((SaveBestOnly || SaveTopK is not null) && current is null)
        {
            Console.Error.WriteLine($"ModelCheckpoint: can save {(SaveBestOnly ? "the best model" : "the top-k models")} only with '{Monitor}' available, " +
                $"but the logs have only: {string.Join(", ", logs.Keys)}; skipping this save.");
            write = false;
        }
        else if (SaveBestOnly && !MonitorModes.IsImprovement(Mode, current!.Value, Best))
        {
            Say(epoch, $"{Monitor} did not improve from {Number(Best)}");
            write = false;
        }
        var values = TemplateValues(epoch, batch, logs);
        string? path = write ? Path.GetFullPath(_template.Format(values)) : null;
        if (path is not null && SaveTopK is { } k && !EntersTopK(current!.Value, path, k))
        {
            Say(epoch, $"{Monitor} of {Number(current.Value)} is not among the {k} best");
            path = null;
        }
        if (path is not null)
        {
            Say(epoch, (current is { } c && SaveBestOnly ? $"{Monitor} improved from {Number(Best)} to {Number(c)}, saving" : "saving") + $" model to {path}");
            if (!SaveWeightsOnly) io.Add(() => ModelCheckpointFiles.RemoveModelLeftovers(Path.GetDirectoryName(path)!, IsOwnName));
            io.Add(WriteAction(model, ref capture, path));
            if (current is { } saved && MonitorModes.IsImprovement(Mode, saved, Best)) Best = saved;
            _saved.RemoveAll(s => s.Path == path);
            _saved.Add(new ModelCheckpointEntry(path, current, ++_saveCount));
            if (SaveTopK is { } keep) Prune(keep, io);
        }
        if (SaveLast)
        {
            string last = Path.GetFullPath(_lastTemplate.Format(values));
            io.Add(WriteAction(model, ref capture, last));
            _last = new ModelCheckpointEntry(last, current, ++_saveCount);
        }
        if (SaveWeightsOnly && (path is not null || SaveLast)) io.Add(RecordState(_last?.Sequence == _saveCount ? _last.Path : path!));
        Run(io, capture?.Values);
    }

    private Dictionary<string, object> TemplateValues(int epoch, int? batch, Logs logs)
    {
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (key, v) in logs) values[key] = v;
        // Keras formats with epoch + 1 and batch + 1: the names count from 1, the hooks from 0.
        values["epoch"] = (long)epoch + 1;
        if (batch is { } b) values["batch"] = (long)b + 1;
        return values;
    }

    /// <summary>Whether a value would be kept among the k best (a file at the same path is being replaced, so it does not count).</summary>
    private bool EntersTopK(double current, string path, int k)
    {
        if (!MonitorModes.IsImprovement(Mode, current, _initialBest)) return false;
        var others = _saved.Where(s => s.Path != path).ToList();
        return others.Count < k || others.Any(s => s.Value is not { } v || MonitorModes.IsImprovement(Mode, current, v));
    }

    /// <summary>Deletes the worst files this callback wrote until <paramref name="keep"/> remain (ties: the oldest goes).</summary>
    private void Prune(int keep, List<Action> io)
    {
        while (_saved.Count > keep)
        {
            var worst = _saved[0];
            foreach (var s in _saved)
            {
                if (worst.Value is { } w && (s.Value is null || MonitorModes.IsImprovement(Mode, w, s.Value.Value))) worst = s;
            }
            _saved.Remove(worst);
            if (worst.Path != _last?.Path) io.Add(() => ModelCheckpointFiles.Delete(worst.Path, SaveWeightsOnly));
        }
    }

    /// <summary>The operation that writes the model to <paramref name="path"/>. The model is captured once per save point (on
    /// first use, shared by the templated file and <c>last</c>): values copied when saving in the background, live otherwise.</summary>
    private Action WriteAction(Model model, ref (Action<string> Write, IDisposable? Values)? capture, string path)
    {
        // Keras's files (.keras, .h5, .weights.h5) copy the values when prepared, so their write may run in the background.
        if (Persistence.PersistenceFormats.IsKerasFile(path, SaveWeightsOnly)) return Persistence.PersistenceFormats.PrepareSave(model, path, SaveWeightsOnly);
        capture ??= Capture(model);
        var write = capture.Value.Write;
        return () => write(path);
    }

    /// <summary>The writer of this save point, and the copied values to release after its last write (null when live).</summary>
    private (Action<string> Write, IDisposable? Values) Capture(Model model)
    {
        if (SaveWeightsOnly)
        {
            if (!SaveInBackground) return (path => ModelCheckpointFiles.WriteWeights(model, path), null);
            var frozen = Framework.Serialization.FrozenGraph.Capture(model);
            return (path => ModelCheckpointFiles.WriteWeights(frozen.Root, path), frozen);
        }
        // Model.Save replaces an existing directory atomically itself.
        if (!SaveInBackground) return (path => model.Save(path), null);
        return Persistence.ModelDirectoryFormat.CaptureSave(model);
    }

    /// <summary>Points the <c>checkpoint</c> state file of the newest file's directory at it, listing the kept files there.</summary>
    private Action RecordState(string newest)
    {
        // The state file names TF checkpoint prefixes; like Keras, Keras's own files get none.
        if (Persistence.PersistenceFormats.IsKerasFile(newest, weightsOnly: true)) return () => { };
        string directory = Path.GetDirectoryName(newest)!;
        string[] kept = [.. _saved.Append(_last).Where(e => e is not null && Path.GetDirectoryName(e.Path) == directory).OrderBy(e => e!.Sequence).Select(e => e!.Path)];
        return () => ModelCheckpointFiles.WriteStateFile(directory, newest, kept);
    }

    private void Say(int epoch, string message)
    {
        if (Verbose > 0) Console.WriteLine($"Epoch {epoch + 1}: {message}.");
    }

    private static string Number(double value) => value.ToString("0.00000", CultureInfo.InvariantCulture);
}
