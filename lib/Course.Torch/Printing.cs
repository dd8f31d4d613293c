using System.Globalization;
using System.Text;

namespace Course.Torch;

public static partial class torch
{
    /// <summary>How ToString(style) renders values (TorchSharp's names).</summary>
    public enum TensorStringStyle { Metadata, Julia, Numpy, CSharp, Default }

    /// <summary>Printing defaults: digits after the point, and how many leading/trailing entries per dim when long.</summary>
    public static int PrintPrecision = 4;
    public static int PrintEdgeItems = 3;
    public static int PrintThreshold = 1000;

    public partial class Tensor
    {
        /// <summary>Metadata, or metadata and values (Julia/Default), or numpy-style values.</summary>
        public string ToString(TensorStringStyle style, string? fltFormat = null, int width = 100, CultureInfo? cultureInfo = null, string newLine = "\n")
        {
            _ = width; _ = cultureInfo;
            return style switch
            {
                TensorStringStyle.Metadata => ToString(),
                TensorStringStyle.Numpy => Values(fltFormat, newLine, "[", "]"),
                TensorStringStyle.CSharp => $"[{string.Join("x", shp)}], type = {dt}, device = cpu, value = " + Values(fltFormat, " ", "{", "}"),
                _ => ToString() + newLine + Values(fltFormat, newLine, "[", "]"),
            };
        }

        public string ToString(bool withData, string? fltFormat = null, int width = 100) => withData ? ToString(TensorStringStyle.Julia, fltFormat, width) : ToString();

        /// <summary>Values and metadata as text (TorchSharp's str extension).</summary>
        public string str(string? fltFormat = null, int width = 100, string newLine = "\n") => ToString(TensorStringStyle.Julia, fltFormat, width, null, newLine);

        /// <summary>Writes str() to the console and returns this tensor.</summary>
        public Tensor print(string? fltFormat = null, int width = 100, TensorStringStyle style = TensorStringStyle.Julia)
        {
            Console.WriteLine(ToString(style, fltFormat, width));
            return this;
        }

        internal string FormatElement(int offset, string? fmt) => dt switch
        {
            ScalarType.Float32 => FormatFloat(storage.F![offset], fmt),
            ScalarType.Int64 => storage.L![offset].ToString(CultureInfo.InvariantCulture),
            _ => storage.B![offset] ? "true" : "false",
        };

        static string FormatFloat(float v, string? fmt)
        {
            if (float.IsNaN(v)) return "nan";
            if (float.IsPositiveInfinity(v)) return "inf";
            if (float.IsNegativeInfinity(v)) return "-inf";
            if (fmt is not null) return v.ToString(fmt, CultureInfo.InvariantCulture);
            float a = Math.Abs(v);
            if (a != 0 && (a >= 1e6f || a < 1e-4f)) return v.ToString("0.####e+00", CultureInfo.InvariantCulture);
            return v.ToString("F" + PrintPrecision, CultureInfo.InvariantCulture);
        }

        string Values(string? fmt, string newLine, string open, string close)
        {
            var sb = new StringBuilder();
            bool summarize = count > PrintThreshold;
            if (shp.Length == 0) return FormatElement(offset, fmt);
            // Right-align numbers by the widest element shown.
            Write(sb, 0, offset, fmt, newLine, open, close, summarize, 1);
            return sb.ToString();
        }

        void Write(StringBuilder sb, int d, int off, string? fmt, string newLine, string open, string close, bool summarize, int indent)
        {
            int n = shp[d];
            sb.Append(open);
            int edge = PrintEdgeItems;
            for (int i = 0; i < n; i++)
            {
                if (summarize && n > 2 * edge && i == edge)
                {
                    sb.Append(d == shp.Length - 1 ? "..., " : "..." + "," + newLine + new string(' ', indent));
                    i = n - edge - 1;
                    continue;
                }
                int o = off + i * stv[d];
                if (d == shp.Length - 1) sb.Append(FormatElement(o, fmt).PadLeft(dt == ScalarType.Float32 && fmt is null ? 7 + PrintPrecision - 4 : 0));
                else Write(sb, d + 1, o, fmt, newLine, open, close, summarize, indent + 1);
                if (i < n - 1)
                {
                    if (d == shp.Length - 1) sb.Append(", ");
                    else sb.Append(',').Append(newLine, Math.Max(1, shp.Length - 1 - d)).Append(' ', indent);
                }
            }
            sb.Append(close);
        }
    }
}

internal static class StringBuilderExtensions
{
    public static StringBuilder Append(this StringBuilder sb, string s, int times)
    {
        for (int i = 0; i < times; i++) sb.Append(s);
        return sb;
    }
}
