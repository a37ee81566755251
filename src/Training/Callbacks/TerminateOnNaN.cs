namespace Framework.Training;

/// <summary>Stops training as soon as a batch's loss is NaN or infinite.</summary>
public sealed class TerminateOnNaN : Callback
{
    /// <summary>The batch whose loss was not finite, or −1.</summary>
    public int TerminatedAtBatch { get; private set; } = -1;

    /// <inheritdoc/>
    public override void OnBatchEnd(int batch, Logs logs)
    {
        if (logs.TryGetValue("loss", out double loss) && !double.IsFinite(loss))
        {
            TerminatedAtBatch = batch;
            Console.Error.WriteLine($"Batch {batch}: invalid loss {loss}, terminating training.");
            RequireModel().StopTraining = true;
        }
    }
}
