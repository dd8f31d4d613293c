namespace Course.Lab;

/// <summary>
/// A 3x5 pixel font for captions: digits, A-Z (lowercase drawn as uppercase) and common punctuation.
/// Each glyph is five rows of three bits, most significant bit on the left.
/// </summary>
internal static class BitmapFont
{
    internal const int GlyphWidth = 3;
    internal const int GlyphHeight = 5;
    internal const int Advance = GlyphWidth + 1;

    private static readonly Dictionary<char, string> Glyphs = new()
    {
        ['0'] = "### #.# #.# #.# ###", ['1'] = ".#. ##. .#. .#. ###", ['2'] = "### ..# ### #.. ###",
        ['3'] = "### ..# .## ..# ###", ['4'] = "#.# #.# ### ..# ..#", ['5'] = "### #.. ### ..# ###",
        ['6'] = "### #.. ### #.# ###", ['7'] = "### ..# ..# .#. .#.", ['8'] = "### #.# ### #.# ###",
        ['9'] = "### #.# ### ..# ###",
        ['A'] = ".#. #.# ### #.# #.#", ['B'] = "##. #.# ##. #.# ##.", ['C'] = ".## #.. #.. #.. .##",
        ['D'] = "##. #.# #.# #.# ##.", ['E'] = "### #.. ##. #.. ###", ['F'] = "### #.. ##. #.. #..",
        ['G'] = ".## #.. #.# #.# .##", ['H'] = "#.# #.# ### #.# #.#", ['I'] = "### .#. .#. .#. ###",
        ['J'] = "..# ..# ..# #.# .#.", ['K'] = "#.# #.# ##. #.# #.#", ['L'] = "#.. #.. #.. #.. ###",
        ['M'] = "#.# ### ### #.# #.#", ['N'] = "##. #.# #.# #.# #.#", ['O'] = ".#. #.# #.# #.# .#.",
        ['P'] = "##. #.# ##. #.. #..", ['Q'] = ".#. #.# #.# ##. .##", ['R'] = "##. #.# ##. #.# #.#",
        ['S'] = ".## #.. .#. ..# ##.", ['T'] = "### .#. .#. .#. .#.", ['U'] = "#.# #.# #.# #.# ###",
        ['V'] = "#.# #.# #.# #.# .#.", ['W'] = "#.# #.# ### ### #.#", ['X'] = "#.# #.# .#. #.# #.#",
        ['Y'] = "#.# #.# .#. .#. .#.", ['Z'] = "### ..# .#. #.. ###",
        [' '] = "... ... ... ... ...", ['.'] = "... ... ... ... .#.", [','] = "... ... ... .#. #..",
        ['-'] = "... ... ### ... ...", ['+'] = "... .#. ### .#. ...", [':'] = "... .#. ... .#. ...",
        ['='] = "... ### ... ### ...", ['/'] = "..# ..# .#. #.. #..", ['%'] = "#.# ..# .#. #.. #.#",
        ['('] = ".#. #.. #.. #.. .#.", [')'] = ".#. ..# ..# ..# .#.", ['_'] = "... ... ... ... ###",
        ['?'] = "### ..# .#. ... .#.", ['!'] = ".#. .#. .#. ... .#.", ['<'] = "..# .#. #.. .#. ..#",
        ['>'] = "#.. .#. ..# .#. #..", ['\''] = ".#. .#. ... ... ...", ['*'] = "#.# .#. #.# ... ...",
    };

    /// <summary>Whether pixel (x, y) of <paramref name="c"/>'s glyph is set; unknown characters draw as '?'.</summary>
    internal static bool IsSet(char c, int x, int y)
    {
        if (!Glyphs.TryGetValue(char.ToUpperInvariant(c), out var g)) g = Glyphs['?'];
        return g[y * (GlyphWidth + 1) + x] == '#';
    }

    /// <summary>Width in pixels of <paramref name="text"/> at <paramref name="scale"/>.</summary>
    internal static int Measure(string text, int scale) => text.Length == 0 ? 0 : (text.Length * Advance - 1) * scale;

    /// <summary>Draws text into a single-channel or RGB canvas, clipped to [x0, x0 + maxWidth).</summary>
    internal static void Draw(byte[] canvas, int canvasWidth, int channels, string text, int x0, int y0, int scale,
        ReadOnlySpan<byte> color, int maxWidth)
    {
        int canvasHeight = canvas.Length / (canvasWidth * channels);
        for (int ci = 0; ci < text.Length; ci++)
            for (int gy = 0; gy < GlyphHeight; gy++)
                for (int gx = 0; gx < GlyphWidth; gx++)
                {
                    if (!IsSet(text[ci], gx, gy)) continue;
                    for (int sy = 0; sy < scale; sy++)
                        for (int sx = 0; sx < scale; sx++)
                        {
                            int px = x0 + (ci * Advance + gx) * scale + sx, py = y0 + gy * scale + sy;
                            if (px < x0 || px >= x0 + maxWidth || px >= canvasWidth || py < 0 || py >= canvasHeight) continue;
                            int o = (py * canvasWidth + px) * channels;
                            for (int ch = 0; ch < channels; ch++) canvas[o + ch] = color[ch];
                        }
                }
    }
}
