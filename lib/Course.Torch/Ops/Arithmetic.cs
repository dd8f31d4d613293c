namespace Course.Torch;

public static partial class torch
{
    public partial class Tensor
    {
        // ---- operators --------------------------------------------------------------------------------------
        public static Tensor operator +(Tensor a, Tensor b) => Arith.Add(a, b);
        public static Tensor operator +(Tensor a, double b) => Arith.Scalar(a, b, BinOp.Add, false);
        public static Tensor operator +(double a, Tensor b) => Arith.Scalar(b, a, BinOp.Add, true);
        public static Tensor operator -(Tensor a, Tensor b) => Arith.Sub(a, b);
        public static Tensor operator -(Tensor a, double b) => Arith.Scalar(a, b, BinOp.Sub, false);
        public static Tensor operator -(double a, Tensor b) => Arith.Scalar(b, a, BinOp.Sub, true);
        public static Tensor operator *(Tensor a, Tensor b) => Arith.Mul(a, b);
        public static Tensor operator *(Tensor a, double b) => Arith.Scalar(a, b, BinOp.Mul, false);
        public static Tensor operator *(double a, Tensor b) => Arith.Scalar(b, a, BinOp.Mul, true);
        public static Tensor operator /(Tensor a, Tensor b) => Arith.Div(a, b);
        public static Tensor operator /(Tensor a, double b) => Arith.Scalar(a, b, BinOp.Div, false);
        public static Tensor operator /(double a, Tensor b) => Arith.Scalar(b, a, BinOp.Div, true);
        public static Tensor operator %(Tensor a, Tensor b) => Binary.Forward(a, b, BinOp.Rem, "remainder");
        public static Tensor operator %(Tensor a, double b) => Arith.Scalar(a, b, BinOp.Rem, false);
        public static Tensor operator -(Tensor a) => a.neg();

        // Implicit scalars so TorchSharp code like t[0] = 5f or torch.where(c, x, 0f) compiles.
        public static implicit operator Tensor(float v) => tensor(v);
        public static implicit operator Tensor(double v) => tensor((float)v);
        public static implicit operator Tensor(int v) => tensor((long)v);
        public static implicit operator Tensor(long v) => tensor(v);
        public static implicit operator Tensor(bool v) => tensor(v);

        // ---- methods -----------------------------------------------------------------------------------------
        public Tensor add(Tensor other) => Arith.Add(this, other);
        public Tensor add(Tensor other, double alpha) => alpha == 1 ? Arith.Add(this, other) : Arith.Add(this, other * alpha);
        public Tensor add(double other) => Arith.Scalar(this, other, BinOp.Add, false);
        public Tensor sub(Tensor other) => Arith.Sub(this, other);
        public Tensor sub(Tensor other, double alpha) => alpha == 1 ? Arith.Sub(this, other) : Arith.Sub(this, other * alpha);
        public Tensor sub(double other) => Arith.Scalar(this, other, BinOp.Sub, false);
        public Tensor mul(Tensor other) => Arith.Mul(this, other);
        public Tensor mul(double other) => Arith.Scalar(this, other, BinOp.Mul, false);
        public Tensor div(Tensor other) => Arith.Div(this, other);
        public Tensor div(double other) => Arith.Scalar(this, other, BinOp.Div, false);
        public Tensor true_divide(Tensor other) => Arith.Div(this, other);
        public Tensor pow(Tensor exponent) => Arith.Pow(this, exponent);
        public Tensor pow(double exponent) => Arith.Scalar(this, exponent, BinOp.Pow, false);
        public Tensor remainder(Tensor other) => Binary.Forward(this, other, BinOp.Rem, "remainder");
        public Tensor remainder(double other) => Arith.Scalar(this, other, BinOp.Rem, false);
        public Tensor maximum(Tensor other) => Arith.MaxMin(this, other, true);
        public Tensor minimum(Tensor other) => Arith.MaxMin(this, other, false);
        public Tensor rsub(double other) => Arith.Scalar(this, other, BinOp.Sub, true);
        public Tensor floor_divide(double other) => (this / other).floor();
    }

    public static Tensor add(Tensor a, Tensor b) => Arith.Add(a, b);
    public static Tensor add(Tensor a, double b) => a + b;
    public static Tensor sub(Tensor a, Tensor b) => Arith.Sub(a, b);
    public static Tensor mul(Tensor a, Tensor b) => Arith.Mul(a, b);
    public static Tensor mul(Tensor a, double b) => a * b;
    public static Tensor div(Tensor a, Tensor b) => Arith.Div(a, b);
    public static Tensor div(Tensor a, double b) => a / b;
    public static Tensor pow(Tensor a, Tensor b) => Arith.Pow(a, b);
    public static Tensor pow(Tensor a, double b) => a.pow(b);
    public static Tensor pow(double a, Tensor b) => Arith.Scalar(b, a, BinOp.Pow, true);
    public static Tensor maximum(Tensor a, Tensor b) => a.maximum(b);
    public static Tensor minimum(Tensor a, Tensor b) => a.minimum(b);
    public static Tensor remainder(Tensor a, Tensor b) => a.remainder(b);
}

/// <summary>Autograd rules of the broadcasting binary ops and their scalar forms.</summary>
internal static class Arith
{
    public static torch.Tensor Add(torch.Tensor a, torch.Tensor b)
    {
        var r = Binary.Forward(a, b, BinOp.Add, "add");
        if (Autograd.Needs(a, b)) Autograd.RecordBroadcast("add", r, a, static g => g, b, static g => g);
        return r;
    }

    public static torch.Tensor Sub(torch.Tensor a, torch.Tensor b)
    {
        var r = Binary.Forward(a, b, BinOp.Sub, "sub");
        if (Autograd.Needs(a, b)) Autograd.RecordBroadcast("sub", r, a, static g => g, b, static g => -g);
        return r;
    }

    public static torch.Tensor Mul(torch.Tensor a, torch.Tensor b)
    {
        var r = Binary.Forward(a, b, BinOp.Mul, "mul");
        if (Autograd.Needs(a, b))
        {
            var n = Autograd.RecordBroadcast("mul", r, a, g => g * b, b, g => g * a);
            if (a.needsGrad) n.Save(b);
            if (b.needsGrad) n.Save(a);
        }
        return r;
    }

    public static torch.Tensor Div(torch.Tensor a, torch.Tensor b)
    {
        var r = Binary.Forward(a, b, BinOp.Div, "div");
        if (Autograd.Needs(a, b))
            Autograd.RecordBroadcast("div", r, a, g => g / b, b, g => -(g * r) / b).Save(b).Save(r);
        return r;
    }

    public static torch.Tensor Pow(torch.Tensor a, torch.Tensor b)
    {
        var r = Binary.Forward(a, b, BinOp.Pow, "pow");
        if (Autograd.Needs(a, b))
            Autograd.RecordBroadcast("pow", r, a, g => g * b * a.pow(b - 1), b, g => g * r * a.log()).Save(a).Save(b);
        return r;
    }

    public static torch.Tensor MaxMin(torch.Tensor a, torch.Tensor b, bool max)
    {
        string name = max ? "maximum" : "minimum";
        var r = Binary.Forward(a, b, max ? BinOp.Max : BinOp.Min, name);
        if (Autograd.Needs(a, b))
        {
            // Ties send the gradient to a, as a deterministic choice.
            var pickA = max ? a.ge(b) : a.le(b);
            Autograd.RecordBroadcast(name, r, a, g => g * pickA, b, g => g * pickA.logical_not());
        }
        return r;
    }

    /// <summary>t op s (or s op t when scalarLeft), with PyTorch's dtype rules for integer tensors.</summary>
    public static torch.Tensor Scalar(torch.Tensor t, double s, BinOp op, bool scalarLeft)
    {
        string name = op.ToString().ToLowerInvariant();
        if (t.dt != torch.ScalarType.Float32)
        {
            bool integral = s == Math.Floor(s) && Math.Abs(s) < 9e15;
            var st = integral && op != BinOp.Div && op != BinOp.Pow ? torch.tensor((long)s) : torch.tensor((float)s);
            return scalarLeft ? Binary.Forward(st, t, op, name) : Binary.Forward(t, st, op, name);
        }
        float f = (float)s;
        var r = scalarLeft ? Binary.ScalarLeft(f, t, op) : Binary.ScalarRight(t, f, op);
        if (!Autograd.Needs(t)) return r;
        switch (op, scalarLeft)
        {
            case (BinOp.Add, _): Autograd.Record(name, r, t, static g => g); break;
            case (BinOp.Sub, false): Autograd.Record(name, r, t, static g => g); break;
            case (BinOp.Sub, true): Autograd.Record(name, r, t, static g => -g); break;
            case (BinOp.Mul, _): Autograd.Record(name, r, t, g => g * s); break;
            case (BinOp.Div, false): Autograd.Record(name, r, t, g => g / s); break;
            case (BinOp.Div, true): Autograd.Record(name, r, t, g => -(g * r) / t).Save(t).Save(r); break;
            case (BinOp.Pow, false):
                if (s == 2) Autograd.Record(name, r, t, g => g * t * 2.0).Save(t);
                else Autograd.Record(name, r, t, g => g * s * t.pow(s - 1)).Save(t);
                break;
            case (BinOp.Pow, true): Autograd.Record(name, r, t, g => g * r * Math.Log(s)).Save(r); break;
            case (BinOp.Max or BinOp.Min, _):
                {
                    var pick = op == BinOp.Max ? t.ge(s) : t.le(s);
                    Autograd.Record(name, r, t, g => g * pick);
                    break;
                }
            case (BinOp.Rem, false): Autograd.Record(name, r, t, static g => g); break;
            default: throw new NotSupportedException($"{name}: gradient of scalar {name} tensor is not supported.");
        }
        return r;
    }
}
