namespace CloudAssembly.Storage;

internal enum WriteCondition
{
    None,
    IfAbsent,
    IfMatch,
}
