using System.Diagnostics;

namespace Framework.Training;

/// <summary>Keras's progress bar: verbose 1 redraws one line per epoch, verbose 2 prints one line per epoch.</summary>
/// <remarks>
/// When the output is redirected to a file or pipe, carriage returns would pile up as garbage, so verbose 1 then
/// prints plain lines: one at about every tenth of the epoch and one at its end.
/// </remarks>
/// <param name="verbose">1 for a progress bar, 2 for one line per epoch.</param>
/// <param name="output">Where to write; defaults to the console.</param>
/// <param name="interactive">Whether carriage returns may redraw the line; defaults to whether the console is redirected.</param>
public sealed class ProgressLogger(int verbose = 1, TextWriter? output = null, bool? interactive = null) : Callback
{
    private const int BarWidth = 30;
    private readonly TextWriter _out = output ?? Console.Out;
    private readonly bool _interactive = interactive ?? !Console.IsOutputRedirected;
    private readonly Stopwatch _clock = new();
    private int _steps;
    private int _lastPrinted;
    private long _lastRedrawTicks;

    /// <inheritdoc/>
    public override void OnEpochBegin(int epoch)
    {
        _steps = Params.GetValueOrDefault("steps");
        _lastPrinted = -1;
        _lastRedrawTicks = 0;
        if (verbose == 1) _out.WriteLine($"Epoch {epoch + 1}/{Params.GetValueOrDefault("epochs")}");
        _clock.Restart();
    }

    /// <inheritdoc/>
    /// <remarks>Only for the batches whose line is drawn: reading the running values may cost a synchronisation.</remarks>
    public override bool WantsBatchLogs(int batch) => Due(batch + 1);

    /// <inheritdoc/>
    public override void OnBatchEnd(int batch, Logs logs)
    {
        int done = batch + 1;
        // Empty logs: nobody asked for this batch's values (the clock crossed the redraw interval since); draw next time.
        if (!Due(done) || logs.Count == 0) return;
        if (_interactive)
        {
            _lastRedrawTicks = _clock.ElapsedTicks;
            _out.Write("\r" + Line(done, logs, final: false));
        }
        else
        {
            _lastPrinted = done * 10 / _steps;
            _out.WriteLine(Line(done, logs, final: false));
        }
    }

    /// <summary>Whether the line after <paramref name="done"/> batches is drawn: redrawing the console costs more than a
    /// small training step, so ten redraws a second; redirected output gets a line about every tenth of the epoch.</summary>
    private bool Due(int done)
    {
        if (verbose != 1) return false;
        if (_interactive) return done >= _steps || _clock.ElapsedTicks - _lastRedrawTicks >= Stopwatch.Frequency / 10;
        return _steps > 0 && done < _steps && done * 10 / _steps > _lastPrinted;
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, Logs logs)
    {
        if (verbose == 0) return;
        if (verbose == 1) _out.WriteLine((_interactive ? "\r" : "") + Line(_steps, logs, final: true));
        else _out.WriteLine($"Epoch {epoch + 1}/{Params.GetValueOrDefault("epochs")} - {Line(_steps, logs, final: true, bar: false)}");
    }

    private string Line(int done, Logs logs, bool final, bool bar = true)
    {
        double seconds = _clock.Elapsed.TotalSeconds;
        string counter = _steps > 0 ? $"{done.ToString().PadLeft(_steps.ToString().Length)}/{_steps}" : $"{done}";
        string time = final || done == 0
            ? $"{seconds:0}s {PerStep(seconds, done)}"
            : $"ETA: {seconds / done * Math.Max(0, _steps - done):0}s";
        string progress = bar ? $" [{Bar(done)}]" : "";
        return $"{counter}{progress} - {time} - {logs}";
    }

    private string Bar(int done)
    {
        if (_steps <= 0) return new string('.', BarWidth);
        int filled = (int)((long)BarWidth * done / _steps);
        return filled >= BarWidth ? new string('=', BarWidth) : new string('=', filled) + ">" + new string('.', BarWidth - filled - 1);
    }

    private static string PerStep(double seconds, int steps)
    {
        if (steps == 0) return "";
        double perStep = seconds / steps;
        return perStep >= 1 ? $"{perStep:0}s/step" : perStep >= 1e-3 ? $"{perStep * 1e3:0}ms/step" : $"{perStep * 1e6:0}us/step";
    }
}
