namespace CloudAssembly.Training.Distributed;

/// <summary>NCCL's <c>ncclResult_t</c>, the members this code reads (values checked against <c>nccl.h</c> by a test).</summary>
public enum NcclResult
{
    Success = 0,
}
