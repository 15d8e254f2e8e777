namespace CloudAssembly.Training.Distributed;

public enum ReduceOp
{
    Sum,
    Max,
}
