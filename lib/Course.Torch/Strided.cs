namespace Course.Torch;

using static torch;

/// <summary>Strided copies: materialising views as contiguous data, writing into views, dtype conversion.</summary>
internal static class Strided
{
    /// <summary>Copies src (any strides) into a fresh contiguous tensor of the same dtype.</summary>
    public static Tensor Contiguous(Tensor src)
    {
        var dst = Tensor.Empty(src.shp, src.dt);
        CopyInto(src, src.stv, dst.storage, 0, dst.stv, src.shp);
        return dst;
    }

    /// <summary>Copies src read with the given (possibly broadcast) strides and shape into dst's geometry.</summary>
    public static void CopyInto(Tensor src, int[] srcStrides, Storage dst, int dstOff, int[] dstStrides, int[] shape)
    {
        switch (src.dt)
        {
            case ScalarType.Float32: Copy(src.storage.F!, src.offset, srcStrides, dst.F!, dstOff, dstStrides, shape); break;
            case ScalarType.Int64: Copy(src.storage.L!, src.offset, srcStrides, dst.L!, dstOff, dstStrides, shape); break;
            default: Copy(src.storage.B!, src.offset, srcStrides, dst.B!, dstOff, dstStrides, shape); break;
        }
    }

    /// <summary>Materialises t broadcast to shape as a new contiguous tensor.</summary>
    public static Tensor Expand(Tensor t, int[] shape, string op)
    {
        var strides = Shape.BroadcastStrides(t.shp, t.stv, shape, op);
        var dst = Tensor.Empty(shape, t.dt);
        CopyInto(t, strides, dst.storage, 0, dst.stv, shape);
        return dst;
    }

    public static void Copy<T>(T[] src, int srcOff, int[] srcStrides, T[] dst, int dstOff, int[] dstStrides, int[] shape)
    {
        // Coalesce: drop size-1 dims and merge dims that are contiguous in both source and destination.
        Span<int> sh = stackalloc int[shape.Length], ss = stackalloc int[shape.Length], ds = stackalloc int[shape.Length];
        int n = 0;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] == 1) continue;
            if (shape[i] == 0) return;
            if (n > 0 && ss[n - 1] == srcStrides[i] * shape[i] && ds[n - 1] == dstStrides[i] * shape[i])
            {
                sh[n - 1] *= shape[i]; ss[n - 1] = srcStrides[i]; ds[n - 1] = dstStrides[i];
            }
            else { sh[n] = shape[i]; ss[n] = srcStrides[i]; ds[n] = dstStrides[i]; n++; }
        }
        if (n == 0) { dst[dstOff] = src[srcOff]; return; }
        int inner = sh[n - 1], si = ss[n - 1], di = ds[n - 1];
        Span<int> idx = stackalloc int[n];
        int so = srcOff, doff = dstOff;
        while (true)
        {
            if (si == 1 && di == 1) Array.Copy(src, so, dst, doff, inner);
            else if (si == 0) { var v = src[so]; if (di == 1) dst.AsSpan(doff, inner).Fill(v); else for (int j = 0; j < inner; j++) dst[doff + j * di] = v; }
            else for (int j = 0; j < inner; j++) dst[doff + j * di] = src[so + j * si];
            int d = n - 2;
            for (; d >= 0; d--)
            {
                idx[d]++; so += ss[d]; doff += ds[d];
                if (idx[d] < sh[d]) break;
                so -= ss[d] * sh[d]; doff -= ds[d] * sh[d]; idx[d] = 0;
            }
            if (d < 0) return;
        }
    }

    /// <summary>Elementwise dtype conversion into a new contiguous tensor (bool is 0/1).</summary>
    public static Tensor Convert(Tensor t, ScalarType to)
    {
        var c = t.contig ? t : Contiguous(t);
        var r = Tensor.Empty(t.shp, to);
        int n = t.count;
        switch (t.dt, to)
        {
            case (ScalarType.Float32, ScalarType.Float32): c.FSpan.CopyTo(r.FSpan); break;
            case (ScalarType.Int64, ScalarType.Int64): c.LSpan.CopyTo(r.LSpan); break;
            case (ScalarType.Bool, ScalarType.Bool): c.BSpan.CopyTo(r.BSpan); break;
            case (ScalarType.Int64, ScalarType.Float32): { var s = c.LSpan; var d = r.FSpan; for (int i = 0; i < n; i++) d[i] = s[i]; break; }
            case (ScalarType.Bool, ScalarType.Float32): { var s = c.BSpan; var d = r.FSpan; for (int i = 0; i < n; i++) d[i] = s[i] ? 1f : 0f; break; }
            case (ScalarType.Float32, ScalarType.Int64): { var s = c.FSpan; var d = r.LSpan; for (int i = 0; i < n; i++) d[i] = (long)s[i]; break; }
            case (ScalarType.Bool, ScalarType.Int64): { var s = c.BSpan; var d = r.LSpan; for (int i = 0; i < n; i++) d[i] = s[i] ? 1 : 0; break; }
            case (ScalarType.Float32, ScalarType.Bool): { var s = c.FSpan; var d = r.BSpan; for (int i = 0; i < n; i++) d[i] = s[i] != 0; break; }
            case (ScalarType.Int64, ScalarType.Bool): { var s = c.LSpan; var d = r.BSpan; for (int i = 0; i < n; i++) d[i] = s[i] != 0; break; }
            default: throw new NotSupportedException($"to: conversion from {t.dt} to {to} is not supported.");
        }
        return r;
    }
}
