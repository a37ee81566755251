using Framework.Training;

namespace Framework.Tests.Training.Callbacks;

public class FilePathTemplateTests
{
    private static string Format(string template, params (string Key, object Value)[] values) =>
        FilePathTemplate.Parse(template).Format(values.ToDictionary(v => v.Key, v => v.Value));

    // Expected strings are what Python's str.format prints for the same spec and value.
    [TestCase("ckpt-{epoch}", 3L, "ckpt-3")]
    [TestCase("ckpt-{epoch:02d}", 3L, "ckpt-03")]
    [TestCase("ckpt-{epoch:d}", 12L, "ckpt-12")]
    [TestCase("ckpt-{epoch:03}", 7L, "ckpt-007")]
    [TestCase("{epoch:<4d}|", 7L, "7   |")]
    [TestCase("{epoch:*^5d}", 7L, "**7**")]
    [TestCase("{epoch:+d}", 7L, "+7")]
    public void Format_IntegerSpecs_MatchPython(string template, long value, string expected) =>
        Assert.That(Format(template, ("epoch", value)), Is.EqualTo(expected));

    [TestCase("{val_loss:.4f}", 0.123456789, "0.1235")]
    [TestCase("{val_loss:.2e}", 0.000123456, "1.23e-04")]
    [TestCase("{val_loss:.2e}", 12345.678, "1.23e+04")]
    [TestCase("{val_loss:.0e}", 5e-10, "5e-10")]
    [TestCase("{val_loss:.3E}", 1.5e100, "1.500E+100")]
    [TestCase("{val_loss:5.2f}", 3.14159, " 3.14")]
    [TestCase("{val_loss:08.3f}", -3.14159, "-003.142")]
    [TestCase("{val_loss:f}", 0.5, "0.500000")]
    [TestCase("{val_loss:.1%}", 0.9312, "93.1%")]
    [TestCase("{val_loss:g}", 0.0001234, "0.0001234")]
    [TestCase("{val_loss:g}", 1234567.0, "1.23457e+06")]
    [TestCase("{val_loss:.3g}", 0.5, "0.5")]
    [TestCase("{val_loss}", 0.25, "0.25")]
    [TestCase("{val_loss}", 2.0, "2.0")]
    [TestCase("{val_loss}", 1e-05, "1e-05")]
    [TestCase("{val_loss}", 1.5e-07, "1.5e-07")]
    [TestCase("{val_loss:.4f}", double.NaN, "nan")]
    [TestCase("{val_loss:.4f}", double.NegativeInfinity, "-inf")]
    public void Format_RealSpecs_MatchPython(string template, double value, string expected) =>
        Assert.That(Format(template, ("val_loss", value)), Is.EqualTo(expected));

    [Test]
    public void Format_EscapedBracesAndSeveralKeys_FillsEach() =>
        Assert.That(Format("runs/{{x}}/e{epoch:02d}-b{batch}-{loss:.3f}", ("epoch", 2L), ("batch", 10L), ("loss", 0.5)),
            Is.EqualTo("runs/{x}/e02-b10-0.500"));

    [Test]
    public void Keys_ListsPlaceholdersOnce() =>
        Assert.That(FilePathTemplate.Parse("{epoch}/{val_loss:.2f}-{epoch:03d}").Keys, Is.EqualTo(new[] { "epoch", "val_loss" }));

    [TestCase("ckpt-{epoch", "never closed")]
    [TestCase("ckpt-epoch}", "single '}'")]
    [TestCase("ckpt-{}", "must name a key")]
    [TestCase("ckpt-{loss!r}", "must name a key")]
    [TestCase("ckpt-{loss:.4q}", "format spec '.4q'")]
    [TestCase("ckpt-{loss:,.2f}", "not supported")]
    [TestCase("ckpt-{loss:.f}", "precision")]
    [TestCase("ckpt-{epoch:.2d}", "precision")]
    [TestCase("ckpt-{a:{b}}", "nested braces")]
    public void Parse_InvalidSyntax_ThrowsNamingTheTemplate(string template, string reason)
    {
        var e = Assert.Throws<ArgumentException>(() => FilePathTemplate.Parse(template))!;
        Assert.That(e.Message, Does.Contain($"'{template}'").And.Contain(reason));
    }

    [Test]
    public void Format_MissingKey_ThrowsListingAvailableKeys()
    {
        var e = Assert.Throws<KeyNotFoundException>(() => Format("ckpt-{val_acc:.2f}", ("epoch", 1L), ("loss", 0.5)))!;
        Assert.That(e.Message, Does.Contain("'val_acc'").And.Contain("epoch, loss").And.Contain("ckpt-{val_acc:.2f}"));
    }

    [Test]
    public void Format_IntegerSpecForRealValue_ThrowsNamingTheKey()
    {
        var e = Assert.Throws<FormatException>(() => Format("ckpt-{loss:d}", ("loss", 0.5)))!;
        Assert.That(e.Message, Does.Contain("'loss'").And.Contain("'d'"));
    }

    [Test]
    public void ToRegex_MatchesFormattedNamesOnly()
    {
        var regex = FilePathTemplate.Parse("ckpt-{epoch:02d}.w").ToRegex();
        Assert.That(regex.IsMatch("ckpt-03.w"), Is.True);
        Assert.That(regex.IsMatch("other-03.w"), Is.False);
        Assert.That(regex.IsMatch("ckpt-.w"), Is.False);
    }
}
