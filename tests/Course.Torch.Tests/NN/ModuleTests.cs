using Course.Torch;
using Course.Torch.Modules;
using static Course.Torch.torch;

namespace Course.Torch.Tests.NN;

[Collection(ProcessWideState.Name)] // uses the default generator (nn layer init, random ops)
public class ModuleTests
{
    /// <summary>A custom module written as in TorchSharp: private fields, RegisterComponents at the end.</summary>
    sealed class Net : nn.Module<Tensor, Tensor>
    {
        private readonly Modules.Linear fc1;
        private readonly Sequential body;
        private readonly Parameter scale;
        private readonly Tensor offset;
        private readonly int notAModule = 3;

        public Net() : base("Net")
        {
            fc1 = nn.Linear(4, 3);
            body = nn.Sequential(nn.Linear(3, 3), nn.ReLU(), nn.Linear(3, 2, hasBias: false));
            scale = nn.Parameter(ones(2));
            offset = zeros(2);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => body.forward(fc1.forward(x).relu()) * scale + offset + notAModule * 0;
    }

    [Fact]
    public void RegisterComponents_names_match_torchsharp()
    {
        var net = new Net();
        var names = net.named_parameters().Select(p => p.name).ToArray();
        Assert.Equal(new[] { "scale", "fc1.weight", "fc1.bias", "body.0.weight", "body.0.bias", "body.2.weight" }, names);
        Assert.Equal(new[] { "offset" }, net.named_buffers().Select(b => b.name));
        Assert.Equal(new[] { "fc1", "body" }, net.named_children().Select(c => c.name));
        Assert.Equal(new[] { "scale", "fc1.weight", "fc1.bias", "body.0.weight", "body.0.bias", "body.2.weight", "offset" }, net.state_dict().Keys);
        Assert.Equal(6, net.parameters().Count());
        Assert.Equal(new[] { "", "fc1", "body", "body.0", "body.1", "body.2" }, net.named_modules().Select(m => m.name));
    }

    [Fact]
    public void Sequential_uses_indices_or_given_names_as_keys()
    {
        var seq = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1));
        Assert.Equal(new[] { "0.weight", "0.bias", "2.weight", "2.bias" }, seq.state_dict().Keys);
        var named = nn.Sequential(("enc", nn.Linear(2, 3)), ("act", nn.ReLU()), ("dec", (nn.Module<Tensor, Tensor>)nn.Linear(3, 2)));
        Assert.Equal(new[] { "enc.weight", "enc.bias", "dec.weight", "dec.bias" }, named.state_dict().Keys);
        seq.append(nn.Sigmoid()).append("head", nn.Linear(1, 1));
        Assert.Equal("head.weight", seq.state_dict().Keys.ElementAt(4));
        Assert.Equal(5, seq.Count);
        var y = seq.forward(ones(5, 2));
        Assert.Equal(new long[] { 5, 1 }, y.shape);
    }

    [Fact]
    public void ToString_prints_the_module_tree_like_pytorch()
    {
        var net = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Sequential(("out", nn.Linear(3, 1, hasBias: false))));
        Assert.Equal("Sequential(\n  (0): Linear(in_features=2, out_features=3, bias=True)\n  (1): ReLU()\n  (2): Sequential(\n    (out): Linear(in_features=3, out_features=1, bias=False)\n  )\n)", net.ToString());
    }

    [Fact]
    public void ModuleList_and_ModuleDict_register_their_items()
    {
        var list = nn.ModuleList(nn.Linear(1, 2), nn.Linear(2, 1));
        Assert.Equal(new[] { "0.weight", "0.bias", "1.weight", "1.bias" }, list.state_dict().Keys);
        var dict = nn.ModuleDict(("a", nn.Linear(1, 1)));
        Assert.Equal(new[] { "a.weight", "a.bias" }, dict.state_dict().Keys);
    }

    [Fact]
    public void Train_and_eval_reach_every_submodule()
    {
        var net = nn.Sequential(nn.Linear(2, 2), nn.Dropout(0.5), nn.BatchNorm1d(2));
        Assert.True(net.training);
        net.eval();
        Assert.All(net.modules(), m => Assert.False(m.training));
        var x = randn(8, 2, generator: new Generator(3));
        Assert.True(net.forward(x).equal(net.forward(x)));
        net.train();
        Assert.All(net.modules(), m => Assert.True(m.training));
    }

    [Fact]
    public void Zero_grad_drops_gradients_of_all_parameters()
    {
        var net = new Net();
        net.forward(ones(3, 4)).sum().backward();
        Assert.All(net.parameters(), p => Assert.NotNull(p.grad));
        net.zero_grad();
        Assert.All(net.parameters(), p => Assert.Null(p.grad));
    }

    [Fact]
    public void Load_state_dict_copies_values_in_place()
    {
        var a = nn.Linear(3, 2);
        var b = nn.Linear(3, 2);
        var weightBefore = b.weight;
        b.load_state_dict(a.state_dict());
        Assert.Same(weightBefore, b.weight);
        Assert.True(b.weight.equal(a.weight));
        var x = randn(4, 3, generator: new Generator(5));
        Assert.True(a.forward(x).equal(b.forward(x)));
    }

    [Fact]
    public void Assigning_a_layer_parameter_re_registers_it()
    {
        var lin = nn.Linear(2, 2);
        var w = nn.Parameter(ones(2, 2));
        lin.weight = w;
        Assert.Same(w, lin.named_parameters().First(p => p.name == "weight").parameter);
        Assert.True(lin.forward(ones(1, 2)).equal(ones(1, 2) * 2 + lin.bias!));
        lin.bias = null;
        Assert.Equal(new[] { "weight" }, lin.state_dict().Keys);
    }

    [Fact]
    public void Load_state_dict_errors_name_the_key()
    {
        var m = nn.Sequential(nn.Linear(3, 2));
        var missing = new Dictionary<string, Tensor> { ["0.weight"] = zeros(2, 3) };
        var ex = Assert.Throws<ArgumentException>(() => m.load_state_dict(missing));
        Assert.Contains("'0.bias'", ex.Message);
        Assert.Contains("missing", ex.Message);

        var extra = new Dictionary<string, Tensor> { ["0.weight"] = zeros(2, 3), ["0.bias"] = zeros(2), ["1.weight"] = zeros(1) };
        var ex2 = Assert.Throws<ArgumentException>(() => m.load_state_dict(extra));
        Assert.Contains("'1.weight'", ex2.Message);
        Assert.Contains("unexpected", ex2.Message);
        var (mk, uk) = m.load_state_dict(extra, strict: false);
        Assert.Empty(mk);
        Assert.Equal(new[] { "1.weight" }, uk);

        var wrong = new Dictionary<string, Tensor> { ["0.weight"] = zeros(3, 3), ["0.bias"] = zeros(2) };
        var ex3 = Assert.Throws<ArgumentException>(() => m.load_state_dict(wrong));
        Assert.Contains("'0.weight'", ex3.Message);
        Assert.Contains("[3, 3]", ex3.Message);
        Assert.Contains("[2, 3]", ex3.Message);
    }

    [Fact]
    public void Default_init_bounds_follow_pytorch()
    {
        manual_seed(0);
        var lin = nn.Linear(100, 50);
        double bound = 1 / Math.Sqrt(100);
        var w = lin.weight.data<float>().ToArray();
        Assert.All(w, v => Assert.InRange(v, -bound, bound));
        Assert.True(w.Max() > 0.9 * bound && w.Min() < -0.9 * bound, "weights should fill the whole range");
        Assert.All(lin.bias!.data<float>().ToArray(), v => Assert.InRange(v, -bound, bound));
        // Uniform on [-b, b] has std b / sqrt(3).
        double std = Math.Sqrt(w.Select(v => (double)v * v).Average());
        Assert.InRange(std, 0.9 * bound / Math.Sqrt(3), 1.1 * bound / Math.Sqrt(3));

        var conv = nn.Conv2d(4, 8, 3);
        double cb = 1 / Math.Sqrt(4 * 9);
        Assert.All(conv.weight.data<float>().ToArray(), v => Assert.InRange(v, -cb, cb));
        Assert.Equal(new long[] { 8, 4, 3, 3 }, conv.weight.shape);

        var emb = nn.Embedding(1000, 10);
        var e = emb.weight.data<float>().ToArray();
        Assert.InRange(e.Select(v => (double)v * v).Average(), 0.9, 1.1);
    }

    [Fact]
    public void Init_functions_fill_with_the_documented_spread()
    {
        var t = empty(200, 300);
        nn.init.xavier_uniform_(t, generator: new Generator(1));
        double a = Math.Sqrt(6.0 / 500);
        Assert.All(t.data<float>().ToArray(), v => Assert.InRange(v, -a, a));
        nn.init.kaiming_normal_(t, nonlinearity: nn.init.NonlinearityType.ReLU, generator: new Generator(2));
        double std = Math.Sqrt(t.square().mean().item<float>());
        Assert.InRange(std, 0.95 * Math.Sqrt(2.0 / 300), 1.05 * Math.Sqrt(2.0 / 300));
        Assert.Equal(5.0 / 3, nn.init.calculate_gain(nn.init.NonlinearityType.Tanh), 10);
        Assert.Equal(Math.Sqrt(2.0 / (1 + 0.04)), nn.init.calculate_gain(nn.init.NonlinearityType.LeakyReLU, 0.2), 10);
        nn.init.constant_(t, 0.25);
        Assert.Equal(0.25f, t.mean().item<float>());
        var p = nn.Parameter(zeros(3));
        nn.init.ones_(p);
        Assert.Equal(3f, p.sum().item<float>());
    }

    [Fact]
    public void Same_seed_gives_the_same_model()
    {
        manual_seed(42);
        var a = nn.Sequential(nn.Linear(5, 4), nn.Conv2d(1, 2, 3));
        manual_seed(42);
        var b = nn.Sequential(nn.Linear(5, 4), nn.Conv2d(1, 2, 3));
        foreach (var ((ka, ta), (kb, tb)) in a.state_dict().Zip(b.state_dict()))
        {
            Assert.Equal(ka, kb);
            Assert.True(ta.equal(tb), ka);
        }
    }

    [Fact]
    public void Layers_produce_the_documented_shapes()
    {
        var x = randn(2, 3, 8, 8, generator: new Generator(1));
        Assert.Equal(new long[] { 2, 5, 8, 8 }, nn.Conv2d(3, 5, 3, padding: 1).forward(x).shape);
        Assert.Equal(new long[] { 2, 5, 8, 8 }, nn.Conv2d(3, 5, 5, Padding.Same).forward(x).shape);
        Assert.Equal(new long[] { 2, 5, 4, 4 }, nn.Conv2d(3, 5, (3, 3), stride: (2, 2), padding: (1, 1)).forward(x).shape);
        Assert.Equal(new long[] { 2, 4, 16, 16 }, nn.ConvTranspose2d(3, 4, 4, stride: 2, padding: 1).forward(x).shape);
        Assert.Equal(new long[] { 2, 4, 17, 17 }, nn.ConvTranspose2d(3, 4, 3, stride: 2, padding: 0, output_padding: 0).forward(x).shape);
        Assert.Equal(new long[] { 2, 3, 4, 4 }, nn.MaxPool2d(2).forward(x).shape);
        Assert.Equal(new long[] { 2, 3, 4, 4 }, nn.AvgPool2d(2).forward(x).shape);
        Assert.Equal(new long[] { 2, 3, 16, 16 }, nn.Upsample(scale_factor: [2.0]).forward(x).shape);
        Assert.Equal(new long[] { 2, 192 }, nn.Flatten().forward(x).shape);
        Assert.Equal(new long[] { 2, 3, 64 }, nn.Unflatten(1, [3, 64]).forward(nn.Flatten().forward(x)).shape);
        Assert.Equal(new long[] { 4, 5, 7 }, nn.Embedding(10, 7).forward(tensor(new long[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0 }, [4, 5])).shape);
        Assert.True(nn.Identity().forward(x).equal(x));
        Assert.True(nn.LeakyReLU(0.2).forward(tensor(-1f)).allclose(tensor(-0.2f)));
        var ex = Assert.Throws<ArgumentException>(() => nn.BatchNorm2d(4).forward(x));
        Assert.Contains("BatchNorm2d", ex.Message);
        Assert.Contains("[2, 3, 8, 8]", ex.Message);
    }
}
