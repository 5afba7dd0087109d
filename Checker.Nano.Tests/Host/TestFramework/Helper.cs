// Host (.NET) stand-in for nanoFramework.TestFramework 3.0: see Host/README.md.
namespace nanoFramework.TestFramework
{
    public static class Helper
    {
        /// <summary>
        /// A method with both [TestMethod] and [DataRow] runs once per row only: this drops the
        /// TestMethodAttribute from a method's attributes when a DataRowAttribute is among them.
        /// </summary>
        public static object[] RemoveTestMethodIfDataRowExists(object[] attribs)
        {
            if (attribs == null)
            {
                return null;
            }

            bool hasDataRow = false;
            int testMethods = 0;
            foreach (object attrib in attribs)
            {
                hasDataRow |= attrib is DataRowAttribute;
                testMethods += attrib is TestMethodAttribute ? 1 : 0;
            }

            if (!hasDataRow || testMethods == 0)
            {
                return attribs;
            }

            var kept = new object[attribs.Length - testMethods];
            int next = 0;
            foreach (object attrib in attribs)
            {
                if (!(attrib is TestMethodAttribute))
                {
                    kept[next++] = attrib;
                }
            }

            return kept;
        }
    }
}
