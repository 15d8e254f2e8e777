namespace CloudAssembly.Training.Distributed;

/// <summary>NCCL's <c>ncclDataType_t</c>, the members this code sends (values checked against <c>nccl.h</c> by a test).</summary>
public enum NcclDataType
{
    Float32 = 7,
    Float64 = 8,
}
