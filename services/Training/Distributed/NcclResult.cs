namespace CloudAssembly.Training.Distributed;

/// <summary>NCCL's <c>ncclResult_t</c>: success, and the error a communicator reports when a peer is gone (values checked against <c>nccl.h</c> by a test).</summary>
public enum NcclResult
{
    Success = 0,
    RemoteError = 6,
}
