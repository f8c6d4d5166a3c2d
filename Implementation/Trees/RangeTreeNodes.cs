using System.Runtime.CompilerServices;

namespace Harness.Implementation;

public sealed partial class RangeTree<TValue>
{
    /// <summary>What a parent knows of a subtree: its span and the gaps strictly inside it.</summary>
    private readonly record struct Summary(ulong Start, ulong Last, ulong Gap, GapFit Fit)
    {
        /// <summary>This summary with one more gap inside (a gap can only raise the maxima).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Summary With(ulong gap, GapFit fit) => this with { Gap = Math.Max(Gap, gap), Fit = GapFit.Best(Fit, fit) };

        /// <summary>Whether a gap of this length and fit is strictly below both maxima, so losing it changes neither.</summary>
        public bool Outranks(ulong gap, GapFit fit) => gap < Gap && fit != Fit && GapFit.Best(fit, Fit) == Fit;
    }

    private abstract class Node
    {
        public int Count;

        /// <summary>This node's own summary, kept current by every change to the node.</summary>
        public Summary Own;
    }

    /// <summary>Up to <see cref="Width"/> ranges, sorted; <c>LeadFit[i]</c> caches the gap between entries i-1 and i.</summary>
    private sealed class Leaf : Node
    {
        public Slots<ulong> Start;
        public Slots<ulong> Last;
        public Slots<TValue> Value;
        public Slots<GapFit> LeadFit;
        public Leaf? Next;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public ulong GapBefore(int i) => Start[i] - Last[i - 1] - 1;

        /// <summary>Recomputes the cached gap before entry <paramref name="i"/> (nothing to cache before the first).</summary>
        public void RefreshLead(int i)
        {
            if (i > 0 && i < Count)
                LeadFit[i] = GapFit.Between(Last[i - 1], Start[i]);
        }

        /// <summary>Recomputes <see cref="Node.Own"/> from the cached leads.</summary>
        public void Rescan()
        {
            var own = Count == 0 ? default : new Summary(Start[0], Last[Count - 1], 0, GapFit.None);
            for (int i = 1; i < Count; i++)
                own = own.With(GapBefore(i), LeadFit[i]);
            Own = own;
        }
    }

    /// <summary>
    /// Up to <see cref="Width"/> children with each child's summary. <c>InterFit[i]</c> caches the
    /// fit of the gap between children i-1 and i; <c>LeadGap[i]</c> and <c>LeadFit[i]</c> fold it
    /// into child i's own, so a search tests a child in O(1).
    /// </summary>
    private sealed class Branch : Node
    {
        public Slots<Node> Child;
        public Slots<ulong> Start;
        public Slots<ulong> Last;
        public Slots<ulong> OwnGap;
        public Slots<GapFit> OwnFit;
        public Slots<GapFit> InterFit;
        public Slots<ulong> LeadGap;
        public Slots<GapFit> LeadFit;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool HasSummary(int i, Summary summary) =>
            Start[i] == summary.Start && Last[i] == summary.Last && OwnGap[i] == summary.Gap && OwnFit[i] == summary.Fit;

        /// <summary>Stores child <paramref name="i"/>'s summary; true if its span moved (so the gaps beside it changed).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool Store(int i, Summary summary)
        {
            bool moved = Start[i] != summary.Start || Last[i] != summary.Last;
            Start[i] = summary.Start;
            Last[i] = summary.Last;
            OwnGap[i] = summary.Gap;
            OwnFit[i] = summary.Fit;
            return moved;
        }

        /// <summary>Recomputes child <paramref name="i"/>'s lead from its own summary and the gap before it; true unless it shrank.</summary>
        public bool RefreshLead(int i)
        {
            ulong gap = i > 0 ? Math.Max(OwnGap[i], Start[i] - Last[i - 1] - 1) : OwnGap[i];
            var fit = GapFit.Best(OwnFit[i], InterFit[i]);
            bool grew = gap >= LeadGap[i] && GapFit.Best(fit, LeadFit[i]) == fit;
            LeadGap[i] = gap;
            LeadFit[i] = fit;
            return grew;
        }

        private void RefreshInter(int i)
        {
            if (i < Count)
                InterFit[i] = i > 0 ? GapFit.Between(Last[i - 1], Start[i]) : GapFit.None;
        }

        /// <summary>After entries moved: every cached gap, lead and <see cref="Node.Own"/> recomputed.</summary>
        public void Refresh()
        {
            for (int i = 0; i < Count; i++)
            {
                RefreshInter(i);
                RefreshLead(i);
            }

            Rescan();
        }

        /// <summary>
        /// Child <paramref name="i"/> has a new summary: its lead (and the next child's, if the span
        /// moved) change, and <see cref="Node.Own"/> follows in O(1) unless a lead shrank.
        /// </summary>
        public void UpdateChild(int i, Summary summary)
        {
            bool moved = Store(i, summary);
            if (moved)
            {
                RefreshInter(i);
                RefreshInter(i + 1);
            }

            bool grew = RefreshLead(i);
            bool nextToo = moved && i + 1 < Count;
            if (nextToo)
                grew &= RefreshLead(i + 1);
            if (!grew)
            {
                Rescan();
                return;
            }

            var own = (Own with { Start = Start[0], Last = Last[Count - 1] }).With(LeadGap[i], LeadFit[i]);
            Own = nextToo ? own.With(LeadGap[i + 1], LeadFit[i + 1]) : own;
        }

        private void Rescan()
        {
            var own = new Summary(Start[0], Last[Count - 1], 0, GapFit.None);
            for (int i = 0; i < Count; i++)
                own = own.With(LeadGap[i], LeadFit[i]);
            Own = own;
        }
    }
}
