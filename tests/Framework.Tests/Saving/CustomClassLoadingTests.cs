using Framework.Layers;
using Framework.Tensors;
using Framework.Training;

namespace Framework.Tests.Saving;

/// <summary>Custom layers and models load only when registered; a file never makes the loader instantiate a type.</summary>
public class CustomClassLoadingTests
{
    /// <summary>A registered custom layer with one weight and one setting.</summary>
    private sealed class SavingScale(double factor, string? name = null) : Layer(name)
    {
        private Variable _gamma = null!;

        public double Factor { get; } = factor;

        protected override void Build(Shape input) => _gamma = AddWeight("gamma", [input[-1]], Initializers.Ones);

        protected override Tensor Call(Tensor x, bool training) => x * _gamma * (float)Factor;

        public override Dictionary<string, object?> GetConfig() => new(base.GetConfig()) { ["factor"] = Factor };
    }

    /// <summary>Never registered.</summary>
    private sealed class UnregisteredLayer : Layer
    {
        protected override Tensor Call(Tensor x, bool training) => x;
    }

    /// <summary>A registered subclassed model.</summary>
    private sealed class SavingTwoTower : Model
    {
        private readonly Dense _left;
        private readonly Dense _right;

        public SavingTwoTower(int units, string? name = null)
            : base(name)
        {
            Units = units;
            _left = Track("left", new Dense(units, activation: "relu"));
            _right = Track("right", new Dense(2));
        }

        public int Units { get; }

        protected override Tensor Call(Tensor x, bool training) => _right.Apply(_left.Apply(x, training), training);

        public override Dictionary<string, object?> GetConfig() => new(base.GetConfig()) { ["units"] = Units };
    }

    /// <summary>A subclassed model that is never registered.</summary>
    private sealed class UnregisteredModel : Model
    {
        private readonly Dense _dense;

        public UnregisteredModel() => _dense = Track("dense", new Dense(2));

        protected override Tensor Call(Tensor x, bool training) => _dense.Apply(x, training);
    }

    [OneTimeSetUp]
    public void RegisterClasses()
    {
        LayerRegistry.Register<SavingScale>("SavingScale", c => new SavingScale(ConfigReader.GetDouble(c, "factor"), ConfigReader.GetString(c, "name")));
        LayerRegistry.Register<SavingTwoTower>("SavingTwoTower", c => new SavingTwoTower(ConfigReader.GetInt(c, "units"), ConfigReader.GetString(c, "name")));
    }

    [Test]
    public void Load_RegisteredCustomLayer_RoundTrips()
    {
        var (x, y) = Helpers.ToyData.Blobs(32);
        var model = new Sequential([new Dense(4), new SavingScale(1.5), new Dense(2)], inputShape: [4]);
        model.Compile("adam", "sparse_categorical_crossentropy");
        model.Fit(x, y, epochs: 1, batchSize: 8, verbose: 0);
        using var dir = new SaveDirectory();

        model.Save(dir.ModelPath);
        var loaded = (Sequential)Model.Load(dir.ModelPath);

        Assert.That(((SavingScale)loaded.Layers[1]).Factor, Is.EqualTo(1.5));
        Assert.That(SavingModels.Predictions(loaded, x), Is.EqualTo(SavingModels.Predictions(model, x)));
    }

    [Test]
    public void Load_RegisteredSubclassedModel_RoundTrips()
    {
        var (x, y) = Helpers.ToyData.Blobs(32);
        var model = new SavingTwoTower(5);
        model.Compile("sgd", "sparse_categorical_crossentropy");
        model.Fit(x, y, epochs: 1, batchSize: 8, verbose: 0);
        using var dir = new SaveDirectory();

        model.Save(dir.ModelPath);
        var loaded = Model.Load(dir.ModelPath);

        Assert.That(loaded, Is.InstanceOf<SavingTwoTower>());
        Assert.That(((SavingTwoTower)loaded).Units, Is.EqualTo(5));
        Assert.That(SavingModels.Predictions(loaded, x), Is.EqualTo(SavingModels.Predictions(model, x)));
    }

    [Test]
    public void Save_UnregisteredLayer_ThrowsWithHowToRegisterAndWritesNothing()
    {
        var model = new Sequential([new Dense(2), new UnregisteredLayer()], inputShape: [3]);
        using var dir = new SaveDirectory();

        var ex = Assert.Throws<InvalidOperationException>(() => model.Save(dir.ModelPath));

        Assert.That(ex!.Message, Does.Contain("UnregisteredLayer").And.Contain("LayerRegistry.Register"));
        Assert.That(dir.Entries(), Is.Empty);
    }

    [Test]
    public void Save_UnregisteredSubclassedModel_ThrowsWithHowToRegister()
    {
        var model = new UnregisteredModel();
        model.EnsureBuilt(new Shape(1, 3));
        using var dir = new SaveDirectory();

        var ex = Assert.Throws<InvalidOperationException>(() => model.Save(dir.ModelPath));

        Assert.That(ex!.Message, Does.Contain("UnregisteredModel").And.Contain("LayerRegistry.Register"));
        Assert.That(dir.Entries(), Is.Empty);
    }

    [TestCase("NoSuchLayer")]
    [TestCase("System.IO.FileInfo")]
    [TestCase("Framework.Layers.Dense, Framework.Layers")]
    public void Load_UnknownLayerClass_ThrowsListingRegisteredNames(string className)
    {
        var model = new Sequential([new Dense(2)], inputShape: [3]);
        using var dir = new SaveDirectory();
        model.Save(dir.ModelPath);
        string config = dir.In("config.json");
        File.WriteAllText(config, File.ReadAllText(config).Replace("\"Dense\"", $"\"{className}\"", StringComparison.Ordinal));

        var ex = Assert.Throws<InvalidOperationException>(() => Model.Load(dir.ModelPath));

        Assert.That(ex!.Message, Does.Contain($"'{className}'").And.Contain("config.json").And.Contain("config.layers[0]")
            .And.Contain("Dense, Dropout").And.Contain("LayerRegistry.Register"));
    }

    [Test]
    public void Load_UnknownModelClass_ThrowsListingRegisteredNames()
    {
        var model = new Sequential([new Dense(2)], inputShape: [3]);
        using var dir = new SaveDirectory();
        model.Save(dir.ModelPath);
        string config = dir.In("config.json");
        File.WriteAllText(config, File.ReadAllText(config).Replace("\"Sequential\"", "\"MyModel\"", StringComparison.Ordinal));

        var ex = Assert.Throws<InvalidOperationException>(() => Model.Load(dir.ModelPath));

        Assert.That(ex!.Message, Does.Contain("'MyModel'").And.Contain("LayerRegistry.Register"));
    }

    [Test]
    public void Load_RootNamesALayerNotAModel_ThrowsInvalidData()
    {
        var model = new Sequential([new Dense(2)], inputShape: [3]);
        using var dir = new SaveDirectory();
        model.Save(dir.ModelPath);
        string config = dir.In("config.json");
        File.WriteAllText(config, File.ReadAllText(config).Replace("\"Sequential\"", "\"Flatten\"", StringComparison.Ordinal));

        var ex = Assert.Throws<InvalidDataException>(() => Model.Load(dir.ModelPath));

        Assert.That(ex!.Message, Does.Contain("'Flatten'").And.Contain("not a Model"));
    }
}
