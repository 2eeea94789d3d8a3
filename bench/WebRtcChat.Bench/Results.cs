using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WebRtcChat.Bench;

/// <summary>One row of the table: a figure for WebRtcChat and its reference, their ratio in the same run, the target.</summary>
/// <param name="Ratio">Key of the per-run ratios (WebRtcChat over reference), or null where there is none.</param>
/// <param name="Target">The largest ratio the issue accepts, or null.</param>
/// <param name="Check">Whether the target is met, where that is not a ratio under <paramref name="Target"/>.</param>
internal sealed record Row(string Figure, string Product, string Reference, string? Ratio, double? Target, Func<Results, bool?>? Check = null)
{
    public bool? Met(Results results) => Check is not null ? Check(results)
        : Target is null || Ratio is null || double.IsNaN(results.Median(Ratio)) ? null : results.Median(Ratio) <= Target;

    public string TargetText => Check is not null && Target is null ? "" : Target is { } t ? "≤ " + Results.Format(t, "x") : "";
}

/// <summary>Every value each run measured, by key; the table shows medians, the JSON keeps every value.</summary>
internal sealed class Results
{
    private readonly Dictionary<string, List<double>> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _notes = new(StringComparer.Ordinal);

    public void Add(string key, double value)
    {
        if (!_values.TryGetValue(key, out var list))
        {
            _values[key] = list = [];
        }

        list.Add(value);
    }

    /// <summary>Records a ratio of two figures measured in the same run.</summary>
    public void AddRatio(string key, double product, double reference) => Add(key, product / reference);

    public void Note(string key, string text) => _notes[key] = text;

    public double Median(string key) => _values.TryGetValue(key, out var list) ? Stats.Median(list) : double.NaN;

    public double Max(string key) => _values.TryGetValue(key, out var list) && list.Count > 0 ? list.Max() : double.NaN;

    public int Count(string key) => _values.TryGetValue(key, out var list) ? list.Count : 0;

    public static string Format(double value, string unit) => double.IsNaN(value) ? "–" : unit switch
    {
        "MB" => (value / 1e6).ToString("0.0", CultureInfo.InvariantCulture) + " MB",
        "MB/visitor" => (value / 1e6).ToString("0.00", CultureInfo.InvariantCulture) + " MB",
        "ms" => value.ToString(value < 10 ? "0.00" : "0", CultureInfo.InvariantCulture) + " ms",
        "us" => value.ToString("0", CultureInfo.InvariantCulture) + " µs",
        "x" => value.ToString("0.00", CultureInfo.InvariantCulture) + "×",
        _ => value.ToString("0.##", CultureInfo.InvariantCulture) + (unit.Length > 0 ? " " + unit : ""),
    };

    /// <summary>The table, in Markdown, for the terminal and the README alike.</summary>
    public string Table(IEnumerable<Row> rows)
    {
        var text = new StringBuilder();
        text.AppendLine("| figure | WebRtcChat | reference | ratio (median of runs) | target | met |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (var row in rows)
        {
            var ratio = row.Ratio is null ? "" : $"{Format(Median(row.Ratio), "x")} (n={Count(row.Ratio)})";
            var met = row.Met(this) switch { true => "yes", false => "**no**", null => "" };
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Figure} | {row.Product} | {row.Reference} | {ratio} | {row.TargetText} | {met} |");
        }

        foreach (var (key, note) in _notes.OrderBy(n => n.Key, StringComparer.Ordinal))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {key}: {note}");
        }

        return text.ToString();
    }

    public string Json(IEnumerable<Row> rows, JsonObject about)
    {
        var values = new JsonObject();
        foreach (var (key, list) in _values.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            values[key] = new JsonObject { ["median"] = Stats.Median(list), ["values"] = new JsonArray([.. list.Select(v => JsonValue.Create(v))]) };
        }

        var table = new JsonArray();
        foreach (var row in rows)
        {
            table.Add(new JsonObject
            {
                ["figure"] = row.Figure,
                ["webrtcchat"] = row.Product,
                ["reference"] = row.Reference,
                ["ratio"] = row.Ratio is null || double.IsNaN(Median(row.Ratio)) ? null : Median(row.Ratio),
                ["target"] = row.TargetText,
                ["met"] = row.Met(this),
            });
        }

        about["table"] = table;
        about["values"] = values;
        about["notes"] = new JsonObject([.. _notes.Select(n => KeyValuePair.Create(n.Key, (JsonNode?)JsonValue.Create(n.Value)))]);
        return about.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
