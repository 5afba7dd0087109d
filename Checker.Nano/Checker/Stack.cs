// The stack zone: frames the firmware pushes and pops to keep offsets where the garbage
// detector finds them (a C function's locals), growing down from the top of the arena.
//
// A frame of n slots takes 8 + 4n bytes at [frame, frame + 8 + 4n); the frame's handle is its
// lowest offset, which is the stack pointer right after the push:
//   frame+0  FRAME_MAGIC | n     (n < 2^24; the magic is no heap address, so never a reference)
//   frame+4  depth               (1 for the outermost frame)
//   frame+8  slot 0, slot 1, ... (4 bytes each)
// Invariants (checked by Validate):
//  - frames tile [StackPointer, StackTop) exactly, depths counting down to 1 at the top;
//  - in the bitmap, headers are unavailable, slots write-only until written, then read-write;
//    everything in [StackLimit, StackPointer) is unavailable;
//  - a popped frame's bytes are zeroed, so a stale handle no longer shows the magic.
// Pops must be innermost first. Popping a frame that is not on the stack (popped twice, or
// never pushed) is reported and changes nothing; popping one with inner frames still pushed is
// reported and unwinds them too (as longjmp would). A walk is bounded by the zone's size, and
// a damaged header stops it with a report.
namespace Checker.Nano
{
    public sealed partial class CheckerHeap
    {
        /// <summary>Bytes of a frame's header.</summary>
        public const int FrameHeaderBytes = 8;

        /// <summary>The high byte of a frame's first word.</summary>
        public const int FRAME_MAGIC = 0x5F000000;

        /// <summary>Frames deeper than this have no push site recorded (reports show none).</summary>
        public const int MaxFrameSites = 32;

        private const int FRAME_SLOTS_MASK = 0x00FFFFFF;

        private int _sp;                         // the stack pointer: the innermost frame's handle, or StackTop
        private int _depth;                      // frames pushed
        private readonly string[] _frameFiles = new string[MaxFrameSites];
        private readonly int[] _frameLines = new int[MaxFrameSites];

        /// <summary>The stack pointer: the innermost frame, or StackTop when no frame is pushed.</summary>
        public int StackPointer
        {
            get { return _sp; }
        }

        /// <summary>How many frames are pushed.</summary>
        public int FrameDepth
        {
            get { return _depth; }
        }

        /// <summary>
        /// Pushes a frame of <paramref name="slots"/> 4-byte slots (write-only until written) and
        /// returns its handle, or 0 when it does not fit the stack zone ("sov", reported).
        /// </summary>
        public int PushFrame(int slots,
            [System.Runtime.CompilerServices.CallerFilePath] string file = null,
            [System.Runtime.CompilerServices.CallerLineNumber] int line = 0)
        {
            if (slots < 0 || slots > FRAME_SLOTS_MASK)
            {
                throw new System.ArgumentOutOfRangeException("slots", "a frame has 0 to 16777215 slots");
            }

            if (!_heap.ThreadSafe)
            {
                return PushFrameLocked(slots, file, line);
            }

            lock (_sync)
            {
                return PushFrameLocked(slots, file, line);
            }
        }

        private int PushFrameLocked(int slots, string file, int line)
        {
            int bytes = FrameHeaderBytes + (slots << 2);
            if (bytes > _sp - _stackLimit)
            {
                ReportStackOverflow(slots, bytes, file, line);
                return 0;
            }

            int frame = _sp - bytes;
            Bytes.PutInt32(_m, frame, FRAME_MAGIC | slots);
            Bytes.PutInt32(_m, frame + 4, _depth + 1);
            SetStates(frame, FrameHeaderBytes, AccessState.Unavailable);
            SetStates(frame + FrameHeaderBytes, slots << 2, AccessState.WriteOnly);
            if (_depth < MaxFrameSites)
            {
                _frameFiles[_depth] = file;
                _frameLines[_depth] = line;
            }

            _depth++;
            _sp = frame;
            return frame;
        }

        /// <summary>
        /// Pops <paramref name="frame"/>, which should be the innermost frame. Reports "sfp" when it
        /// is not on the stack (nothing changes) or when inner frames are still pushed (they are
        /// popped with it).
        /// </summary>
        public void PopFrame(int frame,
            [System.Runtime.CompilerServices.CallerFilePath] string file = null,
            [System.Runtime.CompilerServices.CallerLineNumber] int line = 0)
        {
            if (!_heap.ThreadSafe)
            {
                PopFrameLocked(frame, file, line);
                return;
            }

            lock (_sync)
            {
                PopFrameLocked(frame, file, line);
            }
        }

        private void PopFrameLocked(int frame, string file, int line)
        {
            if (frame == _sp && FrameHeaderOk(frame))
            {
                PopTo(frame + FrameBytes(frame), 1);
                return;
            }

            // Walk out from the innermost frame looking for it.
            int f = _sp;
            int inner = 0;
            while (f < _stackTop)
            {
                if (!FrameHeaderOk(f))
                {
                    ReportBadPop(frame, 0, f, file, line);
                    return;
                }

                if (f == frame)
                {
                    ReportBadPop(frame, inner, 0, file, line);
                    PopTo(f + FrameBytes(f), inner + 1);
                    return;
                }

                if (f > frame)
                {
                    break;
                }

                inner++;
                f += FrameBytes(f);
            }

            ReportBadPop(frame, -1, 0, file, line);
        }

        // Pops every frame below newSp (count of them): zeroes their bytes, marks them unavailable.
        private void PopTo(int newSp, int count)
        {
            int bytes = newSp - _sp;
            System.Array.Clear(_m, _sp, bytes);
            SetStates(_sp, bytes, AccessState.Unavailable);
            _sp = newSp;
            _depth -= count;
        }

        /// <summary>Whether a frame with a sound header starts at <paramref name="frame"/> inside the live stack.</summary>
        private bool FrameHeaderOk(int frame)
        {
            if (frame < _sp || frame > _stackTop - FrameHeaderBytes || (frame & 3) != 0)
            {
                return false;
            }

            int word = Bytes.GetInt32(_m, frame);
            if ((word & ~FRAME_SLOTS_MASK) != FRAME_MAGIC)
            {
                return false;
            }

            int slots = word & FRAME_SLOTS_MASK;
            return slots <= (_stackTop - frame - FrameHeaderBytes) >> 2;
        }

        /// <summary>The bytes of the frame at <paramref name="frame"/> (header checked by the caller).</summary>
        private int FrameBytes(int frame)
        {
            return FrameHeaderBytes + ((Bytes.GetInt32(_m, frame) & FRAME_SLOTS_MASK) << 2);
        }

        /// <summary>The slot count of the frame at <paramref name="frame"/> (header checked by the caller).</summary>
        private int FrameSlots(int frame)
        {
            return Bytes.GetInt32(_m, frame) & FRAME_SLOTS_MASK;
        }

        /// <summary>The live frame containing <paramref name="address"/> (a stack address at or above the stack pointer), or 0.</summary>
        private int FindFrame(int address)
        {
            int f = _sp;
            while (f < _stackTop && FrameHeaderOk(f))
            {
                int end = f + FrameBytes(f);
                if (address < end)
                {
                    return address >= f ? f : 0;
                }

                f = end;
            }

            return 0;
        }

        // ---- Slots -------------------------------------------------------------------------------

        /// <summary>
        /// The address of slot <paramref name="slot"/> of <paramref name="frame"/>, or 0 when the
        /// frame is not on the stack or the slot is outside it ("bvs", reported).
        /// </summary>
        public int SlotAddress(int frame, int slot,
            [System.Runtime.CompilerServices.CallerFilePath] string file = null,
            [System.Runtime.CompilerServices.CallerLineNumber] int line = 0)
        {
            lock (_sync)
            {
                return SlotChecked(frame, slot, false, file, line);
            }
        }

        /// <summary>Reads slot <paramref name="slot"/> of <paramref name="frame"/> (0 after an error).</summary>
        public int ReadSlot(int frame, int slot,
            [System.Runtime.CompilerServices.CallerFilePath] string file = null,
            [System.Runtime.CompilerServices.CallerLineNumber] int line = 0)
        {
            if (!_heap.ThreadSafe)
            {
                return ReadSlotLocked(frame, slot, file, line);
            }

            lock (_sync)
            {
                return ReadSlotLocked(frame, slot, file, line);
            }
        }

        private int ReadSlotLocked(int frame, int slot, string file, int line)
        {
            int address = SlotChecked(frame, slot, false, file, line);
            return address == 0 ? 0 : ReadInt32Locked(address, file, line);
        }

        /// <summary>Writes <paramref name="value"/> to slot <paramref name="slot"/> of <paramref name="frame"/>.</summary>
        public void WriteSlot(int frame, int slot, int value,
            [System.Runtime.CompilerServices.CallerFilePath] string file = null,
            [System.Runtime.CompilerServices.CallerLineNumber] int line = 0)
        {
            if (!_heap.ThreadSafe)
            {
                WriteSlotLocked(frame, slot, value, file, line);
                return;
            }

            lock (_sync)
            {
                WriteSlotLocked(frame, slot, value, file, line);
            }
        }

        private void WriteSlotLocked(int frame, int slot, int value, string file, int line)
        {
            int address = SlotChecked(frame, slot, true, file, line);
            if (address != 0)
            {
                WriteInt32Locked(address, value, file, line);
            }
        }

        private int SlotChecked(int frame, int slot, bool write, string file, int line)
        {
            if (!FrameHeaderOk(frame))
            {
                ReportSlot(frame, slot, write, false, file, line);
                return 0;
            }

            if (slot < 0 || slot >= FrameSlots(frame))
            {
                ReportSlot(frame, slot, write, true, file, line);
                return 0;
            }

            return frame + FrameHeaderBytes + (slot << 2);
        }

        private void ClassifyStack(int address, int width, bool write, int bad, string file, int line)
        {
            if (address < _sp)
            {
                ReportStackAccess(CheckerError.BoundsViolationStack, address, width, write, 0, file, line);
                return;
            }

            int frame = FindFrame(address);
            if (frame == 0)
            {
                ReportBadState(address, width, write, bad, file, line);
                return;
            }

            if (address < frame + FrameHeaderBytes || address > frame + FrameBytes(frame) - width)
            {
                ReportStackAccess(CheckerError.BoundsViolationStack, address, width, write, frame, file, line);
            }
            else if (!write && bad >= 0 && StateOf(bad) == AccessState.WriteOnly)
            {
                ReportStackAccess(CheckerError.ReadUninitializedStack, address, width, write, frame, file, line);
            }
            else
            {
                ReportBadState(address, width, write, bad, file, line);
            }
        }

        /// <summary>The push site of the frame at <paramref name="frame"/> (false if none was recorded).</summary>
        private bool FrameSite(int frame, out string file, out int line)
        {
            int depth = Bytes.GetInt32(_m, frame + 4);
            if (depth >= 1 && depth <= MaxFrameSites && depth <= _depth)
            {
                file = _frameFiles[depth - 1];
                line = _frameLines[depth - 1];
                return file != null;
            }

            file = null;
            line = 0;
            return false;
        }
    }
}
