namespace Framework.Training;

/// <summary>The table behind <see cref="LossRegistry"/> and <see cref="MetricRegistry"/>: factories by name (a class name
/// and its Keras aliases), and the class name each registered type is saved under.</summary>
/// <typeparam name="TBase">What the registry makes (<see cref="Loss"/>, <see cref="Metric"/>).</typeparam>
/// <param name="kind">The kind in messages (<c>loss</c>).</param>
/// <param name="registry">The public registry's name, for the message that says how to register.</param>
internal sealed class ClassRegistry<TBase>(string kind, string registry) where TBase : class
{
    private readonly object _lock = new();
    private readonly Dictionary<string, Func<IReadOnlyDictionary<string, object?>, TBase>> _factories = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, (string ClassName, Func<TBase, string> NameOf)> _classNames = [];
    private readonly Dictionary<string, Type> _owners = new(StringComparer.Ordinal);

    /// <summary>Every registered name (class names and aliases), sorted.</summary>
    public IReadOnlyList<string> Names
    {
        get
        {
            lock (_lock) return [.. _factories.Keys.Order(StringComparer.Ordinal)];
        }
    }

    /// <summary>Registers <paramref name="factory"/> under <paramref name="className"/> and <paramref name="aliases"/>, and
    /// <typeparamref name="T"/> as saved under <paramref name="className"/> (or what <paramref name="classNameOf"/> says).</summary>
    /// <exception cref="ArgumentException">A name is taken by another type, or the type has another class name.</exception>
    public void Register<T>(string className, Func<IReadOnlyDictionary<string, object?>, T> factory, IEnumerable<string> aliases,
        Func<T, string>? classNameOf = null) where T : TBase
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(className);
        ArgumentNullException.ThrowIfNull(factory);
        string[] names = [className, .. aliases];
        lock (_lock)
        {
            foreach (string n in names)
            {
                if (_owners.TryGetValue(n, out var owner) && owner != typeof(T))
                    throw new ArgumentException($"{registry}: the name '{n}' is already registered for {owner.FullName}; received {typeof(T).FullName}.", nameof(className));
            }
            if (_classNames.TryGetValue(typeof(T), out var existing) && existing.ClassName != className)
                throw new ArgumentException($"{registry}: {typeof(T).FullName} is already registered as '{existing.ClassName}'; received '{className}'.", nameof(className));
            foreach (string n in names)
            {
                _factories[n] = config => factory(config);
                _owners[n] = typeof(T);
            }
            _classNames[typeof(T)] = (className, classNameOf is null ? _ => className : value => classNameOf((T)value));
        }
    }

    /// <summary>Adds names for a factory whose objects another registration names when saving (Keras's several accuracy classes).</summary>
    public void AddNames<T>(Func<IReadOnlyDictionary<string, object?>, T> factory, params string[] names) where T : TBase
    {
        lock (_lock)
        {
            foreach (string n in names)
            {
                _factories[n] = config => factory(config);
                _owners[n] = typeof(T);
            }
        }
    }

    /// <summary>Whether <paramref name="name"/> is registered.</summary>
    public bool IsRegistered(string name)
    {
        lock (_lock) return _factories.ContainsKey(name);
    }

    /// <summary>The class name <paramref name="value"/>'s exact type is saved under, or false when the type is not registered.</summary>
    public bool TryGetClassName(TBase value, out string className)
    {
        bool found;
        (string ClassName, Func<TBase, string> NameOf) entry;
        lock (_lock) found = _classNames.TryGetValue(value.GetType(), out entry);
        className = found ? entry.NameOf(value) : "";
        return found;
    }

    /// <summary>Makes the object registered as <paramref name="name"/> from <paramref name="config"/>.</summary>
    /// <exception cref="ArgumentException">The name is not registered; the message lists the registered names.</exception>
    public TBase Create(string name, IReadOnlyDictionary<string, object?> config)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(config);
        Func<IReadOnlyDictionary<string, object?>, TBase>? factory;
        lock (_lock) _factories.TryGetValue(name, out factory);
        return factory is not null ? factory(config)
            : throw new ArgumentException($"Unknown {kind} '{name}'; known: {string.Join(", ", Names)}. Register a custom {kind} with {registry}.Register<T>(\"{name}\", config => ...) before using or loading it.", nameof(name));
    }
}
