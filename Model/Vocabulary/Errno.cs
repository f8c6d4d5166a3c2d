namespace Harness.Model;

/// <summary>Linux error numbers, as the ABI returns them (negated in the kernel). <see cref="Ok"/> is success.</summary>
public enum Errno
{
    Ok = 0,
    EPERM = 1,
    ENOENT = 2,
    ENOMEM = 12,
    EFAULT = 14,
    EBUSY = 16,
    EEXIST = 17,
    ENODEV = 19,
    EINVAL = 22,
    ENOSPC = 28,
    ERANGE = 34,
    EOVERFLOW = 75,
    EADDRINUSE = 98,
}
