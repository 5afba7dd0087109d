// Every error report Checker writes, and the one place that formats them. A report is a few
// text lines in the shape of Checker's own, then one ERR record (Records.Error):
//
//   From Checker: (ruh) read uninitialized byte(s) in a block.
//   When Reading 4 byte(s) at address 0x00003A44, 12 bytes into a block (start: 0x00003A38, 64 bytes)
//   The block was allocated from: Sensors.cs(117)
//   The access was made from: Sensors.cs(130)
//
// Line 1 is the code and its message (Errors.cs); line 2 says what was done where, and how the
// address relates to the block, frame or zone concerned; then where the block was allocated
// (and freed, for an aged block), where a frame was pushed, and where the faulty call was made.
// File names are shown without their directories; an unknown site shows as "(unknown)".
// The record: code = the CheckerError number, name = the three-letter code, op = read, write,
// malloc, calloc, realloc, free, push, pop, slot, check or options; addr, size (bytes accessed
// or asked for), block and bsize (the block's start and requested size), req and type (its
// request number and block type), file/line (the faulty call), afile/aline (the allocation).
//
// Lines are built in the reporter's buffer under its lock (taken after the heap's): nothing
// here allocates, except ReportMapsDamaged and ReportBadOption whose texts come as strings.
// An error that a suppression matches is counted as suppressed and writes nothing.
namespace Checker.Nano
{
    public sealed partial class CheckerHeap
    {
        /// <summary>What every Checker report line starts with.</summary>
        public const string Prefix = "From Checker: ";

        /// <summary>Counts the error; false if it is suppressed (then nothing is written).</summary>
        private bool Raise(CheckerError code, string siteFile, int siteLine)
        {
            _lastError = code;
            if (IsSuppressed(code, siteFile, siteLine))
            {
                _suppressed++;
                return false;
            }

            _errorCounts[(int)code]++;
            return true;
        }

        private void Head(CheckerError code)
        {
            _reporter.Begin().Append(Prefix).Append('(').Append(CheckerErrors.CodeOf(code)).Append(") ")
                .Append(CheckerErrors.MessageOf(code)).End();
        }

        private void AppendAccess(bool write, int width, int address)
        {
            _reporter.Append("When ").Append(write ? "Writing " : "Reading ").Append(width).Append(" byte(s) at address ").AppendAddress(address);
        }

        /// <summary>", 12 bytes into a block (start: 0x..., 64 bytes)", or before/after.</summary>
        private void AppendRelation(int address, int data, int size, bool free)
        {
            Reporter r = _reporter;
            r.Append(", ");
            if (address < data)
            {
                r.Append(data - address).Append(" bytes before ");
            }
            else if (address >= data + size && !(size == 0 && address == data))
            {
                r.Append(address - (data + size)).Append(" bytes after ");
            }
            else
            {
                r.Append(address - data).Append(" bytes into ");
            }

            r.Append(free ? "a free block (start: " : "a block (start: ").AppendAddress(data).Append(", ").Append(size).Append(" bytes)");
        }

        /// <summary>", in the data zone", or ", outside the arena".</summary>
        private void AppendZone(int zone)
        {
            if (zone == Zone.Outside)
            {
                _reporter.Append(", outside the arena");
            }
            else
            {
                _reporter.Append(", in ").Append(Zone.NameOf(zone));
            }
        }

        private void Site(string what, string file, int line)
        {
            Reporter r = _reporter;
            r.Begin().Append(what);
            if (file == null)
            {
                r.Append("(unknown)");
            }
            else
            {
                r.AppendFileName(file).Append('(').Append(line).Append(')');
            }

            r.End();
        }

        /// <summary>The last line (where the call was made) and the record, for a report with no block.</summary>
        private void Tail(CheckerError code, string op, int address, int size, int block, string what, string file, int line)
        {
            Site(what, file, line);
            Record(code, op, address, size, block, -1, -1, -1, file, line, null, 0);
        }

        /// <summary>The same for a report about the block whose data starts at <paramref name="data"/> (0: none found), described by _info.</summary>
        private void TailOfBlock(CheckerError code, string op, int address, int size, int data, string what, string file, int line)
        {
            Site(what, file, line);
            bool known = data != 0;
            Record(code, op, address, size, known ? data : -1, known ? _info.Size : -1, known ? _info.RequestNumber : -1,
                known ? _info.BlockUse : -1, file, line, known ? _info.File : null, known ? _info.Line : 0);
        }

        private void Record(CheckerError code, string op, int address, int size, int block, int blockSize, int request, int use,
            string file, int line, string allocFile, int allocLine)
        {
            if (_reporter.WantsRecords)
            {
                Records.Error(_reporter, (int)code, CheckerErrors.CodeOf(code), op, address, size, block, blockSize, request,
                    use < 0 ? -1 : BlockType.BLOCK_TYPE(use), file, file == null ? -1 : line, allocFile, allocFile == null ? -1 : allocLine);
            }
        }

        // ---- Heap accesses -----------------------------------------------------------------------

        /// <summary>ruh, bvh, rfb, wfb: an access relative to the block whose data starts at <paramref name="data"/> (0: none).</summary>
        private void ReportHeapAccess(CheckerError code, int address, int width, bool write, int data, string file, int line)
        {
            bool known = data != 0 && _debug.GetBlockInfoLocked(data, _info) == DebugHeapError.None;
            if (known && (code == CheckerError.ReadFreeBlock || code == CheckerError.WriteFreeBlock))
            {
                RestoreAgedUse(data);
            }

            if (!Raise(code, known ? _info.File : null, known ? _info.Line : 0))
            {
                return;
            }

            lock (_reporter.SyncRoot)
            {
                Head(code);
                _reporter.Begin();
                AppendAccess(write, width, address);
                if (known)
                {
                    AppendRelation(address, data, _info.Size, code == CheckerError.ReadFreeBlock || code == CheckerError.WriteFreeBlock);
                }
                else
                {
                    _reporter.Append(", inside the heap but not in a block");
                }

                _reporter.End();
                if (known)
                {
                    Site("The block was allocated from: ", _info.File, _info.Line);
                    string freeFile;
                    int freeLine;
                    if ((code == CheckerError.ReadFreeBlock || code == CheckerError.WriteFreeBlock) && FindAged(data, out freeFile, out freeLine))
                    {
                        Site("The block was freed from: ", freeFile, freeLine);
                    }
                }

                TailOfBlock(code, write ? "write" : "read", address, width, known ? data : 0, "The access was made from: ", file, line);
            }
        }

        /// <summary>wro: a write to read-only bytes of the data zone.</summary>
        private void ReportReadOnly(int address, int width, string file, int line)
        {
            CheckerError code = CheckerError.WriteReadOnly;
            if (!Raise(code, file, line))
            {
                return;
            }

            lock (_reporter.SyncRoot)
            {
                Head(code);
                _reporter.Begin();
                AppendAccess(true, width, address);
                _reporter.Append(", ").Append(address - _dataStart).Append(" bytes into the data zone (start: ").AppendAddress(_dataStart)
                    .Append(", ").Append(_dataEnd - _dataStart).Append(" bytes)").End();
                Tail(code, "write", address, width, -1, "The access was made from: ", file, line);
            }
        }

        /// <summary>nza: an access whose first byte lies in the null zone; bva: outside every other zone, or running past the data zone's end.</summary>
        private void ReportOutsideZones(int address, int width, bool write, int zone, string file, int line)
        {
            CheckerError code = zone == Zone.Null ? CheckerError.NullZone : CheckerError.BadAddress;
            if (!Raise(code, file, line))
            {
                return;
            }

            lock (_reporter.SyncRoot)
            {
                Head(code);
                Reporter r = _reporter;
                r.Begin();
                AppendAccess(write, width, address);
                if (zone == Zone.Data)
                {
                    r.Append(", running past the end of the data zone (").AppendAddress(_dataEnd).Append(')');
                }
                else if (zone == Zone.Gap)
                {
                    r.Append(", between the heap's break (").AppendAddress(_arena.Break).Append(") and the stack zone (").AppendAddress(_stackLimit).Append(')');
                }
                else
                {
                    AppendZone(zone);
                }

                r.End();
                Tail(code, write ? "write" : "read", address, width, -1, "The access was made from: ", file, line);
            }
        }

        /// <summary>bmd: an access the bitmap refuses although the heap, stack or data zone says it is fine.</summary>
        private void ReportBadState(int address, int width, bool write, int bad, string file, int line)
        {
            CheckerError code = CheckerError.MapsDamaged;
            if (!Raise(code, file, line))
            {
                return;
            }

            lock (_reporter.SyncRoot)
            {
                Head(code);
                Reporter r = _reporter;
                r.Begin();
                AppendAccess(write, width, address);
                AppendZone(ZoneOf(address));
                if (bad >= 0)
                {
                    r.Append(": the bitmap marks byte ").AppendAddress(bad).Append(' ').Append(AccessState.NameOf(StateOf(bad)));
                }

                r.End();
                Tail(code, write ? "write" : "read", address, width, -1, "The access was made from: ", file, line);
            }
        }

        // ---- Stack -------------------------------------------------------------------------------

        /// <summary>bvs, rus: an access in the stack zone relative to <paramref name="frame"/> (0: below the stack pointer).</summary>
        private void ReportStackAccess(CheckerError code, int address, int width, bool write, int frame, string file, int line)
        {
            if (!Raise(code, file, line))
            {
                return;
            }

            lock (_reporter.SyncRoot)
            {
                Head(code);
                Reporter r = _reporter;
                r.Begin();
                AppendAccess(write, width, address);
                string pushFile = null;
                int pushLine = 0;
                bool pushed = false;
                if (frame == 0)
                {
                    r.Append(", below the stack pointer (").AppendAddress(_sp).Append("): in no frame");
                }
                else
                {
                    int slots = FrameSlots(frame);
                    int first = frame + FrameHeaderBytes;
                    if (address < first)
                    {
                        r.Append(", in the header of a frame");
                    }
                    else if (address < first + (slots << 2))
                    {
                        r.Append(", slot ").Append((address - first) >> 2);
                        if (((address - first) & 3) != 0)
                        {
                            r.Append(" (+").Append((address - first) & 3).Append(')');
                        }

                        r.Append(" of a frame");
                    }
                    else
                    {
                        r.Append(", past the last slot of a frame");
                    }

                    r.Append(" (start: ").AppendAddress(frame).Append(", ").Append(slots).Append(" slot(s))");
                    pushed = FrameSite(frame, out pushFile, out pushLine);
                }

                r.End();
                if (pushed)
                {
                    Site("The frame was pushed from: ", pushFile, pushLine);
                }

                Tail(code, write ? "write" : "read", address, width, frame == 0 ? -1 : frame, "The access was made from: ", file, line);
            }
        }

        /// <summary>bvs: a slot index outside its frame, or a frame handle that is not on the stack.</summary>
        private void ReportSlot(int frame, int slot, bool write, bool frameOk, string file, int line)
        {
            CheckerError code = CheckerError.BoundsViolationStack;
            if (!Raise(code, file, line))
            {
                return;
            }

            lock (_reporter.SyncRoot)
            {
                Head(code);
                Reporter r = _reporter;
                r.Begin().Append("When ").Append(write ? "Writing" : "Reading").Append(" slot ").Append(slot);
                string pushFile = null;
                int pushLine = 0;
                bool pushed = false;
                if (frameOk)
                {
                    r.Append(" of a frame (start: ").AppendAddress(frame).Append(", ").Append(FrameSlots(frame)).Append(" slot(s)): outside the frame");
                    pushed = FrameSite(frame, out pushFile, out pushLine);
                }
                else
                {
                    r.Append(" of frame ").AppendAddress(frame).Append(": no such frame on the stack (stack pointer ").AppendAddress(_sp).Append(')');
                }

                r.End();
                if (pushed)
                {
                    Site("The frame was pushed from: ", pushFile, pushLine);
                }

                Tail(code, "slot", frame, slot, -1, "The access was made from: ", file, line);
            }
        }

        /// <summary>sov: a frame that does not fit the stack zone.</summary>
        private void ReportStackOverflow(int slots, int bytes, string file, int line)
        {
            CheckerError code = CheckerError.StackOverflow;
            if (!Raise(code, file, line))
            {
                return;
            }

            lock (_reporter.SyncRoot)
            {
                Head(code);
                _reporter.Begin().Append("When pushing a frame of ").Append(slots).Append(" slot(s) (").Append(bytes)
                    .Append(" bytes): the stack pointer (").AppendAddress(_sp).Append(") may not go below the stack limit (")
                    .AppendAddress(_stackLimit).Append(')').End();
                Tail(code, "push", _sp, bytes, -1, "The call was made from: ", file, line);
            }
        }

        /// <summary>
        /// sfp: <paramref name="inner"/> = -1 the frame is not on the stack; &gt; 0 inner frames were
        /// popped with it; <paramref name="damagedAt"/> != 0 a damaged header stopped the search.
        /// </summary>
        private void ReportBadPop(int frame, int inner, int damagedAt, string file, int line)
        {
            CheckerError code = CheckerError.BadFramePop;
            if (!Raise(code, file, line))
            {
                return;
            }

            lock (_reporter.SyncRoot)
            {
                Head(code);
                Reporter r = _reporter;
                r.Begin().Append("When popping frame ").AppendAddress(frame);
                if (damagedAt != 0)
                {
                    r.Append(": the frame header at ").AppendAddress(damagedAt).Append(" is damaged; nothing was popped");
                }
                else if (inner < 0)
                {
                    r.Append(": no such frame on the stack (popped twice?); stack pointer ").AppendAddress(_sp);
                }
                else
                {
                    r.Append(": ").Append(inner).Append(" inner frame(s) were still pushed; they were popped with it");
                }

                r.End();
                Tail(code, "pop", frame, -1, -1, "The call was made from: ", file, line);
            }
        }

        // ---- Allocator calls ---------------------------------------------------------------------

        /// <summary>rec: an allocator call made while one is running.</summary>
        private void ReportRecursive(string op, int ptr, int size, string file, int line)
        {
            CheckerError code = CheckerError.Recursive;
            if (!Raise(code, file, line))
            {
                return;
            }

            lock (_reporter.SyncRoot)
            {
                Head(code);
                Reporter r = _reporter;
                r.Begin().Append("When calling ").Append(op).Append('(');
                if (op == "free" || op == "realloc")
                {
                    r.AppendAddress(ptr);
                    if (op == "realloc")
                    {
                        r.Append(", ");
                    }
                }

                if (op != "free")
                {
                    r.Append(size);
                }

                r.Append(") inside another allocator call (an allocation hook?): refused").End();
                Tail(code, op, ptr == 0 ? -1 : ptr, size, -1, "The call was made from: ", file, line);
            }
        }

        /// <summary>fnl: free(NULL).</summary>
        private void ReportFreeNull(string op, string file, int line)
        {
            CheckerError code = CheckerError.FreeNull;
            if (!Raise(code, file, line))
            {
                return;
            }

            lock (_reporter.SyncRoot)
            {
                Head(code);
                _reporter.Begin().Append("When freeing address ").AppendAddress(0).End();
                Tail(code, op, 0, -1, -1, "The call was made from: ", file, line);
            }
        }

        /// <summary>oom: the debug heap found no room (aged blocks were given back first).</summary>
        private void ReportOutOfMemory(string op, int ptr, int size, string file, int line)
        {
            CheckerError code = CheckerError.OutOfMemory;
            if (!Raise(code, file, line))
            {
                return;
            }

            lock (_reporter.SyncRoot)
            {
                Head(code);
                Reporter r = _reporter;
                MStats s = _heap.MStats();
                r.Begin();
                if (ptr != 0)
                {
                    r.Append("When reallocating ").AppendAddress(ptr).Append(" to ");
                }
                else
                {
                    r.Append("When allocating ");
                }

                r.Append(size).Append(" byte(s): ").Append(s.BytesFree).Append(" byte(s) free in the heap, largest free run ")
                    .Append(s.LargestFreeRun).Append("; the break (").AppendAddress(_arena.Break).Append(") may grow by ")
                    .Append(_stackLimit - _arena.Break).Append(" byte(s) up to the stack zone (").AppendAddress(_stackLimit).Append(')').End();
                Tail(code, op, ptr == 0 ? -1 : ptr, size, -1, "The call was made from: ", file, line);
            }
        }

        /// <summary>fba: free or realloc of an address that is not a block's start.</summary>
        private void ReportBadFree(string op, int ptr, string file, int line)
        {
            CheckerError code = CheckerError.FreeBadAddress;
            int zone = ZoneOf(ptr);
            int header = zone == Zone.Heap ? FindBlockHeader(ptr) : 0;
            int data = header + DebugHeap.HEADER_BYTES;
            bool known = header != 0 && _debug.GetBlockInfoLocked(data, _info) == DebugHeapError.None;
            bool aged = known && (FlagsAt(header) & G_AGED) != 0;
            if (!Raise(code, known ? _info.File : file, known ? _info.Line : line))
            {
                return;
            }

            lock (_reporter.SyncRoot)
            {
                Head(code);
                Reporter r = _reporter;
                r.Begin().Append("When ").Append(op == "free" ? "freeing" : "reallocating").Append(" address ").AppendAddress(ptr);
                if (known)
                {
                    AppendRelation(ptr, data, _info.Size, aged);
                }
                else if (zone == Zone.Heap)
                {
                    r.Append(", inside the heap but not in a block");
                }
                else
                {
                    AppendZone(zone);
                }

                r.End();
                if (known)
                {
                    Site("The block was allocated from: ", _info.File, _info.Line);
                }

                TailOfBlock(code, op, ptr, -1, known ? data : 0, "The call was made from: ", file, line);
            }
        }

        /// <summary>ffb: free or realloc of a block's start that was freed already (still aged, or given back).</summary>
        private void ReportDoubleFree(string op, int ptr, bool aged, string file, int line)
        {
            CheckerError code = CheckerError.FreeFreeBlock;
            bool known = aged && _debug.GetBlockInfoLocked(ptr, _info) == DebugHeapError.None;
            if (known)
            {
                RestoreAgedUse(ptr);
            }

            if (!Raise(code, known ? _info.File : file, known ? _info.Line : line))
            {
                return;
            }

            lock (_reporter.SyncRoot)
            {
                Head(code);
                Reporter r = _reporter;
                r.Begin().Append("When ").Append(op == "free" ? "freeing" : "reallocating").Append(" address ").AppendAddress(ptr);
                if (known)
                {
                    r.Append(", the start of a free block (start: ").AppendAddress(ptr).Append(", ").Append(_info.Size).Append(" bytes)");
                }
                else
                {
                    r.Append(", the start of a block freed earlier (given back to the heap since)");
                }

                r.End();
                if (known)
                {
                    Site("The block was allocated from: ", _info.File, _info.Line);
                    string freeFile;
                    int freeLine;
                    if (FindAged(ptr, out freeFile, out freeLine))
                    {
                        Site("The block was freed from: ", freeFile, freeLine);
                    }
                }

                TailOfBlock(code, op, ptr, -1, known ? ptr : 0, "The call was made from: ", file, line);
            }
        }

        // ---- Maps and options ----------------------------------------------------------------------

        /// <summary>bmd: Checker's maps disagree with the heap (found by a check or an operation).</summary>
        private void ReportMapsDamaged(string problem, string file, int line)
        {
            CheckerError code = CheckerError.MapsDamaged;
            if (!Raise(code, file, line))
            {
                return;
            }

            lock (_reporter.SyncRoot)
            {
                Head(code);
                _reporter.Begin().Append(problem).End();
                if (file != null)
                {
                    Site("The call was made from: ", file, line);
                }

                Record(code, "check", -1, -1, -1, -1, -1, -1, file, line, null, 0);
            }
        }

        /// <summary>bda: a bad option (never suppressed).</summary>
        private void ReportBadOption(string token, string why)
        {
            CheckerError code = CheckerError.BadOption;
            Raise(code, null, 0);
            lock (_reporter.SyncRoot)
            {
                Head(code);
                _reporter.Begin().Append("In \"").Append(token).Append("\": ").Append(why).Append('.').End();
                _reporter.Line(OptionsUsage);
                if (_reporter.WantsRecords)
                {
                    Records.Error(_reporter, (int)code, CheckerErrors.CodeOf(code), "options", -1, -1, -1, -1, -1, -1, null, -1, null, -1);
                }
            }
        }
    }
}
