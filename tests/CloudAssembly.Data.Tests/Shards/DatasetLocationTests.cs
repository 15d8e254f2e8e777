using CloudAssembly.Data.Shards;

namespace CloudAssembly.Data.Tests.Shards;

public class DatasetLocationTests
{
    [Fact]
    public void Folder_and_file_forms_name_a_folder_store_and_a_version()
    {
        Assert.Equal(new DatasetLocation("/data/blobs", "cloudassembly", "fmnist", "v1"), DatasetLocation.Parse("/data/blobs#fmnist/v1"));
        Assert.Equal(new DatasetLocation("file:///data/blobs", "cloudassembly", "fmnist", "v1"), DatasetLocation.Parse("file:///data/blobs#fmnist/v1"));
        Assert.Equal(new DatasetLocation("file:///data/blobs", "mine", "imagenet", "2024-06"), DatasetLocation.Parse("file:///data/blobs?container=mine#imagenet/2024-06"));
        Assert.Equal("file:///data/blobs?container=mine#imagenet/v2", DatasetLocation.Format("/data/blobs", "mine", "imagenet", "v2"));
        Assert.Equal("azure://cloudassembly#imagenet/v2", DatasetLocation.Format(null, "cloudassembly", "imagenet", "v2"));
    }

    [Fact]
    public void The_azure_form_takes_its_connection_from_the_environment_only()
    {
        var saved = Environment.GetEnvironmentVariable(DatasetLocation.ConnectionVariable);
        try
        {
            Environment.SetEnvironmentVariable(DatasetLocation.ConnectionVariable, null);
            Assert.Contains("CLOUDASSEMBLY_STORE is not set", Assert.Throws<ArgumentException>(() => DatasetLocation.Parse("azure://data#fmnist/v1")).Message);
            Environment.SetEnvironmentVariable(DatasetLocation.ConnectionVariable, "UseDevelopmentStorage=true");
            var location = DatasetLocation.Parse("azure://data#fmnist/v1");
            Assert.Equal(("UseDevelopmentStorage=true", "data", "fmnist", "v1"), (location.Connection, location.Container, location.Name, location.Version));
            Assert.DoesNotContain("UseDevelopmentStorage", location.ToString());
        }
        finally
        {
            Environment.SetEnvironmentVariable(DatasetLocation.ConnectionVariable, saved);
        }
    }

    [Theory]
    [InlineData("/data/blobs")]
    [InlineData("/data/blobs#fmnist")]
    [InlineData("#fmnist/v1")]
    [InlineData("/data/blobs#Fmnist/v1")]
    public void A_malformed_data_path_says_what_is_expected(string dataPath)
    {
        var e = Assert.Throws<ArgumentException>(() => DatasetLocation.Parse(dataPath));
        Assert.True(e.Message.Contains("expected") || e.Message.Contains("Invalid dataset name"), e.Message);
    }
}
