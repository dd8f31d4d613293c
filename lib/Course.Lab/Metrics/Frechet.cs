using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace Course.Lab;

public static partial class Metrics
{
    /// <summary>
    /// Squared Frechet distance between Gaussians fitted to two feature sets (rows = samples):
    /// |mu1 - mu2|^2 + tr(S1) + tr(S2) - 2 tr(sqrt(S1 S2)). The trace term is computed stably as
    /// tr(sqrt(A S2 A)) with A = sqrt(S1), both from symmetric eigendecompositions (tiny negative eigenvalues from
    /// round-off are clamped to 0). This is the FID formula when the features come from a classifier.
    /// </summary>
    public static double FrechetDistance(double[,] features1, double[,] features2)
    {
        if (features1.GetLength(1) != features2.GetLength(1))
            throw new ArgumentException(
                $"FrechetDistance: feature sets have {features1.GetLength(1)} and {features2.GetLength(1)} dimensions.");
        var (mu1, s1) = MeanAndCovariance(features1, "first");
        var (mu2, s2) = MeanAndCovariance(features2, "second");
        return FrechetDistance(mu1, s1, mu2, s2);
    }

    /// <summary>Frechet distance of row-major features: <paramref name="n1"/> and <paramref name="n2"/> rows of <paramref name="dims"/>.</summary>
    public static double FrechetDistance(float[] features1, int n1, float[] features2, int n2, int dims)
    {
        return FrechetDistance(ToMatrix(features1, n1, dims, "first"), ToMatrix(features2, n2, dims, "second"));

        static double[,] ToMatrix(float[] f, int n, int d, string which)
        {
            if (f.Length != (long)n * d)
                throw new ArgumentException($"FrechetDistance: {which} feature set has {f.Length} values, not {n} x {d}.");
            var m = new double[n, d];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < d; j++) m[i, j] = f[i * d + j];
            return m;
        }
    }

    /// <summary>Frechet distance between two Gaussians given by mean and covariance.</summary>
    public static double FrechetDistance(Vector<double> mu1, Matrix<double> s1, Vector<double> mu2, Matrix<double> s2)
    {
        var a = SymmetricSqrt(s1);
        var m = a * s2 * a;
        m = (m + m.Transpose()) / 2; // round-off makes A S2 A slightly asymmetric
        var eigen = m.Evd(Symmetricity.Symmetric).EigenValues;
        double traceSqrt = eigen.Sum(e => Math.Sqrt(Math.Max(e.Real, 0)));
        var d = mu1 - mu2;
        return d.DotProduct(d) + s1.Trace() + s2.Trace() - 2 * traceSqrt;
    }

    /// <summary>Mean vector and unbiased covariance (n - 1) of the rows.</summary>
    public static (Vector<double> Mean, Matrix<double> Covariance) MeanAndCovariance(double[,] rows, string which = "")
    {
        int n = rows.GetLength(0);
        if (n < 2) throw new ArgumentException($"FrechetDistance: the {which} feature set needs at least 2 samples, got {n}.");
        var x = Matrix<double>.Build.DenseOfArray(rows);
        var mean = x.ColumnSums() / n;
        var centred = x - Matrix<double>.Build.Dense(n, x.ColumnCount, (_, j) => mean[j]);
        var cov = centred.TransposeThisAndMultiply(centred) / (n - 1);
        return (mean, cov);
    }

    /// <summary>The symmetric positive semi-definite square root V diag(sqrt(max(λ,0))) Vᵀ.</summary>
    internal static Matrix<double> SymmetricSqrt(Matrix<double> s)
    {
        var evd = s.Evd(Symmetricity.Symmetric);
        var v = evd.EigenVectors;
        var roots = Matrix<double>.Build.DiagonalOfDiagonalVector(
            Vector<double>.Build.Dense(s.RowCount, i => Math.Sqrt(Math.Max(evd.EigenValues[i].Real, 0))));
        return v * roots * v.Transpose();
    }
}
