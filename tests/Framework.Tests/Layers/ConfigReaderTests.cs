using System.Text.Json;
using Framework.Layers;

namespace Framework.Tests.Layers;

public class ConfigReaderTests
{
    private static Dictionary<string, object?> Json(string json) => JsonSerializer.Deserialize<Dictionary<string, object?>>(json)!;

    [Test]
    public void Getters_JsonElementsAndPlainValues_ReadTheSame()
    {
        var plain = new Dictionary<string, object?> { ["i"] = 3, ["d"] = 0.5, ["b"] = true, ["s"] = "relu", ["l"] = new List<int?> { null, 4 } };
        var json = Json(JsonSerializer.Serialize(plain));
        foreach (var config in new[] { plain, json })
        {
            Assert.That(ConfigReader.GetInt(config, "i"), Is.EqualTo(3));
            Assert.That(ConfigReader.GetDouble(config, "d"), Is.EqualTo(0.5));
            Assert.That(ConfigReader.GetBool(config, "b"), Is.True);
            Assert.That(ConfigReader.GetString(config, "s"), Is.EqualTo("relu"));
            Assert.That(ConfigReader.GetIntList(config, "l"), Is.EqualTo(new int?[] { null, 4 }));
        }
    }

    [Test]
    public void Normalize_NestedJson_BecomesDictionariesListsAndNumbers()
    {
        var value = ConfigReader.Normalize(JsonSerializer.Deserialize<JsonElement>("""{"a": {"b": [1, 2.5, null, false]}}"""));
        var inner = (Dictionary<string, object?>)((Dictionary<string, object?>)value!)["a"]!;
        Assert.That((List<object?>)inner["b"]!, Is.EqualTo(new object?[] { 1L, 2.5, null, false }));
    }

    [Test]
    public void Defaults_AbsentOrNull_ReturnDefault()
    {
        var config = Json("""{"seed": null}""");
        Assert.That(ConfigReader.GetLong(config, "seed"), Is.Null);
        Assert.That(ConfigReader.GetInt(config, "axis", -1), Is.EqualTo(-1));
        Assert.That(ConfigReader.Has(config, "seed"), Is.False);
        Assert.That(ConfigReader.GetString(config, "activation", "linear"), Is.EqualTo("linear"));
    }

    [Test]
    public void GetInt_MissingWithoutDefault_ThrowsNamingKey()
    {
        var ex = Assert.Throws<ArgumentException>(() => ConfigReader.GetInt(Json("{}"), "units"));
        Assert.That(ex!.Message, Does.Contain("'units'").And.Contain("required"));
    }

    [Test]
    public void GetInt_Fraction_ThrowsNamingKeyAndValue()
    {
        var ex = Assert.Throws<ArgumentException>(() => ConfigReader.GetInt(Json("""{"units": 2.5}"""), "units"));
        Assert.That(ex!.Message, Does.Contain("'units'").And.Contain("2.5").And.Contain("integer"));
    }

    [Test]
    public void GetBool_String_ThrowsNamingKeyAndValue()
    {
        var ex = Assert.Throws<ArgumentException>(() => ConfigReader.GetBool(Json("""{"use_bias": "yes"}"""), "use_bias"));
        Assert.That(ex!.Message, Does.Contain("'use_bias'").And.Contain("yes").And.Contain("boolean"));
    }
}
