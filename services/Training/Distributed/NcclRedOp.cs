namespace CloudAssembly.Training.Distributed;

/// <summary>NCCL's <c>ncclRedOp_t</c>, the members this code sends (values checked against <c>nccl.h</c> by a test).</summary>
public enum NcclRedOp
{
    Sum = 0,
    Max = 2,
}
