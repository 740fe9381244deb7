using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LabelFlip.Core.Data;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Tests.Data;

/// <summary>Generated labelled data to write as CSV: rows of float features and text labels.</summary>
public sealed record CsvCase(float[][] Rows, string[] Labels)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"CsvCase(rows={Rows.Length}, features={Rows[0].Length}, labels=[{string.Join("|", Labels)}])";
}

/// <summary>Valid CSV round-trip cases, built directly.</summary>
public static class CsvGenerators
{
    // Label text with the characters that need quoting: delimiter, quote, line breaks, spaces.
    private static readonly Gen<string> s_label =
        Gen.Elements("cat", "dog", "a,b", "say \"hi\"", "two\nlines", "crlf\r\nlabel", " padded ", "Ünïcode", "B", "b");

    private static readonly Gen<float> s_feature = Gen.OneOf(
        Gen.Choose(-1000, 1000).Select(i => i / 8f),
        Gen.Choose(int.MinValue, int.MaxValue).Select(bits => BitConverter.Int32BitsToSingle(bits)).Where(float.IsFinite),
        Gen.Elements(0f, -0f, float.MaxValue, float.MinValue, float.Epsilon, 1e-30f));

    /// <summary>1 to 40 rows of 1 to 6 finite floats, labels from at least 2 distinct texts.</summary>
    public static Arbitrary<CsvCase> CsvCases() =>
        Arb.From(
            from features in Gen.Choose(1, 6)
            from rowCount in Gen.Choose(2, 40)
            from rows in s_feature.ArrayOf(features).ArrayOf(rowCount)
            from first in s_label
            from second in s_label.Where(l => l != first)
            from rest in s_label.ArrayOf(rowCount - 2)
            select new CsvCase(rows, [first, second, .. rest]));
}

[Properties(Arbitrary = [typeof(CsvGenerators)])]
public class CsvDataSourceTests
{
    private static string Excerpt => Path.Combine(TestPaths.RepositoryRoot, "LabelFlip.Core.Tests", "Data", "TestData", "iris-excerpt.csv");

    [Fact]
    public void Reads_the_committed_excerpt_with_its_header_and_quoted_labels()
    {
        LabelledData data = CsvDataSource.Load(Excerpt);

        Assert.Null(data.Test);
        Assert.Null(data.Standardization);
        Assert.Equal(["sepal length", "sepal width", "petal length", "petal width"], data.FeatureNames.ToArray());
        Assert.Equal(["Iris setosa", "Iris versicolor, \"Blue flag\"", "Iris virginica"], data.ClassNames.ToArray());
        Assert.Equal(9, data.Train.RowCount);
        Assert.Equal(4, data.Train.FeatureCount);
        Assert.Equal(3, data.Train.ClassCount);
        Assert.Equal([0, 0, 0, 1, 1, 1, 2, 2, 2], data.Train.Labels.ToArray());
        Assert.Equal([5.1f, 3.5f, 1.4f, 0.2f], data.Train.GetRow(0).ToArray());
        Assert.Equal([7.1f, 3.0f, 5.9f, 2.1f], data.Train.GetRow(8).ToArray());
    }

    [Fact]
    public void Numeric_labels_are_ordered_by_value_and_equal_values_are_one_class()
    {
        LabelledData data = Load("1,10\n2,2\n3,-1\n4,2.0\n5,1e1\n");
        Assert.Equal(["-1", "2", "10"], data.ClassNames.ToArray());
        Assert.Equal([2, 1, 0, 1, 2], data.Train.Labels.ToArray());
        Assert.Empty(data.FeatureNames);
    }

    [Fact]
    public void Text_labels_are_in_ordinal_order()
    {
        LabelledData data = Load("1,b\n2,B\n3,a\n4,b\n");
        Assert.Equal(["B", "a", "b"], data.ClassNames.ToArray());
        Assert.Equal([2, 0, 1, 2], data.Train.Labels.ToArray());
    }

    [Fact]
    public void Label_column_by_name_or_by_index()
    {
        const string Csv = "y,x1,x2\ncat,1,2\ndog,3,4\n";
        LabelledData byName = Load(Csv, new CsvOptions { LabelColumnName = "y" });
        LabelledData byIndex = Load(Csv, new CsvOptions { LabelColumnIndex = 0 });
        foreach (LabelledData data in new[] { byName, byIndex })
        {
            Assert.Equal(["x1", "x2"], data.FeatureNames.ToArray());
            Assert.Equal([1f, 2f, 3f, 4f], data.Train.Features.ToArray());
            Assert.Equal([0, 1], data.Train.Labels.ToArray());
        }
        LabelledData middle = Load("1,0,2\n3,1,4\n", new CsvOptions { LabelColumnIndex = 1 });
        Assert.Equal([1f, 2f, 3f, 4f], middle.Train.Features.ToArray());
    }

    [Fact]
    public void Header_is_detected_by_a_non_numeric_feature_cell_or_forced()
    {
        Assert.Equal(3, Load("1,2,a\n3,4,b\n5,6,a\n").Train.RowCount);                     // all numeric: data
        Assert.Equal(2, Load("x,2,label\n3,4,b\n5,6,a\n").Train.RowCount);                 // one text feature cell: header
        LabelledData forced = Load("1,2,3\n3,4,b\n5,6,a\n", new CsvOptions { Header = CsvHeaderMode.Present });
        Assert.Equal(["1", "2"], forced.FeatureNames.ToArray());
        var e = Assert.Throws<CsvFormatException>(() => Load("x,y,label\n3,4,b\n", new CsvOptions { Header = CsvHeaderMode.Absent }));
        AssertError(e, 1, 1, "'x' is not a number");
    }

    [Fact]
    public void Quoted_fields_line_breaks_and_blank_lines_follow_RFC_4180()
    {
        string csv = "\"f,1\",f2,label\r\n\"1.5\", 2 ,\"multi\nline\"\r\n\r\n3,4,\"a \"\"quoted\"\" label\"\r\n5,6,plain\r\n7,x,plain\r\n";
        var e = Assert.Throws<CsvFormatException>(() => Load(csv));
        AssertError(e, 7, 2, "'x' is not a number"); // the quoted line break counts as a line; the blank line too
        LabelledData data = Load(csv[..csv.LastIndexOf("7,x", StringComparison.Ordinal)]);
        Assert.Equal(["f,1", "f2"], data.FeatureNames.ToArray());
        Assert.Equal(["a \"quoted\" label", "multi\nline", "plain"], data.ClassNames.ToArray());
        Assert.Equal([1.5f, 2f, 3f, 4f, 5f, 6f], data.Train.Features.ToArray());
    }

    [Fact]
    public void A_separate_test_file_uses_the_training_classes()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("train.csv"), "a,b,y\n1,2,cat\n3,4,dog\n5,6,cat\n");
        File.WriteAllText(folder.File("test.csv"), "a,b,y\n7,8,dog\n");
        LabelledData data = CsvDataSource.Load(folder.File("train.csv"), folder.File("test.csv"));
        Assert.Equal([1], data.Test!.Labels.ToArray());
        Assert.Equal(2, data.Test.ClassCount);
        Assert.Equal([7f, 8f], data.Test.Features.ToArray());

        File.WriteAllText(folder.File("bad-label.csv"), "a,b,y\n7,8,dog\n9,9,cow\n");
        AssertError(Assert.Throws<CsvFormatException>(() => CsvDataSource.Load(folder.File("train.csv"), folder.File("bad-label.csv"))),
            3, 3, "'cow' is not one of the training classes (cat, dog)");
        File.WriteAllText(folder.File("bad-width.csv"), "7,8,9,dog\n");
        AssertError(Assert.Throws<CsvFormatException>(() => CsvDataSource.Load(folder.File("train.csv"), folder.File("bad-width.csv"))),
            1, 0, "has 4 columns; the training file");
        File.WriteAllText(folder.File("bad-header.csv"), "a,c,y\n7,8,dog\n");
        AssertError(Assert.Throws<CsvFormatException>(() => CsvDataSource.Load(folder.File("train.csv"), folder.File("bad-header.csv"))),
            1, 0, "differs from the training file's");
    }

    [Fact]
    public void Standardisation_uses_the_training_rows_only()
    {
        using var folder = new TempFolder();
        // Feature 1: 1 and 3 (mean 2, population std 1); feature 2 constant 5 (only centred).
        File.WriteAllText(folder.File("train.csv"), "1,5,a\n3,5,b\n");
        File.WriteAllText(folder.File("test.csv"), "5,7,a\n");
        LabelledData data = CsvDataSource.Load(folder.File("train.csv"), folder.File("test.csv"), new CsvOptions { Standardize = true });
        Assert.Equal([2.0, 5.0], data.Standardization!.Means.ToArray());
        Assert.Equal([1.0, 1.0], data.Standardization.Scales.ToArray());
        Assert.Equal([-1f, 0f, 1f, 0f], data.Train.Features.ToArray());
        Assert.Equal([3f, 2f], data.Test!.Features.ToArray());
    }

    [Fact]
    public void A_split_fraction_splits_reproducibly_and_standardises_on_its_training_part()
    {
        var csv = new StringBuilder();
        for (int i = 0; i < 20; i++)
            csv.Append(CultureInfo.InvariantCulture, $"{i},{i * i},{(i % 2 == 0 ? "even" : "odd")}\n");
        using var folder = new TempFolder();
        string path = folder.File("d.csv");
        File.WriteAllText(path, csv.ToString());

        LabelledData a = CsvDataSource.Load(path, 0.75, new RandomSource(7), new CsvOptions { Standardize = true });
        LabelledData b = CsvDataSource.Load(path, 0.75, new RandomSource(7), new CsvOptions { Standardize = true });
        Assert.Equal(15, a.Train.RowCount);
        Assert.Equal(5, a.Test!.RowCount);
        Assert.Equal(a.Train.Features, b.Train.Features.ToArray());
        Assert.Equal(a.Test.Features, b.Test!.Features.ToArray());

        LabelledData raw = CsvDataSource.Load(path, 0.75, new RandomSource(7));
        double mean = Enumerable.Range(0, 15).Average(r => (double)raw.Train.GetRow(r)[0]);
        Assert.Equal(mean, a.Standardization!.Means[0], 12);
        Assert.InRange(Enumerable.Range(0, 15).Average(r => (double)a.Train.GetRow(r)[0]), -1e-6, 1e-6);
    }

    [Theory]
    [InlineData("", 0, 0, "is empty")]
    [InlineData("\n\n", 0, 0, "is empty")]
    [InlineData("a,b,label\n", 0, 0, "has a header but no data rows")]
    [InlineData("1,2,a\n3,4\n", 2, 0, "has 2 fields; expected 3, as on line 1")]
    [InlineData("1,2,a\n3,4,b,5\n", 2, 0, "has 4 fields; expected 3")]
    [InlineData("1,2,a\n3,4x,b\n", 2, 2, "'4x' is not a number")]
    [InlineData("1,2,a\n3,4,b\n1,2;5,a\n", 3, 2, "'2;5' is not a number")]
    [InlineData("1,2,a\n3,1.5.2,b\n", 2, 2, "'1.5.2' is not a number")]
    [InlineData("1,2,a\n,4,b\n", 2, 1, "the cell is empty")]
    [InlineData("1,2,a\n3,NaN,b\n", 2, 2, "'NaN' is not a finite float")]
    [InlineData("1,2,a\n3,1e39,b\n", 2, 2, "'1e39' is not a finite float")]
    [InlineData("1,2,a\n3,4,\n", 2, 3, "the label is empty")]
    [InlineData("1,2,a\n3,4,a\n", 0, 3, "has one class only: every label is 'a'")]
    [InlineData("1,2,7\n3,4,7.0\n", 0, 3, "has one class only: every label is '7'")]
    [InlineData("1\n2\n", 1, 0, "has 1 column")]
    [InlineData("1,2,\"a\n3,4,b\n", 1, 3, "a quoted field is not closed")]
    [InlineData("1,2,\"a\"x\n3,4,b\n", 1, 3, "'x' follows a closing quote")]
    public void Malformed_files_are_one_line_errors_with_line_and_column(string csv, int line, int column, string fault)
    {
        var e = Assert.Throws<CsvFormatException>(() => Load(csv));
        AssertError(e, line, column, fault);
    }

    [Fact]
    public void A_label_column_that_does_not_exist_is_an_error_on_line_1()
    {
        AssertError(Assert.Throws<CsvFormatException>(() => Load("a,b,y\n1,2,c\n1,2,d\n", new CsvOptions { LabelColumnName = "label" })),
            1, 0, "no label column named 'label'; the header is: a, b, y");
        AssertError(Assert.Throws<CsvFormatException>(() => Load("1,2,c\n1,2,d\n", new CsvOptions { LabelColumnIndex = 3 })),
            1, 0, "no label column 4 (index 3): the line has 3 columns");
    }

    [Fact]
    public void Bad_options_and_paths_name_the_parameter()
    {
        Assert.Throws<ArgumentException>("options", () => Load("1,a\n", new CsvOptions { LabelColumnName = "y", LabelColumnIndex = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>("options", () => Load("1,a\n", new CsvOptions { LabelColumnIndex = -1 }));
        Assert.Throws<ArgumentException>("options", () => Load("1,a\n", new CsvOptions { Delimiter = '"' }));
        Assert.Throws<ArgumentException>("options", () => Load("1,a\n", new CsvOptions { LabelColumnName = "y", Header = CsvHeaderMode.Absent }));
        Assert.Throws<ArgumentException>("path", () => CsvDataSource.Load(""));
        Assert.Throws<ArgumentNullException>("random", () => CsvDataSource.Load("x.csv", 0.5, null!));
        using var folder = new TempFolder();
        Assert.Throws<FileNotFoundException>(() => CsvDataSource.Load(folder.File("missing.csv")));
    }

    [Fact]
    public void Another_delimiter_is_honoured_and_numbers_are_invariant_culture()
    {
        LabelledData data = Load("x;y;label\n1.5;2;a\n3;4;b\n", new CsvOptions { Delimiter = ';' });
        Assert.Equal([1.5f, 2f, 3f, 4f], data.Train.Features.ToArray());
        // A decimal comma is not a number in the invariant culture, whatever the machine's culture.
        AssertError(Assert.Throws<CsvFormatException>(() => Load("x;y;label\n1,5;2;a\n3;4;b\n", new CsvOptions { Delimiter = ';' })),
            2, 1, "'1,5' is not a number");
    }

    [Property(MaxTest = 200)]
    public Property Generated_data_round_trips_through_CSV_bit_for_bit(CsvCase c)
    {
        var csv = new StringBuilder();
        for (int r = 0; r < c.Rows.Length; r++)
        {
            foreach (float f in c.Rows[r])
                csv.Append(f.ToString("R", CultureInfo.InvariantCulture)).Append(',');
            csv.Append('"').Append(c.Labels[r].Replace("\"", "\"\"", StringComparison.Ordinal)).Append("\"\r\n");
        }
        LabelledData data = Load(csv.ToString());

        string[] expectedNames = [.. c.Labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        bool sameBits = data.Train.Features.Select(BitConverter.SingleToInt32Bits)
            .SequenceEqual(c.Rows.SelectMany(row => row).Select(BitConverter.SingleToInt32Bits));
        bool labelsMapBack = Enumerable.Range(0, c.Rows.Length).All(r => data.ClassNames[data.Train.Labels[r]] == c.Labels[r]);
        return sameBits.Label("features, bit for bit")
            .And(data.ClassNames.SequenceEqual(expectedNames).Label("classes in ordinal order"))
            .And(labelsMapBack.Label("each label maps back to its text"));
    }

    private static LabelledData Load(string csv, CsvOptions? options = null)
    {
        using var folder = new TempFolder();
        string path = folder.File("data.csv");
        File.WriteAllText(path, csv);
        return CsvDataSource.Load(path, options);
    }

    private static void AssertError(CsvFormatException e, int line, int column, string fault)
    {
        Assert.Equal(line, e.Line);
        Assert.Equal(column, e.Column);
        Assert.Contains(fault, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        Assert.StartsWith(e.FilePath + ":", e.Message, StringComparison.Ordinal);
        if (line > 0)
            Assert.Contains($"line {line}", e.Message, StringComparison.Ordinal);
        if (column > 0)
            Assert.Contains($"column {column}", e.Message, StringComparison.Ordinal);
    }
}
