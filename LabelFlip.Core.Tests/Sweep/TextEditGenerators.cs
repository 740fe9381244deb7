using FsCheck;
using FsCheck.Fluent;

namespace LabelFlip.Core.Tests.Sweep;

/// <summary>Edits that stay close to valid text, so that many of them reach the checks behind the parser.</summary>
public static class TextEditGenerators
{
    private static readonly string[] s_pieces =
    [
        "{", "}", "[", "]", "\"", ",", ":", "\n", "\r", " ", "0", "1", "-", "e", ".", "x", "\\", "é", "\0",
        "-0", "1e999", "-1e308", "1e-400", "NaN", "null", "true", "\"a\"", "[]", "{}", "99999999999999999999", "5.0",
        "\"seed\":1,", "\"run\":0,", "\"test_accuracy\":2,", "\"poison.fraction\":[0.5],",
    ];

    public static Arbitrary<TextEdit[]> Edits() => Arb.From(
        (from kind in Gen.Choose(0, TextEdit.Kinds - 1)
         from at in Gen.Choose(0, int.MaxValue)
         from other in Gen.Choose(0, int.MaxValue)
         from text in Gen.Elements(s_pieces)
         select new TextEdit(kind, at, other, text)).ArrayOf().Select(a => a.Take(4).ToArray()).Where(a => a.Length > 0));
}
