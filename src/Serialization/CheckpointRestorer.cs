using Framework.Serialization.Protos;
using Framework.Tensors;
using Google.Protobuf;
using SavedObject = Framework.Serialization.Protos.TrackableObjectGraph.Types.TrackableObject;

namespace Framework.Serialization;

/// <summary>Restores a checkpoint by walking the saved object graph and the live objects in parallel (spec 3.5).</summary>
/// <remarks>
/// <para>All values the saved graph names are read, and their CRCs verified, when the restorer is created, before anything
/// is assigned: a corrupt checkpoint throws and leaves every variable unchanged. The bytes are not kept: assignment reads
/// each value again (normally from the page cache) straight into the variable's elements, so memory beyond the variables
/// stays at one 256 KiB chunk per thread. The first assignment reads through the same open files that were verified; a
/// rename over the checkpoint does not reach them, so it skips the CRCs unless a file's length or modification time
/// changed (rewritten in place), in which case it checks them again and may fail midway. Both passes use up to
/// <see cref="Threading.MaxThreads"/> threads. Holding a verified copy of every value instead would double the memory of a load. <see cref="Match"/> binds saved nodes to
/// live objects by following child names from the root (never by parsing keys) and checks shapes and dtypes;
/// <see cref="Assign"/> then assigns the matched values and starts deferred restoration: saved edges whose live child does
/// not exist yet are bound when the object raises <see cref="Trackable.ChildTracked"/>, and slot variables when the
/// optimizer raises <see cref="Trackable.SlotTracked"/>; their values are assigned on creation.</para>
/// </remarks>
internal sealed class CheckpointRestorer
{
    private readonly Trackable _root;
    private List<SavedObject> _nodes;
    private readonly Dictionary<string, BundleEntry> _values = new(StringComparer.Ordinal);
    private readonly List<CheckpointValue> _otherValues = [];
    private Trackable?[] _bound;
    private readonly Queue<int> _queue = new();
    private readonly HashSet<string> _consumed = new(StringComparer.Ordinal);
    private readonly List<(Variable Variable, string Key)> _batch = [];
    private readonly Dictionary<Variable, string> _assigned = new(ReferenceEqualityComparer.Instance);
    private readonly List<CheckpointValueMismatch> _mismatches = [];
    private readonly HashSet<string> _deferred = new(StringComparer.Ordinal);
    private readonly List<string> _conflicts = [];
    private readonly Dictionary<Trackable, List<(string Name, int Id)>> _pendingEdges = new(ReferenceEqualityComparer.Instance);
    // Slot references waiting for their slot variable, by the saved node of the original variable; resolved only when that
    // node is bound or the optimizer creates a slot for it (a full scan at each created slot made restoring quadratic).
    private readonly Dictionary<int, List<(int Optimizer, SavedObject.Types.SlotVariableReference Reference)>> _pendingSlots = [];
    private readonly Queue<int> _slotCandidates = new();
    private readonly Dictionary<Variable, List<int>> _variableNodes = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Trackable, Dictionary<(Variable, string), Variable>> _slotsByOptimizer = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<Trackable> _listening = new(ReferenceEqualityComparer.Instance);
    private bool _assignedOnce;

    // The reader that verified every value, kept open until the first assignment: while its files are unchanged, that
    // assignment reads the values without checking their CRCs a second time. Later (deferred) assignments open a new one.
    private TensorBundleReader? _verifiedReader;

    /// <summary>Opens the bundle at <paramref name="prefix"/>, parses its object graph and reads every value it names.</summary>
    /// <exception cref="FileNotFoundException">A file of the checkpoint is missing.</exception>
    /// <exception cref="InvalidDataException">The checkpoint is corrupt or has no object graph; the message names the file and key.</exception>
    public CheckpointRestorer(string prefix, Trackable root)
    {
        Path = prefix;
        _root = root;
        var reader = new TensorBundleReader(prefix);
        try
        {
            ReadGraph(reader);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
        _verifiedReader = reader;
    }

    // Parses the object graph, collects the values it names and verifies all of them before anything is assigned, chunk
    // by chunk through small per-thread buffers (no copy of the checkpoint is kept in memory).
    [System.Diagnostics.CodeAnalysis.MemberNotNull(nameof(_nodes), nameof(_bound))]
    private void ReadGraph(TensorBundleReader reader)
    {
        string prefix = Path;
        if (!reader.TryGetEntry(CheckpointKey.ObjectGraphKey, out var graphEntry) || !graphEntry.IsString || graphEntry.Shape.Rank != 0)
            Throw.InvalidData(reader.IndexPath, $"it has no object graph (a DT_STRING scalar '{CheckpointKey.ObjectGraphKey}'); it is not an object-based (TF2) checkpoint.");
        TrackableObjectGraph graph;
        try
        {
            graph = TrackableObjectGraph.Parser.ParseFrom(reader.ReadStringBytes(CheckpointKey.ObjectGraphKey)[0]);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"Checkpoint '{prefix}' is corrupt at key '{CheckpointKey.ObjectGraphKey}': the object graph cannot be parsed ({e.Message}).", e);
        }
        _nodes = [.. graph.Nodes];
        if (_nodes.Count == 0)
            Throw.InvalidEntry(reader.IndexPath, CheckpointKey.ObjectGraphKey, "the object graph has no nodes.");
        _bound = new Trackable?[_nodes.Count];
        foreach (var node in _nodes)
        {
            foreach (var reference in node.Children)
                CheckId(reader, reference.NodeId);
            foreach (var slot in node.SlotVariables)
            {
                CheckId(reader, slot.OriginalVariableNodeId);
                CheckId(reader, slot.SlotVariableNodeId);
            }
            foreach (var attribute in node.Attributes)
            {
                string key = attribute.CheckpointKey;
                if (attribute.Name != CheckpointKey.VariableValue || !reader.TryGetEntry(key, out var entry) || entry.DType is null || entry.IsSliced)
                {
                    // Values this framework cannot restore (a tf.data iterator, strings, sliced tensors) stay unexpected.
                    var other = reader.Entries.FirstOrDefault(e => e.Key.StartsWith(key, StringComparison.Ordinal));
                    _otherValues.Add(new CheckpointValue(key, null, other?.Shape ?? Shape.Scalar, other is null ? "absent" : DataTypes.Name(other.DataType)));
                    continue;
                }
                _values.TryAdd(key, entry);
            }
        }
        reader.VerifyAll([.. _values.Values]);
    }

    /// <summary>The checkpoint prefix.</summary>
    public string Path { get; }

    /// <summary>Binds the root and everything reachable from it; checks shapes and dtypes; assigns nothing.</summary>
    public void Match()
    {
        Bind(0, _root);
        Drain();
    }

    /// <summary>Assigns every matched value, then restores objects created later as they appear.</summary>
    public void Assign()
    {
        _assignedOnce = true;
        Commit();
    }

    /// <summary>The live object bound to saved node <paramref name="id"/>, or null.</summary>
    public Trackable? BoundObject(int id) => id >= 0 && id < _bound.Length ? _bound[id] : null;

    /// <summary>The saved node bound to <paramref name="liveObject"/> (the first, if several), or −1.</summary>
    public int NodeOf(Trackable liveObject) => Array.FindIndex(_bound, b => ReferenceEquals(b, liveObject));

    /// <summary>The saved child node named <paramref name="name"/> of node <paramref name="id"/>, or −1.</summary>
    public int SavedChild(int id, string name) =>
        id < 0 ? -1 : _nodes[id].Children.FirstOrDefault(c => c.LocalName == name)?.NodeId ?? -1;

    /// <summary>The <c>VARIABLE_VALUE</c> key of node <paramref name="id"/>, or null.</summary>
    public string? ValueKey(int id) =>
        id < 0 ? null : _nodes[id].Attributes.FirstOrDefault(a => a.Name == CheckpointKey.VariableValue)?.CheckpointKey;

    /// <summary>Whether saved node <paramref name="id"/> lists slot variables.</summary>
    public bool HasSlots(int id) => id >= 0 && _nodes[id].SlotVariables.Count > 0;

    /// <summary>Matches the saved value under <paramref name="key"/> to <paramref name="variable"/> (a compatibility mapping); assigns it now if <see cref="Assign"/> already ran.</summary>
    public bool MatchExternally(string key, Variable variable)
    {
        if (!_values.ContainsKey(key) || _assigned.ContainsKey(variable)) return false;
        bool ok = MatchValue(variable, key);
        if (_assignedOnce) Commit();
        return ok;
    }

    /// <summary>Marks the saved values reachable from node <paramref name="id"/> (through children and slot references) as
    /// expected later: they are reported as deferred instead of unexpected until something consumes them.</summary>
    /// <returns>How many values were marked.</returns>
    public int Defer(int id)
    {
        if (id < 0) return 0;
        var seen = new HashSet<int> { id };
        var queue = new Queue<int>([id]);
        int marked = 0;
        while (queue.Count > 0)
        {
            var node = _nodes[queue.Dequeue()];
            foreach (var attribute in node.Attributes)
            {
                if (_values.ContainsKey(attribute.CheckpointKey) && _deferred.Add(attribute.CheckpointKey)) marked++;
            }
            foreach (int next in node.Children.Select(c => c.NodeId).Concat(node.SlotVariables.Select(v => v.SlotVariableNodeId)))
            {
                if (seen.Add(next)) queue.Enqueue(next);
            }
        }
        return marked;
    }

    /// <summary>A snapshot of what matched so far.</summary>
    public CheckpointMatchReport Report()
    {
        var matched = new List<CheckpointValue>();
        var done = new Dictionary<Variable, string>(_assigned, ReferenceEqualityComparer.Instance);
        foreach (var (variable, key) in _batch) done[variable] = key;
        foreach (var (variable, key) in done)
            matched.Add(new CheckpointValue(key, variable.Name, variable.Shape, DataTypes.Name((int)variable.DType)));
        var missing = new List<CheckpointValue>();
        var mismatched = new HashSet<string>(_mismatches.Select(m => m.VariableName), StringComparer.Ordinal);
        foreach (var node in ObjectGraphBuilder.Build(_root))
        {
            if (node.Object is Variable v && !done.ContainsKey(v) && !mismatched.Contains(v.Name))
                missing.Add(new CheckpointValue(node.ValueKey!, v.Name, v.Shape, DataTypes.Name((int)v.DType)));
        }
        var mismatchedKeys = new HashSet<string>(_mismatches.Select(m => m.Key), StringComparer.Ordinal);
        var unexpected = new List<CheckpointValue>();
        var deferred = new List<CheckpointValue>();
        // Slots of a live optimizer that has not created them yet (restore before the first step): they are restored when
        // it does, so they are deferred, as TensorFlow treats them, not unexpected.
        var awaitedSlots = new HashSet<string>(_pendingSlots.Values.SelectMany(l => l)
            .Where(p => _bound[p.Reference.OriginalVariableNodeId] is Variable)
            .SelectMany(p => _nodes[p.Reference.SlotVariableNodeId].Attributes.Select(a => a.CheckpointKey)), StringComparer.Ordinal);
        foreach (var (key, entry) in _values.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!_consumed.Contains(key) && !mismatchedKeys.Contains(key))
                (_deferred.Contains(key) || awaitedSlots.Contains(key) ? deferred : unexpected).Add(new CheckpointValue(key, null, entry.Shape, DataTypes.Name(entry.DataType)));
        }
        unexpected.AddRange(_otherValues);
        return new CheckpointMatchReport(Path, matched, missing, unexpected, [.. _mismatches], [.. _conflicts], _pendingEdges.Values.Sum(l => l.Count)) { Deferred = deferred };
    }

    private void CheckId(TensorBundleReader reader, int id)
    {
        if (id < 0 || id >= _nodes.Count)
            Throw.InvalidEntry(reader.IndexPath, CheckpointKey.ObjectGraphKey, $"the object graph refers to node {id}; it has {_nodes.Count} nodes.");
    }

    private void Bind(int id, Trackable live)
    {
        if (_bound[id] is { } existing)
        {
            if (!ReferenceEquals(existing, live))
                _conflicts.Add($"saved node {id} is reached by both {Describe(existing)} and {Describe(live)}; kept the first");
            return;
        }
        _bound[id] = live;
        _queue.Enqueue(id);
        if (live is Variable variable)
        {
            if (!_variableNodes.TryGetValue(variable, out var nodes)) _variableNodes[variable] = nodes = [];
            nodes.Add(id);
        }
        if (_pendingSlots.ContainsKey(id)) _slotCandidates.Enqueue(id);
    }

    private void Drain()
    {
        while (true)
        {
            while (_queue.Count > 0) Process(_queue.Dequeue());
            if (!ResolveSlots()) break;
        }
    }

    private void Process(int id)
    {
        var node = _nodes[id];
        var live = _bound[id]!;
        // One lookup table per object: Children may build its list on each call (Sequential's does), so asking it once per
        // saved edge made loading quadratic in the number of layers.
        var children = node.Children.Count > 0 ? ChildrenByName(live) : null;
        foreach (var reference in node.Children)
        {
            var child = children!.GetValueOrDefault(reference.LocalName);
            if (child is not null)
            {
                Bind(reference.NodeId, child);
                continue;
            }
            if (!_pendingEdges.TryGetValue(live, out var pending)) _pendingEdges[live] = pending = [];
            pending.Add((reference.LocalName, reference.NodeId));
            Listen(live);
        }
        if (live is Variable variable)
        {
            foreach (var attribute in node.Attributes)
            {
                if (attribute.Name == CheckpointKey.VariableValue && _values.ContainsKey(attribute.CheckpointKey))
                    MatchValue(variable, attribute.CheckpointKey);
            }
        }
        foreach (var slot in node.SlotVariables)
        {
            int original = slot.OriginalVariableNodeId;
            if (!_pendingSlots.TryGetValue(original, out var waiting)) _pendingSlots[original] = waiting = [];
            waiting.Add((id, slot));
            if (_bound[original] is not null) _slotCandidates.Enqueue(original);
        }
        if (node.SlotVariables.Count > 0) Listen(live);
    }

    private bool MatchValue(Variable variable, string key)
    {
        var entry = _values[key];
        if (entry.DType != variable.DType || entry.Shape != variable.Shape)
        {
            _mismatches.Add(new CheckpointValueMismatch(key, variable.Name, entry.Shape, DataTypes.Name(entry.DataType), variable.Shape, DataTypes.Name((int)variable.DType)));
            return false;
        }
        _consumed.Add(key);
        _batch.Add((variable, key));
        return true;
    }

    private bool ResolveSlots()
    {
        bool progress = false;
        while (_slotCandidates.Count > 0)
        {
            int originalId = _slotCandidates.Dequeue();
            if (_bound[originalId] is not Variable original || !_pendingSlots.TryGetValue(originalId, out var waiting)) continue;
            for (int i = waiting.Count - 1; i >= 0; i--)
            {
                var (optimizerId, reference) = waiting[i];
                if (_bound[optimizerId] is not { } optimizer || !SlotsOf(optimizer).TryGetValue((original, reference.SlotName), out var slot)) continue;
                waiting.RemoveAt(i);
                Bind(reference.SlotVariableNodeId, slot);
                progress = true;
            }
            if (waiting.Count == 0) _pendingSlots.Remove(originalId);
        }
        return progress;
    }

    // Each optimizer's slots by (original variable, slot name), built once and kept current by OnSlotTracked. The first slot
    // of a key wins, as the linear search this replaces picked it.
    private Dictionary<(Variable, string), Variable> SlotsOf(Trackable optimizer)
    {
        if (_slotsByOptimizer.TryGetValue(optimizer, out var slots)) return slots;
        slots = new Dictionary<(Variable, string), Variable>(SlotKeyComparer.Instance);
        foreach (var slot in optimizer.SlotVariables) slots.TryAdd((slot.Original, slot.SlotName), slot.Slot);
        return _slotsByOptimizer[optimizer] = slots;
    }

    /// <summary>Compares (variable, slot name) keys by the variable's identity, as the search it replaces did.</summary>
    private sealed class SlotKeyComparer : IEqualityComparer<(Variable Original, string Name)>
    {
        public static readonly SlotKeyComparer Instance = new();

        public bool Equals((Variable Original, string Name) x, (Variable Original, string Name) y) =>
            ReferenceEquals(x.Original, y.Original) && string.Equals(x.Name, y.Name, StringComparison.Ordinal);

        public int GetHashCode((Variable Original, string Name) key) =>
            HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(key.Original), StringComparer.Ordinal.GetHashCode(key.Name));
    }

    private void Commit()
    {
        Drain();
        // A variable matched twice keeps its last value, as sequential assignment did; each variable is then written once.
        var latest = new Dictionary<Variable, string>(ReferenceEqualityComparer.Instance);
        foreach (var (variable, key) in _batch) latest[variable] = key;
        var work = latest.ToArray();
        if (work.Length > 0)
        {
            using var reader = _verifiedReader ?? new TensorBundleReader(Path);
            bool verified = _verifiedReader is not null && reader.UnchangedSinceOpened();
            _verifiedReader = null;
            ParallelEntries.Run(work.Length, i => _values[work[i].Value].Size, i => Load(reader, work[i].Key, work[i].Value, verified));
        }
        else
        {
            _verifiedReader?.Dispose();
            _verifiedReader = null;
        }
        foreach (var (variable, key) in work) _assigned[variable] = key;
        var assignedNow = work.Select(w => w.Key).ToList();
        _batch.Clear();
        foreach (var live in _bound)
        {
            if (live is TrackableRandomGenerator generator && assignedNow.Any(v => ReferenceEquals(v, generator.State)))
                generator.ApplyState();
        }
    }

    private void Listen(Trackable live)
    {
        if (!_listening.Add(live)) return;
        live.ChildTracked += OnChildTracked;
        live.SlotTracked += OnSlotTracked;
    }

    private void OnChildTracked(Trackable parent, TrackedChild child)
    {
        if (!_pendingEdges.TryGetValue(parent, out var pending)) return;
        int before = pending.Count;
        for (int i = pending.Count - 1; i >= 0; i--)
        {
            if (pending[i].Name != child.Name) continue;
            Bind(pending[i].Id, child.Target);
            pending.RemoveAt(i);
        }
        if (pending.Count == 0) _pendingEdges.Remove(parent);
        if (pending.Count != before) Finish();
    }

    private void OnSlotTracked(Trackable optimizer, SlotVariable slot)
    {
        if (_slotsByOptimizer.TryGetValue(optimizer, out var slots)) slots.TryAdd((slot.Original, slot.SlotName), slot.Slot);
        if (_pendingSlots.Count == 0 || !_variableNodes.TryGetValue(slot.Original, out var nodes)) return;
        bool candidate = false;
        foreach (int id in nodes)
        {
            if (!_pendingSlots.ContainsKey(id)) continue;
            _slotCandidates.Enqueue(id);
            candidate = true;
        }
        if (candidate) Finish();
    }

    private void Finish()
    {
        if (_assignedOnce) Commit();
        else Drain();
    }

    // The first edge of each name wins, as a linear search over Children would pick it.
    private static Dictionary<string, Trackable> ChildrenByName(Trackable live)
    {
        var byName = new Dictionary<string, Trackable>(StringComparer.Ordinal);
        foreach (var child in live.Children) byName.TryAdd(child.Name, child.Target);
        return byName;
    }

    private static string Describe(Trackable live) => live is Variable v ? $"variable '{v.Name}'" : $"{live.GetType().Name} object";

    // Host variables get the verified bytes read straight into their elements; others (libtorch, GPU) go through a host
    // tensor moved to the variable's device and Assign.
    private static void Load(TensorBundleReader reader, Variable variable, string key, bool verified)
    {
        if (VariableBytes.TryGet(variable, out var elements))
        {
            if (verified) reader.ReadIntoAlreadyVerified(key, elements);
            else reader.ReadInto(key, elements);
            return;
        }
        var entry = reader.GetEntry(key);
        var bytes = new byte[entry.Size];
        reader.ReadInto(key, bytes);
        using var host = TensorBytes.Create(entry.DType!.Value, entry.Shape, bytes);
        var value = host.To(variable.Device);
        variable.Assign(value);
        if (!ReferenceEquals(value, host)) value.Dispose();
    }
}
