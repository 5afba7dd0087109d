using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace NanoSize
{
    /// <summary>
    /// Reads a nanoFramework .pe as the MDP writes it: a 124-byte header ("NFMRK1", CRCs, flags,
    /// native methods checksum and offset, version, name, string table version) whose offsets
    /// (16 × uint32 at byte 40) and paddings (16 bytes at byte 108) give each table's size.
    /// </summary>
    public sealed class PeFile
    {
        public static readonly string[] TableNames =
        {
            "AssemblyRef", "TypeRef", "FieldRef", "MethodRef", "TypeDef", "FieldDef", "MethodDef", "Attributes",
            "TypeSpec", "Resources", "ResourcesData", "Strings", "Signatures", "ByteCode", "ResourcesFiles",
        };

        public const int HeaderSize = 124;
        public const int StringsTable = 11, ByteCodeTable = 13;

        readonly byte[] _data;

        public PeFile(byte[] data)
        {
            if (data.Length < HeaderSize || Encoding.ASCII.GetString(data, 0, 6) != "NFMRK1")
                throw new InvalidDataException("not a nanoFramework .pe (no NFMRK1 marker)");
            _data = data;
        }

        public static PeFile Read(string path) => new PeFile(File.ReadAllBytes(path));

        public int Length => _data.Length;

        public int TableStart(int table) => (int)BitConverter.ToUInt32(_data, 40 + 4 * table);

        /// <summary>A table's size without its padding to 4 bytes.</summary>
        public int TableSize(int table) => TableStart(table + 1) - TableStart(table) - _data[108 + table];

        /// <summary>The strings of the string table, in table order.</summary>
        public List<string> Strings()
        {
            var list = new List<string>();
            int at = TableStart(StringsTable), end = at + TableSize(StringsTable);
            while (at < end)
            {
                int zero = Array.IndexOf(_data, (byte)0, at, end - at);
                if (zero < 0) throw new InvalidDataException("unterminated string in the string table");
                list.Add(Encoding.UTF8.GetString(_data, at, zero - at));
                at = zero + 1;
            }
            return list;
        }
    }
}
