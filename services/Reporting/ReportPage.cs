using System.Net;
using System.Text;
using CloudAssembly.Reporting.Figures;

namespace CloudAssembly.Reporting;

/// <summary>
/// A self-contained HTML page: inline style, figures embedded as PNG data URIs, so the one file opens from disk or
/// from a blob download with nothing beside it.
/// </summary>
public sealed class ReportPage(string title)
{
    private readonly StringBuilder body = new();

    public ReportPage Heading(string text)
    {
        body.Append("<h2>").Append(Encode(text)).Append("</h2>\n");
        return this;
    }

    public ReportPage Paragraph(string text)
    {
        body.Append("<p>").Append(Encode(text)).Append("</p>\n");
        return this;
    }

    /// <summary>A paragraph of <paramref name="text"/> followed by a link; only http(s) addresses are linked.</summary>
    public ReportPage Link(string text, string href, string label)
    {
        if (!Uri.TryCreate(href, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            return Paragraph($"{text}{label}");
        body.Append("<p>").Append(Encode(text)).Append("<a href=\"").Append(Encode(uri.AbsoluteUri)).Append("\">").Append(Encode(label)).Append("</a></p>\n");
        return this;
    }

    public ReportPage Preformatted(string text)
    {
        body.Append("<pre>").Append(Encode(text)).Append("</pre>\n");
        return this;
    }

    /// <summary>Named values, a row each, the name as the row's heading.</summary>
    public ReportPage Facts(IEnumerable<(string Name, string Value)> facts)
    {
        body.Append("<table class=\"facts\">\n");
        foreach (var (name, value) in facts)
            body.Append("<tr><th>").Append(Encode(name)).Append("</th><td>").Append(Encode(value)).Append("</td></tr>\n");
        body.Append("</table>\n");
        return this;
    }

    /// <summary>
    /// A table of numbers (right-aligned after the first column) or, with <paramref name="text"/>, of words; rows
    /// <paramref name="lost"/> picks (attempts that did not finish their phase) are greyed.
    /// </summary>
    public ReportPage Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows, Func<IReadOnlyList<string>, bool>? lost = null,
        bool text = false)
    {
        body.Append(text ? "<table class=\"text\">\n<tr>" : "<table>\n<tr>").AppendJoin("", header.Select(h => $"<th>{Encode(h)}</th>")).Append("</tr>\n");
        foreach (var row in rows)
            body.Append(lost?.Invoke(row) == true ? "<tr class=\"lost\">" : "<tr>").AppendJoin("", row.Select(c => $"<td>{Encode(c)}</td>")).Append("</tr>\n");
        body.Append("</table>\n");
        return this;
    }

    public ReportPage Figure(ReportFigure figure)
    {
        body.Append("<figure><img class=\"figure\" alt=\"").Append(Encode(figure.Caption)).Append("\" width=\"").Append(ReportFigure.Width)
            .Append("\" height=\"").Append(ReportFigure.Height).Append("\" src=\"data:image/png;base64,")
            .Append(Convert.ToBase64String(figure.Png)).Append("\"><figcaption>").Append(Encode(figure.Caption))
            .Append(" (<a href=\"").Append(figure.Name).Append(".svg\">SVG</a>)</figcaption></figure>\n");
        return this;
    }

    public override string ToString() =>
        $$"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>{{Encode(title)}}</title>
        <style>
        body { font-family: system-ui, sans-serif; max-width: 1000px; margin: 2em auto; color: #222; }
        table { border-collapse: collapse; margin: 1em 0; }
        th, td { border: 1px solid #ccc; padding: 0.3em 0.7em; text-align: right; }
        th:first-child, td:first-child { text-align: left; }
        tr.lost td { color: #777; font-style: italic; }
        table.text td, table.text th, table.facts td, table.facts th { text-align: left; }
        figure { margin: 1.5em 0; }
        img.figure { max-width: 100%; height: auto; }
        figcaption { color: #555; font-size: 0.9em; }
        </style></head>
        <body>
        <h1>{{Encode(title)}}</h1>
        {{body}}</body></html>

        """;

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
