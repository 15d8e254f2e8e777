using System.Runtime.InteropServices;
using CloudAssembly.Model;
using CloudAssembly.Orchestration.Trainer;
using static TorchSharp.torch;

namespace CloudAssembly.Orchestration.Tests;

public class AttemptFailureReasonTests
{
    [Fact]
    public void A_libtorch_error_in_the_forward_pass_is_said_in_our_words_and_its_native_text_stays_in_the_log()
    {
        using var model = new VisionTransformer(ModelCatalog.Create("vit_mini_patch4_28", 10, [1, 1, 1, 1]));
        using var images = zeros(2, 1, 28, 28, dtype: ScalarType.Float64);
        var error = Assert.ThrowsAny<ExternalException>(() => model.call(images));

        var reason = AttemptFailureReason.For(error, "trainer-1");

        Assert.Equal("libtorch stopped with an internal error in the forward pass; trainer 'trainer-1' logged its message.", reason);
        Assert.DoesNotContain(error.Message.Split('\n')[0], reason);
    }

    [Fact]
    public void An_error_of_ours_is_passed_on_as_it_is()
    {
        var error = new InvalidDataException("The checkpoint /a/b.pth is truncated; write it again.");
        Assert.Equal(error.Message, AttemptFailureReason.For(error, "trainer-1"));
    }
}
