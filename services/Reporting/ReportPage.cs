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

    public ReportPage Preformatted(string text)
    {
        body.Append("<pre>").Append(Encode(text)).Append("</pre>\n");
        return this;
    }

    public ReportPage Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        body.Append("<table>\n<tr>").AppendJoin("", header.Select(h => $"<th>{Encode(h)}</th>")).Append("</tr>\n");
        foreach (var row in rows)
            body.Append("<tr>").AppendJoin("", row.Select(c => $"<td>{Encode(c)}</td>")).Append("</tr>\n");
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
        body { font-family: system-ui, sans-serif; max-width: 900px; margin: 2em auto; color: #222; }
        table { border-collapse: collapse; margin: 1em 0; }
        th, td { border: 1px solid #ccc; padding: 0.3em 0.7em; text-align: right; }
        th:first-child, td:first-child { text-align: left; }
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
