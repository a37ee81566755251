using System.Text.Json.Nodes;
using Framework.Tensors;

namespace Framework.Training;

/// <summary>Hooks into <see cref="Model.Fit"/>; every hook does nothing unless overridden.</summary>
/// <remarks>
/// Epochs and batches are 0-based. Batch logs hold the running means of the epoch so far; epoch logs hold the
/// epoch's results, plus <c>val_</c>-prefixed validation results when there is validation data.
/// </remarks>
public abstract class Callback
{
    /// <summary>The model being trained; set by <see cref="Model.Fit"/> before <see cref="OnTrainBegin"/>.</summary>
    public Model? Model { get; internal set; }

    /// <summary>The training parameters: <c>epochs</c>, <c>steps</c> (batches per epoch), <c>samples</c>, <c>batch_size</c>, <c>verbose</c>.</summary>
    public IReadOnlyDictionary<string, int> Params { get; internal set; } = new Dictionary<string, int>();

    /// <summary>Called once before the first epoch.</summary>
    public virtual void OnTrainBegin(Logs logs)
    {
    }

    /// <summary>Called once after the last epoch (also when training stopped early).</summary>
    public virtual void OnTrainEnd(Logs logs)
    {
    }

    /// <summary>Called at the start of each epoch.</summary>
    public virtual void OnEpochBegin(int epoch)
    {
    }

    /// <summary>Called at the end of each epoch with its results.</summary>
    public virtual void OnEpochEnd(int epoch, Logs logs)
    {
    }

    /// <summary>Called before each training batch.</summary>
    public virtual void OnBatchBegin(int batch)
    {
    }

    /// <summary>Called after each training batch with the epoch's running results.</summary>
    /// <remarks>The logs are empty when no callback's <see cref="WantsBatchLogs"/> asked for this batch's.</remarks>
    public virtual void OnBatchEnd(int batch, Logs logs)
    {
    }

    /// <summary>Whether this callback reads the logs <see cref="OnBatchEnd"/> receives after batch <paramref name="batch"/>.</summary>
    /// <remarks>
    /// The running loss and metrics are summed on the model's device; reading them is a synchronisation on libtorch (on
    /// a GPU it stalls the queue of kernels), so <see cref="Model.Fit"/> reads them only for batches some callback asks
    /// for. By default: whether the callback overrides <see cref="OnBatchEnd"/>, so a callback that reads batch logs gets
    /// them on every batch; one that reads them only on some batches (a progress bar that redraws ten times a second)
    /// overrides this. Asked once per batch, just before <see cref="OnBatchEnd"/>.
    /// </remarks>
    public virtual bool WantsBatchLogs(int batch) =>
        _overridesOnBatchEnd ??= GetType().GetMethod(nameof(OnBatchEnd), [typeof(int), typeof(Logs)])!.DeclaringType != typeof(Callback);

    private bool? _overridesOnBatchEnd;

    /// <summary>The callback's state to save with the training state (by <c>BackupAndRestore</c>), or null when it keeps none.</summary>
    /// <remarks>
    /// A callback whose decisions depend on what it saw earlier in the run (a best value, a wait counter, files it
    /// wrote) returns that here, so a resumed run decides exactly as the uninterrupted one would. Values must survive
    /// a JSON round trip; doubles do exactly.
    /// </remarks>
    public virtual JsonObject? GetState() => null;

    /// <summary>Large state, such as a copy of the weights, as named tensors saved beside <see cref="GetState"/>'s JSON (as
    /// checkpoint tensors, not text), or null when there is none.</summary>
    public virtual IReadOnlyDictionary<string, Tensor>? GetStateTensors() => null;

    /// <summary>Takes back the tensors <see cref="GetStateTensors"/> returned; called after <see cref="SetState"/>.</summary>
    /// <param name="tensors">The saved tensors by name.</param>
    public virtual void SetStateTensors(IReadOnlyDictionary<string, Tensor> tensors)
    {
    }

    /// <summary>The name under which <see cref="GetState"/> is saved; a resumed run gives each callback the state saved under
    /// its name (a second callback with the same name gets <c>#2</c> appended, in list order).</summary>
    /// <remarks>The type name by default. Override it to include what tells two instances apart (ModelCheckpoint uses its
    /// file path), so that reordering the callbacks cannot hand one callback another's state.</remarks>
    public virtual string StateKey => GetType().Name;

    /// <summary>Takes back the state <see cref="GetState"/> returned; called when a run resumes, after <see cref="OnTrainBegin"/>.</summary>
    /// <param name="state">The object <see cref="GetState"/> returned in the interrupted run.</param>
    public virtual void SetState(JsonObject state)
    {
    }

    /// <summary>Called after every callback's <see cref="OnBatchEnd"/>: the moment the whole training state is settled.</summary>
    internal virtual void AfterBatchEnd(int batch, Logs logs)
    {
    }

    /// <summary>Called after every callback's <see cref="OnEpochEnd"/> (the history included): the moment to save the training state.</summary>
    internal virtual void AfterEpochEnd(int epoch, Logs logs)
    {
    }

    /// <summary>Called when <see cref="Model.Fit"/> is ending by an exception (instead of <see cref="OnTrainEnd"/>): finish or
    /// release what is pending without throwing, so that the original exception is the one reported.</summary>
    internal virtual void OnFitFailed()
    {
    }

    /// <summary>The model, or an exception explaining that the callback is not attached to one.</summary>
    protected Model RequireModel() =>
        Model ?? throw new InvalidOperationException($"{GetType().Name} is not attached to a model; pass it to Model.Fit(callbacks: [...]).");
}
