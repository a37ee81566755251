using System.Globalization;

namespace Framework.Training;

/// <summary>Writes each epoch's logs as a CSV row: <c>epoch,loss,accuracy,…</c>.</summary>
/// <param name="path">The CSV file; its directory must exist.</param>
/// <param name="separator">The field separator.</param>
/// <param name="append">Append to an existing file (no second header) instead of overwriting it.</param>
public sealed class CsvLogger(string path, char separator = ',', bool append = false) : Callback
{
    private StreamWriter? _writer;
    private string[]? _keys;

    /// <inheritdoc/>
    public override void OnTrainBegin(Logs logs)
    {
        bool hasHeader = append && File.Exists(path) && new FileInfo(path).Length > 0;
        if (hasHeader) _keys = File.ReadLines(path).First().Split(separator).Skip(1).ToArray();
        _writer = new StreamWriter(path, append) { AutoFlush = true };
        if (!hasHeader) _keys = null;
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, Logs logs)
    {
        if (_writer is null) return;
        if (_keys is null)
        {
            _keys = [.. logs.Keys.Order(StringComparer.Ordinal)];
            _writer.WriteLine(string.Join(separator, ["epoch", .. _keys]));
        }
        var fields = _keys.Select(k => logs.TryGetValue(k, out double v) ? v.ToString("R", CultureInfo.InvariantCulture) : "NA");
        _writer.WriteLine(string.Join(separator, [epoch.ToString(CultureInfo.InvariantCulture), .. fields]));
    }

    /// <inheritdoc/>
    public override void OnTrainEnd(Logs logs)
    {
        _writer?.Dispose();
        _writer = null;
    }
}
