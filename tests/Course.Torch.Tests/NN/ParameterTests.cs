using Course.Torch;
using Course.Torch.Modules;
using static Course.Torch.torch;

namespace Course.Torch.Tests.NN;

/// <summary>Parameter is a Tensor subclass, as TorchSharp's: course code uses it wherever a tensor goes.</summary>
[Collection(ProcessWideState.Name)] // uses the default generator (nn layer init, random ops)
public class ParameterTests
{
    [Fact]
    public void Parameter_is_a_leaf_tensor_that_requires_grad_and_shares_the_data()
    {
        var data = randn(3, 4, generator: new Generator(1));
        var p = nn.Parameter(data);
        Tensor asTensor = p;
        Assert.Same(p, asTensor);
        Assert.True(p.requires_grad);
        Assert.True(p.is_leaf);
        Assert.False(data.requires_grad);
        Assert.Equal(new long[] { 3, 4 }, p.shape);
        Assert.Equal(ScalarType.Float32, p.dtype);
        // Shares storage with the tensor it was made from, in both directions.
        p.data<float>()[0, 0] = 42f;
        Assert.Equal(42f, data[0, 0].item<float>());
        data[2, 3] = tensor(-7f);
        Assert.Equal(-7f, p.data<float>()[2, 3]);
        Assert.False(nn.Parameter(zeros(2), requires_grad: false).requires_grad);
    }

    [Fact]
    public void Parameter_of_a_non_leaf_is_a_fresh_leaf_over_the_same_values()
    {
        var x = ones(2, 2).requires_grad_();
        var y = x * 3;
        var p = new Parameter(y);
        Assert.True(p.is_leaf);
        Assert.True(p.equal(full(2, 2, 3f)));
        p.sum().backward();
        Assert.Null(x.grad);
        Assert.True(p.grad!.equal(ones(2, 2)));
    }

    [Fact]
    public void Parameter_rejects_non_float_data_naming_dtype_and_shape()
    {
        var e = Assert.Throws<ArgumentException>(() => nn.Parameter(zeros(new long[] { 2, 3 }, dtype: int64)));
        Assert.Contains("Int64", e.Message);
        Assert.Contains("[2, 3]", e.Message);
        Assert.Throws<ArgumentNullException>(() => new Parameter(null!));
    }

    [Fact]
    public void Arithmetic_views_and_backward_work_on_parameters_directly()
    {
        var w = nn.Parameter(tensor(new float[] { 1, 2, 3, 4 }, [2, 2]));
        var b = nn.Parameter(tensor(new float[] { 0.5f, -0.5f }));
        var x = tensor(new float[] { 1, 1 }, [1, 2]);
        var y = x.matmul(w.t()) + b;          // Tensor op Parameter
        var z = (2.0 * w - w / 2 + (-w)).sum() + (w * w).sum() + w.view(-1)[0];
        (y.sum() + z).backward();
        // d/dw: row sums of x (ones) + 0.5 + 2w + [1,0,0,0] at w[0,0].
        var expected = tensor(new float[] { 1 + 0.5f + 2 + 1, 1 + 0.5f + 4, 1 + 0.5f + 6, 1 + 0.5f + 8 }, [2, 2]);
        Assert.True(w.grad!.allclose(expected), w.grad.str());
        Assert.True(b.grad!.equal(ones(2)));
        Assert.Equal(typeof(Tensor), y.GetType());
    }

    [Fact]
    public void In_place_updates_of_a_parameter_need_no_grad()
    {
        var p = nn.Parameter(zeros(3));
        Assert.Throws<InvalidOperationException>(() => p.add_(ones(3)));
        using (no_grad()) p.add_(ones(3)).mul_(2);
        Assert.True(p.equal(full(3, 2f)));
        Assert.True(p.is_leaf && p.requires_grad);
    }

    [Fact]
    public void Module_enumeration_and_state_dict_have_torchsharp_types()
    {
        var m = nn.Sequential(nn.Linear(3, 2), nn.ReLU(), nn.Linear(2, 1));
        IEnumerable<Parameter> ps = m.parameters();
        (string name, Parameter parameter) first = m.named_parameters().First();
        Dictionary<string, Tensor> sd = m.state_dict();
        Assert.Equal("0.weight", first.name);
        Assert.Equal(4, ps.Count());
        // The state dict's values are the live parameters, so it sees later updates.
        Assert.Same(first.parameter, sd["0.weight"]);
        Assert.IsType<Parameter>(sd["2.bias"]);
        Assert.Equal(3 * 2 + 2 + 2 + 1, ps.Sum(p => p.numel()));
    }

    sealed class TensorFields : nn.Module<Tensor, Tensor>
    {
        private readonly Tensor weight;   // holds a Parameter: registered as a parameter
        private readonly Tensor mask;     // a plain tensor: registered as a buffer
        public TensorFields() : base("TensorFields")
        {
            weight = nn.Parameter(ones(2));
            mask = zeros(2);
            RegisterComponents();
        }
        public override Tensor forward(Tensor x) => x * weight + mask;
    }

    [Fact]
    public void A_tensor_field_holding_a_parameter_registers_as_a_parameter()
    {
        var m = new TensorFields();
        Assert.Equal(new[] { "weight" }, m.named_parameters().Select(p => p.name));
        Assert.Equal(new[] { "mask" }, m.named_buffers().Select(b => b.name));
    }

    [Fact]
    public void Optimizers_take_parameters_plain_tensors_and_collection_expressions()
    {
        var m = nn.Linear(2, 1);
        var raw = zeros(2).requires_grad_();
        var fromModule = optim.SGD(m.parameters(), 0.1);
        var fromTensors = optim.Adam(new[] { raw }, lr: 0.1);
        var fromList = optim.AdamW([m.weight, m.bias!, raw]);
        var group = optim.SGD([new optim.ParamGroup(m.parameters(), 0.5)]);
        Assert.Equal(2, fromModule.parameters().Count());
        Assert.Single(fromTensors.parameters());
        Assert.Equal(3, fromList.parameters().Count());
        Assert.Equal(0.5, group.param_groups[0].LearningRate);

        // One SGD step moves each parameter by -lr * grad, in place on the same object.
        var w = m.weight;
        var before = w.clone();
        m.forward(ones(1, 2)).sum().backward();
        fromModule.step();
        Assert.Same(w, m.weight);
        Assert.True(w.allclose(before - 0.1 * ones(1, 2)));
        Assert.True(nn.utils.clip_grad_norm_(m.parameters(), 1e-3) > 0);
        Assert.Equal(3, nn.utils.parameters_to_vector(m.parameters()).numel());
    }

    [Fact]
    public void Parameter_finds_the_tensor_display_formatter_through_its_base_type()
    {
        var attr = typeof(Parameter).GetCustomAttributes(true).Single(a => a.GetType().Name == "TypeFormatterSourceAttribute");
        Assert.NotNull(attr);
        var p = nn.Parameter(tensor(new float[] { 1.5f, 2 }));
        Assert.Equal(tensor(new float[] { 1.5f, 2 }).str(), p.str());
        Assert.Equal("[2], type = Float32, device = cpu", p.ToString());
    }
}
