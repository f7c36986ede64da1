using System.Text.Json;

namespace ProviderPortal.Replication.Copy;

/// <summary>
/// Everything below <see cref="Offset"/> is copied and flushed, for the plan named by <see cref="PlanId"/>
/// (a hash of the source size and the plan's ranges). Persist it with <see cref="ToJson"/>.
/// </summary>
public sealed record CopyCheckpoint(string PlanId, long Offset)
{
    public string ToJson() => JsonSerializer.Serialize(this, CopyCheckpointJson.Default.CopyCheckpoint);

    public static CopyCheckpoint FromJson(string json)
    {
        var checkpoint = JsonSerializer.Deserialize(json, CopyCheckpointJson.Default.CopyCheckpoint);
        if (checkpoint is null || string.IsNullOrEmpty(checkpoint.PlanId) || checkpoint.Offset < 0)
        {
            throw new FormatException("The text is not a copy checkpoint: it needs a planId and a non-negative offset.");
        }

        return checkpoint;
    }
}
