using ScottPlot;

namespace CloudAssembly.Reporting.Figures;

/// <summary>One figure of a report, rendered once as PNG (embedded in the HTML) and once as SVG (for papers and slides).</summary>
public sealed record ReportFigure(string Name, string Caption, byte[] Png, string Svg)
{
    public const int Width = 800;
    public const int Height = 450;

    public static ReportFigure Render(string name, string caption, Plot plot) =>
        new(name, caption, plot.GetImageBytes(Width, Height, ImageFormat.Png), plot.GetSvgXml(Width, Height));
}
