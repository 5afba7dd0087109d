// A picture as a list of shapes (rectangles, lines, text) in pixels, drawn once by the layout and
// written by two writers: SVG (text, written here) and PNG (SkiaSharp). Shapes may carry a tag
// ("block:5", "frag:0x00001040") so tests can find what was drawn for a part of the heap.
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Text;
using SkiaSharp;

namespace Checker.Nano.Dumps
{
    /// <summary>A filled and/or stroked rectangle.</summary>
    public sealed record SceneRect(float X, float Y, float W, float H, string Fill, string Stroke = null, float StrokeWidth = 1, string Tag = null);

    /// <summary>A line.</summary>
    public sealed record SceneLine(float X1, float Y1, float X2, float Y2, string Stroke, float Width = 1);

    /// <summary>Text at a baseline point; Anchor is start, middle or end.</summary>
    public sealed record SceneText(float X, float Y, string Text, float Size, string Color = "#000000", bool Bold = false, string Anchor = "start", bool Mono = false);

    /// <summary>Shapes in drawing order and the canvas size.</summary>
    public sealed class Scene
    {
        public Scene(int width, int height)
        {
            Width = width;
            Height = height;
        }

        public int Width { get; set; }
        public int Height { get; set; }
        public List<object> Shapes { get; } = new List<object>();

        public void Rect(float x, float y, float w, float h, string fill, string stroke = null, float strokeWidth = 1, string tag = null)
            => Shapes.Add(new SceneRect(x, y, w, h, fill, stroke, strokeWidth, tag));

        public void Line(float x1, float y1, float x2, float y2, string stroke, float width = 1) => Shapes.Add(new SceneLine(x1, y1, x2, y2, stroke, width));

        public void Text(float x, float y, string text, float size, string color = "#000000", bool bold = false, string anchor = "start", bool mono = false)
            => Shapes.Add(new SceneText(x, y, text, size, color, bold, anchor, mono));

        /// <summary>The rectangles tagged <paramref name="tag"/>.</summary>
        public IEnumerable<SceneRect> Tagged(string tag)
        {
            foreach (object s in Shapes)
            {
                if (s is SceneRect r && r.Tag == tag)
                {
                    yield return r;
                }
            }
        }

        /// <summary>Every text drawn, in order.</summary>
        public IEnumerable<string> Texts()
        {
            foreach (object s in Shapes)
            {
                if (s is SceneText t)
                {
                    yield return t.Text;
                }
            }
        }

        private static string F(float v) => v.ToString("0.##", CultureInfo.InvariantCulture);

        /// <summary>The scene as an SVG document.</summary>
        public string ToSvg()
        {
            var sb = new StringBuilder();
            sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"DejaVu Sans, Arial, sans-serif\">\n");
            sb.Append($"<rect x=\"0\" y=\"0\" width=\"{Width}\" height=\"{Height}\" fill=\"#FFFFFF\"/>\n");
            foreach (object s in Shapes)
            {
                switch (s)
                {
                    case SceneRect r:
                        sb.Append($"<rect x=\"{F(r.X)}\" y=\"{F(r.Y)}\" width=\"{F(r.W)}\" height=\"{F(r.H)}\" fill=\"{r.Fill ?? "none"}\"");
                        if (r.Stroke != null)
                        {
                            sb.Append($" stroke=\"{r.Stroke}\" stroke-width=\"{F(r.StrokeWidth)}\"");
                        }

                        if (r.Tag != null)
                        {
                            sb.Append($" data-tag=\"{WebUtility.HtmlEncode(r.Tag)}\"");
                        }

                        sb.Append("/>\n");
                        break;
                    case SceneLine l:
                        sb.Append($"<line x1=\"{F(l.X1)}\" y1=\"{F(l.Y1)}\" x2=\"{F(l.X2)}\" y2=\"{F(l.Y2)}\" stroke=\"{l.Stroke}\" stroke-width=\"{F(l.Width)}\"/>\n");
                        break;
                    case SceneText t:
                        sb.Append($"<text x=\"{F(t.X)}\" y=\"{F(t.Y)}\" font-size=\"{F(t.Size)}\" fill=\"{t.Color}\"");
                        if (t.Bold)
                        {
                            sb.Append(" font-weight=\"bold\"");
                        }

                        if (t.Mono)
                        {
                            sb.Append(" font-family=\"DejaVu Sans Mono, monospace\"");
                        }

                        if (t.Anchor != "start")
                        {
                            sb.Append($" text-anchor=\"{t.Anchor}\"");
                        }

                        sb.Append('>').Append(WebUtility.HtmlEncode(t.Text)).Append("</text>\n");
                        break;
                }
            }

            sb.Append("</svg>\n");
            return sb.ToString();
        }

        /// <summary>The scene as PNG bytes (SkiaSharp).</summary>
        public byte[] ToPng()
        {
            using var surface = SKSurface.Create(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul));
            SKCanvas c = surface.Canvas;
            c.Clear(SKColors.White);
            using var fill = new SKPaint { Style = SKPaintStyle.Fill, IsAntialias = false };
            using var stroke = new SKPaint { Style = SKPaintStyle.Stroke, IsAntialias = true };
            using var text = new SKPaint { IsAntialias = true };
            using SKTypeface sans = SKTypeface.FromFamilyName("DejaVu Sans") ?? SKTypeface.Default;
            using SKTypeface sansBold = SKTypeface.FromFamilyName("DejaVu Sans", SKFontStyle.Bold) ?? sans;
            using SKTypeface mono = SKTypeface.FromFamilyName("DejaVu Sans Mono") ?? sans;
            foreach (object s in Shapes)
            {
                switch (s)
                {
                    case SceneRect r:
                        if (r.Fill != null)
                        {
                            fill.Color = SKColor.Parse(r.Fill);
                            c.DrawRect(r.X, r.Y, r.W, r.H, fill);
                        }

                        if (r.Stroke != null)
                        {
                            stroke.Color = SKColor.Parse(r.Stroke);
                            stroke.StrokeWidth = r.StrokeWidth;
                            c.DrawRect(r.X, r.Y, r.W, r.H, stroke);
                        }

                        break;
                    case SceneLine l:
                        stroke.Color = SKColor.Parse(l.Stroke);
                        stroke.StrokeWidth = l.Width;
                        c.DrawLine(l.X1, l.Y1, l.X2, l.Y2, stroke);
                        break;
                    case SceneText t:
                        text.Color = SKColor.Parse(t.Color);
                        using (var font = new SKFont(t.Mono ? mono : t.Bold ? sansBold : sans, t.Size))
                        {
                            SKTextAlign align = t.Anchor == "middle" ? SKTextAlign.Center : t.Anchor == "end" ? SKTextAlign.Right : SKTextAlign.Left;
                            c.DrawText(t.Text, t.X, t.Y, align, font, text);
                        }

                        break;
                }
            }

            using SKImage image = surface.Snapshot();
            using SKData data = image.Encode(SKEncodedImageFormat.Png, 100);
            return data.ToArray();
        }

        /// <summary>Writes SVG or PNG by the file's extension (.svg, .png); false for another extension.</summary>
        public bool Save(string path)
        {
            string ext = Path.GetExtension(path).ToLowerInvariant();
            if (ext == ".svg")
            {
                File.WriteAllText(path, ToSvg());
                return true;
            }

            if (ext == ".png")
            {
                File.WriteAllBytes(path, ToPng());
                return true;
            }

            return false;
        }
    }
}
