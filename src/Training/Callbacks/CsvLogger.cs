using System.Globalization;
using System.Text.Json.Nodes;

namespace Framework.Training;

/// <summary>Writes each epoch's logs as a CSV row: <c>epoch,loss,accuracy,…</c>.</summary>
/// <remarks>Rows are flushed as they are written. In a run resumed by <see cref="BackupAndRestore"/>, the file is cut
/// back to the rows written before the backup and continued, so every epoch appears exactly once.</remarks>
/// <param name="path">The CSV file; its directory must exist.</param>
/// <param name="separator">The field separator.</param>
/// <param name="append">Append to an existing file (no second header) instead of overwriting it.</param>
public sealed class CsvLogger(string path, char separator = ',', bool append = false) : Callback
{
    private StreamWriter? _writer;
    private string[]? _keys;
    private long _resumeLength;

    /// <inheritdoc/>
    /// <remarks>The file is opened (and, without <c>append</c>, emptied) at the first row, so that a resumed run can
    /// take over the interrupted run's file in <see cref="SetState"/> before anything is cut.</remarks>
    public override void OnTrainBegin(Logs logs)
    {
        _writer?.Dispose();
        _writer = null;
        _resumeLength = append ? long.MaxValue : 0;
        bool hasHeader = append && File.Exists(path) && new FileInfo(path).Length > 0;
        _keys = hasHeader ? File.ReadLines(path).First().Split(separator).Skip(1).ToArray() : null;
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, Logs logs)
    {
        _writer ??= Open(_resumeLength);
        if (_keys is null)
        {
            _keys = [.. logs.Keys.Order(StringComparer.Ordinal)];
            _writer.WriteLine(string.Join(separator, ["epoch", .. _keys]));
        }
        var fields = _keys.Select(k => logs.TryGetValue(k, out double v) ? v.ToString("R", CultureInfo.InvariantCulture) : "NA");
        _writer.WriteLine(string.Join(separator, [epoch.ToString(CultureInfo.InvariantCulture), .. fields]));
    }

    /// <inheritdoc/>
    public override string StateKey => $"{nameof(CsvLogger)}({path})";

    /// <inheritdoc/>
    public override JsonObject GetState() => new()
    {
        ["length"] = _writer?.BaseStream.Length ?? Math.Min(_resumeLength, File.Exists(path) ? new FileInfo(path).Length : 0),
        ["keys"] = _keys is null ? null : new JsonArray([.. _keys.Select(k => JsonValue.Create(k))]),
    };

    /// <inheritdoc/>
    /// <remarks>The file will be continued from the length it had at the backup: rows written after it are written again.</remarks>
    public override void SetState(JsonObject state)
    {
        ArgumentNullException.ThrowIfNull(state);
        _resumeLength = StateJson.RequireLong(state, "length");
        _keys = state["keys"] is JsonArray keys ? [.. keys.Select(k => k!.GetValue<string>())] : null;
    }

    /// <inheritdoc/>
    public override void OnTrainEnd(Logs logs)
    {
        _writer?.Dispose();
        _writer = null;
    }

    /// <summary>Opens the file, keeping its first <paramref name="keep"/> bytes (all of them for <see cref="long.MaxValue"/>).</summary>
    private StreamWriter Open(long keep)
    {
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read);
        if (keep < stream.Length) stream.SetLength(keep);
        stream.Seek(0, SeekOrigin.End);
        return new StreamWriter(stream) { AutoFlush = true };
    }
}
