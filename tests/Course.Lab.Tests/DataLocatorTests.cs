namespace Course.Lab.Tests;

[Collection(GlobalStateCollection.Name)]
public class DataLocatorTests
{
    [Fact]
    public void Walks_up_to_data_mnist_from_a_nested_folder()
    {
        var root = TestRepo.TempDir("locator");
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "data", "mnist"));
            var nested = Directory.CreateDirectory(Path.Combine(root, "notebooks", "exercises")).FullName;
            Assert.Equal(Path.Combine(root, "data", "mnist"), DataLocator.WalkUp(nested, Path.Combine("data", "mnist")));
            Assert.Null(DataLocator.WalkUp(nested, Path.Combine("data", "nothing-here")));
        }
        finally { Directory.Delete(root, recursive: true); }
    }

    [Fact]
    public void Environment_variable_may_name_data_or_data_mnist()
    {
        var before = Environment.GetEnvironmentVariable(DataLocator.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(DataLocator.EnvironmentVariable, Path.Combine(TestRepo.Root, "data"));
            Assert.Equal(TestRepo.MnistDir, DataLocator.FindMnistDirectory());
            Environment.SetEnvironmentVariable(DataLocator.EnvironmentVariable, TestRepo.MnistDir);
            Assert.Equal(TestRepo.MnistDir, DataLocator.FindMnistDirectory());
            Environment.SetEnvironmentVariable(DataLocator.EnvironmentVariable, "/no/such/folder");
            Assert.Contains("COURSE_DATA", Assert.Throws<DirectoryNotFoundException>(() => DataLocator.FindMnistDirectory()).Message);
        }
        finally { Environment.SetEnvironmentVariable(DataLocator.EnvironmentVariable, before); }
    }

    [Fact]
    public void Explicit_directory_wins_and_must_exist()
    {
        Assert.Equal(TestRepo.MnistDir, DataLocator.FindMnistDirectory(TestRepo.MnistDir));
        Assert.Contains("/no/such", Assert.Throws<DirectoryNotFoundException>(() => DataLocator.FindMnistDirectory("/no/such")).Message);
    }

    [Fact]
    public void Finds_the_repository_data_from_inside_it()
    {
        var before = Environment.CurrentDirectory;
        var env = Environment.GetEnvironmentVariable(DataLocator.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(DataLocator.EnvironmentVariable, null);
            Environment.CurrentDirectory = Path.Combine(TestRepo.Root, "notebooks");
            Assert.Equal(TestRepo.MnistDir, DataLocator.FindMnistDirectory());
        }
        finally
        {
            Environment.CurrentDirectory = before;
            Environment.SetEnvironmentVariable(DataLocator.EnvironmentVariable, env);
        }
    }
}
