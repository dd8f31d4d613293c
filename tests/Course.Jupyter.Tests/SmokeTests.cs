namespace Course.Jupyter.Tests;

public class SmokeTests
{
    [Fact]
    public void Assembly_loads() => Assert.NotNull(typeof(SmokeTests).Assembly);
}
