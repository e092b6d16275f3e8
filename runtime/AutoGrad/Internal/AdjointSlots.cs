using System;
using System.ComponentModel;

namespace AutoGrad.Internal;

/// <summary>Helpers generated code uses for <c>Tensor[]</c> parameters and for non-finite checks.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class AdjointSlots
{
    /// <summary>
    /// One adjoint slot per gradient tensor, reused across calls; each starts not live. The array only grows: after a
    /// call with fewer gradients its extra slots are unbound (no tensor, skipped by <see cref="Finish"/>), so calls
    /// whose <c>Tensor[]</c> lengths alternate allocate nothing once the longest has been seen.
    /// </summary>
    public static AdjointSlot[] Bind(ref AdjointSlot[]? slots, Tensor[] gradients)
    {
        if (slots is null || slots.Length < gradients.Length)
        {
            int kept = slots?.Length ?? 0;
            Array.Resize(ref slots, gradients.Length);
            for (int i = kept; i < slots.Length; i++) slots[i] = new AdjointSlot();
        }
        for (int i = 0; i < gradients.Length; i++) slots[i].Bind(gradients[i]);
        for (int i = gradients.Length; i < slots.Length; i++) slots[i].Unbind();
        return slots;
    }

    /// <summary>Zeroes the gradients nothing flowed into.</summary>
    public static void Finish(AdjointSlot[] slots)
    {
        foreach (AdjointSlot slot in slots) slot.Finish();
    }

    /// <summary>True when every element is finite (null counts as finite: nothing was computed).</summary>
    public static bool AllFinite(Tensor? tensor)
    {
        if (tensor is null) return true;
        // A sum is finite exactly when no element is NaN or infinite, barring overflow of huge finite values,
        // which is rare enough to fall back to an element scan.
        float sum = System.Numerics.Tensors.TensorPrimitives.Sum(tensor.Span);
        if (float.IsFinite(sum)) return true;
        foreach (float v in tensor.Span)
        {
            if (!float.IsFinite(v)) return false;
        }
        return true;
    }

    /// <summary>True when every tensor in the array is finite.</summary>
    public static bool AllFinite(Tensor[]? tensors)
    {
        if (tensors is null) return true;
        foreach (Tensor t in tensors)
        {
            if (!AllFinite(t)) return false;
        }
        return true;
    }

    /// <summary>The first iteration whose output is not finite, or -1.</summary>
    public static int FirstNonFinite(SlotTape<Tensor> outputs)
    {
        for (int i = 0; i < outputs.Count; i++)
        {
            if (!AllFinite(outputs[i])) return i;
        }
        return -1;
    }

    /// <summary>The first iteration whose value is not finite, or -1.</summary>
    public static int FirstNonFinite(ValueTape<float> values)
    {
        for (int i = 0; i < values.Count; i++)
        {
            if (!float.IsFinite(values[i])) return i;
        }
        return -1;
    }
}
