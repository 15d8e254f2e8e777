using CloudAssembly.Storage;
using CloudAssembly.TestSupport;

namespace CloudAssembly.Storage.Tests;

public sealed class AzureBlobStoreContractTests(AzuriteContainer container) : BlobStoreContract, IClassFixture<AzuriteContainer>
{
    protected override IBlobStore CreateStore(BlobTransferOptions? transfer = null) =>
        new AzureBlobStore(container.Connection, container.Name, transfer);
}
