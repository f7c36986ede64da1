using ProviderPortal.Domain.Environments.Connectors;

namespace ProviderPortal.Connectors.Lab;

/// <summary>The default lab: four VMs that together show what the portal must handle (a VM without tools, CBT off, two disks).</summary>
internal static class LabDefaults
{
    private const long MiB = 1024 * 1024;
    private const long GiB = 1024 * MiB;

    private sealed record VmSpec(string Name, int Cpus, long Memory, string Vendor, string GuestOs, GuestToolsState Tools, VmPowerState Power, bool Cbt, long Rate, long[] Disks);

    private static readonly VmSpec[] s_vms =
    [
        new("lab-web-01", 2, 4 * GiB, "Intel", "Ubuntu Linux 24.04 (64-bit)", GuestToolsState.Running, VmPowerState.PoweredOn, true, 512 * 1024, [1 * GiB]),
        new("lab-db-01", 4, 16 * GiB, "Intel", "Red Hat Enterprise Linux 9 (64-bit)", GuestToolsState.Running, VmPowerState.PoweredOn, true, 2 * MiB, [1 * GiB, 2 * GiB]),
        new("lab-app-01", 2, 8 * GiB, "AMD", "Microsoft Windows Server 2022 (64-bit)", GuestToolsState.Running, VmPowerState.PoweredOn, true, 1 * MiB, [2 * GiB]),
        new("lab-legacy-01", 1, 2 * GiB, "Intel", "CentOS 6 (64-bit)", GuestToolsState.NotInstalled, VmPowerState.PoweredOff, false, 256 * 1024, [1 * GiB, 1 * GiB]),
    ];

    /// <summary>The folder, under the lab's root, that holds the live disks.</summary>
    public const string DisksFolder = "disks";

    /// <summary>Every file <see cref="Create"/> writes, relative to the lab's root.</summary>
    public static IEnumerable<string> FileNames() =>
        s_vms.SelectMany(vm => vm.Disks.Select((_, d) => DiskFileName(vm.Name, d)));

    /// <summary>Writes the disks and returns the state to save; the caller holds the lock.</summary>
    public static LabState Create(string root, LabOptions options)
    {
        var state = new LabState();
        var random = new Random(options.RandomSeed);
        for (var v = 0; v < s_vms.Length; v++)
        {
            var spec = s_vms[v];
            var vm = new LabVmState
            {
                Id = spec.Name,
                Name = spec.Name,
                PowerState = spec.Power,
                CpuCount = spec.Cpus,
                CpuVendor = spec.Vendor,
                MemoryBytes = spec.Memory,
                GuestOs = spec.GuestOs,
                ToolsState = spec.Tools,
                ChangeTracking = spec.Cbt,
                WorkloadBytesPerSecond = spec.Rate,
                Nics = [new LabNicState { Key = "nic-0", MacAddress = $"52:54:00:1a:{v + 1:x2}:01" }],
            };
            for (var d = 0; d < spec.Disks.Length; d++)
            {
                var capacity = spec.Disks[d];
                var disk = new LabDiskState
                {
                    Key = $"disk-{d}",
                    Label = $"Hard disk {d + 1}",
                    CapacityBytes = capacity,
                    FileName = DiskFileName(vm.Id, d),
                    HotOffset = capacity / 4,
                    HotLength = 64 * MiB,
                };
                if (vm.ChangeTracking)
                {
                    LabEnvironment.StartTracking(disk);
                }

                var path = Path.Combine(root, disk.FileName);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                Fill(path, capacity, options.DataBytesPerDisk, random);
                vm.Disks.Add(disk);
            }

            state.Vms.Add(vm);
        }

        return state;
    }

    private static string DiskFileName(string vm, int disk) => Path.Combine(DisksFolder, vm, $"disk-{disk}.img");

    /// <summary>
    /// Half the data at the start (a "system" area with an allocated all-zero run inside), a quarter at the
    /// hot region, a quarter in the middle; the rest of the disk stays a hole.
    /// </summary>
    private static void Fill(string path, long capacity, long dataBytes, Random random)
    {
        using var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read);
        RandomAccess.SetLength(handle, capacity);
        var block = LabEnvironment.BlockSize;
        var half = dataBytes / 2 / block * block;
        var quarter = dataBytes / 4 / block * block;
        var buffer = new byte[MiB];
        WriteRandom(handle, 0, half, buffer, random);
        WriteRandom(handle, capacity / 4, quarter, buffer, random);
        WriteRandom(handle, capacity / 2, quarter, buffer, random);

        // Allocated zeroes, as a guest's zeroed free space: a copier must treat them as data or as zeroes, never skip them.
        var zeroes = new byte[Math.Min(MiB, half / 4)];
        RandomAccess.Write(handle, zeroes, half / 2);
        RandomAccess.Write(handle, zeroes.AsSpan(0, Math.Min(zeroes.Length, 256 * 1024)), capacity / 2);
    }

    private static void WriteRandom(Microsoft.Win32.SafeHandles.SafeFileHandle handle, long offset, long length, byte[] buffer, Random random)
    {
        for (var done = 0L; done < length; done += buffer.Length)
        {
            var count = (int)Math.Min(buffer.Length, length - done);
            random.NextBytes(buffer.AsSpan(0, count));
            RandomAccess.Write(handle, buffer.AsSpan(0, count), offset + done);
        }
    }
}
